/*
 * Markdown to wrapped, styled lines. cmark parses; we walk its AST with
 * cmark_iter, which is iterative, so nothing here recurses however deeply the
 * input nests. cmark's HTML renderer is never used: raw HTML is shown as text.
 *
 * Layout model: a stack of container levels (block quotes, lists, items) each
 * contributing a prefix to every line ("│ ", "• " then "  "); text is gathered
 * into words (a word may mix styles, "**a**b" is one word) and a word goes on
 * the current line if it fits, else on the next; a word wider than the room
 * is broken between characters. Widths are display columns (utf8_cp_width).
 *
 * Bounds: input over MD_MAX_INPUT bytes is not parsed as markdown at all but
 * shown as plain paragraphs; containers past MD_MAX_DEPTH levels, or whose
 * prefix would take more than half the width, get no prefix of their own (the
 * text inside still shows, flattened). So every line fits the width.
 */
#include "media/markdown.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include <cmark.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/sanitize.h"
#include "common/utf8.h"
#include "common/xmalloc.h"

#define MD_MIN_WIDTH	10
#define MD_MAX_WIDTH	4096	/* wider is pointless, and keeps column sums small */
#define MD_MAX_INPUT	65536	/* bytes; longer input is shown as plain paragraphs */
#define MD_MAX_DEPTH	32	/* container levels that may have a prefix */
#define MD_TAG_MAX	32	/* characters in a hashtag (as storage's TAG_MAX) */
#define MD_NAME_MIN	2	/* usernames: 2..32 of a-z 0-9 _ -, from a letter */
#define MD_NAME_MAX	32
#define MD_TAB_STOP	4	/* tabs in code blocks */
#define CODE_INDENT	"  "

static const char	 quote_bar[] = "\xe2\x94\x82";	/* U+2502 │ */
static const char	 rule_char[] = "\xe2\x94\x80";	/* U+2500 ─ */
static const char	*const bullets[] = {
	"\xe2\x80\xa2",		/* • */
	"\xe2\x97\xa6",		/* ◦ */
	"\xe2\x96\xaa",		/* ▪ */
};

enum level_kind { LV_QUOTE, LV_LIST, LV_ITEM };

struct level {
	enum level_kind	 kind;
	bool		 pushed;	/* has a prefix; false: flattened */
	int		 w;		/* columns of the prefix (0 for a list) */
	char		 marker[24];	/* an item's first-line prefix: "• ", "12. " */
	bool		 marker_pending;	/* an item whose first line is not out yet */
	/* lists */
	bool		 ordered;
	char		 delim;		/* '.' or ')' */
	long		 next;		/* the next item's number */
	int		 bullet;	/* index into bullets[] */
};

struct piece {
	size_t		 off, len;	/* in the word buffer */
	unsigned	 style;
};

struct md_ctx {
	struct md_doc	*doc;
	size_t		 lines_alloc;
	int		 width;

	struct level	 lv[MD_MAX_DEPTH];
	int		 nlv;		/* levels on the stack */
	int		 deep;		/* container levels past MD_MAX_DEPTH */
	int		 prefix_w;	/* columns of the pushed prefixes */

	/* the line being built */
	bool		 open;		/* its prefix is out */
	int		 col;		/* columns used, prefix included */
	int		 text_w;	/* columns of text after the prefix */
	struct md_line	 line;
	size_t		 spans_alloc;
	struct buf	 span;		/* the last span, still growing */
	unsigned	 span_style;

	/* the word being gathered */
	struct buf	 word;
	struct piece	*pieces;
	size_t		 npieces, pieces_alloc;
	int		 word_w;
	bool		 space;		/* a blank goes before the next word */
	unsigned	 space_style;

	bool		 need_blank;	/* a block ended: an empty line before the next */
	uint32_t	 prev;		/* the last character of text, for # and @ */

	/* inline state: counters rather than a stack, so depth costs nothing */
	int		 emph, strong, quote;
	int		 autolink;	/* inside <https://...>: the text is the URL */
	bool		 heading;
};

