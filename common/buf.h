/*
 * A growable string whose pointer is never NULL and always NUL-terminated
 * (after git's strbuf). Initialise with BUF_INIT; buf_release frees and resets.
 */
#ifndef SSHBOOK_BUF_H
#define SSHBOOK_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*buf;	/* never NULL; "" when empty (static until the first add) */
	size_t	 len;	/* bytes, excluding the NUL */
	size_t	 alloc;	/* 0 while buf points at the shared empty string */
};

extern char	buf_empty[];
#define BUF_INIT { buf_empty, 0, 0 }

void	 buf_init(struct buf *);
void	 buf_release(struct buf *);		/* free and reset to BUF_INIT */
void	 buf_reset(struct buf *);		/* length 0, keeps the memory */
void	 buf_grow(struct buf *, size_t extra);	/* room for extra more bytes */
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addch(struct buf *, int);
void	 buf_addf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));
void	 buf_vaddf(struct buf *, const char *, va_list) __attribute__((format(printf, 2, 0)));
void	 buf_truncate(struct buf *, size_t len);	/* len <= b->len */
/* Hand the string to the caller (who frees it) and reset b to BUF_INIT. */
char	*buf_detach(struct buf *, size_t *lenp);

#endif
