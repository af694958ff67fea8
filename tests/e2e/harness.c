/*
 * The end-to-end harness (see harness.h).
 *
 * Processes: the test binary makes itself a child subreaper, so session
 * processes orphaned by a killed sshbookd come back to us and can be reaped
 * and checked for at the end instead of leaking. Nothing here sleeps for a
 * fixed time: every wait polls a condition until a deadline.
 */
#include "tests/e2e/harness.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libssh/callbacks.h>

#if defined(__SANITIZE_ADDRESS__)
#define HARNESS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HARNESS_ASAN 1
#endif
#endif
#ifndef HARNESS_ASAN
#define HARNESS_ASAN 0
#endif

static struct term *all_terms;
static struct exec_chan *all_execs;
static void *pool[256];		/* keys and strings owned until harness_cleanup */
static bool pool_is_key[256];
static int npool;
static bool sanitizer_seen;	/* a sanitizer report reached a client */

static const char *const sanitizer_marks[] = {
	"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", ": runtime error:",
	"AddressSanitizer:DEADLYSIGNAL",
};
#define N_SANITIZER_MARKS (sizeof sanitizer_marks / sizeof sanitizer_marks[0])

/* ---- small helpers ------------------------------------------------------ */

static void *
xcalloc1(size_t n)
{
	void *p = calloc(1, n);

	if (p == NULL)
		abort();
	return p;
}

static char *
xstrdup1(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		abort();
	return p;
}

static char *
xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
xprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

static void
append(char **p, size_t *len, const char *data, size_t n)
{
	char *q = realloc(*p, *len + n + 1);

	if (q == NULL)
		abort();
	memcpy(q + *len, data, n);
	*len += n;
	q[*len] = '\0';
	*p = q;
}

static int
effective_ms(int ms)
{
	return ms > 0 ? ms : harness_timeout_ms();
}

/* Wait up to ms for nothing in particular: the poll interval of condition loops. */
static void
nap(int ms)
{
	poll(NULL, 0, ms);
}

const char *
fresh_user(const char *prefix)
{
	static char	ring[64][40];
	static int	next, counter;
	char		*s = ring[next++ % 64];

	snprintf(s, sizeof ring[0], "%.24s%d", prefix, ++counter);
	return s;
}

/* ---- processes ------------------------------------------------------------ */

struct proc {
	pid_t	pid;
	pid_t	ppid;
	char	state;
};

/* Every process on the system: pid, parent, state. Caller frees. */
static int
proc_list(struct proc **out)
{
	DIR		*d = opendir("/proc");
	struct dirent	*de;
	struct proc	*v = NULL;
	int		 n = 0, cap = 0;

	*out = NULL;
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char	 path[300], buf[512], *p;
		int	 fd;
		ssize_t	 r;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if ((fd = open(path, O_RDONLY)) < 0)
			continue;
		r = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (r <= 0)
			continue;
		buf[r] = '\0';
		/* "pid (comm) S ppid ...": comm may hold spaces and parentheses */
		if ((p = strrchr(buf, ')')) == NULL || p[1] == '\0')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((v = realloc(v, (size_t)cap * sizeof *v)) == NULL)
				abort();
		}
		v[n].pid = (pid_t)atoi(buf);
		v[n].state = p[2];
		v[n].ppid = (pid_t)atoi(p + 4);
		n++;
	}
	closedir(d);
	*out = v;
	return n;
}

/* Descendants of root (not root itself), breadth first, leaving out skip and all below it. */
static int
descendants_but(pid_t root, pid_t skip, pid_t *pids, int max)
{
	struct proc	*v;
	int		 n = proc_list(&v), found = 0;
	pid_t		*queue = xcalloc1(((size_t)n + 1) * sizeof *queue);
	int		 head = 0, tail = 0;

	queue[tail++] = root;
	while (head < tail) {
		pid_t parent = queue[head++];

		for (int i = 0; i < n; i++) {
			if (v[i].ppid != parent || v[i].pid == root || v[i].pid == skip)
				continue;
			if (pids != NULL && found < max)
				pids[found] = v[i].pid;
			found++;
			if (tail < n + 1)
				queue[tail++] = v[i].pid;
		}
	}
	free(queue);
	free(v);
	return found;
}

static int
descendants(pid_t root, pid_t *pids, int max)
{
	return descendants_but(root, 0, pids, max);
}

/* Every server started and not yet freed: their daemons are not orphans. */
#define MAX_SERVERS	8
static struct server *live_servers[MAX_SERVERS];

static bool
is_server_pid(pid_t pid)
{
	for (int i = 0; i < MAX_SERVERS; i++)
		if (live_servers[i] != NULL && live_servers[i]->pid == pid)
			return true;
	return false;
}

static void
servers_track(struct server *srv, bool live)
{
	for (int i = 0; i < MAX_SERVERS; i++) {
		if (live && live_servers[i] == NULL) {
			live_servers[i] = srv;
			return;
		}
		if (!live && live_servers[i] == srv) {
			live_servers[i] = NULL;
			return;
		}
	}
	if (live) {
		fprintf(stderr, "harness: more than %d servers at once\n", MAX_SERVERS);
		abort();
	}
}

/*
 * Our own children other than `except` and the daemons of other servers
 * still running: session processes that outlived a killed sshbookd and were
 * reparented to us. Reap those that exited.
 */
static int
reap_orphans(pid_t except, bool report)
{
	struct proc	*v;
	int		 n = proc_list(&v), alive = 0;
	pid_t		 self = getpid();

	for (int i = 0; i < n; i++) {
		int status;

		if (v[i].ppid != self || v[i].pid == except || is_server_pid(v[i].pid))
			continue;
		if (waitpid(v[i].pid, &status, WNOHANG) == v[i].pid)
			continue;
		alive++;
		if (report)
			fprintf(stderr, "harness: stray process %d (state %c) "
			    "outlived sshbookd\n", (int)v[i].pid, v[i].state);
	}
	free(v);
	return alive;
}

static void
kill_orphans(pid_t except)
{
	struct proc	*v;
	int		 n = proc_list(&v);
	pid_t		 self = getpid();

	for (int i = 0; i < n; i++) {
		if (v[i].ppid == self && v[i].pid != except && !is_server_pid(v[i].pid)) {
			/* their own children come back to us as they die */
			pid_t	kids[256];
			int	k = descendants(v[i].pid, kids, 256);

			for (int j = 0; j < k && j < 256; j++)
				kill(kids[j], SIGKILL);
			kill(v[i].pid, SIGKILL);
			waitpid(v[i].pid, NULL, 0);
		}
	}
	free(v);
}

/* ---- the server ------------------------------------------------------------ */

static int
pick_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd, port = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static bool
port_accepts(int port)
{
	struct sockaddr_in	sin;
	int			fd;
	bool			ok;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return false;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	ok = connect(fd, (struct sockaddr *)&sin, sizeof sin) == 0;
	close(fd);
	return ok;
}