/* ---- lines ------------------------------------------------------------- */

static void
span_flush(struct md_ctx *c)
{
	struct md_span *sp;

	if (c->span.len == 0)
		return;
	if (c->line.n == c->spans_alloc) {
		c->spans_alloc = c->spans_alloc ? c->spans_alloc * 2 : 4;
		c->line.spans = xreallocarray(c->line.spans, c->spans_alloc,
		    sizeof *c->line.spans);
	}
	sp = &c->line.spans[c->line.n++];
	sp->style = c->span_style;
	sp->text = buf_detach(&c->span, NULL);
}

/* Append n bytes of already sanitized text, w columns wide, to the line. */
static void
line_put(struct md_ctx *c, const char *s, size_t n, unsigned style, int w)
{
	if (n == 0)
		return;
	if (style != c->span_style && c->span.len > 0)
		span_flush(c);
	c->span_style = style;
	buf_add(&c->span, s, n);
	c->col += w;
}

static void
line_puts(struct md_ctx *c, const char *s, unsigned style)
{
	line_put(c, s, strlen(s), style, (int)utf8_width(s));
}

static void
doc_push(struct md_ctx *c)
{
	struct md_doc *d = c->doc;

	if (d->n == c->lines_alloc) {
		c->lines_alloc = c->lines_alloc ? c->lines_alloc * 2 : 16;
		d->lines = xreallocarray(d->lines, c->lines_alloc, sizeof *d->lines);
	}
	d->lines[d->n++] = c->line;
	memset(&c->line, 0, sizeof c->line);
	c->spans_alloc = 0;
}

static void
spaces(struct md_ctx *c, int n, unsigned style)
{
	for (; n > 0; n--)
		line_put(c, " ", 1, style, 1);
}

/* Start a line: the prefix of every level, an item's marker on its first line. */
static void
line_begin(struct md_ctx *c)
{
	struct level	*l;
	int		 i;

	if (c->open)
		return;
	c->open = true;
	c->col = c->text_w = 0;
	c->need_blank = false;
	for (i = 0; i < c->nlv; i++) {
		l = &c->lv[i];
		if (!l->pushed || l->w == 0)
			continue;
		if (l->kind == LV_QUOTE) {
			line_puts(c, quote_bar, MD_MARKER | MD_QUOTE);
			line_put(c, " ", 1, MD_MARKER | MD_QUOTE, 1);
		} else if (l->marker_pending) {
			line_puts(c, l->marker, MD_MARKER | (c->quote ? MD_QUOTE : 0));
			l->marker_pending = false;
		} else
			spaces(c, l->w, MD_PLAIN);
	}
}

static void
line_end(struct md_ctx *c)
{
	if (!c->open)
		return;
	span_flush(c);
	doc_push(c);
	c->open = false;
	c->col = c->text_w = 0;
	c->space = false;
}

/* An empty line between blocks: only the quote bars, no trailing blanks. */
static void
blank_line(struct md_ctx *c)
{
	struct level	*l;
	int		 i, last = -1;

	for (i = 0; i < c->nlv; i++)
		if (c->lv[i].pushed && c->lv[i].kind == LV_QUOTE)
			last = i;
	c->open = true;
	for (i = 0; i <= last; i++) {
		l = &c->lv[i];
		if (!l->pushed || l->w == 0)
			continue;
		if (l->kind == LV_QUOTE) {
			line_puts(c, quote_bar, MD_MARKER | MD_QUOTE);
			if (i < last)
				line_put(c, " ", 1, MD_MARKER | MD_QUOTE, 1);
		} else
			spaces(c, l->w, MD_PLAIN);
	}
	line_end(c);
	c->need_blank = false;
}

/* ---- words --------------------------------------------------------------- */

