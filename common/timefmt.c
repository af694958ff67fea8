#include "timefmt.h"

#include <stdio.h>
#include <string.h>
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

	char		mon_year[16];

	gmtime_r(&tt, &tm);
	/* No leading zero ("7 Dec 2026"): a date people read, not a column to sort. */
	strftime(mon_year, sizeof mon_year, "%b %Y", &tm);
	snprintf(out, outsz, "%d %s", tm.tm_mday, mon_year);
}

void
time_full(int64_t t, char *out, size_t outsz)
{
	time_t		tt = (time_t)t;
	struct tm	tm;
	char		rest[32];

	gmtime_r(&tt, &tm);
	/* Times are shown in UTC until accounts have a time zone (the events issue). */
	strftime(rest, sizeof rest, "%b %Y %H:%M UTC", &tm);
	strftime(out, outsz, "%a ", &tm);
	snprintf(out + strlen(out), outsz - strlen(out), "%d %s", tm.tm_mday, rest);
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
	else {
		/* "7 Dec" this year, "7 Dec 2025" before: short enough for a column. */
		time_t		tt = (time_t)t, tn = (time_t)now;
		struct tm	tm, tmn;
		char		mon[8];

		gmtime_r(&tt, &tm);
		gmtime_r(&tn, &tmn);
		if (tm.tm_year != tmn.tm_year) {
			time_date(t, out, outsz);
			return;
		}
		strftime(mon, sizeof mon, "%b", &tm);
		snprintf(out, outsz, "%d %s", tm.tm_mday, mon);
	}
}
