/*
 * Markdown (CommonMark, through cmark) to styled, wrapped lines for a
 * terminal. No ncurses here: the TUI maps styles to attributes. All text in
 * the result is already sanitized (common/sanitize.h) and wraps at the width
 * asked, by display columns (wide characters count two).
 */
#ifndef SSHBOOK_MARKDOWN_H
#define SSHBOOK_MARKDOWN_H

#include <stddef.h>

enum md_style {
	MD_PLAIN = 0,
	MD_BOLD = 1 << 0,	/* **strong** */
	MD_ITALIC = 1 << 1,	/* *emphasis* */
	MD_CODE = 1 << 2,	/* `code` and code blocks */
	MD_LINK = 1 << 3,	/* a link's URL, shown after its text: "text (https://...)" */
	MD_HEADING = 1 << 4,
	MD_QUOTE = 1 << 5,	/* inside a block quote (lines start with "│ ") */
	MD_MARKER = 1 << 6,	/* list bullets and numbers, quote bars */
	MD_HASHTAG = 1 << 7,	/* #tag in text */
	MD_MENTION = 1 << 8,	/* @user in text */
};

struct md_span {
	char		*text;	/* sanitized UTF-8, no newlines */
	unsigned	 style;	/* enum md_style bits */
};

struct md_line {
	struct md_span	*spans;
	size_t		 n;
};

struct md_doc {
	struct md_line	*lines;
	size_t		 n;
};

/*
 * Render markdown into lines at most width columns wide (width < 10 is
 * treated as 10). Paragraphs are separated by one empty line; lists get "• "
 * or "1. " markers with hanging indents; block quotes "│ "; code blocks keep
 * their lines (cut, not wrapped, at width); links show as "text (url)";
 * images as "[image: alt] (url)"; raw HTML shows as its text, never
 * interpreted. Returns 0, or ERR_INVALID when cmark cannot parse (not
 * expected for any input). The caller frees *out with md_doc_free.
 */
int	md_render(const char *markdown, int width, struct md_doc *out);
void	md_doc_free(struct md_doc *);
/* Concatenate a line's spans (for tests and plain-text output); caller frees. */
char	*md_line_text(const struct md_line *);

#endif