static void
word_add(struct md_ctx *c, const char *s, size_t n, unsigned style, int w)
{
	struct piece *p;

	if (c->npieces > 0 && c->pieces[c->npieces - 1].style == style) {
		c->pieces[c->npieces - 1].len += n;
	} else {
		if (c->npieces == c->pieces_alloc) {
			c->pieces_alloc = c->pieces_alloc ? c->pieces_alloc * 2 : 8;
			c->pieces = xreallocarray(c->pieces, c->pieces_alloc, sizeof *c->pieces);
		}
		p = &c->pieces[c->npieces++];
		p->off = c->word.len;
		p->len = n;
		p->style = style;
	}
	buf_add(&c->word, s, n);
	c->word_w += w;
}

/* Put a word wider than the room left: break it between characters. */
static void
word_break(struct md_ctx *c)
{
	const struct piece	*p;
	const char		*s;
	size_t			 i, j, n;
	uint32_t		 cp;
	int			 cw;

	for (i = 0; i < c->npieces; i++) {
		p = &c->pieces[i];
		s = c->word.buf + p->off;
		for (j = 0; j < p->len; j += n) {
			if ((n = utf8_decode(s + j, p->len - j, &cp)) == 0)
				n = 1;	/* cannot happen: the text is sanitized */
			cw = utf8_cp_width(cp);
			if (c->col + cw > c->width && c->text_w > 0) {
				line_end(c);
				line_begin(c);
			}
			line_put(c, s + j, n, p->style, cw);
			c->text_w += cw;
		}
	}
}

/* The word is complete: put it on this line if it fits, else on the next. */
static void
word_place(struct md_ctx *c)
{
	size_t	i;
	int	lead;

	if (c->word.len == 0)
		return;
	lead = c->open && c->text_w > 0 && c->space ? 1 : 0;
	if (c->open && c->text_w > 0 && c->col + lead + c->word_w > c->width) {
		line_end(c);
		lead = 0;
	}
	line_begin(c);
	if (lead) {
		line_put(c, " ", 1, c->space_style, 1);
		c->text_w++;
	}
	if (c->col + c->word_w <= c->width) {
		for (i = 0; i < c->npieces; i++)
			line_put(c, c->word.buf + c->pieces[i].off, c->pieces[i].len,
			    c->pieces[i].style, 0);
		c->col += c->word_w;
		c->text_w += c->word_w;
	} else
		word_break(c);
	buf_reset(&c->word);
	c->npieces = 0;
	c->word_w = 0;
	c->space = false;
}

/* ---- text ------------------------------------------------------------------ */

/* Display columns of n bytes of valid UTF-8. */
static int
width_n(const char *s, size_t n)
{
	size_t		 i = 0, k;
	uint32_t	 cp;
	int		 w = 0;

	while (i < n) {
		if ((k = utf8_decode(s + i, n - i, &cp)) == 0)
			k = 1;
		w += utf8_cp_width(cp);
		i += k;
	}
	return w;
}

static bool
is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9') || cp == '_';
	return iswalnum((wint_t)cp) != 0;
}

/* May a # or @ start a tag after prev? Not inside a word, a URL or an address. */
static bool
tag_boundary(uint32_t prev)
{
	return !is_word_cp(prev) && prev != '-' && prev != '/' && prev != '&' &&
	    prev != '#' && prev != '@' && prev != '.';
}

/*
 * The bytes of a hashtag body at s: 1..MD_TAG_MAX letters, digits, '_' or
 * '-', at least one of them not a digit. 0 when there is none.
 */
static size_t
match_hashtag(const char *s, size_t len)
{
	size_t		 i = 0, n, count = 0;
	uint32_t	 cp;
	bool		 letter = false;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			break;
		if (!is_word_cp(cp) && cp != '-')
			break;
		if (!(cp >= '0' && cp <= '9') && cp != '-')
			letter = true;
		i += n;
		count++;
	}
	if (count == 0 || count > MD_TAG_MAX || !letter)
		return 0;
	return i;
}

