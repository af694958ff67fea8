/*
 * The sandbox: fork, limit, run, report over a pipe.
 *
 * The result travels as one message: a header (magic, fn's status, length)
 * then the bytes. The parent trusts only a complete message: a child that
 * dies half-way through writing it looks exactly like one that died before,
 * and the wait status then says why (signal, or the nomem exit code).
 *
 * Limits: RLIMIT_CPU (soft at the limit, so SIGXCPU kills; hard one second
 * later, so SIGKILL follows if SIGXCPU is caught), RLIMIT_AS for memory, no
 * core files (a decompression bomb must not fill the disk), and a wall clock
 * kept by the parent: a child that sleeps or blocks uses no CPU, so only the
 * parent can notice it and SIGKILL it.
 */
#include "common/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/sysutil.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN	1
#endif
#endif
#ifndef SANDBOX_ASAN
#define SANDBOX_ASAN	0
#endif

#define DEFAULT_CPU_SECONDS	10
#define DEFAULT_WALL_MS		15000
#define DEFAULT_MEMORY		((size_t)1 << 30)

#define RESULT_MAGIC		0x53425831u	/* "SBX1" */
#define EXIT_NOMEM		87		/* the child's exit code when fn reported SANDBOX_FN_NOMEM */
#define EXIT_WRITE		88		/* the child could not write its result */

struct result_hdr {
	uint32_t	magic;
	int32_t		status;
	uint32_t	len;
};

bool
sandbox_memory_limited(void)
{
	return !SANDBOX_ASAN;
}

const char *
sandbox_outcome_str(enum sandbox_outcome o)
{
	switch (o) {
	case SANDBOX_OK:
		return "ok";
	case SANDBOX_KILLED:
		return "killed";
	case SANDBOX_NOMEM:
		return "out of memory";
	case SANDBOX_FAILED:
		return "failed";
	}
	return "unknown";
}

static bool
write_all(int fd, const void *p, size_t n)
{
	const uint8_t	*b = p;
	ssize_t		 w;

	while (n > 0) {
		w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		b += w;
		n -= (size_t)w;
	}
	return true;
}