static int
write_config(struct server *srv)
{
	FILE *fp = fopen(srv->conf, "w");

	if (fp == NULL) {
		fprintf(stderr, "harness: %s: %s\n", srv->conf, strerror(errno));
		return -1;
	}
	fprintf(fp,
	    "# written by tests/e2e/harness.c\n"
	    "port = %d\n"
	    "listen = 127.0.0.1\n"
	    "data_dir = %s\n"
	    "registration = open\n"
	    "max_sessions = 500\n"
	    "max_sessions_per_addr = 500\n"
	    /* every test connects from 127.0.0.1: the per-network caps have their own tests */
	    "max_pending_per_addr = 0\n"
	    "max_startups_per_addr = 0\n"
	    "max_startups = 500\n"
	    "max_sessions_per_user = 0\n"
	    "auth_max_failures_per_addr = 0\n"
	    "auth_max_failures_per_user = 0\n"
	    "log_level = debug\n"
	    "%s\n",
	    srv->port, srv->data_dir, srv->extra ? srv->extra : "");
	fclose(fp);
	return 0;
}

static void
log_note(const struct server *srv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
log_note(const struct server *srv, const char *fmt, ...)
{
	FILE	*fp = fopen(srv->log, "a");
	va_list	 ap;

	if (fp == NULL)
		return;
	fputs("=== harness: ", fp);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputs(" ===\n", fp);
	fclose(fp);
}

static pid_t
spawn(const struct server *srv)
{
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "harness: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int fd = open(srv->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		int nul = open("/dev/null", O_RDONLY);

		if (fd < 0 || nul < 0)
			_exit(126);
		dup2(nul, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		signal(SIGPIPE, SIG_DFL);
		if (!HARNESS_ASAN) {
			/* ASan reserves terabytes of address space: no limit there */
			struct rlimit rl = { 8ULL << 30, 8ULL << 30 };

			setrlimit(RLIMIT_AS, &rl);
		}
		execl(srv->bin, srv->bin, "-c", srv->conf, (char *)NULL);
		dprintf(2, "harness: exec %s: %s\n", srv->bin, strerror(errno));
		_exit(127);
	}
	return pid;
}

/*
 * Spawn and wait for the port. 0 ready; 1 the daemon exited early (maybe the
 * port was taken: the caller retries with another); -1 failed otherwise.
 */
static int
launch(struct server *srv)
{
	long long	deadline = harness_now_ms() + harness_timeout_ms();
	int		status;

	srv->starts++;
	log_note(srv, "start %d on port %d", srv->starts, srv->port);
	if ((srv->pid = spawn(srv)) < 0) {
		srv->pid = 0;
		return -1;
	}
	while (harness_now_ms() < deadline) {
		if (waitpid(srv->pid, &status, WNOHANG) == srv->pid) {
			fprintf(stderr, "harness: sshbookd exited during start "
			    "(status 0x%x)\n", status);
			srv->pid = 0;
			return 1;
		}
		if (port_accepts(srv->port))
			return 0;
		nap(10);
	}
	fprintf(stderr, "harness: sshbookd did not accept on port %d within %d ms\n",
	    srv->port, harness_timeout_ms());
	return -1;
}

static int
start_on_some_port(struct server *srv)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		int r;

		if ((srv->port = pick_port()) < 0) {
			fprintf(stderr, "harness: no free port: %s\n", strerror(errno));
			return -1;
		}
		if (write_config(srv) != 0)
			return -1;
		if ((r = launch(srv)) == 0)
			return 0;
		if (r < 0)
			return -1;
	}
	return -1;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void
server_free(struct server *srv)
{
	servers_track(srv, false);
	if (srv->tmp != NULL) {
		if (getenv("SSHBOOK_KEEP_TMP") != NULL)
			fprintf(stderr, "harness: kept %s\n", srv->tmp);
		else
			nftw(srv->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	}
	free(srv->tmp);
	free(srv->data_dir);
	free(srv->conf);
	free(srv->log);
	free(srv->bin);
	free(srv->extra);
	free(srv);
}

int
server_start(struct server **out, const char *extra_config_lines)
{
	struct server	*srv = xcalloc1(sizeof *srv);
	const char	*tmpdir = getenv("TMPDIR");
	const char	*build = getenv("SSHBOOK_BUILD");
	char		 abs[PATH_MAX];

	*out = NULL;
	signal(SIGPIPE, SIG_IGN);
	/* orphans of a killed sshbookd come back to us (see reap_orphans) */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	if (build == NULL || *build == '\0')
		build = "build";
	if (realpath(build, abs) == NULL) {
		fprintf(stderr, "harness: build dir '%s': %s\n", build, strerror(errno));
		free(srv);
		return -1;
	}
	srv->bin = xprintf("%s/sshbookd", abs);
	if (access(srv->bin, X_OK) != 0) {
		fprintf(stderr, "harness: %s: %s\n", srv->bin, strerror(errno));
		server_free(srv);
		return -1;
	}
	srv->tmp = xprintf("%s/sshbook-e2e-XXXXXX", tmpdir);
	if (mkdtemp(srv->tmp) == NULL) {
		fprintf(stderr, "harness: mkdtemp %s: %s\n", srv->tmp, strerror(errno));
		free(srv->tmp);
		srv->tmp = NULL;
		server_free(srv);
		return -1;
	}
	servers_track(srv, true);
	srv->data_dir = xprintf("%s/data", srv->tmp);
	srv->conf = xprintf("%s/sshbookd.conf", srv->tmp);
	srv->log = xprintf("%s/sshbookd.log", srv->tmp);
	if (extra_config_lines != NULL)
		srv->extra = xstrdup1(extra_config_lines);
	if (mkdir(srv->data_dir, 0700) != 0) {
		fprintf(stderr, "harness: mkdir %s: %s\n", srv->data_dir, strerror(errno));
		server_free(srv);
		return -1;
	}
	if (start_on_some_port(srv) != 0) {
		fprintf(stderr, "harness: sshbookd did not start; its log:\n");
		server_print_log(srv, stderr, 0);
		if (srv->pid > 0) {
			kill(srv->pid, SIGKILL);
			waitpid(srv->pid, NULL, 0);
		}
		kill_orphans(0);
		server_free(srv);
		return -1;
	}
	*out = srv;
	return 0;
}

bool
server_alive(struct server *srv)
{
	int status;

	if (srv->pid <= 0)
		return false;
	if (waitpid(srv->pid, &status, WNOHANG) == srv->pid) {
		fprintf(stderr, "harness: sshbookd %d died (status 0x%x)\n",
		    (int)srv->pid, status);
		srv->pid = 0;
		return false;
	}
	return true;
}

static bool
log_has_sanitizer_report(const struct server *srv)
{
	for (size_t i = 0; i < N_SANITIZER_MARKS; i++)
		if (server_log_contains(srv, sanitizer_marks[i]))
			return true;
	return false;
}

/* SIGTERM, wait, reap the sessions; checks as server_stop's contract says. 0 or -1. */
static int
terminate(struct server *srv)
{
	long long	deadline;
	int		status = 0, rc = 0;
	bool		exited = false;

	if (srv->pid > 0) {
		kill(srv->pid, SIGTERM);
		deadline = harness_now_ms() + harness_timeout_ms();
		while (harness_now_ms() < deadline) {
			if (waitpid(srv->pid, &status, WNOHANG) == srv->pid) {
				exited = true;
				break;
			}
			nap(10);
		}
		if (!exited) {
			fprintf(stderr, "harness: sshbookd ignored SIGTERM for %d ms; "
			    "SIGKILL\n", harness_timeout_ms());
			kill(srv->pid, SIGKILL);
			waitpid(srv->pid, &status, 0);
			rc = -1;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "harness: sshbookd exited with status 0x%x "
			    "after SIGTERM\n", status);
			rc = -1;
		}
		srv->pid = 0;
	}
	/* sessions were told to close: give them the deadline to go */
	deadline = harness_now_ms() + harness_timeout_ms();
	while (reap_orphans(0, false) > 0 && harness_now_ms() < deadline)
		nap(10);
	if (reap_orphans(0, true) > 0) {
		kill_orphans(0);
		rc = -1;
	}
	if (log_has_sanitizer_report(srv)) {
		fprintf(stderr, "harness: a sanitizer report is in the server log\n");
		rc = -1;
	}
	return rc;
}