/* The bytes of a username at s (PRODUCT: 2..32 of a-z 0-9 _ -, from a letter), or 0. */
static size_t
match_username(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
	    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
		i++;
	/* A longer run is not a name: no partial mention of "@aaaa...a". */
	if (i < MD_NAME_MIN || i > MD_NAME_MAX)
		return 0;
	if (i < len && ((unsigned char)s[i] >= 0x80 || s[i] == '@'))
		return 0;	/* "@bobé", "@bob@host": not a username followed by text */
	return i;
}

/*
 * Add sanitized text in style: blanks separate words; with tags, "#word" and
 * "@user" at the start of a word get MD_HASHTAG / MD_MENTION.
 */
static void
text_add(struct md_ctx *c, const char *s, unsigned style, bool tags)
{
	size_t		 len = strlen(s), i = 0, n, m;
	uint32_t	 cp;
	unsigned	 tstyle;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			/* Cannot happen (the text is sanitized), but never pass a bad byte on. */
			word_add(c, "\xef\xbf\xbd", 3, style, 1);
			c->prev = 0xFFFD;
			i++;
			continue;
		}
		if (cp == ' ') {
			word_place(c);
			c->space = true;
			c->space_style = style;
			c->prev = cp;
			i += n;
			continue;
		}
		if (tags && (cp == '#' || cp == '@') && tag_boundary(c->prev)) {
			if (cp == '#') {
				m = match_hashtag(s + i + 1, len - i - 1);
				tstyle = MD_HASHTAG;
			} else {
				m = match_username(s + i + 1, len - i - 1);
				tstyle = MD_MENTION;
			}
			if (m > 0) {
				word_add(c, s + i, m + 1, style | tstyle,
				    width_n(s + i, m + 1));
				c->prev = 'a';
				i += m + 1;
				continue;
			}
		}
		word_add(c, s + i, n, style, utf8_cp_width(cp));
		c->prev = cp;
		i += n;
	}
}

/* Sanitize raw text from the AST, then add it. */
static void
text_add_raw(struct md_ctx *c, const char *raw, unsigned style, bool tags)
{
	char *clean;

	if (raw == NULL || raw[0] == '\0')
		return;
	clean = sanitize_dup(raw, false);
	text_add(c, clean, style, tags);
	free(clean);
}

static unsigned
cur_style(const struct md_ctx *c)
{
	unsigned s = MD_PLAIN;

	if (c->emph > 0)
		s |= MD_ITALIC;
	if (c->strong > 0)
		s |= MD_BOLD;
	if (c->quote > 0)
		s |= MD_QUOTE;
	if (c->heading)
		s |= MD_HEADING;
	if (c->autolink > 0)
		s |= MD_LINK;
	return s;
}

/* A hard line break: end the line here (an empty one if nothing is on it). */
static void
hard_break(struct md_ctx *c)
{
	word_place(c);
	line_begin(c);
	line_end(c);
	c->prev = ' ';
}

/* ---- blocks ------------------------------------------------------------------ */

/* In a tight list, items and the blocks inside them are not separated by blank lines. */
static bool
tight_here(cmark_node *node)
{
	cmark_node *p;

	if (node == NULL || (p = cmark_node_parent(node)) == NULL)
		return false;
	if (cmark_node_get_type(node) == CMARK_NODE_ITEM)
		return cmark_node_get_list_tight(p) != 0;
	if (cmark_node_get_type(p) == CMARK_NODE_ITEM && cmark_node_parent(p) != NULL)
		return cmark_node_get_list_tight(cmark_node_parent(p)) != 0;
	return false;
}

static void
block_begin(struct md_ctx *c, cmark_node *node)
{
	word_place(c);
	line_end(c);
	if (c->need_blank && !tight_here(node))
		blank_line(c);
	c->need_blank = false;
	c->space = false;
	c->prev = ' ';
}

static void
block_end(struct md_ctx *c)
{
	word_place(c);
	line_end(c);
	c->need_blank = true;
	c->prev = ' ';
}

/*
 * Push a container level. Past MD_MAX_DEPTH it is only counted; a level whose
 * prefix would take the text below half the width is kept but gets no prefix.
 */
