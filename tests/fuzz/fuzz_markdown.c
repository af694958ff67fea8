/* Markdown rendering of any bytes: every span sanitized, no line wider than asked. */
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "media/markdown.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {
	"# Title\n\n*em* **strong** `code` [link](http://x) ![img](y.png) #tag @bob",
	"- a\n- b\n  1. c\n  2. d\n\n> quote\n> > deeper\n\n---\n",
	"```\ncode\tblock \x1b[31m\n```\n    indented\n",
	"<b>raw</b> <script>x</script>\n\n<div>\nblock\n</div>",
	"\x1b]0;title\x07 \xc2\x9b" "2J &#27;[1m &#x9b; \xe2\x80\xae" "bidi \xff\xfe",
	"日本語の文章 😀 emoji e\xcc\x81 combining",
	"> > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > deep",
	"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]",
	"- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x",
	"*a **b *c **d *e **f ***g*** f** e* d** c* b** a*",
	"a verylongwordwithoutanyspacesthatmustbebrokenbetweencharacters b",
	"line  \nbreak\\\nhard\n\n1) one\n2) two\n\n<https://auto.link> mail@x.y",
	NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int	 widths[] = { 10, 23, 80 };
	struct md_doc		 d;
	char			*s = malloc(size + 1), *t;
	size_t			 w, i, j, k;

	memcpy(s, data, size);
	s[size] = '\0';
	for (w = 0; w < sizeof widths / sizeof widths[0]; w++) {
		if (md_render(s, widths[w], &d) != 0)
			__builtin_trap();
		for (i = 0; i < d.n; i++) {
			for (j = 0; j < d.lines[i].n; j++) {
				const unsigned char *p = (const unsigned char *)d.lines[i].spans[j].text;

				if (p == NULL || !utf8_valid((const char *)p, strlen((const char *)p)))
					__builtin_trap();
				/* No C0 at all (spans have no newlines or tabs either), no DEL, no C1. */
				for (k = 0; p[k]; k++)
					if (p[k] < 0x20 || p[k] == 0x7f ||
					    (p[k] == 0xc2 && p[k + 1] >= 0x80 && p[k + 1] <= 0x9f))
						__builtin_trap();
				if (strstr((const char *)p, "\xe2\x80\xae") != NULL)
					__builtin_trap();
			}
			t = md_line_text(&d.lines[i]);
			if (utf8_width(t) > (size_t)widths[w])
				__builtin_trap();
			free(t);
		}
		md_doc_free(&d);
	}
	free(s);
	return 0;
}
