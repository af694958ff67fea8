/*
 * One-line logs with pid, and the peer address and user once known.
 * sshbookd logs to stderr (or syslog); the app logs to a file or syslog,
 * never to its terminal. Never log a password or a message body.
 */
#ifndef SSHBOOK_LOG_H
#define SSHBOOK_LOG_H

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

enum log_target {
	LOG_TO_STDERR,
	LOG_TO_SYSLOG,
	LOG_TO_FILE,	/* append to the path given to log_open */
	LOG_TO_NONE,
};

/* Start logging as ident ("sshbookd", "sshbook"); path is used with LOG_TO_FILE. */
void	log_open(const char *ident, enum log_target, const char *path, enum log_level);
/* Parse "error|warn|info|debug"; returns -1 when unknown. */
int	log_level_parse(const char *);
void	log_set_level(enum log_level);
/* Context added to every line: peer address and user (either may be NULL). */
void	log_set_context(const char *addr, const char *user);
void	log_close(void);

void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