int
server_stop(struct server *srv)
{
	int rc;

	if (srv == NULL)
		return 0;
	rc = terminate(srv);
	if (rc != 0 || getenv("SSHBOOK_E2E_VERBOSE") != NULL) {
		fprintf(stderr, "harness: server log %s:\n", srv->log);
		server_print_log(srv, stderr, 0);
	}
	server_free(srv);
	return rc;
}

int
server_term(struct server *srv)
{
	int rc = terminate(srv);

	log_note(srv, "stopped with SIGTERM");
	if (rc != 0) {
		fprintf(stderr, "harness: server log %s:\n", srv->log);
		server_print_log(srv, stderr, 0);
	}
	return rc;
}

void
server_set_extra(struct server *srv, const char *extra)
{
	free(srv->extra);
	srv->extra = extra != NULL ? xstrdup1(extra) : NULL;
}

int
server_kill9(struct server *srv)
{
	if (srv->pid <= 0)
		return -1;
	kill(srv->pid, SIGKILL);
	waitpid(srv->pid, NULL, 0);
	srv->pid = 0;
	log_note(srv, "killed with SIGKILL");
	reap_orphans(0, false);
	return 0;
}

int
server_restart(struct server *srv)
{
	int r;

	if (srv->pid > 0) {
		fprintf(stderr, "harness: restart of a running server\n");
		return -1;
	}
	reap_orphans(0, false);
	/* the same port when it is still free, so clients see the same address */
	if (write_config(srv) != 0)
		return -1;
	if ((r = launch(srv)) == 0)
		return 0;
	if (r > 0 && start_on_some_port(srv) == 0)
		return 0;
	fprintf(stderr, "harness: restart failed; log:\n");
	server_print_log(srv, stderr, 60);
	return -1;
}

void
server_print_log(const struct server *srv, FILE *fp, int lines)
{
	FILE	*in = fopen(srv->log, "r");
	char	*data = NULL, *start;
	size_t	 len = 0;
	char	 buf[8192];
	size_t	 n;

	if (in == NULL) {
		fprintf(fp, "harness: no log at %s\n", srv->log);
		return;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		append(&data, &len, buf, n);
	fclose(in);
	if (data == NULL)
		return;
	start = data;
	if (lines > 0) {
		int seen = 0;

		for (char *p = data + len; p > data; p--) {
			if (p[-1] == '\n' && p != data + len && ++seen >= lines) {
				start = p;
				break;
			}
		}
	}
	fprintf(fp, "----- %s%s -----\n", lines > 0 ? "tail of " : "", srv->log);
	fwrite(start, 1, len - (size_t)(start - data), fp);
	if (len > 0 && data[len - 1] != '\n')
		fputc('\n', fp);
	fprintf(fp, "----- end of log -----\n");
	free(data);
}

static bool
file_contains(const char *path, const char *text)
{
	FILE	*in = fopen(path, "r");
	char	*data = NULL;
	size_t	 len = 0, n;
	char	 buf[8192];
	bool	 found;

	if (in == NULL)
		return false;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		append(&data, &len, buf, n);
	fclose(in);
	found = data != NULL && memmem(data, len, text, strlen(text)) != NULL;
	free(data);
	return found;
}

bool
server_log_contains(const struct server *srv, const char *text)
{
	return file_contains(srv->log, text);
}

bool
server_app_log_contains(const struct server *srv, const char *text)
{
	char	path[PATH_MAX];

	snprintf(path, sizeof path, "%s/sshbook-app.log", srv->data_dir);
	return file_contains(path, text);
}

pid_t
server_worker_pid(const struct server *srv)
{
	pid_t	pids[512];
	int	n;

	if (srv->pid <= 0)
		return 0;
	n = descendants(srv->pid, pids, 512);
	for (int i = 0; i < n && i < 512; i++) {
		char	 path[64], buf[4096];
		FILE	*fp;
		size_t	 len;

		snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pids[i]);
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		len = fread(buf, 1, sizeof buf - 1, fp);
		fclose(fp);
		/* arguments are NUL-separated */
		for (size_t k = 0; k < len; k++)
			if (buf[k] == '\0')
				buf[k] = ' ';
		buf[len] = '\0';
		if (strstr(buf, "--worker") != NULL)
			return pids[i];
	}
	return 0;
}

int
server_descendants(const struct server *srv, pid_t *pids, int max)
{
	if (srv->pid <= 0)
		return 0;
	return descendants_but(srv->pid, server_worker_pid(srv), pids, max);
}

/* One line per remaining process, for a failed wait: what it is and where it sleeps. */
static void
print_descendants(const struct server *srv)
{
	pid_t	pids[64];
	int	n = server_descendants(srv, pids, 64);

	fprintf(stderr, "harness: worker pid %d\n", (int)server_worker_pid(srv));
	for (int i = 0; i < n && i < 64; i++) {
		static const char *const files[] = { "stat", "cmdline", "wchan" };

		fprintf(stderr, "harness: pid %d:", (int)pids[i]);
		for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
			char	 path[64], buf[512];
			FILE	*fp;
			size_t	 len = 0;

			snprintf(path, sizeof path, "/proc/%d/%s", (int)pids[i], files[f]);
			if ((fp = fopen(path, "r")) != NULL) {
				len = fread(buf, 1, sizeof buf - 1, fp);
				fclose(fp);
			}
			for (size_t k = 0; k < len; k++)
				if (buf[k] == '\0' || buf[k] == '\n')
					buf[k] = ' ';
			buf[len] = '\0';
			fprintf(stderr, " %s=[%s]", files[f], buf);
		}
		fputc('\n', stderr);
	}
	server_print_log(srv, stderr, 40);
}

bool
server_wait_descendants(const struct server *srv, int n, int ms)
{
	long long	deadline = harness_now_ms() + effective_ms(ms);
	int		have;

	for (;;) {
		if ((have = server_descendants(srv, NULL, 0)) <= n)
			return true;
		if (harness_now_ms() >= deadline)
			break;
		nap(10);
	}
	fprintf(stderr, "harness: sshbookd still has %d descendant processes "
	    "(want at most %d) after %d ms\n", have, n, effective_ms(ms));
	print_descendants(srv);
	return false;
}

static long
rss_kb(pid_t pid)
{
	char	 path[64], line[256];
	FILE	*fp;
	long	 kb = 0;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, fp) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(fp);
	return kb;
}

/* utime + stime of pid in clock ticks, from /proc/PID/stat; 0 when it is gone. */
static unsigned long
proc_cpu_ticks(pid_t pid)
{
	char		 path[64], line[1024], *p;
	unsigned long	 ut, st, ticks = 0;
	FILE		*f;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	/* after "(comm)": state, then 10 fields before utime and stime */
	if (fgets(line, sizeof line, f) != NULL && (p = strrchr(line, ')')) != NULL &&
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) == 2)
		ticks = ut + st;
	fclose(f);
	return ticks;
}

