#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "sshd-app/config.h"

/*
 * The keys are a table: a name, what kind of value it takes and where it
 * goes. Parsing, validation and the error texts come from the table, so a
 * new setting is one line here plus its documentation in
 * sshbook.conf.example.
 */

enum key_kind { K_INT, K_STRING, K_PATH_LIST, K_REGISTRATION, K_LOG_LEVEL,
    K_LOG_TARGET, K_STARTUPS };

static const struct config_key {
	const char	*name;
	enum key_kind	 kind;
	size_t		 off;
	int		 min, max;	/* K_INT */
} config_keys[] = {
	{ "port", K_INT, offsetof(struct config, port), 1, 65535 },
	{ "listen", K_STRING, offsetof(struct config, listen), 0, 0 },
	{ "data_dir", K_STRING, offsetof(struct config, data_dir), 0, 0 },
	{ "host_key", K_PATH_LIST, 0, 0, 0 },
	{ "registration", K_REGISTRATION, 0, 0, 0 },
	{ "max_sessions", K_INT, offsetof(struct config, max_sessions),
	    1, 100000 },
	{ "max_sessions_per_addr", K_INT,
	    offsetof(struct config, max_sessions_per_addr), 0, 100000 },
	{ "max_sessions_per_user", K_INT,
	    offsetof(struct config, max_sessions_per_user), 0, 100000 },
	{ "max_pending", K_INT, offsetof(struct config, max_pending), 1, 100000 },
	{ "max_pending_per_addr", K_INT,
	    offsetof(struct config, max_pending_per_addr), 0, 100000 },
	{ "max_startups", K_STARTUPS, 0, 1, 100000 },
	{ "max_startups_per_addr", K_INT,
	    offsetof(struct config, max_startups_per_addr), 0, 100000 },
	{ "addr_prefix_v4", K_INT, offsetof(struct config, addr_prefix_v4), 1, 32 },
	{ "addr_prefix_v6", K_INT, offsetof(struct config, addr_prefix_v6), 1, 128 },
	{ "signup_time", K_INT, offsetof(struct config, signup_time), 10, 3600 },
	{ "password_check_slots", K_INT,
	    offsetof(struct config, password_check_slots), 0, 256 },
	{ "login_grace_time", K_INT, offsetof(struct config, login_grace_time),
	    1, 600 },
	{ "keepalive_interval", K_INT,
	    offsetof(struct config, keepalive_interval), 0, 3600 },
	{ "auth_max_failures_per_addr", K_INT,
	    offsetof(struct config, auth_max_failures_per_addr), 0, 1000000 },
	{ "auth_max_failures_per_user", K_INT,
	    offsetof(struct config, auth_max_failures_per_user), 0, 1000000 },
	{ "auth_failure_window", K_INT,
	    offsetof(struct config, auth_failure_window), 1, 7 * 86400 },
	{ "log_level", K_LOG_LEVEL, 0, 0, 0 },
	{ "log", K_LOG_TARGET, 0, 0, 0 },
	{ "app_path", K_STRING, offsetof(struct config, app_path), 0, 0 },
	{ "worker", K_INT, offsetof(struct config, worker), 0, 1 },
	{ "write_burst", K_INT, offsetof(struct config, write_burst), 0, 1000000 },
	{ "write_per_minute", K_INT, offsetof(struct config, write_per_minute), 1, 1000000 },
	{ "upload_spool_mib", K_INT, offsetof(struct config, upload_spool_mib), 1, 1048576 },
};

static const char *registration_names[] = { "open", "invite", "closed" };

#define CONFIG_LINE_MAX	4096

void
config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->listen = xstrdup("127.0.0.1");
	c->port = 2222;
	c->data_dir = xstrdup("./var");
	c->registration = REG_OPEN;
	c->max_sessions = 1000;
	c->max_sessions_per_addr = 50;
	c->max_sessions_per_user = 20;
	c->max_pending = 2000;
	c->max_pending_per_addr = 20;
	c->startups_begin = 128;
	c->startups_rate = 30;
	c->startups_full = 256;
	c->max_startups_per_addr = 16;
	c->addr_prefix_v4 = 32;
	c->addr_prefix_v6 = 64;
	c->signup_time = 300;
	c->password_check_slots = 0;
	c->login_grace_time = 20;
	c->keepalive_interval = 30;
	c->auth_max_failures_per_addr = 30;
	c->auth_max_failures_per_user = 10;
	c->auth_failure_window = 900;
	c->log_level = LOG_LVL_INFO;
	c->log_target = LOG_TO_STDERR;
	c->app_path = NULL;
	c->worker = 1;
	c->write_burst = 60;
	c->write_per_minute = 60;
	c->upload_spool_mib = 100;
}

void
config_free(struct config *c)
{
	size_t i;

	free(c->listen);
	free(c->data_dir);
	free(c->app_path);
	for (i = 0; i < c->n_host_keys; i++)
		free(c->host_keys[i]);
	memset(c, 0, sizeof *c);
}

const char *
config_registration_name(enum registration r)
{
	if ((size_t)r < sizeof registration_names / sizeof registration_names[0])
		return registration_names[r];
	return "?";
}

/*
 * "BEGIN:RATE:FULL" (OpenSSH's MaxStartups: from BEGIN connections on, drop
 * RATE percent of new ones, rising to all of them at FULL), or "N" for a
 * plain cap of N.
 */