static struct level *
level_push(struct md_ctx *c, enum level_kind kind, int w)
{
	struct level *l;

	if (c->deep > 0 || c->nlv == MD_MAX_DEPTH) {
		c->deep++;
		return NULL;
	}
	l = &c->lv[c->nlv++];
	memset(l, 0, sizeof *l);
	l->kind = kind;
	l->w = w;
	l->pushed = c->prefix_w + w <= c->width / 2;
	if (l->pushed)
		c->prefix_w += w;
	return l;
}

static void
level_pop(struct md_ctx *c)
{
	struct level *l;

	if (c->deep > 0) {
		c->deep--;
		return;
	}
	if (c->nlv == 0)
		return;
	l = &c->lv[--c->nlv];
	if (l->pushed)
		c->prefix_w -= l->w;
}

static void
list_enter(struct md_ctx *c, cmark_node *node)
{
	struct level	*l;
	int		 i, nbullet = 0;

	for (i = 0; i < c->nlv; i++)
		if (c->lv[i].kind == LV_LIST && !c->lv[i].ordered)
			nbullet++;
	if ((l = level_push(c, LV_LIST, 0)) == NULL)
		return;
	l->ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
	l->delim = cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM ? ')' : '.';
	l->next = cmark_node_get_list_start(node);
	l->bullet = nbullet % (int)(sizeof bullets / sizeof bullets[0]);
}

static void
item_enter(struct md_ctx *c)
{
	struct level	*list = NULL, *l;
	char		 marker[sizeof l->marker];

	if (c->deep == 0 && c->nlv > 0 && c->lv[c->nlv - 1].kind == LV_LIST)
		list = &c->lv[c->nlv - 1];
	if (list == NULL) {
		(void)level_push(c, LV_ITEM, 0);	/* flattened: counted only */
		return;
	}
	if (list->ordered)
		snprintf(marker, sizeof marker, "%ld%c ", list->next++, list->delim);
	else
		snprintf(marker, sizeof marker, "%s ", bullets[list->bullet]);
	if ((l = level_push(c, LV_ITEM, (int)utf8_width(marker))) == NULL)
		return;
	memcpy(l->marker, marker, sizeof l->marker);
	l->marker_pending = true;
}

static void
item_exit(struct md_ctx *c)
{
	struct level *l = c->deep == 0 && c->nlv > 0 ? &c->lv[c->nlv - 1] : NULL;

	/* An empty item still shows its marker. */
	if (l != NULL && l->pushed && l->marker_pending) {
		line_begin(c);
		line_end(c);
		c->need_blank = true;
	}
	level_pop(c);
}

/* Code: each line kept, tabs expanded, cut (not wrapped) at the width. */
static void
code_block(struct md_ctx *c, const char *lit)
{
	struct buf	 raw = BUF_INIT;
	const char	*e, *s = lit ? lit : "";
	char		*clean;
	unsigned	 style = cur_style(c) | MD_CODE;
	size_t		 n, i, k;
	uint32_t	 cp;
	int		 col, cw;

	while (*s != '\0') {
		e = strchr(s, '\n');
		n = e != NULL ? (size_t)(e - s) : strlen(s);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		buf_reset(&raw);
		for (i = col = 0; i < n; i++) {
			if (s[i] == '\t') {
				do
					buf_addch(&raw, ' ');
				while (++col % MD_TAB_STOP != 0);
				continue;
			}
			buf_addch(&raw, s[i]);
			if (((unsigned char)s[i] & 0xC0) != 0x80)
				col++;
		}
		clean = sanitize_dup(raw.buf, false);
		line_begin(c);
		line_puts(c, CODE_INDENT, style);
		n = strlen(clean);
		for (i = 0; i < n; i += k) {
			if ((k = utf8_decode(clean + i, n - i, &cp)) == 0)
				k = 1;
			cw = utf8_cp_width(cp);
			if (c->col + cw > c->width)
				break;
			line_put(c, clean + i, k, style, cw);
		}
		line_end(c);
		free(clean);
		s = e != NULL ? e + 1 : s + strlen(s);
	}
	buf_release(&raw);
}

