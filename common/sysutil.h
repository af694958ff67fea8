/*
 * Small wrappers over the system that several processes need alike: a
 * monotonic clock for deadlines and a non-blocking switch for fds.
 */
#ifndef SSHBOOK_SYSUTIL_H
#define SSHBOOK_SYSUTIL_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC: for deadlines and durations, never for dates. */
int64_t	mono_ms(void);
/* Set O_NONBLOCK on fd; 0, or -1 with errno. */
int	fd_set_nonblock(int fd);

#endif
