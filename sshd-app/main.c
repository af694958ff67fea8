/*
 * sshbookd: options, configuration, the data directory, host keys, the
 * database migrations, then the listener (sshd-app/listener.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd-app/config.h"
#include "sshd-app/hostkey.h"
#include "sshd-app/listener.h"
#include "storage/store.h"

#define SSHBOOKD_VERSION	"0.1.0"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sshbookd [-p PORT] [-l ADDR] [-d DATA_DIR] [-c CONFIG] [-v]\n"
	    "                [--version] [-h]\n"
	    "\n"
	    "  -p PORT      port to listen on (default 2222)\n"
	    "  -l ADDR      address to listen on (default 127.0.0.1; * for all)\n"
	    "  -d DATA_DIR  data directory (default ./var): sshbook.db, hostkeys/,\n"
	    "               media/, spool/\n"
	    "  -c CONFIG    config file (see sshbook.conf.example)\n"
	    "  -v           debug logging\n"
	    "  --version    print the version and exit\n"
	    "  -h, --help   this help\n"
	    "\n"
	    "Options override the config file. SIGTERM stops the server cleanly.\n");
}

/* libssh's own warnings, through our log (only asked for with -v). */
static void
libssh_log(int priority, const char *function, const char *buffer,
    void *userdata)
{
	(void)priority;
	(void)function;
	(void)userdata;
	log_debug("libssh: %s", buffer);
}

/* mkdir that succeeds when the directory is already there. */
static int
make_dir(const char *path, mode_t mode)
{
	struct stat st;

	if (mkdir(path, mode) == 0)
		return 0;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	fprintf(stderr, "sshbookd: cannot create directory '%s': %s\n", path,
	    errno == EEXIST ? "a file is in the way" : strerror(errno));
	return -1;
}

/* Create DIR (and its parents), DIR/hostkeys, DIR/media, DIR/spool; make DIR absolute. */
static int
prepare_data_dir(struct config *c)
{
	static const char	*subdirs[] = { "hostkeys", "media", "spool" };
	char			*path, *p, real[PATH_MAX];
	size_t			 i;
	int			 r = 0;

	path = xstrdup(c->data_dir);
	for (p = path + 1; *p != '\0' && r == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		r = make_dir(path, 0755);
		*p = '/';
	}
	if (r == 0)
		r = make_dir(path, 0700);
	free(path);
	if (r != 0)
		return -1;
	if (realpath(c->data_dir, real) == NULL) {
		fprintf(stderr, "sshbookd: '%s': %s\n", c->data_dir,
		    strerror(errno));
		return -1;
	}
	free(c->data_dir);
	c->data_dir = xstrdup(real);
	for (i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
		path = xasprintf("%s/%s", c->data_dir, subdirs[i]);
		r = make_dir(path, 0700);
		free(path);
		if (r != 0)
			return -1;
	}
	return 0;
}

/* The app: app_path from the config, or `sshbook` next to this program. */
static void
find_app(struct config *c)
{
	char	self[PATH_MAX], *slash;
	ssize_t	n;

	if (c->app_path == NULL) {
		n = readlink("/proc/self/exe", self, sizeof self - 1);
		if (n > 0) {
			self[n] = '\0';
			if ((slash = strrchr(self, '/')) != NULL)
				*slash = '\0';
			c->app_path = xasprintf("%s/sshbook", self);
		} else
			c->app_path = xstrdup("sshbook");
	}
	if (access(c->app_path, X_OK) != 0)
		log_warn("the app '%s' is not executable (%s): sessions will "
		    "fail until it is", c->app_path, strerror(errno));
}

/* Sessions must never get a socket as fd 0, 1 or 2. */
static void
sane_stdio(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0 && fd <= 2)
		(void)fcntl(fd, F_SETFD, 0);
	if (fd > 2)
		close(fd);
}

static int
migrate(const struct config *c)
{
	struct store	*st;
	char		*path;
	int		 r;

	path = xasprintf("%s/sshbook.db", c->data_dir);
	r = store_open(path, &st);
	if (r != 0)
		log_error("cannot open the database '%s': %s", path, err_str(r));
	else
		store_close(st);
	free(path);
	return r == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct config	 cfg;
	struct listener	*l = NULL;
	ssh_bind	 bind = NULL;
	const char	*opt_port = NULL, *opt_listen = NULL, *opt_dir = NULL,
			*opt_config = NULL;
	char		 err[512];
	int		 ch, verbose = 0, status = 1;
	bool		 off = false;

	sane_stdio();
	while ((ch = getopt_long(argc, argv, "p:l:d:c:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			opt_port = optarg;
			break;
		case 'l':
			opt_listen = optarg;
			break;
		case 'd':
			opt_dir = optarg;
			break;
		case 'c':
			opt_config = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			printf("sshbookd %s (libssh %s)\n", SSHBOOKD_VERSION,
			    ssh_version(0));
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "sshbookd: unexpected argument '%s'\n",
		    argv[optind]);
		usage(stderr);
		return 1;
	}

	config_init(&cfg);
	if (opt_config != NULL && config_load(&cfg, opt_config, err,
	    sizeof err) != 0) {
		fprintf(stderr, "sshbookd: %s\n", err);
		goto out;
	}
	if ((opt_port != NULL && config_set(&cfg, "port", opt_port, err,
	    sizeof err) != 0) ||
	    (opt_listen != NULL && config_set(&cfg, "listen", opt_listen, err,
	    sizeof err) != 0) ||
	    (opt_dir != NULL && config_set(&cfg, "data_dir", opt_dir, err,
	    sizeof err) != 0)) {
		fprintf(stderr, "sshbookd: option %s\n", err);
		goto out;
	}
	if (verbose)
		cfg.log_level = LOG_LVL_DEBUG;
	log_open("sshbookd", cfg.log_target, NULL, cfg.log_level);

	if (prepare_data_dir(&cfg) != 0)
		goto out;
	find_app(&cfg);

	if (ssh_init() != SSH_OK) {
		log_error("cannot initialise libssh");
		goto out;
	}
	if (verbose) {
		ssh_set_log_callback(libssh_log);
		ssh_set_log_level(SSH_LOG_WARN);
	}
	if ((bind = ssh_bind_new()) == NULL) {
		log_error("cannot create the ssh bind");
		goto out;
	}
	/* Our settings only: never /etc/ssh/libssh_server_config. */
	ssh_bind_options_set(bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &off);
	ssh_bind_options_set(bind, SSH_BIND_OPTIONS_BANNER, "sshbook");
	if (hostkey_setup(bind, &cfg) != 0)
		goto out;
	if (migrate(&cfg) != 0)
		goto out;
	if ((l = listener_open(&cfg)) == NULL)
		goto out;
	log_info("sshbookd %s: data in %s, registration %s, app %s",
	    SSHBOOKD_VERSION, cfg.data_dir,
	    config_registration_name(cfg.registration), cfg.app_path);
	status = listener_run(l, bind);
 out:
	listener_free(l);
	if (bind != NULL)
		ssh_bind_free(bind);
	ssh_finalize();
	config_free(&cfg);
	log_close();
	return status;
}
