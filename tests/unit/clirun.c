#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "common/cmdline.h"
#include "tests/unit/clirun.h"

struct clirun
clirun(const struct clirun_as *who, const char *line, const void *input, size_t inlen)
{
	struct cli_ctx	cc;
	struct clirun	r = { 0 };
	struct cmdline	cl;
	size_t		outlen, errlen;
	char		why[128];

	assert_int_equal(cmdline_split(line, strlen(line), &cl, why, sizeof why), 0);
	memset(&cc, 0, sizeof cc);
	cc.st = who->st;
	cc.user_id = who->user_id;
	cc.username = who->username;
	cc.data_dir = who->data_dir;
	cc.hub_fd = who->hub_fd;
	cc.follow_tick = who->follow_tick;
	cc.follow_arg = who->follow_arg;
	if (input == NULL)
		cc.in = NULL;
	else if (inlen == 0)
		cc.in = fopen("/dev/null", "r");
	else
		cc.in = fmemopen((void *)input, inlen, "r");
	cc.out = who->out != NULL ? who->out : open_memstream(&r.out, &outlen);
	cc.err = open_memstream(&r.err, &errlen);
	r.status = cli_run(&cc, cl.argc, cl.argv);
	if (who->out == NULL)
		fclose(cc.out);
	else
		r.out = strdup("");
	fclose(cc.err);
	if (cc.in != NULL)
		fclose(cc.in);
	cmdline_free(&cl);
	return r;
}

void
clirun_free(struct clirun *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}
