/*
 * Timing and other programs, apart from the rest of the harness so the
 * media benchmark (bench/media_bench.c), which links the fixtures but not
 * the harness (its key_fingerprint would clash with storage's), can use
 * them too. Declared in harness.h.
 */
#include "tests/e2e/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define PROGRAM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PROGRAM_ASAN 1
#endif
#endif
#ifndef PROGRAM_ASAN
#define PROGRAM_ASAN 0
#endif

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

long long
harness_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long long
harness_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
harness_timeout_ms(void)
{
	const char *e = getenv("SSHBOOK_TEST_TIMEOUT_MS");

	if (e != NULL && atoi(e) > 0)
		return atoi(e);
	return PROGRAM_ASAN ? 30000 : 10000;
}

static int
effective_ms(int ms)
{
	return ms > 0 ? ms : harness_timeout_ms();
}

static void
nap(int ms)
{
	poll(NULL, 0, ms);
}

void
exec_result_free(struct exec_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof *r);
}

/* In a forked child: the pipes onto 0, 1, 2, every other fd closed, then exec. */
static void
child_exec(char *const argv[], int in, int out, int err)
{
	struct rlimit	rl;

	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		for (int fd = 3; fd < (int)rl.rlim_cur && fd < 65536; fd++)
			close(fd);
	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	unsetenv("SSH_AUTH_SOCK");
	execvp(argv[0], argv);
	dprintf(2, "harness: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int
run_program(char *const argv[], const void *in, size_t inlen, int ms, struct exec_result *res)
{
	int		 pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	const char	*inp = in;
	size_t		 insent = 0;
	long long	 deadline = harness_now_ms() + effective_ms(ms);
	pid_t		 pid;
	int		 status, r = -1;
	bool		 exited = false;

	memset(res, 0, sizeof *res);
	res->status = -1;
	append(&res->out, &res->outlen, "", 0);
	append(&res->err, &res->errlen, "", 0);
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(pin, O_CLOEXEC) != 0 || pipe2(pout, O_CLOEXEC) != 0 ||
	    pipe2(perr, O_CLOEXEC) != 0) {
		fprintf(stderr, "harness: pipe: %s\n", strerror(errno));
		goto out;
	}
	if ((pid = fork()) < 0) {
		fprintf(stderr, "harness: fork: %s\n", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child_exec(argv, pin[0], pout[1], perr[1]);
	setpgid(pid, pid);	/* both sides: no race with the kill below */
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	pin[0] = pout[1] = perr[1] = -1;
	fcntl(pin[1], F_SETFL, O_NONBLOCK);
	if (inp == NULL || inlen == 0) {
		close(pin[1]);
		pin[1] = -1;
	}
	while (pout[0] >= 0 || perr[0] >= 0 || pin[1] >= 0) {
		struct pollfd	pfd[3];
		long long	left = deadline - harness_now_ms();
		int		np = 0;

		if (left <= 0)
			break;
		if (pout[0] >= 0)
			pfd[np++] = (struct pollfd){ pout[0], POLLIN, 0 };
		if (perr[0] >= 0)
			pfd[np++] = (struct pollfd){ perr[0], POLLIN, 0 };
		if (pin[1] >= 0)
			pfd[np++] = (struct pollfd){ pin[1], POLLOUT, 0 };
		if (poll(pfd, (nfds_t)np, left < 100 ? (int)left : 100) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < np; i++) {
			char	 buf[65536];
			ssize_t	 n;

			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == pin[1]) {
				n = write(pin[1], inp + insent, inlen - insent);
				if (n > 0)
					insent += (size_t)n;
				if ((n < 0 && errno != EAGAIN) || insent == inlen) {
					close(pin[1]);	/* done, or the program stopped reading */
					pin[1] = -1;
				}
				continue;
			}
			n = read(pfd[i].fd, buf, sizeof buf);
			if (n > 0) {
				if (pfd[i].fd == pout[0])
					append(&res->out, &res->outlen, buf, (size_t)n);
				else
					append(&res->err, &res->errlen, buf, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				if (pfd[i].fd == pout[0]) {
					close(pout[0]);
					pout[0] = -1;
				} else {
					close(perr[0]);
					perr[0] = -1;
				}
			}
		}
	}
	/* the outputs reached EOF: the exit is near; else the deadline passed */
	while (!exited) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid) {
			exited = true;
			break;
		}
		if (harness_now_ms() >= deadline)
			break;
		nap(5);
	}
	if (!exited) {
		fprintf(stderr, "harness: %s did not finish within %d ms: killed; stdout '%s' "
		    "stderr '%s'\n", argv[0], effective_ms(ms), res->out, res->err);
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		goto out;
	}
	if (WIFEXITED(status))
		res->status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		res->status = 128 + WTERMSIG(status);
	r = 0;
 out:
	for (int i = 0; i < 2; i++) {
		if (pin[i] >= 0)
			close(pin[i]);
		if (pout[i] >= 0)
			close(pout[i]);
		if (perr[i] >= 0)
			close(perr[i]);
	}
	return r;
}

