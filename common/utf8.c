#include "utf8.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "err.h"

bool
utf8_locale_init(void)
{
	const char *cs;

	if (setlocale(LC_CTYPE, "") != NULL) {
		cs = setlocale(LC_CTYPE, NULL);
		if (cs != NULL && (strstr(cs, "UTF-8") || strstr(cs, "utf8") ||
		    strstr(cs, "UTF8") || strstr(cs, "utf-8")))
			return true;
	}
	/* The daemon starts apps with a clean environment; C.UTF-8 always exists on Debian. */
	return setlocale(LC_CTYPE, "C.UTF-8") != NULL;
}

size_t
utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char	*s = (const unsigned char *)str;
	uint32_t		 c;
	size_t			 n, i;

	*cp = 0xFFFD;
	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10FFFF ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

size_t
utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

bool
utf8_valid(const char *s, size_t len)
{
	size_t		 i = 0, n;
	uint32_t	 cp;

	while (i < len) {
		if (s[i] == '\0')
			return false;
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return false;
		i += n;
	}
	return true;
}

size_t
utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

size_t
utf8_prev(const char *s, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && ((unsigned char)s[pos] & 0xC0) == 0x80)
		pos--;
	return pos;
}

size_t
utf8_next(const char *s, size_t len, size_t pos)
{
	uint32_t	cp;
	size_t		n;

	if (pos >= len)
		return len;
	n = utf8_decode(s + pos, len - pos, &cp);
	return pos + (n ? n : 1);
}

int
utf8_cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	if (w < 0)
		return 1;
	return w;
}

size_t
utf8_width(const char *s)
{
	size_t		 len = strlen(s), i = 0, n, w = 0;
	uint32_t	 cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			w++;
			i++;
			continue;
		}
		w += (size_t)utf8_cp_width(cp);
		i += n;
	}
	return w;
}

int
text_check(const char *s, size_t min, size_t max, enum text_flags flags,
    char *why, size_t whysz)
{
	size_t		 len = strlen(s), i = 0, n, count = 0;
	uint32_t	 cp;

#define WHY(...) do { if (why) snprintf(why, whysz, __VA_ARGS__); } while (0)
	if (why && whysz)
		why[0] = '\0';
	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			WHY("not valid UTF-8");
			return ERR_INVALID;
		}
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
			if (!((flags & TEXT_MULTILINE) && (cp == '\n' || cp == '\t'))) {
				WHY("control characters are not allowed");
				return ERR_INVALID;
			}
		}
		i += n;
		if (++count > max) {
			WHY("too long (at most %zu characters)", max);
			return ERR_INVALID;
		}
	}
	if (count < min) {
		if (min <= 1)
			WHY("must not be empty");
		else
			WHY("too short (at least %zu characters)", min);
		return ERR_INVALID;
	}
#undef WHY
	return 0;
}
