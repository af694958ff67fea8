#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common/log.h"
#include "common/sysutil.h"
#include "sshd-app/pwslots.h"

#define PWSLOT_MAX	256
#define PWSLOT_NAP_MS	10	/* between rounds while every slot is taken */

/* Try every slot once, from a random one, so waiters spread out. */
static int
try_slots(const char *dir, int n)
{
	char	path[4096];
	int	first = (int)randombytes_uniform((uint32_t)n), k, i, fd;

	for (i = 0; i < n; i++) {
		k = (first + i) % n;
		snprintf(path, sizeof path, "%s/pwcheck-%d.lock", dir, k);
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0) {
			log_error("password check slot %s: %s", path, strerror(errno));
			return -2;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		close(fd);
	}
	return -1;
}

int
pwslot_take(const char *dir, int n, int wait_ms,
    const volatile sig_atomic_t *give_up)
{
	int64_t	deadline = mono_ms() + wait_ms;
	bool	waited = false;
	long	cpus;
	int	fd;

	if (n <= 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		n = cpus > 0 ? (int)cpus : 1;
	}
	if (n > PWSLOT_MAX)
		n = PWSLOT_MAX;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		log_error("password check slots: cannot create '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	for (;;) {
		if ((fd = try_slots(dir, n)) >= 0 || fd == -2)
			return fd >= 0 ? fd : -1;
		if (!waited)
			log_debug("password check: all %d slots taken, waiting", n);
		waited = true;
		if ((give_up != NULL && *give_up) || mono_ms() >= deadline) {
			log_warn("password check: no free slot of %d within %d ms",
			    n, wait_ms);
			return -1;
		}
		(void)poll(NULL, 0, PWSLOT_NAP_MS);
	}
}

void
pwslot_give(int fd)
{
	if (fd >= 0)
		close(fd);	/* closing the only fd drops the flock */
}
