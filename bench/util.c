#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>

#include "bench/util.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
percentile(double *v, int n, double p)
{
	int i;

	qsort(v, (size_t)n, sizeof *v, cmp_double);
	i = (int)(p * (n - 1) + 0.5);
	return v[i];
}

long
pss_kb(const pid_t *pids, int n)
{
	char	path[64], line[256];
	long	total = 0, v;
	FILE	*f;
	int	i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pids[i]);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "Pss: %ld kB", &v) == 1)
				total += v;
		fclose(f);
	}
	return total;
}

void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}
