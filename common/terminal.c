/* What the user's terminal can show (common/terminal.h). */
#include "common/terminal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"

bool
terminal_ascii_only(void)
{
	const char *t = getenv("TERM"), *force = getenv("SSHBOOK_ASCII");

	if (force != NULL && strcmp(force, "1") == 0)
		return true;
	if (t == NULL)
		return true;
	return strcmp(t, "linux") == 0 || strncmp(t, "vt", 2) == 0 || strcmp(t, "dumb") == 0 ||
	    strcmp(t, "ansi") == 0 || strncmp(t, "cons", 4) == 0;
}

/*
 * The glyphs the interface and markdown draw, with their ASCII stand-ins.
 * Sorted by code point (bsearch).
 */
static const struct glyph {
	uint32_t	 cp;
	const char	*ascii;
} glyphs[] = {
	{ 0x00a0, " " },	/* no-break space */
	{ 0x00ab, "<" }, { 0x00b7, "." }, { 0x00bb, ">" },
	{ 0x00d7, "x" }, { 0x00f7, "/" },
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" }, { 0x2013, "-" }, { 0x2014, "-" },
	{ 0x2018, "'" }, { 0x2019, "'" }, { 0x201c, "\"" }, { 0x201d, "\"" },
	{ 0x2022, "*" },	/* • */
	{ 0x2026, "..." },	/* … */
	{ 0x2039, "<" }, { 0x203a, ">" },
	{ 0x2190, "<" }, { 0x2191, "^" }, { 0x2192, ">" }, { 0x2193, "v" },
	{ 0x2500, "-" }, { 0x2501, "-" }, { 0x2502, "|" }, { 0x2503, "|" },
	{ 0x250c, "+" }, { 0x2510, "+" }, { 0x2514, "+" }, { 0x2518, "+" },
	{ 0x251c, "+" }, { 0x2524, "+" }, { 0x252c, "+" }, { 0x2534, "+" }, { 0x253c, "+" },
	{ 0x2550, "=" }, { 0x2551, "|" },
	{ 0x256d, "+" }, { 0x256e, "+" }, { 0x256f, "+" }, { 0x2570, "+" },
	{ 0x2580, "#" }, { 0x2584, "#" }, { 0x2588, "#" }, { 0x258c, "|" }, { 0x2590, "|" },
	{ 0x2591, ":" }, { 0x2592, "%" }, { 0x2593, "#" },
	{ 0x25aa, "-" },	/* ▪ */
	{ 0x25b2, "^" }, { 0x25b6, ">" }, { 0x25b8, ">" }, { 0x25bc, "v" },
	{ 0x25c0, "<" }, { 0x25c2, "<" },
	{ 0x25cb, "o" }, { 0x25cf, "*" }, { 0x25e6, "o" },	/* ○ ● ◦ */
	{ 0x2713, "v" }, { 0x2714, "v" }, { 0x2717, "x" }, { 0x2718, "x" },
	{ 0xfffd, "?" },
};

/* Latin-1 letters U+00C0..U+00FF without their accents ("x" for ×, "/" for ÷ above). */
static const char latin1[] =
	"AAAAAAACEEEEIIII" "DNOOOOOxOUUUUYTs" "aaaaaaaceeeeiiii" "dnooooo/ouuuuyty";

static int
glyph_cmp(const void *key, const void *elt)
{
	uint32_t cp = *(const uint32_t *)key, g = ((const struct glyph *)elt)->cp;

	return cp < g ? -1 : cp > g;
}

char *
terminal_ascii_dup(const char *s)
{
	struct buf		 b = BUF_INIT;
	const struct glyph	*g;
	size_t			 len = strlen(s), i = 0, n;
	uint32_t		 cp;
	int			 w;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			buf_addch(&b, s[i++]);
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			buf_addch(&b, '?');	/* not UTF-8: sanitized text never is */
			i++;
			continue;
		}
		i += n;
		g = bsearch(&cp, glyphs, sizeof glyphs / sizeof glyphs[0], sizeof glyphs[0],
		    glyph_cmp);
		if (g != NULL)
			buf_adds(&b, g->ascii);
		else if (cp >= 0xc0 && cp <= 0xff)
			buf_addch(&b, latin1[cp - 0xc0]);
		else if ((w = utf8_cp_width(cp)) <= 0)
			;	/* variation selectors and combining marks: nothing to show */
		else
			for (; w > 0; w--)
				buf_addch(&b, '?');
	}
	return buf_detach(&b, NULL);
}
