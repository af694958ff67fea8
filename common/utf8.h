/*
 * UTF-8 validation, decoding and terminal display width.
 * Widths come from wcwidth(3), so the process must run setlocale(LC_CTYPE, "")
 * with a UTF-8 locale (or call utf8_locale_init) before asking for widths.
 */
#ifndef SSHBOOK_UTF8_H
#define SSHBOOK_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Try the environment's locale, then C.UTF-8; returns false when no UTF-8 locale exists. */
bool	utf8_locale_init(void);

/*
 * Decode one code point from s (at most len bytes). Returns the bytes used
 * (1..4) and sets *cp, or 0 for an invalid, overlong, surrogate or truncated
 * sequence (then *cp is U+FFFD).
 */
size_t	utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encode cp into out (4 bytes room); returns bytes written, 0 if cp is invalid. */
size_t	utf8_encode(uint32_t cp, char out[4]);
/* True when s[0..len) is entirely valid UTF-8 (no NUL bytes either). */
bool	utf8_valid(const char *s, size_t len);
/* Number of code points in a valid NUL-terminated string. */
size_t	utf8_count(const char *s);
/* Offset of the code point before pos (0 at the start). */
size_t	utf8_prev(const char *s, size_t pos);
/* Offset of the code point after pos (len at the end). */
size_t	utf8_next(const char *s, size_t len, size_t pos);
/* Display columns of one code point: 0 (combining), 1 or 2; unprintable counts 1. */
int	utf8_cp_width(uint32_t cp);
/* Display columns of a NUL-terminated string; invalid bytes count 1 each. */
size_t	utf8_width(const char *s);

/* What text_check accepts besides ordinary characters. */
enum text_flags {
	TEXT_SINGLE_LINE = 0,	/* no newline, no tab */
	TEXT_MULTILINE = 1,	/* newline and tab allowed */
};

/*
 * Validate user text for storage: valid UTF-8, no C0/C1 control characters
 * (but newline and tab with TEXT_MULTILINE), no DEL, min..max code points
 * (min 0 allows the empty string). Returns 0 or ERR_INVALID; when why is not
 * NULL it receives a static lower-case reason ("too long (max 64 characters)"
 * is formatted into why, which must hold whysz bytes).
 */
int	text_check(const char *s, size_t min, size_t max, enum text_flags,
	    char *why, size_t whysz);

#endif