static int
parse_startups(const char *s, int max, int out[3])
{
	char	buf[64], *a, *b, *end;
	long	v[3];
	int	i, n = 0;

	if (strlen(s) >= sizeof buf)
		return -1;
	snprintf(buf, sizeof buf, "%s", s);
	for (a = buf; n < 3; a = b + 1) {
		b = strchr(a, ':');
		if (b != NULL)
			*b = '\0';
		if (*a == '\0')
			return -1;
		errno = 0;
		v[n++] = strtol(a, &end, 10);
		if (errno != 0 || *end != '\0')
			return -1;
		if (b == NULL)
			break;
	}
	if (b != NULL || n == 2)
		return -1;
	if (n == 1) {
		v[1] = 100;
		v[2] = v[0];
	}
	if (v[0] < 1 || v[2] < v[0] || v[2] > max || v[1] < 0 || v[1] > 100)
		return -1;
	for (i = 0; i < 3; i++)
		out[i] = (int)v[i];
	return 0;
}

/* A decimal integer in [min, max], nothing else on the line. */
static int
parse_int(const char *s, int min, int max, int *out)
{
	char	*end;
	long	 v;

	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

int
config_set(struct config *c, const char *key, const char *value, char *why,
    size_t whysz)
{
	const struct config_key	*k = NULL;
	char			**sp;
	size_t			 i;
	int			 v;

	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
		if (strcmp(config_keys[i].name, key) == 0) {
			k = &config_keys[i];
			break;
		}
	}
	if (k == NULL) {
		snprintf(why, whysz, "unknown key '%.64s'", key);
		return -1;
	}
	if (*value == '\0') {
		snprintf(why, whysz, "%s: missing value", k->name);
		return -1;
	}

	switch (k->kind) {
	case K_INT:
		if (parse_int(value, k->min, k->max, &v) != 0) {
			snprintf(why, whysz, "%s: '%.64s' is not a number "
			    "between %d and %d", k->name, value, k->min, k->max);
			return -1;
		}
		*(int *)(void *)((char *)c + k->off) = v;
		return 0;
	case K_STRING:
		sp = (char **)(void *)((char *)c + k->off);
		free(*sp);
		*sp = xstrdup(value);
		return 0;
	case K_PATH_LIST:
		if (c->n_host_keys == CONFIG_MAX_HOST_KEYS) {
			snprintf(why, whysz, "%s: more than %d host keys",
			    k->name, CONFIG_MAX_HOST_KEYS);
			return -1;
		}
		c->host_keys[c->n_host_keys++] = xstrdup(value);
		return 0;
	case K_REGISTRATION:
		for (i = 0; i < 3; i++) {
			if (strcmp(value, registration_names[i]) == 0) {
				c->registration = (enum registration)i;
				return 0;
			}
		}
		snprintf(why, whysz, "%s: '%.64s' is not open, invite or closed",
		    k->name, value);
		return -1;
	case K_LOG_LEVEL:
		if ((v = log_level_parse(value)) < 0) {
			snprintf(why, whysz, "%s: '%.64s' is not error, warn, "
			    "info or debug", k->name, value);
			return -1;
		}
		c->log_level = (enum log_level)v;
		return 0;
	case K_STARTUPS: {
		int st[3];

		if (parse_startups(value, k->max, st) != 0) {
			snprintf(why, whysz, "%s: '%.64s' is not BEGIN:RATE:FULL "
			    "(1 <= BEGIN <= FULL <= %d, RATE 0..100) or a number",
			    k->name, value, k->max);
			return -1;
		}
		c->startups_begin = st[0];
		c->startups_rate = st[1];
		c->startups_full = st[2];
		return 0;
	}
	case K_LOG_TARGET:
		if (strcmp(value, "stderr") == 0)
			c->log_target = LOG_TO_STDERR;
		else if (strcmp(value, "syslog") == 0)
			c->log_target = LOG_TO_SYSLOG;
		else {
			snprintf(why, whysz, "%s: '%.64s' is not stderr or "
			    "syslog", k->name, value);
			return -1;
		}
		return 0;
	}
	snprintf(why, whysz, "%s: unhandled key", k->name);
	return -1;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/*
 * A comment starts with `#` at the beginning of a line or after a blank,
 * so a value may still contain `#` (a path like /srv/a#b).
 */
static void
strip_comment(char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++) {
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
	}
}

int
config_load(struct config *c, const char *path, char *err, size_t errsz)
{
	FILE	*f;
	char	 line[CONFIG_LINE_MAX + 2], why[256], *s, *eq, *key, *value;
	int	 lineno = 0, r = -1;
	size_t	 n;

	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		n = strlen(line);
		if (n > CONFIG_LINE_MAX && line[n - 1] != '\n') {
			snprintf(err, errsz, "%s:%d: line longer than %d bytes",
			    path, lineno, CONFIG_LINE_MAX);
			goto out;
		}
		strip_comment(line);
		s = trim(line);
		if (*s == '\0')
			continue;
		if ((eq = strchr(s, '=')) == NULL) {
			snprintf(err, errsz, "%s:%d: expected 'key = value'",
			    path, lineno);
			goto out;
		}
		*eq = '\0';
		key = trim(s);
		value = trim(eq + 1);
		if (config_set(c, key, value, why, sizeof why) != 0) {
			snprintf(err, errsz, "%s:%d: %s", path, lineno, why);
			goto out;
		}
	}
	if (ferror(f)) {
		snprintf(err, errsz, "%s: read error", path);
		goto out;
	}
	r = 0;
 out:
	fclose(f);
	return r;
}
