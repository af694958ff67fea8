/* The exec command-line splitter: the first thing a client's bytes reach after auth. */
#include <string.h>

#include "common/cmdline.h"
#include "common/err.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {
	"whoami", "keys add", "post 'hello world' \"with \\\"quotes\\\"\"", "a\\ b c\\\n d",
	"unbalanced 'quote", "trailing\\", "''", "\"\"", "a'b'\"c\"", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cmdline	cl;
	char		why[128];
	int		i;
	size_t		total = 0;

	if (cmdline_split((const char *)data, size, &cl, why, sizeof why) == 0) {
		/* Every word is a proper string and the words never hold more than the input. */
		for (i = 0; i < cl.argc; i++)
			total += strlen(cl.argv[i]);
		if (total > size || cl.argc > CMDLINE_MAX_WORDS || (cl.argc && cl.argv[cl.argc]))
			__builtin_trap();
		cmdline_free(&cl);
	} else if (why[0] == '\0' || strchr(why, '\n') != NULL)
		__builtin_trap();	/* a refusal always says why, on one line */
	return 0;
}