/* Raw HTML: its text, line by line, never interpreted. */
static void
html_block(struct md_ctx *c, const char *lit)
{
	const char	*e, *s = lit ? lit : "";
	char		*line;
	size_t		 n;
	bool		 first = true;

	while (*s != '\0') {
		e = strchr(s, '\n');
		n = e != NULL ? (size_t)(e - s) : strlen(s);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (!first)
			hard_break(c);
		first = false;
		line = xstrndup(s, n);
		text_add_raw(c, line, cur_style(c), false);
		free(line);
		s = e != NULL ? e + 1 : s + strlen(s);
	}
}

static void
thematic_break(struct md_ctx *c)
{
	line_begin(c);
	while (c->col < c->width)
		line_put(c, rule_char, sizeof rule_char - 1, MD_MARKER, 1);
	line_end(c);
}

/* ---- inlines ------------------------------------------------------------------- */

/* An autolink (<https://x>) shows its URL once, not "url (url)". */
static bool
link_is_url(cmark_node *node)
{
	cmark_node	*t = cmark_node_first_child(node);
	const char	*lit, *url = cmark_node_get_url(node);

	if (url == NULL || t == NULL || cmark_node_next(t) != NULL || cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return false;
	lit = cmark_node_get_literal(t);
	if (lit == NULL)
		return false;
	return strcmp(lit, url) == 0 ||
	    (strncmp(url, "mailto:", 7) == 0 && strcmp(lit, url + 7) == 0);
}

/* " (url)" after a link's or an image's text; just "url" when there was no text. */
static void
show_url(struct md_ctx *c, cmark_node *node, bool had_text)
{
	const char	*url = cmark_node_get_url(node);
	unsigned	 style = cur_style(c);

	if (url == NULL || url[0] == '\0')
		return;
	if (!had_text) {
		text_add_raw(c, url, style | MD_LINK, false);
		return;
	}
	text_add(c, " (", style, false);
	text_add_raw(c, url, style | MD_LINK, false);
	text_add(c, ")", style, false);
}

/* ---- the walk ---------------------------------------------------------------------- */

static void
walk(struct md_ctx *c, cmark_node *root)
{
	cmark_iter		*it = cmark_iter_new(root);
	cmark_event_type	 ev;
	cmark_node		*node;
	bool			 enter, has_alt;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		enter = ev == CMARK_EVENT_ENTER;
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_BLOCK_QUOTE:
			if (enter) {
				block_begin(c, node);
				(void)level_push(c, LV_QUOTE, (int)utf8_width(quote_bar) + 1);
				c->quote++;
			} else {
				block_end(c);
				level_pop(c);
				c->quote--;
			}
			break;
		case CMARK_NODE_LIST:
			if (enter) {
				block_begin(c, node);
				list_enter(c, node);
			} else {
				block_end(c);
				level_pop(c);
			}
			break;
		case CMARK_NODE_ITEM:
			if (enter) {
				block_begin(c, node);
				item_enter(c);
			} else {
				block_end(c);
				item_exit(c);
			}
			break;
		case CMARK_NODE_PARAGRAPH:
			if (enter)
				block_begin(c, node);
			else
				block_end(c);
			break;
		case CMARK_NODE_HEADING:
			if (enter) {
				block_begin(c, node);
				c->heading = true;
			} else {
				block_end(c);
				c->heading = false;
			}
			break;
		case CMARK_NODE_CODE_BLOCK:
			block_begin(c, node);
			code_block(c, cmark_node_get_literal(node));
			block_end(c);
			break;
		case CMARK_NODE_HTML_BLOCK:
			block_begin(c, node);
			html_block(c, cmark_node_get_literal(node));
			block_end(c);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			block_begin(c, node);
			thematic_break(c);
			block_end(c);
			break;
		case CMARK_NODE_TEXT:
			text_add_raw(c, cmark_node_get_literal(node), cur_style(c), true);
			break;
		case CMARK_NODE_CODE:
			text_add_raw(c, cmark_node_get_literal(node), cur_style(c) | MD_CODE, false);
			break;
		case CMARK_NODE_HTML_INLINE:
			text_add_raw(c, cmark_node_get_literal(node), cur_style(c), false);
			break;
		case CMARK_NODE_SOFTBREAK:
			text_add(c, " ", cur_style(c), false);
			break;
		case CMARK_NODE_LINEBREAK:
			hard_break(c);
			break;
		case CMARK_NODE_EMPH:
			c->emph += enter ? 1 : -1;
			break;
		case CMARK_NODE_STRONG:
			c->strong += enter ? 1 : -1;
			break;
		case CMARK_NODE_LINK:
			if (link_is_url(node))
				c->autolink += enter ? 1 : -1;
			else if (!enter)
				show_url(c, node, cmark_node_first_child(node) != NULL);
			break;
		case CMARK_NODE_IMAGE:
			has_alt = cmark_node_first_child(node) != NULL;
			if (enter)
				text_add(c, has_alt ? "[image: " : "[image", cur_style(c), false);
			else {
				text_add(c, "]", cur_style(c), false);
				show_url(c, node, true);
			}
			break;
		default:	/* the document, custom nodes */
			break;
		}
	}
	cmark_iter_free(it);
}