double
server_cpu_ms(const struct server *srv, bool listener_too)
{
	pid_t		*pids = xcalloc1(4096 * sizeof *pids);
	int		 n = server_descendants(srv, pids, 4095), i;
	unsigned long	 ticks = 0;

	if (listener_too)
		pids[n++] = srv->pid;
	for (i = 0; i < n; i++)
		ticks += proc_cpu_ticks(pids[i]);
	free(pids);
	return (double)ticks * 1000 / (double)sysconf(_SC_CLK_TCK);
}

int
server_kill_fat(const struct server *srv, long max_mb)
{
	pid_t	pids[512];
	int	n = server_descendants(srv, pids, 512), killed = 0;

	for (int i = 0; i < n && i < 512; i++) {
		long kb = rss_kb(pids[i]);

		if (kb > max_mb * 1024) {
			fprintf(stderr, "harness: session process %d uses %ld MB "
			    "(over %ld MB): killed\n", (int)pids[i], kb / 1024, max_mb);
			kill(pids[i], SIGKILL);
			killed++;
		}
	}
	return killed;
}

/* ---- keys -------------------------------------------------------------------- */

static void *
pool_add(void *p, bool is_key)
{
	if (npool == (int)(sizeof pool / sizeof pool[0])) {
		fprintf(stderr, "harness: too many keys and strings in one test\n");
		abort();
	}
	pool_is_key[npool] = is_key;
	pool[npool++] = p;
	return p;
}

ssh_key
key_new(void)
{
	ssh_key k = NULL;

	if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &k) != SSH_OK || k == NULL)
		abort();
	return pool_add(k, true);
}

const char *
key_line(ssh_key k, const char *comment)
{
	char	*b64 = NULL, *line;

	if (ssh_pki_export_pubkey_base64(k, &b64) != SSH_OK)
		abort();
	line = xprintf("%s %s%s%s", ssh_key_type_to_char(ssh_key_type(k)), b64,
	    comment ? " " : "", comment ? comment : "");
	ssh_string_free_char(b64);
	return pool_add(line, false);
}

const char *
harness_key_fingerprint(ssh_key k)
{
	unsigned char	*hash = NULL;
	size_t		 hlen = 0;
	char		*fp, *copy;

	if (ssh_get_publickey_hash(k, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) != 0)
		abort();
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	ssh_clean_pubkey_hash(&hash);
	if (fp == NULL)
		abort();
	copy = xstrdup1(fp);
	ssh_string_free_char(fp);
	return pool_add(copy, false);
}

/* ---- authentication ------------------------------------------------------------ */

struct cred
cred_key(ssh_key k)
{
	struct cred a = { .kind = CRED_KEY, .key = k };

	return a;
}

struct cred
cred_password(const char *pw)
{
	struct cred a = { .kind = CRED_PASSWORD, .password = pw };

	return a;
}

struct cred
cred_kbdint(const char *first, ...)
{
	struct cred	 a = { .kind = CRED_KBDINT };
	va_list		 ap;
	const char	*s = first;
	int		 n = 0;

	va_start(ap, first);
	while (s != NULL && n < CRED_MAX_ANSWERS) {
		a.answers[n++] = s;
		s = va_arg(ap, const char *);
	}
	va_end(ap);
	return a;
}

static int
kbdint(struct conn *c, const struct cred *a)
{
	int rc, k = 0;

	rc = ssh_userauth_kbdint(c->s, NULL, NULL);
	while (rc == SSH_AUTH_INFO && c->rounds < 20) {
		int n = ssh_userauth_kbdint_getnprompts(c->s);

		c->rounds++;
		for (int i = 0; i < n; i++) {
			char		 echo = 0;
			const char	*p = ssh_userauth_kbdint_getprompt(c->s, (unsigned)i, &echo);
			const char	*ans = "";

			if (c->nprompts < CONN_MAX_PROMPTS) {
				c->echo[c->nprompts] = echo != 0;
				c->prompts[c->nprompts++] = xstrdup1(p ? p : "");
			}
			if (k < CRED_MAX_ANSWERS && a->answers[k] != NULL)
				ans = a->answers[k++];
			ssh_userauth_kbdint_setanswer(c->s, (unsigned)i, ans);
		}
		rc = ssh_userauth_kbdint(c->s, NULL, NULL);
	}
	return rc;
}

int
conn_open(struct server *srv, const char *user, const struct cred *a, struct conn **out)
{
	ssh_session	 s;
	struct conn	*c;
	int		 port = srv->port, rc = SSH_AUTH_ERROR;
	long		 tmo = (harness_timeout_ms() + 999) / 1000;
	bool		 no = false;

	*out = NULL;
	if ((s = ssh_new()) == NULL)
		abort();
	ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
	ssh_options_set(s, SSH_OPTIONS_PORT, &port);
	ssh_options_set(s, SSH_OPTIONS_USER, user);
	ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
	ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no);
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &tmo);
	if (ssh_connect(s) != SSH_OK) {
		fprintf(stderr, "harness: connect to 127.0.0.1:%d as '%s': %s\n",
		    port, user, ssh_get_error(s));
		ssh_free(s);
		return CONN_ERROR;
	}
	/* No host key check: the server is ours and its key is new each run. */
	c = xcalloc1(sizeof *c);
	c->s = s;
	*out = c;
	switch (a->kind) {
	case CRED_NONE:
		rc = ssh_userauth_none(s, NULL);
		break;
	case CRED_KEY:
		rc = ssh_userauth_publickey(s, NULL, a->key);
		break;
	case CRED_PASSWORD:
		rc = ssh_userauth_password(s, NULL, a->password);
		break;
	case CRED_KBDINT:
		rc = kbdint(c, a);
		break;
	}
	c->auth_rc = rc;
	if (rc == SSH_AUTH_SUCCESS)
		return CONN_OK;
	if (rc == SSH_AUTH_DENIED || rc == SSH_AUTH_PARTIAL)
		return CONN_DENIED;
	return CONN_ERROR;
}

bool
conn_saw_prompt(const struct conn *c, const char *text)
{
	for (int i = 0; i < c->nprompts; i++)
		if (strstr(c->prompts[i], text) != NULL)
			return true;
	return false;
}

void
conn_close(struct conn *c)
{
	if (c == NULL)
		return;
	ssh_disconnect(c->s);
	ssh_free(c->s);
	for (int i = 0; i < c->nprompts; i++)
		free(c->prompts[i]);
	free(c);
}

/* ---- terminals ---------------------------------------------------------------- */

static void
term_register(struct term *t)
{
	t->next = all_terms;
	all_terms = t;
}

static void
term_unregister(struct term *t)
{
	for (struct term **pp = &all_terms; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			return;
		}
	}
}

