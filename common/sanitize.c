#include "sanitize.h"

#include <string.h>

#include "utf8.h"

/* Characters that reorder or hide text: bidi controls and zero-width marks. */
static bool
is_invisible_trick(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) ||	/* zero-width space..RLM */
	    (cp >= 0x2028 && cp <= 0x202E) ||		/* line/paragraph separators, LRE..RLO */
	    (cp >= 0x2060 && cp <= 0x2064) ||		/* word joiner, invisible operators */
	    (cp >= 0x2066 && cp <= 0x2069) ||		/* LRI..PDI */
	    cp == 0x061C || cp == 0xFEFF || cp == 0x00AD || cp == 0x034F ||
	    (cp >= 0xFFF9 && cp <= 0xFFFB);		/* interlinear annotation */
}

static const char replacement[] = "\xEF\xBF\xBD";	/* U+FFFD */

void
sanitize_append(struct buf *out, const char *s, bool keep_newlines)
{
	size_t		 len = strlen(s), i = 0, n;
	uint32_t	 cp;

	buf_grow(out, len);
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			buf_adds(out, replacement);
			i++;
			continue;
		}
		if (cp == '\n')
			buf_addch(out, keep_newlines ? '\n' : ' ');
		else if (cp == '\t')
			buf_addch(out, ' ');
		else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
			buf_adds(out, replacement);
		else if (!is_invisible_trick(cp))
			buf_add(out, s + i, n);
		i += n;
	}
}

char *
sanitize_dup(const char *s, bool keep_newlines)
{
	struct buf b = BUF_INIT;

	sanitize_append(&b, s, keep_newlines);
	return buf_detach(&b, NULL);
}

bool
sanitize_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || is_invisible_trick(cp);
}

bool
sanitize_is_clean(const char *s)
{
	size_t		 len = strlen(s), i = 0, n;
	uint32_t	 cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0 || sanitize_cp_unsafe(cp))
			return false;
		i += n;
	}
	return true;
}
