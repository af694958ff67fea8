/*
 * Allocation that cannot fail: on out-of-memory the process logs and exits,
 * so call sites carry no NULL checks. Everything returned is freed with free().
 */
#ifndef SSHBOOK_XMALLOC_H
#define SSHBOOK_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t nmemb, size_t size);
void	*xreallocarray(void *, size_t nmemb, size_t size);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* printf into a new string; the caller frees it. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
