/* Time as people and scripts read it. All times in storage are Unix seconds, UTC. */
#ifndef SSHBOOK_TIMEFMT_H
#define SSHBOOK_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* RFC 3339 UTC, "2026-11-25T08:01:10Z", into out (at least 21 bytes). */
void	time_rfc3339(int64_t t, char *out, size_t outsz);
/* Relative for people: "just now", "5m", "3h", "2d", then "12 Mar" this year, "12 Mar 2025" before. */
void	time_ago(int64_t t, int64_t now, char *out, size_t outsz);
/* A date for people: "25 Nov 2026", "7 Dec 2026" (no leading zero). */
void	time_date(int64_t t, char *out, size_t outsz);
/* The date and time, with its zone: "Wed 25 Nov 2026 08:01 UTC" (an opened post). */
void	time_full(int64_t t, char *out, size_t outsz);

#endif
