/*
 * A cap on Argon2id work across the whole server. Each password check or
 * hash costs about 64 MiB and a core for a tenth of a second, and every
 * connection is its own process, so a password-guessing flood from many
 * addresses would otherwise run hundreds at once and starve the box. A
 * check first takes one of N slots: an flock(2) on DIR/pwcheck-K.lock. The
 * kernel drops the lock when its holder exits, so a crashed or killed
 * session never leaks a slot.
 */
#ifndef SSHBOOK_SSHD_PWSLOTS_H
#define SSHBOOK_SSHD_PWSLOTS_H

#include <signal.h>
#include <stdbool.h>

/*
 * Take one of n slots in dir (created if missing), waiting while all are
 * taken until wait_ms pass or *give_up becomes nonzero (the login grace
 * time). Returns the slot's fd, to pass to pwslot_give, or -1 (after
 * logging why). n <= 0 means one slot per online CPU.
 */
int	pwslot_take(const char *dir, int n, int wait_ms,
	    const volatile sig_atomic_t *give_up);
/* Give back a slot from pwslot_take (-1 is ignored). */
void	pwslot_give(int fd);

#endif
