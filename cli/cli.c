#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/hub.h"
#include "common/xmalloc.h"

const struct cmd_entry *
cli_find(const char *name)
{
	size_t i;

	for (i = 0; cli_commands[i] != NULL; i++)
		if (strcmp(cli_commands[i]->name, name) == 0)
			return cli_commands[i];
	return NULL;
}

int
cli_fail(struct cli_ctx *ctx, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	fflush(ctx->err);
	return status;
}

bool
cli_take_flag(int *argcp, char **argv, const char *flag)
{
	int	i, j;
	bool	found = false;

	for (i = j = 0; i < *argcp; i++) {
		if (i > 0 && strcmp(argv[i], flag) == 0) {
			found = true;
			continue;
		}
		argv[j++] = argv[i];
	}
	argv[j] = NULL;
	*argcp = j;
	return found;
}

int
cli_take_option(int *argcp, char **argv, const char *name, const char **valuep)
{
	size_t	nlen = strlen(name);
	int	i, j, r = 0;

	*valuep = NULL;
	for (i = j = 0; i < *argcp; i++) {
		if (i > 0 && strcmp(argv[i], name) == 0) {
			if (i + 1 >= *argcp) {
				r = -1;
				continue;
			}
			*valuep = argv[++i];
			continue;
		}
		if (i > 0 && strncmp(argv[i], name, nlen) == 0 && argv[i][nlen] == '=') {
			*valuep = argv[i] + nlen + 1;
			continue;
		}
		argv[j++] = argv[i];
	}
	argv[j] = NULL;
	*argcp = j;
	return r;
}

const char *
cli_stray_flag(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--", 2) == 0)
			return argv[i];
	return NULL;
}

int
cli_count_args(int argc, char **argv)
{
	int i, n = 0;

	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--", 2) != 0)
			n++;
	return n;
}

int
cli_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*e;
	char			**args;
	int			 n, status;

	if (argc < 1 || argv[0] == NULL || argv[0][0] == '\0')
		return cli_fail(ctx, 1, "no command given (try: help)");
	if ((e = cli_find(argv[0])) == NULL) {
		/* Never echo raw bytes of an unknown word back: it may hold escapes. */
		return cli_fail(ctx, 1, "unknown command (try: help)");
	}
	n = cli_count_args(argc, argv);
	if (n < e->min_args || (e->max_args >= 0 && n > e->max_args))
		return cli_fail(ctx, 1, "usage: %s", e->usage);
	/*
	 * Commands take their flags out of argv (cli_take_flag); give them a
	 * copy of the pointer array so the caller's words are all freed later.
	 */
	args = xcalloc((size_t)argc + 1, sizeof *args);
	memcpy(args, argv, (size_t)argc * sizeof *args);
	status = e->exec(ctx, argc, args);
	free(args);
	return status;
}

int
cli_refuse_nul(struct cli_ctx *ctx, const char *cmd, const char *text, size_t len)
{
	if (memchr(text, '\0', len) == NULL)
		return 0;
	return cli_fail(ctx, 1, "%s: control characters are not allowed", cmd);
}

void
cli_hint(struct cli_ctx *ctx, unsigned topic, int64_t user, int64_t object)
{
	struct hub_msg m = { HUB_HINT, topic, user, object };

	if (ctx->hub_fd >= 0)
		(void)hub_send(ctx->hub_fd, &m);
}