/* In the child: never returns. Only the child's own state is touched. */
static void __attribute__((noreturn))
child_main(int wfd, pid_t parent, const struct sandbox_limits *lim, sandbox_fn fn, void *arg)
{
	static const int	 reset[] = {
		SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD, SIGPIPE, SIGWINCH, SIGALRM,
		SIGUSR1, SIGUSR2, SIGXCPU,
	};
	uint8_t			 msg[sizeof(struct result_hdr) + SANDBOX_RESULT_MAX];
	struct result_hdr	 hdr;
	struct rlimit		 rl;
	sigset_t		 none;
	size_t			 i, outn = 0;
	int			 status;

	/* The parent's handlers (self-pipes, hub sockets) must not run here. */
	for (i = 0; i < sizeof reset / sizeof reset[0]; i++)
		signal(reset[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* An orphaned decoder would keep running with nobody to kill it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(EXIT_WRITE);

	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = lim->cpu_seconds;
	rl.rlim_max = (rlim_t)lim->cpu_seconds + 1;
	setrlimit(RLIMIT_CPU, &rl);
	if (!SANDBOX_ASAN) {
		rl.rlim_cur = rl.rlim_max = lim->memory_bytes;
		setrlimit(RLIMIT_AS, &rl);
	}

	status = fn(arg, msg + sizeof hdr, SANDBOX_RESULT_MAX, &outn);
	if (status == SANDBOX_FN_NOMEM)
		_exit(EXIT_NOMEM);
	if (outn > SANDBOX_RESULT_MAX)
		outn = SANDBOX_RESULT_MAX;
	hdr.magic = RESULT_MAGIC;
	hdr.status = status;
	hdr.len = (uint32_t)outn;
	memcpy(msg, &hdr, sizeof hdr);
	if (!write_all(wfd, msg, sizeof hdr + outn))
		_exit(EXIT_WRITE);
	_exit(0);
}

/*
 * Reap pid, waiting at most until deadline (then SIGKILL). A child that
 * closed its pipe but keeps running is the only case that needs the loop;
 * normally the first or second try finds it gone.
 */
static bool
reap(pid_t pid, int64_t deadline, int *wstatusp)
{
	struct timespec	 ts = { 0, 100000 };	/* 0.1 ms, doubling up to 10 ms */
	pid_t		 r;

	for (;;) {
		r = waitpid(pid, wstatusp, WNOHANG);
		if (r == pid)
			return true;
		if (r < 0 && errno != EINTR)
			return false;	/* ECHILD: SIGCHLD ignored, already reaped */
		if (mono_ms() >= deadline) {
			kill(pid, SIGKILL);
			while ((r = waitpid(pid, wstatusp, 0)) < 0 && errno == EINTR)
				;
			return r == pid;
		}
		nanosleep(&ts, NULL);
		if (ts.tv_nsec < 10000000)
			ts.tv_nsec *= 2;
	}
}

enum sandbox_outcome
sandbox_run(const struct sandbox_limits *limp, sandbox_fn fn, void *arg, int *statusp,
    void *out, size_t outsz, size_t *outn)
{
	uint8_t			 msg[sizeof(struct result_hdr) + SANDBOX_RESULT_MAX + 1];
	struct sandbox_limits	 lim = { 0, 0, 0 };
	struct result_hdr	 hdr;
	struct pollfd		 pfd;
	enum sandbox_outcome	 outcome;
	int64_t			 deadline, left;
	size_t			 got = 0;
	ssize_t			 r;
	pid_t			 pid, self = getpid();
	bool			 timed_out = false, reaped, complete = false;
	int			 fds[2], wstatus = 0;

	*statusp = 0;
	*outn = 0;
	if (limp != NULL)
		lim = *limp;
	if (lim.cpu_seconds == 0)
		lim.cpu_seconds = DEFAULT_CPU_SECONDS;
	if (lim.wall_ms == 0)
		lim.wall_ms = DEFAULT_WALL_MS;
	if (lim.memory_bytes == 0)
		lim.memory_bytes = DEFAULT_MEMORY;

	if (pipe2(fds, O_CLOEXEC) != 0) {
		log_error("sandbox: pipe: %s", strerror(errno));
		return SANDBOX_FAILED;
	}
	deadline = mono_ms() + lim.wall_ms;
	pid = fork();
	if (pid < 0) {
		log_error("sandbox: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return SANDBOX_FAILED;
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(fds[1], self, &lim, fn, arg);
	}
	close(fds[1]);

	/* Read until EOF (the child exited or closed the pipe) or the deadline. */
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	for (;;) {
		left = deadline - mono_ms();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			log_error("sandbox: poll: %s", strerror(errno));
			timed_out = true;	/* cannot wait properly: end it */
			break;
		}
		if (r == 0)
			continue;	/* the loop notices the deadline */
		r = read(fds[0], msg + got, sizeof msg - got);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == sizeof msg)
			break;	/* more than any honest child writes */
	}
	close(fds[0]);
	if (timed_out)
		kill(pid, SIGKILL);
	reaped = reap(pid, timed_out ? 0 : deadline, &wstatus);

	if (got >= sizeof hdr) {
		memcpy(&hdr, msg, sizeof hdr);
		complete = hdr.magic == RESULT_MAGIC && hdr.len <= SANDBOX_RESULT_MAX &&
		    got == sizeof hdr + hdr.len;
	}
	/* A whole result counts even if the deadline passed while the child was exiting. */
	if (complete) {
		*statusp = hdr.status;
		*outn = hdr.len < outsz ? hdr.len : outsz;
		if (*outn > 0)
			memcpy(out, msg + sizeof hdr, *outn);
		outcome = SANDBOX_OK;
	} else if (timed_out) {
		outcome = SANDBOX_KILLED;
	} else if (reaped && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == EXIT_NOMEM) {
		outcome = SANDBOX_NOMEM;
	} else {
		/* A signal, or an exit without a whole result: either way not fn's answer. */
		outcome = SANDBOX_KILLED;
	}
	if (outcome != SANDBOX_OK) {
		if (reaped && WIFSIGNALED(wstatus))
			log_info("sandbox: child %ld ended by signal %d%s", (long)pid,
			    WTERMSIG(wstatus), timed_out ? " (wall-clock limit)" : "");
		else if (reaped && WIFEXITED(wstatus))
			log_info("sandbox: child %ld exited %d without a result", (long)pid,
			    WEXITSTATUS(wstatus));
	}
	return outcome;
}
