#include "cli/json.h"

#include <string.h>

#include "common/sanitize.h"
#include "common/timefmt.h"
#include "common/utf8.h"

/*
 * json-c escapes what JSON requires (quotes, backslashes, C0 controls) and
 * writes every other character as it is, but a terminal acts on some of
 * those: a bidi override (U+202E) reorders what follows, zero-width
 * characters (U+200B, U+200D) hide text, C1 controls may start a sequence.
 * The text output drops them (common/sanitize.h); here each one, by the same
 * rule, is written as a \uXXXX escape instead: the same string for a
 * script, nothing for a terminal to act on. Outside its strings a json-c
 * line is plain ASCII, so the pass over the whole line only touches string
 * contents. Storage keeps text valid UTF-8; a byte that is not comes out as
 * \ufffd rather than raw.
 */
static void
put_terminal_safe(FILE *out, const char *s)
{
	size_t		len = strlen(s), i = 0, n;
	uint32_t	cp;

	while (i < len) {
		/* Runs of ASCII below DEL (json-c already escaped its controls) go out whole. */
		for (n = 0; i + n < len && (unsigned char)s[i + n] < 0x7F; n++)
			;
		if (n > 0) {
			fwrite(s + i, 1, n, out);
			i += n;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			fputs("\\ufffd", out);
			i++;
		} else if (sanitize_cp_unsafe(cp)) {
			fprintf(out, "\\u%04x", (unsigned)cp);
			i += n;
		} else {
			fwrite(s + i, 1, n, out);
			i += n;
		}
	}
}

void
json_print_line(FILE *out, struct json_object *obj)
{
	put_terminal_safe(out, json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	fputc('\n', out);
	json_object_put(obj);
}

struct json_object *
json_time(int64_t t)
{
	char s[32];

	time_rfc3339(t, s, sizeof s);
	return json_object_new_string(s);
}
