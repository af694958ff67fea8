#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

char buf_empty[1];

void
buf_init(struct buf *b)
{
	b->buf = buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void
buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->buf);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->buf[0] = '\0';
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t	 want = b->len + extra + 1;
	size_t	 n;

	if (want <= b->alloc)
		return;
	n = b->alloc ? b->alloc : 64;
	while (n < want)
		n *= 2;
	if (b->alloc == 0) {
		b->buf = xmalloc(n);
		b->buf[0] = '\0';
	} else
		b->buf = xreallocarray(b->buf, n, 1);
	b->alloc = n;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	buf_grow(b, n);
	memcpy(b->buf + b->len, p, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addch(struct buf *b, int c)
{
	char ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 cp;
	int	 n;

	/*
	 * Never true for a caller, but GCC 12 with -fsanitize=undefined (nonnull
	 * checks) makes a NULL-format path and then fails the sanitizer build
	 * with -Wformat-truncation; the test tells it there is none.
	 */
	if (fmt == NULL)
		return;
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->buf[len] = '\0';
}

char *
buf_detach(struct buf *b, size_t *lenp)
{
	char *s;

	if (lenp)
		*lenp = b->len;
	s = b->alloc ? b->buf : xstrdup("");
	buf_init(b);
	return s;
}
