/* The attack benchmarks (bench/attack.c): each prints "name: value" lines and returns 0 or 1. */
#ifndef SSHBOOK_BENCH_ATTACK_H
#define SSHBOOK_BENCH_ATTACK_H

/* n timed logins alone, then n under 1,000 silent connections and 100 stalled key exchanges. */
int	bench_flood(int n);
/* Password and key logins per second, p clients at once. */
int	bench_pwlogin(int p);
/* PSS of a session at 500x200 (the largest pty) against 80x24, a picture on Home; runs times. */
int	bench_bigpty(int runs);

#endif
