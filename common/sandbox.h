/*
 * Running untrusted work (decoding a user's image or video) in a child
 * process with CPU, memory and wall-clock limits, so a decompression bomb or a
 * crafted file kills only that child and the caller gets a clear answer.
 *
 * The child runs fn, which writes at most SANDBOX_RESULT_MAX bytes of result
 * into the buffer it is given; the bytes travel back over a pipe. The child
 * never returns into the caller's code: it _exit()s after fn (no atexit
 * handlers, no stdio flush, nothing of the parent's state is touched).
 */
#ifndef SSHBOOK_SANDBOX_H
#define SSHBOOK_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#define SANDBOX_RESULT_MAX	4096

struct sandbox_limits {
	unsigned	cpu_seconds;	/* RLIMIT_CPU; 0: 10 s */
	unsigned	wall_ms;	/* killed after this long; 0: 15000 */
	size_t		memory_bytes;	/* RLIMIT_AS; 0: 1 GiB. Not applied under ASan (it reserves terabytes) */
};

/*
 * The child's job: fill out (outsz = SANDBOX_RESULT_MAX bytes) and return a
 * status (0 ok, anything else the caller's own code, negative ERR_* values
 * included), or SANDBOX_FN_NOMEM when an allocation failed (the outcome is
 * then SANDBOX_NOMEM). *outn gets the bytes used.
 */
typedef int (*sandbox_fn)(void *arg, void *out, size_t outsz, size_t *outn);

#define SANDBOX_FN_NOMEM	(-1000)

enum sandbox_outcome {
	SANDBOX_OK = 0,		/* fn returned; *statusp holds its status */
	SANDBOX_KILLED,		/* a signal (crash, abort, or the CPU/wall limit) ended the child */
	SANDBOX_NOMEM,		/* the child ran out of its memory limit (fn returned SANDBOX_FN_NOMEM) */
	SANDBOX_FAILED,		/* fork/pipe failed: the system, not the input */
};

/*
 * Fork, apply the limits, run fn(arg, ...) in the child. The parent waits
 * (at most the wall limit, then SIGKILL), reaps the child and copies its
 * result into out (at most outsz bytes, *outn used). Returns the outcome;
 * *statusp is fn's status when SANDBOX_OK. Safe to call from a process with
 * other children: it waits only for its own. (If something else reaps it
 * first, SIGCHLD set to SIG_IGN or a handler calling waitpid(-1), a whole
 * result still counts, but NOMEM reads as KILLED.) Blocks the caller for up
 * to the wall limit. The child inherits the caller's memory, so arg may
 * point at anything; it writes nothing back but the result.
 */
enum sandbox_outcome	sandbox_run(const struct sandbox_limits *, sandbox_fn fn, void *arg,
			    int *statusp, void *out, size_t outsz, size_t *outn);

/* Whether memory_bytes is enforced in this build (false under AddressSanitizer). */
bool	sandbox_memory_limited(void);

/* "ok", "killed", "out of memory", "failed": for log lines. */
const char	*sandbox_outcome_str(enum sandbox_outcome);

#endif
