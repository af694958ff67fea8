/* UTF-8 validation, text_check and draw-time sanitizing of any bytes. */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/sanitize.h"
#include "common/utf8.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {
	"plain", "Zoë 日本 😀", "\x1b[2J\x1b]0;owned\x07", "\xc2\x9b" "31m", "\xe2\x80\xae" "evil",
	"\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "tab\tnew\nline", "\xe2\x80\x8b" "zw", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s = malloc(size + 1), *clean;
	size_t		 i;

	memcpy(s, data, size);
	s[size] = '\0';	/* the string ends at the first NUL, as C callers see it */
	(void)utf8_width(s);
	(void)text_check(s, 0, 5000, TEXT_MULTILINE, NULL, 0);
	clean = sanitize_dup(s, true);
	/* What sanitize returns is valid UTF-8 with no ESC, C0 (but newline) or C1 controls. */
	if (!utf8_valid(clean, strlen(clean)))
		__builtin_trap();
	for (i = 0; clean[i]; i++)
		if ((unsigned char)clean[i] < 0x20 && clean[i] != '\n')
			__builtin_trap();
	if (strstr(clean, "\xc2\x9b") != NULL || strstr(clean, "\xe2\x80\xae") != NULL)
		__builtin_trap();
	free(clean);
	free(s);
	return 0;
}