static void
write_all(struct term *t, const char *p, size_t n)
{
	while (n > 0 && !t->eof) {
		int w = ssh_channel_write(t->ch, p, (uint32_t)n);

		if (w <= 0) {
			fprintf(stderr, "harness: write to '%s' failed: %s\n",
			    t->user, ssh_get_error(t->c->s));
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Send what the emulator queued: encoded keys and replies to terminal queries. */
static void
term_flush(struct term *t)
{
	char	buf[4096];
	size_t	n;

	while ((n = vt_take_output(t->vt, buf, sizeof buf)) > 0)
		write_all(t, buf, n);
}

/*
 * A session channel on c with pty-req (type, pty_cols x pty_rows), then a
 * shell request (cmdline NULL) or an exec request for cmdline, and an
 * emulator of cols x rows. Takes ownership of c (freed on failure too).
 */
static struct term *
start(struct server *srv, struct conn *c, const char *type, unsigned pty_cols,
    unsigned pty_rows, int cols, int rows, const char *cmdline)
{
	struct term *t;

	t = xcalloc1(sizeof *t);
	t->srv = srv;
	t->c = c;
	if ((t->ch = ssh_channel_new(c->s)) == NULL ||
	    ssh_channel_open_session(t->ch) != SSH_OK) {
		fprintf(stderr, "harness: open session channel: %s\n", ssh_get_error(c->s));
		goto fail;
	}
	if (ssh_channel_request_pty_size(t->ch, type, (int)pty_cols,
	    (int)pty_rows) != SSH_OK) {
		fprintf(stderr, "harness: pty-req: %s\n", ssh_get_error(c->s));
		goto fail;
	}
	if (cmdline == NULL ? ssh_channel_request_shell(t->ch) != SSH_OK :
	    ssh_channel_request_exec(t->ch, cmdline) != SSH_OK) {
		fprintf(stderr, "harness: %s request%s%s refused: %s\n",
		    cmdline == NULL ? "shell" : "exec", cmdline == NULL ? "" : " for ",
		    cmdline == NULL ? "" : cmdline, ssh_get_error(c->s));
		goto fail;
	}
	t->vt = vt_new(cols, rows);
	term_register(t);
	return t;
 fail:
	if (t->ch != NULL)
		ssh_channel_free(t->ch);
	conn_close(c);
	free(t);
	return NULL;
}

struct term *
term_start(struct server *srv, struct conn *c, int cols, int rows)
{
	return start(srv, c, "xterm-256color", (unsigned)cols, (unsigned)rows, cols, rows,
	    NULL);
}

struct term *
term_start_pty(struct server *srv, struct conn *c, unsigned pty_cols, unsigned pty_rows,
    int cols, int rows)
{
	return start(srv, c, "xterm-256color", pty_cols, pty_rows, cols, rows, NULL);
}

/* Log in as user, then start(): a shell (cmdline NULL) or cmdline on a pty of type. */
static struct term *
open_pty(struct server *srv, const char *user, const struct cred *a, const char *type,
    int cols, int rows, const char *cmdline)
{
	struct conn	*c;
	struct term	*t;
	int		 rc = conn_open(srv, user, a, &c);

	if (rc != CONN_OK) {
		fprintf(stderr, "harness: login as '%s' failed (conn %d, auth %d)\n",
		    user, rc, c ? c->auth_rc : 0);
		conn_close(c);
		return NULL;
	}
	if ((t = start(srv, c, type, (unsigned)cols, (unsigned)rows, cols, rows,
	    cmdline)) != NULL)
		snprintf(t->user, sizeof t->user, "%s", user);
	return t;
}

struct term *
term_open_type(struct server *srv, const char *user, const struct cred *a, const char *type,
    int cols, int rows)
{
	return open_pty(srv, user, a, type, cols, rows, NULL);
}

struct term *
term_open(struct server *srv, const char *user, const struct cred *a, int cols, int rows)
{
	return term_open_type(srv, user, a, "xterm-256color", cols, rows);
}

static void
check_sanitizer(struct term *t)
{
	for (size_t i = 0; i < N_SANITIZER_MARKS; i++) {
		const char *m = sanitizer_marks[i];

		if (!t->sanitizer && vt_raw_contains(t->vt, m, strlen(m))) {
			size_t		 len;
			const char	*raw = vt_raw(t->vt, &len);

			t->sanitizer = true;
			sanitizer_seen = true;
			fprintf(stderr, "harness: a sanitizer report reached the terminal "
			    "of '%s':\n", t->user);
			fwrite(raw, 1, len, stderr);
			fputc('\n', stderr);
		}
	}
}

static void
term_free(struct term *t)
{
	term_unregister(t);
	check_sanitizer(t);
	vt_free(t->vt);
	free(t);
}

void
term_close(struct term *t)
{
	if (t == NULL)
		return;
	if (t->ch != NULL) {
		if (!t->eof && ssh_channel_is_open(t->ch))
			ssh_channel_close(t->ch);
		ssh_channel_free(t->ch);
	}
	conn_close(t->c);
	term_free(t);
}

void
term_drop(struct term *t)
{
	int fd;

	if (t == NULL)
		return;
	if ((fd = ssh_get_fd(t->c->s)) >= 0)
		shutdown(fd, SHUT_RDWR);
	/* the session now fails every write; free locally without goodbyes */
	ssh_channel_free(t->ch);
	ssh_silent_disconnect(t->c->s);
	ssh_free(t->c->s);
	for (int i = 0; i < t->c->nprompts; i++)
		free(t->c->prompts[i]);
	free(t->c);
	term_free(t);
}

int
term_pump(struct term *t, int ms)
{
	char	buf[16384];
	int	n, total = 0;

	if (t->eof)
		return -1;
	n = ssh_channel_poll_timeout(t->ch, ms, 0);
	if (n == SSH_ERROR) {
		t->eof = true;
		return -1;
	}
	/*
	 * stderr first: each read of an empty buffer lets libssh process what
	 * came on the socket, so a read of stderr after stdout could leave new
	 * screen output in libssh's buffer, where a poll() on the socket (the
	 * benchmarks wait that way) does not see it.
	 */
	while ((n = ssh_channel_read_nonblocking(t->ch, buf, sizeof buf, 1)) > 0) {
		vt_feed(t->vt, buf, (size_t)n);
		total += n;
	}
	while ((n = ssh_channel_read_nonblocking(t->ch, buf, sizeof buf, 0)) > 0) {
		vt_feed(t->vt, buf, (size_t)n);
		total += n;
	}
	term_flush(t);
	if (total == 0 && (ssh_channel_is_eof(t->ch) || ssh_channel_is_closed(t->ch) ||
	    !ssh_is_connected(t->c->s))) {
		t->eof = true;
		return -1;
	}
	return total;
}

static void
wait_failed(struct term *t, const char *what)
{
	fprintf(stderr, "harness: %s (user '%s'%s); the screen:\n", what, t->user,
	    t->eof ? ", channel closed" : "");
	vt_dump(t->vt, stderr);
	if (t->srv != NULL)
		server_print_log(t->srv, stderr, 30);
}

/* Pump until cond(t, arg) holds or ms pass. */
static bool
term_wait_cond(struct term *t, bool (*cond)(struct term *, const void *), const void *arg,
    int ms)
{
	long long deadline = harness_now_ms() + effective_ms(ms);

	for (;;) {
		long long left;

		if (cond(t, arg))
			return true;
		left = deadline - harness_now_ms();
		if (left <= 0)
			return false;
		if (term_pump(t, left < 100 ? (int)left : 100) < 0) {
			/* EOF: the screen will not change any more */
			return cond(t, arg);
		}
	}
}

static bool
cond_has(struct term *t, const void *arg)
{
	return vt_contains(t->vt, arg);
}

static bool
cond_gone(struct term *t, const void *arg)
{
	return !vt_contains(t->vt, arg);
}

bool
term_wait_text(struct term *t, const char *text, int ms)
{
	char what[256];

	if (term_wait_cond(t, cond_has, text, ms))
		return true;
	snprintf(what, sizeof what, "'%s' did not appear within %d ms", text,
	    effective_ms(ms));
	wait_failed(t, what);
	return false;
}

bool
term_wait_gone(struct term *t, const char *text, int ms)
{
	char what[256];

	if (term_wait_cond(t, cond_gone, text, ms))
		return true;
	snprintf(what, sizeof what, "'%s' did not go away within %d ms", text,
	    effective_ms(ms));
	wait_failed(t, what);
	return false;
}

struct row_arg {
	int		 row;
	const char	*text;
};

static bool
cond_row(struct term *t, const void *arg)
{
	const struct row_arg	*ra = arg;
	char			 buf[4096];

	vt_row(t->vt, ra->row, buf, sizeof buf);
	return strstr(buf, ra->text) != NULL;
}

bool
term_wait_row(struct term *t, int row, const char *text, int ms)
{
	struct row_arg	ra = { row, text };
	char		what[256];

	if (term_wait_cond(t, cond_row, &ra, ms))
		return true;
	snprintf(what, sizeof what, "'%s' did not appear on row %d within %d ms",
	    text, row, effective_ms(ms));
	wait_failed(t, what);
	return false;
}

static bool
cond_row_gone(struct term *t, const void *arg)
{
	return !cond_row(t, arg);
}

bool
term_wait_row_gone(struct term *t, int row, const char *text, int ms)
{
	struct row_arg	ra = { row, text };
	char		what[256];

	if (term_wait_cond(t, cond_row_gone, &ra, ms))
		return true;
	snprintf(what, sizeof what, "'%s' did not leave row %d within %d ms",
	    text, row, effective_ms(ms));
	wait_failed(t, what);
	return false;
}

bool
term_wait_quiet(struct term *t, int quiet_ms, int ms)
{
	long long deadline = harness_now_ms() + effective_ms(ms);
	long long last = harness_now_ms();

	for (;;) {
		long long now = harness_now_ms();
		int n;

		if (now - last >= quiet_ms)
			return true;
		if (now >= deadline)
			return false;
		n = term_pump(t, 20);
		if (n < 0)
			return true;
		if (n > 0)
			last = harness_now_ms();
	}
}

bool
term_wait_closed(struct term *t, int ms, int *status)
{
	long long deadline = harness_now_ms() + effective_ms(ms);

	if (status != NULL)
		*status = -1;
	while (!t->eof) {
		long long left = deadline - harness_now_ms();

		if (left <= 0) {
			wait_failed(t, "the session did not end");
			return false;
		}
		term_pump(t, left < 100 ? (int)left : 100);
	}
	if (status != NULL)
		*status = ssh_channel_get_exit_status(t->ch);
	return true;
}

struct term *
term_exec(struct server *srv, const char *user, const struct cred *a, const char *type,
    int cols, int rows, const char *cmdline, int *status)
{
	struct term *t;

	*status = -1;
	if ((t = open_pty(srv, user, a, type, cols, rows, cmdline)) == NULL)
		return NULL;
	if (!term_wait_closed(t, 0, status)) {
		term_close(t);
		return NULL;
	}
	return t;
}

struct bg_arg {
	int	row, col, rows, cols, min;
};

static bool
cond_bg(struct term *t, const void *arg)
{
	const struct bg_arg	*a = arg;
	int			 n = vt_count_bg(t->vt, a->row, a->col, a->rows, a->cols);

	return a->min > 0 ? n >= a->min : n == 0;
}

int
term_count_bg(struct term *t, int row, int col, int rows, int cols)
{
	term_pump(t, 0);
	return vt_count_bg(t->vt, row, col, rows, cols);
}

bool
term_wait_bg(struct term *t, int row, int col, int rows, int cols, int min, int ms)
{
	struct bg_arg	a = { row, col, rows, cols, min };
	char		what[256];

	if (term_wait_cond(t, cond_bg, &a, ms))
		return true;
	snprintf(what, sizeof what, "%s %d cell(s) with a background colour in the %dx%d box "
	    "at row %d, column %d within %d ms (%d now)", min > 0 ? "not at least" : "not",
	    min, cols, rows, row, col, effective_ms(ms),
	    vt_count_bg(t->vt, row, col, rows, cols));
	wait_failed(t, what);
	return false;
}

bool
term_has_text(struct term *t, const char *text)
{
	term_pump(t, 0);
	return vt_contains(t->vt, text);
}

void
term_row(struct term *t, int row, char *buf, size_t bufsz)
{
	vt_row(t->vt, row, buf, bufsz);
}

int
term_find(struct term *t, const char *text)
{
	return vt_find(t->vt, text);
}

void
term_screen_dump(struct term *t, FILE *fp)
{
	vt_dump(t->vt, fp);
}

void
term_send_bytes(struct term *t, const void *bytes, size_t len)
{
	term_flush(t);
	write_all(t, bytes, len);
}

void
term_send(struct term *t, const char *text)
{
	term_send_bytes(t, text, strlen(text));
}

void
term_key_mod(struct term *t, VTermKey key, VTermModifier mod)
{
	/* what the app asked of the terminal (DECCKM, keypad) must be in first */
	term_pump(t, 0);
	vt_key(t->vt, key, mod);
	term_flush(t);
}

void
term_key(struct term *t, VTermKey key)
{
	term_key_mod(t, key, VTERM_MOD_NONE);
}

void
term_paste(struct term *t, const char *text)
{
	char	*cr = strdup(text), *p;

	if (cr == NULL)
		abort();
	for (p = cr; *p; p++)
		if (*p == '\n')
			*p = '\r';
	term_pump(t, 0);	/* whether the app enabled bracketed paste must be in */
	vt_paste_begin(t->vt);
	term_flush(t);
	write_all(t, cr, strlen(cr));
	free(cr);
	vt_paste_end(t->vt);
	term_flush(t);
}

void
term_cursor(struct term *t, int *row, int *col)
{
	term_pump(t, 0);
	vt_cursor(t->vt, row, col);
}

bool
term_cursor_visible(struct term *t)
{
	term_pump(t, 0);
	return vt_cursor_visible(t->vt);
}

struct cursor_arg {
	bool	visible;
	int	row, col;
};

static bool
cond_cursor(struct term *t, const void *arg)
{
	const struct cursor_arg	*ca = arg;
	int			 row, col, rows;

	if (!ca->visible)
		return !vt_cursor_visible(t->vt);
	vt_size(t->vt, NULL, &rows);
	vt_cursor(t->vt, &row, &col);
	return vt_cursor_visible(t->vt) && row == (ca->row < 0 ? rows + ca->row : ca->row) &&
	    col == ca->col;
}

bool
term_wait_cursor(struct term *t, bool visible, int row, int col, int ms)
{
	struct cursor_arg	ca = { visible, row, col };
	char			what[256];
	int			crow, ccol;

	if (term_wait_cond(t, cond_cursor, &ca, ms))
		return true;
	vt_cursor(t->vt, &crow, &ccol);
	if (visible)
		snprintf(what, sizeof what, "the cursor was not shown at row %d, column %d within "
		    "%d ms (it is at %d,%d, %s)", row, col, effective_ms(ms), crow, ccol,
		    vt_cursor_visible(t->vt) ? "shown" : "hidden");
	else
		snprintf(what, sizeof what, "the cursor was not hidden within %d ms (it is at "
		    "%d,%d)", effective_ms(ms), crow, ccol);
	wait_failed(t, what);
	return false;
}

void
term_resize(struct term *t, int cols, int rows)
{
	vt_resize(t->vt, cols, rows);
	if (ssh_channel_change_pty_size(t->ch, cols, rows) != SSH_OK)
		fprintf(stderr, "harness: window-change: %s\n", ssh_get_error(t->c->s));
}

/* ---- exec ------------------------------------------------------------------------ */

static void
drain(ssh_channel ch, int is_stderr, char **p, size_t *len)
{
	char	buf[16384];
	int	n;

	while ((n = ssh_channel_read_nonblocking(ch, buf, sizeof buf, is_stderr)) > 0)
		append(p, len, buf, (size_t)n);
}

/* Open a session channel; shell when cmdline is NULL. Then talk until EOF. */
static int
run_channel(struct server *srv, const char *user, const struct cred *a, const char *cmdline,
    const void *in, size_t inlen, bool send_eof, struct exec_result *res)
{
	struct conn	*c = NULL;
	ssh_channel	 ch = NULL;
	long long	 deadline;
	int		 r = -1;

	memset(res, 0, sizeof *res);
	res->status = -1;
	append(&res->out, &res->outlen, "", 0);
	append(&res->err, &res->errlen, "", 0);
	if ((res->conn_rc = conn_open(srv, user, a, &c)) != CONN_OK) {
		fprintf(stderr, "harness: exec as '%s': login failed (conn %d)\n",
		    user, res->conn_rc);
		goto out;
	}
	if ((ch = ssh_channel_new(c->s)) == NULL || ssh_channel_open_session(ch) != SSH_OK) {
		fprintf(stderr, "harness: exec as '%s': channel: %s\n", user,
		    ssh_get_error(c->s));
		goto out;
	}
	if (cmdline != NULL ? ssh_channel_request_exec(ch, cmdline) != SSH_OK :
	    ssh_channel_request_shell(ch) != SSH_OK) {
		fprintf(stderr, "harness: exec as '%s': request '%s' refused: %s\n",
		    user, cmdline ? cmdline : "shell", ssh_get_error(c->s));
		goto out;
	}
	if (in != NULL && inlen > 0) {
		const char	*p = in;
		size_t		 left = inlen;

		while (left > 0) {
			int w = ssh_channel_write(ch, p, (uint32_t)left);

			if (w <= 0)
				break;	/* the command may stop reading early */
			p += w;
			left -= (size_t)w;
		}
	}
	if (send_eof)
		ssh_channel_send_eof(ch);
	deadline = harness_now_ms() + harness_timeout_ms();
	for (;;) {
		int n = ssh_channel_poll_timeout(ch, 50, 0);

		drain(ch, 0, &res->out, &res->outlen);
		drain(ch, 1, &res->err, &res->errlen);
		if (n == SSH_ERROR || ssh_channel_is_eof(ch) || ssh_channel_is_closed(ch))
			break;
		if (harness_now_ms() >= deadline) {
			fprintf(stderr, "harness: exec '%s' as '%s': no EOF within %d ms; "
			    "stdout so far: '%s' stderr: '%s'\n", cmdline ? cmdline : "shell",
			    user, harness_timeout_ms(), res->out, res->err);
			goto out;
		}
	}
	drain(ch, 0, &res->out, &res->outlen);
	drain(ch, 1, &res->err, &res->errlen);
	res->status = ssh_channel_get_exit_status(ch);
	for (size_t i = 0; i < N_SANITIZER_MARKS; i++) {
		if (strstr(res->err, sanitizer_marks[i]) != NULL) {
			fprintf(stderr, "harness: a sanitizer report in the stderr of '%s':\n%s\n",
			    cmdline ? cmdline : "shell", res->err);
			sanitizer_seen = true;
			break;
		}
	}
	r = 0;
 out:
	if (ch != NULL) {
		if (ssh_channel_is_open(ch))
			ssh_channel_close(ch);
		ssh_channel_free(ch);
	}
	conn_close(c);
	return r;
}

int
run_exec(struct server *srv, const char *user, const struct cred *a, const char *cmdline,
    const void *in, size_t inlen, struct exec_result *res)
{
	return run_channel(srv, user, a, cmdline, in, inlen, true, res);
}

int
run_shell_nopty(struct server *srv, const char *user, const struct cred *a,
    struct exec_result *res)
{
	/* like `ssh -T host` at a terminal: stdin stays open */
	return run_channel(srv, user, a, NULL, NULL, 0, false, res);
}

/* ---- other programs ---------------------------------------------------------------- */

static void
check_sanitizer_text(const char *what, const char *text)
{
	for (size_t i = 0; i < N_SANITIZER_MARKS; i++) {
		if (strstr(text, sanitizer_marks[i]) != NULL) {
			fprintf(stderr, "harness: a sanitizer report in the stderr of '%s':\n%s\n",
			    what, text);
			sanitizer_seen = true;
			return;
		}
	}
}

const char *
key_file(struct server *srv, ssh_key key)
{
	static int	 counter;
	char		*path = xprintf("%s/id_ed25519.%d", srv->tmp, ++counter);

	unlink(path);
	if (ssh_pki_export_privkey_file(key, NULL, NULL, NULL, path) != SSH_OK) {
		fprintf(stderr, "harness: cannot write the key file %s\n", path);
		abort();
	}
	/* ssh refuses a private key others may read */
	if (chmod(path, 0600) != 0)
		abort();
	return pool_add(path, false);
}

int
run_openssh(struct server *srv, const char *tool, ssh_key key, const char *const *args,
    const void *in, size_t inlen, int ms, struct exec_result *res)
{
	const char	*argv[64];
	char		 port[16];
	int		 n = 0, r;

	snprintf(port, sizeof port, "%d", srv->port);
	argv[n++] = tool;
	argv[n++] = "-F";
	argv[n++] = "/dev/null";
	argv[n++] = "-P";
	argv[n++] = port;
	argv[n++] = "-i";
	argv[n++] = key_file(srv, key);
	argv[n++] = "-o";
	argv[n++] = "IdentitiesOnly=yes";
	argv[n++] = "-o";
	argv[n++] = "BatchMode=yes";
	argv[n++] = "-o";
	argv[n++] = "StrictHostKeyChecking=no";
	argv[n++] = "-o";
	argv[n++] = "UserKnownHostsFile=/dev/null";
	argv[n++] = "-o";
	argv[n++] = "LogLevel=ERROR";
	for (int i = 0; args[i] != NULL; i++) {
		if (n == (int)(sizeof argv / sizeof argv[0]) - 1) {
			fprintf(stderr, "harness: too many arguments for %s\n", tool);
			abort();
		}
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	r = run_program((char *const *)argv, in, inlen, ms, res);
	check_sanitizer_text(tool, res->err);
	return r;
}

/* ---- an exec channel that stays open ------------------------------------------------ */

static void
on_exit_status(ssh_session s, ssh_channel ch, int status, void *userdata)
{
	struct exec_chan *e = userdata;

	(void)s;
	(void)ch;
	if (!e->exited) {
		e->t_exit_us = harness_now_us();
		e->exited = true;
		e->status = status;
	}
}

struct exec_chan *
exec_start(struct server *srv, const char *user, const struct cred *a, const char *cmdline)
{
	struct exec_chan		*e = xcalloc1(sizeof *e);
	struct ssh_channel_callbacks_struct *cb = xcalloc1(sizeof *cb);
	int				 rc;

	e->srv = srv;
	e->status = -1;
	e->priv = cb;
	e->cmdline = xstrdup1(cmdline);
	snprintf(e->user, sizeof e->user, "%s", user);
	append(&e->out, &e->outlen, "", 0);
	append(&e->err, &e->errlen, "", 0);
	if ((rc = conn_open(srv, user, a, &e->c)) != CONN_OK) {
		fprintf(stderr, "harness: exec '%s' as '%s': login failed (conn %d)\n",
		    cmdline, user, rc);
		goto fail;
	}
	if ((e->ch = ssh_channel_new(e->c->s)) == NULL ||
	    ssh_channel_open_session(e->ch) != SSH_OK) {
		fprintf(stderr, "harness: exec '%s' as '%s': channel: %s\n", cmdline, user,
		    ssh_get_error(e->c->s));
		goto fail;
	}
	cb->userdata = e;
	cb->channel_exit_status_function = on_exit_status;
	ssh_callbacks_init(cb);
	ssh_set_channel_callbacks(e->ch, cb);
	ssh_set_blocking(e->c->s, 0);
	e->t_sent_us = harness_now_us();
	rc = ssh_channel_request_exec(e->ch, cmdline);
	if (rc == SSH_ERROR) {
		fprintf(stderr, "harness: exec '%s' as '%s': request refused: %s\n", cmdline,
		    user, ssh_get_error(e->c->s));
		goto fail;
	}
	e->pending = rc == SSH_AGAIN;
	e->next = all_execs;
	all_execs = e;
	return e;
 fail:
	if (e->ch != NULL)
		ssh_channel_free(e->ch);
	conn_close(e->c);
	free(e->out);
	free(e->err);
	free(e->cmdline);
	free(e->priv);
	free(e);
	return NULL;
}

int
exec_fd(const struct exec_chan *e)
{
	return ssh_get_fd(e->c->s);
}

int
exec_pump(struct exec_chan *e, int ms)
{
	char	buf[16384];
	int	n, total = 0;

	if (e->eof)
		return -1;
	if (e->pending) {
		int rc = ssh_channel_request_exec(e->ch, e->cmdline);

		if (rc == SSH_ERROR) {
			fprintf(stderr, "harness: exec '%s' as '%s': request refused: %s\n",
			    e->cmdline, e->user, ssh_get_error(e->c->s));
			e->pending = false;
			e->eof = true;
			return -1;
		}
		e->pending = rc == SSH_AGAIN;
		if (e->pending && ms > 0) {
			struct pollfd pfd = { exec_fd(e), POLLIN, 0 };

			poll(&pfd, 1, ms);
			return 0;
		}
	}
	n = ssh_channel_poll_timeout(e->ch, ms, 0);
	if (n == SSH_ERROR) {
		e->eof = true;
		return -1;
	}
	while ((n = ssh_channel_read_nonblocking(e->ch, buf, sizeof buf, 0)) > 0) {
		append(&e->out, &e->outlen, buf, (size_t)n);
		total += n;
	}
	while ((n = ssh_channel_read_nonblocking(e->ch, buf, sizeof buf, 1)) > 0) {
		append(&e->err, &e->errlen, buf, (size_t)n);
		total += n;
	}
	if (total == 0 && (ssh_channel_is_eof(e->ch) || ssh_channel_is_closed(e->ch) ||
	    !ssh_is_connected(e->c->s))) {
		e->eof = true;
		for (size_t i = 0; i < N_SANITIZER_MARKS; i++) {
			if (strstr(e->err, sanitizer_marks[i]) != NULL) {
				fprintf(stderr, "harness: a sanitizer report in the stderr of "
				    "'%s':\n%s\n", e->cmdline, e->err);
				sanitizer_seen = true;
				break;
			}
		}
		return -1;
	}
	return total;
}

void
exec_send_eof(struct exec_chan *e)
{
	if (!e->eof)
		ssh_channel_send_eof(e->ch);
}

bool
exec_wait_out(struct exec_chan *e, size_t from, const char *text, int ms)
{
	long long deadline = harness_now_ms() + effective_ms(ms);

	for (;;) {
		long long left;

		if (from <= e->outlen && strstr(e->out + from, text) != NULL)
			return true;
		left = deadline - harness_now_ms();
		if (left <= 0 || e->eof) {
			fprintf(stderr, "harness: exec '%s' as '%s': '%s' not in its output within "
			    "%d ms%s; stdout from byte %zu: '%s' stderr: '%s'\n", e->cmdline,
			    e->user, text, effective_ms(ms), e->eof ? " (EOF)" : "", from,
			    from <= e->outlen ? e->out + from : "", e->err);
			if (e->srv != NULL)
				server_print_log(e->srv, stderr, 30);
			return false;
		}
		exec_pump(e, left < 100 ? (int)left : 100);
	}
}

bool
exec_wait_exit(struct exec_chan *e, int ms, int *status)
{
	long long deadline = harness_now_ms() + effective_ms(ms);

	if (status != NULL)
		*status = -1;
	while (!e->eof || (!e->exited && !ssh_channel_is_closed(e->ch))) {
		long long	left = deadline - harness_now_ms();
		int		step = left < 100 ? (int)left : 100;

		if (left <= 0) {
			fprintf(stderr, "harness: exec '%s' as '%s': no exit within %d ms; "
			    "stdout: '%s' stderr: '%s'\n", e->cmdline, e->user, effective_ms(ms),
			    e->out, e->err);
			return false;
		}
		if (!e->eof) {
			exec_pump(e, step);
		} else {
			/* after EOF only the exit status (or the close) is to come */
			struct pollfd pfd = { exec_fd(e), POLLIN, 0 };

			poll(&pfd, 1, step);
			(void)ssh_channel_get_exit_status(e->ch);	/* non-blocking: processes what came */
		}
	}
	if (status != NULL)
		*status = e->status;
	return true;
}

void
exec_close(struct exec_chan *e)
{
	if (e == NULL)
		return;
	for (struct exec_chan **pp = &all_execs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	if (e->ch != NULL) {
		ssh_set_blocking(e->c->s, 1);
		if (ssh_channel_is_open(e->ch) && !ssh_channel_is_closed(e->ch))
			ssh_channel_close(e->ch);
		ssh_channel_free(e->ch);
	}
	conn_close(e->c);
	free(e->out);
	free(e->err);
	free(e->cmdline);
	free(e->priv);
	free(e);
}

/* ---- plumbing ------------------------------------------------------------------------ */

int
harness_cleanup(void)
{
	int rc;

	while (all_terms != NULL)
		term_close(all_terms);
	while (all_execs != NULL)
		exec_close(all_execs);
	while (npool > 0) {
		npool--;
		if (pool_is_key[npool])
			ssh_key_free(pool[npool]);
		else
			free(pool[npool]);
	}
	rc = sanitizer_seen ? -1 : 0;
	sanitizer_seen = false;
	return rc;
}
