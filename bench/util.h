/* What every server benchmark needs: percentiles, PSS and the fd limit. */
#ifndef SSHBOOK_BENCH_UTIL_H
#define SSHBOOK_BENCH_UTIL_H

#include <sys/types.h>

/* The p-quantile (0..1) of v[0..n), n > 0; sorts v in place. */
double	percentile(double *v, int n, double p);
/* Sum of Pss (kB) over pids, from /proc/PID/smaps_rollup (gone ones count 0). */
long	pss_kb(const pid_t *pids, int n);
/* Raise the soft limit on open files to the hard one: benchmarks hold thousands. */
void	raise_fd_limit(void);

#endif
