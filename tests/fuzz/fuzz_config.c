/* sshbookd's config lines: whatever an administrator (or a bad edit) writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sshd-app/config.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {
	"port = 2222\nlisten = 127.0.0.1\n", "registration = invite # x\n",
	"host_key = /nonexistent\nhost_key = /x\n", "max_sessions = -1\n", "=\n",
	"log_level = debug\nkeepalive_interval = 99999999999999999999\n", "data_dir =\n", NULL
};

static char path[64];

static void
remove_conf(void)
{
	unlink(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	c;
	char		err[256];
	FILE		*f;
	int		fd;

	if (path[0] == '\0') {
		snprintf(path, sizeof path, "/tmp/sshbook-fuzzconf-XXXXXX");
		if ((fd = mkstemp(path)) < 0)
			abort();
		close(fd);
		atexit(remove_conf);
	}
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	config_init(&c);
	err[0] = '\0';
	if (config_load(&c, path, err, sizeof err) != 0 && (err[0] == '\0' || strchr(err, '\n')))
		__builtin_trap();	/* a refusal always says why, on one line */
	config_free(&c);
	return 0;
}
