#include "timefmt.h"

#include <stdio.h>
#include <time.h>

void
time_rfc3339(int64_t t, char *out, size_t outsz)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
time_date(int64_t t, char *out, size_t outsz)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
	strftime(out, outsz, "%d %b %Y", &tm);
}

void
time_ago(int64_t t, int64_t now, char *out, size_t outsz)
{
	int64_t d = now - t;

	if (d < 60)
		snprintf(out, outsz, "just now");
	else if (d < 3600)
		snprintf(out, outsz, "%lldm", (long long)(d / 60));
	else if (d < 86400)
		snprintf(out, outsz, "%lldh", (long long)(d / 3600));
	else if (d < 7 * 86400)
		snprintf(out, outsz, "%lldd", (long long)(d / 86400));
	else
		time_date(t, out, outsz);
}
