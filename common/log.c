#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static struct {
	char		 ident[32];
	enum log_target	 target;
	enum log_level	 level;
	FILE		*file;
	char		 addr[64];
	char		 user[40];
} lg = { "sshbook", LOG_TO_STDERR, LOG_LVL_INFO, NULL, "", "" };

void
log_open(const char *ident, enum log_target target, const char *path, enum log_level level)
{
	snprintf(lg.ident, sizeof lg.ident, "%s", ident);
	lg.level = level;
	lg.target = target;
	if (target == LOG_TO_SYSLOG)
		openlog(lg.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	else if (target == LOG_TO_FILE) {
		if (path == NULL || (lg.file = fopen(path, "ae")) == NULL)
			lg.target = LOG_TO_NONE;
		else
			setvbuf(lg.file, NULL, _IOLBF, 0);
	}
}

int
log_level_parse(const char *s)
{
	if (strcmp(s, "error") == 0)
		return LOG_LVL_ERROR;
	if (strcmp(s, "warn") == 0)
		return LOG_LVL_WARN;
	if (strcmp(s, "info") == 0)
		return LOG_LVL_INFO;
	if (strcmp(s, "debug") == 0)
		return LOG_LVL_DEBUG;
	return -1;
}

void
log_set_level(enum log_level level)
{
	lg.level = level;
}

void
log_set_context(const char *addr, const char *user)
{
	snprintf(lg.addr, sizeof lg.addr, "%s", addr ? addr : "");
	snprintf(lg.user, sizeof lg.user, "%s", user ? user : "");
}

void
log_close(void)
{
	if (lg.file != NULL)
		fclose(lg.file);
	lg.file = NULL;
	if (lg.target == LOG_TO_SYSLOG)
		closelog();
	lg.target = LOG_TO_NONE;
}

static void __attribute__((format(printf, 2, 0)))
log_emit(enum log_level level, const char *fmt, va_list ap)
{
	static const char	*names[] = { "error", "warn", "info", "debug" };
	static const int	 prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	char			 msg[1024], ctx[128] = "", stamp[32];
	struct tm		 tm;
	time_t			 now;
	int			 saved = errno;
	FILE			*f;

	if (level > lg.level || lg.target == LOG_TO_NONE)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (lg.addr[0] || lg.user[0])
		snprintf(ctx, sizeof ctx, " [%s%s%s]", lg.addr,
		    lg.addr[0] && lg.user[0] ? " " : "", lg.user);
	if (lg.target == LOG_TO_SYSLOG) {
		syslog(prio[level], "%s%s: %s", names[level], ctx, msg);
	} else {
		f = lg.target == LOG_TO_FILE ? lg.file : stderr;
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(f, "%s %s[%ld]%s %s: %s\n", stamp, lg.ident, (long)getpid(),
		    ctx, names[level], msg);
	}
	errno = saved;
}

#define LOG_FN(name, level)				\
void							\
name(const char *fmt, ...)				\
{							\
	va_list ap;					\
							\
	va_start(ap, fmt);				\
	log_emit(level, fmt, ap);			\
	va_end(ap);					\
}
LOG_FN(log_error, LOG_LVL_ERROR)
LOG_FN(log_warn, LOG_LVL_WARN)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_debug, LOG_LVL_DEBUG)
