/*
 * sshbook: the app. Started by sshbookd on a pty (the TUI) or on pipes (one
 * command), or by hand for development and administration:
 *   sshbook --data-dir DIR --user NAME [COMMAND ARGS...]
 * See docs/internals.md for the contract with the daemon.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/upload.h"
#include "common/err.h"
#include "common/log.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "storage/store.h"
#include "tui/app.h"
#include "worker/worker.h"

#ifndef SSHBOOK_VERSION
#define SSHBOOK_VERSION "0.1.0"
#endif

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sshbook --data-dir DIR --user NAME [COMMAND [ARGS...]]\n"
	    "       sshbook --data-dir DIR --signup NAME\n"
	    "       sshbook --data-dir DIR --user NAME --sftp\n"
	    "       sshbook --data-dir DIR --worker\n"
	    "Runs the sshbook app as NAME: the terminal interface, or one command\n"
	    "(sshbook --data-dir DIR --user NAME help lists them).\n");
}

/*
 * The per-user write limit sshbookd passes (SSHBOOK_WRITE_LIMIT=BURST/PER_MINUTE,
 * from write_burst and write_per_minute in its configuration). Without it
 * (the app run by hand on a data dir) there is none.
 */
static void
write_limit_from_env(struct store *st)
{
	const char	*v = getenv("SSHBOOK_WRITE_LIMIT");
	int		 burst, per_minute;

	if (v != NULL && sscanf(v, "%d/%d", &burst, &per_minute) == 2)
		store_set_write_limit(st, burst, per_minute);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data-dir",	required_argument, NULL, 'd' },
		{ "user",	required_argument, NULL, 'u' },
		{ "signup",	required_argument, NULL, 's' },
		{ "hub-fd",	required_argument, NULL, 'H' },
		{ "addr",	required_argument, NULL, 'a' },
		{ "sftp",	no_argument,	   NULL, 'S' },
		{ "worker",	no_argument,	   NULL, 'W' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*data_dir = "var", *user = NULL, *signup_name = NULL;
	const char		*addr = NULL, *logpath;
	struct signup_env	 env = { 0 };
	struct store		*st = NULL;
	struct user		 u = { 0 };
	struct cli_ctx		 cc;
	char			*dbpath, *deflog = NULL;
	int			 c, hub_fd = -1, status = 1;
	bool			 sftp = false, worker = false;

	/* getopt must stop at the first word of the command: its flags are its own. */
	while ((c = getopt_long(argc, argv, "+d:u:s:H:a:Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data_dir = optarg; break;
		case 'u': user = optarg; break;
		case 's': signup_name = optarg; break;
		case 'H': hub_fd = atoi(optarg); break;
		case 'a': addr = optarg; break;
		case 'S': sftp = true; break;
		case 'W': worker = true; break;
		case 'V': printf("sshbook %s\n", SSHBOOK_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (worker ? user != NULL || signup_name != NULL || optind < argc :
	    (user == NULL) == (signup_name == NULL) || (sftp && (user == NULL || optind < argc))) {
		usage(stderr);
		return 1;
	}
	utf8_locale_init();
	/* Never log to stderr: in the TUI it is the user's screen, in exec the user's errors. */
	if ((logpath = getenv("SSHBOOK_LOG")) == NULL)
		logpath = deflog = xasprintf("%s/sshbook-app.log", data_dir);
	log_open("sshbook", LOG_TO_FILE, logpath, LOG_LVL_INFO);
	log_set_context(addr, worker ? "worker" : user ? user : signup_name);

	dbpath = xasprintf("%s/sshbook.db", data_dir);
	if (store_open(dbpath, &st) != 0) {
		fprintf(stderr, "sshbook: cannot open the database '%s'\n", dbpath);
		goto out;
	}

	write_limit_from_env(st);
	if (worker) {
		status = worker_run(st, data_dir, hub_fd);
		goto out;
	}
	if (signup_name != NULL) {
		if (!isatty(STDIN_FILENO) || optind < argc) {
			fprintf(stderr, "unknown user '%s': sign up first with ssh -t %s@host\n",
			    signup_name, signup_name);
			goto out;
		}
		env.key_line = getenv("SSHBOOK_SIGNUP_KEY");
		env.password_hash = getenv("SSHBOOK_SIGNUP_PWHASH");
		env.invite_only = getenv("SSHBOOK_REGISTRATION") != NULL &&
		    strcmp(getenv("SSHBOOK_REGISTRATION"), "invite") == 0;
		if (env.key_line == NULL && env.password_hash == NULL) {
			fprintf(stderr, "sshbook: sign-up needs a key or a password\n");
			goto out;
		}
		status = app_run(st, data_dir, 0, signup_name, &env, hub_fd);
		goto out;
	}

	if (store_user_by_name(st, user, &u) != 0) {
		fprintf(stderr, "unknown user '%s': sign up first with ssh -t %s@host\n", user, user);
		goto out;
	}
	if (optind < argc || sftp) {
		memset(&cc, 0, sizeof cc);
		cc.st = st;
		cc.user_id = u.id;
		cc.username = u.username;
		cc.in = stdin;
		cc.out = stdout;
		cc.err = stderr;
		cc.hub_fd = hub_fd;
		cc.data_dir = data_dir;
		status = sftp ? upload_sftp_main(&cc) : cli_run(&cc, argc - optind, argv + optind);
		fflush(stdout);
		goto out;
	}
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "sshbook needs a terminal: connect with ssh -t, "
		    "or run a command (help lists them)\n");
		goto out;
	}
	status = app_run(st, data_dir, u.id, u.username, NULL, hub_fd);
 out:
	user_free(&u);
	if (st != NULL)
		store_close(st);
	free(dbpath);
	free(deflog);
	log_close();
	return status;
}
