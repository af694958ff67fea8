/*
 * sshbookd's settings: built-in defaults, then the config file (`key = value`
 * lines, `#` comments; sshbook.conf.example documents every key), then the
 * command line, each overriding the one before.
 */
#ifndef SSHBOOK_SSHD_CONFIG_H
#define SSHBOOK_SSHD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "common/log.h"

#define CONFIG_MAX_HOST_KEYS	8

enum registration {
	REG_OPEN,	/* anyone may sign up with a free name */
	REG_INVITE,	/* sign-up needs an invite code (asked by the app) */
	REG_CLOSED,	/* no sign-up: unknown names fail like wrong passwords */
};

struct config {
	char			*listen;	/* address or host name to bind */
	int			 port;
	char			*data_dir;	/* absolute once main has created it */
	char			*host_keys[CONFIG_MAX_HOST_KEYS];	/* none: generated */
	size_t			 n_host_keys;
	enum registration	 registration;
	int			 max_sessions;		/* logged-in sessions in total */
	int			 max_sessions_per_addr;	/* ... from one network (netaddr.h); 0: no cap */
	int			 max_sessions_per_user;	/* ... of one account; 0: no cap */
	int			 max_pending;		/* accepted, nothing received yet (one fd each) */
	int			 max_pending_per_addr;	/* 0: no per-network cap */
	int			 startups_begin;	/* max_startups = begin:rate:full, as OpenSSH's */
	int			 startups_rate;		/* MaxStartups: connections past key exchange */
	int			 startups_full;		/* that have not logged in to an account */
	int			 max_startups_per_addr;	/* 0: no per-network cap */
	int			 addr_prefix_v4;	/* bits of an address that make one network */
	int			 addr_prefix_v6;
	int			 signup_time;		/* seconds a sign-up screen may stay open */
	int			 password_check_slots;	/* Argon2id checks at once; 0: one per CPU */
	int			 login_grace_time;	/* seconds from accept to auth */
	int			 keepalive_interval;	/* seconds; 0: no keepalives */
	int			 auth_max_failures_per_addr;	/* 0: no limit */
	int			 auth_max_failures_per_user;	/* 0: no limit */
	int			 auth_failure_window;	/* seconds the failures count */
	enum log_level		 log_level;
	enum log_target		 log_target;	/* LOG_TO_STDERR or LOG_TO_SYSLOG */
	char			*app_path;	/* NULL: `sshbook` next to sshbookd */
	int			 worker;	/* 1: run the background worker (media jobs); 0: not */
	int			 write_burst;	/* per-user writes in a burst; 0: no write limit */
	int			 write_per_minute;	/* ... refilled at this rate */
	int			 upload_spool_mib;	/* per-user uploads under way and waiting, MiB */
};

/* Fill c with the defaults (port 2222 on 127.0.0.1, data in ./var ...). */
void	config_init(struct config *c);
/* Free the strings in c (not c itself). */
void	config_free(struct config *c);

/*
 * Read the config file at path on top of c. Returns 0, or -1 with one line
 * "PATH:LINE: what is wrong" in err (errsz bytes): an unreadable file, a
 * line without `=`, an unknown key, a bad value or too many host keys.
 */
int	config_load(struct config *c, const char *path, char *err, size_t errsz);

/*
 * Set one key from its text value, as a config line would. Returns 0, or
 * -1 with a lower-case reason in why ("unknown key 'foo'", "port: not a
 * number between 1 and 65535").
 */
int	config_set(struct config *c, const char *key, const char *value,
	    char *why, size_t whysz);

/* "open", "invite" or "closed". */
const char	*config_registration_name(enum registration);

#endif