/* Past MD_MAX_INPUT: plain paragraphs (blank lines separate them), no markdown. */
static void
render_plain(struct md_ctx *c, const char *s)
{
	const char	*e;
	char		*line;
	size_t		 n;
	bool		 in_para = false;

	while (*s != '\0') {
		e = strchr(s, '\n');
		n = e != NULL ? (size_t)(e - s) : strlen(s);
		line = xstrndup(s, n);
		if (line[strspn(line, " \t\r")] == '\0') {
			if (in_para)
				block_end(c);
			in_para = false;
		} else {
			if (!in_para)
				block_begin(c, NULL);
			in_para = true;
			if (n > 0 && line[n - 1] == '\r')
				line[n - 1] = '\0';
			text_add_raw(c, line, MD_PLAIN, true);
			text_add(c, " ", MD_PLAIN, false);
		}
		free(line);
		s = e != NULL ? e + 1 : s + n;
	}
	if (in_para)
		block_end(c);
}

/* ---- the contract ------------------------------------------------------------------ */

int
md_render(const char *markdown, int width, struct md_doc *out)
{
	struct md_ctx	 c;
	cmark_node	*root;
	size_t		 len;
	int		 r = 0;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	c.doc = out;
	c.width = width < MD_MIN_WIDTH ? MD_MIN_WIDTH :
	    width > MD_MAX_WIDTH ? MD_MAX_WIDTH : width;
	buf_init(&c.span);
	buf_init(&c.word);
	c.prev = ' ';
	if (markdown == NULL)
		markdown = "";
	len = strlen(markdown);
	if (len > MD_MAX_INPUT)
		render_plain(&c, markdown);
	else if ((root = cmark_parse_document(markdown, len,
	    CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)) != NULL) {
		walk(&c, root);
		cmark_node_free(root);
	} else
		r = ERR_INVALID;
	word_place(&c);
	line_end(&c);
	buf_release(&c.span);
	buf_release(&c.word);
	free(c.pieces);
	free(c.line.spans);
	if (r != 0)
		md_doc_free(out);
	return r;
}

void
md_doc_free(struct md_doc *d)
{
	size_t i, j;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		for (j = 0; j < d->lines[i].n; j++)
			free(d->lines[i].spans[j].text);
		free(d->lines[i].spans);
	}
	free(d->lines);
	memset(d, 0, sizeof *d);
}

char *
md_line_text(const struct md_line *l)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < l->n; i++)
		buf_adds(&b, l->spans[i].text);
	return buf_detach(&b, NULL);
}
