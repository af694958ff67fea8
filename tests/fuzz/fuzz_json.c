/*
 * The JSON writer of `--json` (cli/json.c) on any text a user stored: every
 * line must be one JSON document that json-c reads back, with nothing a
 * terminal acts on (no raw control, DEL, C1, bidi or zero-width character),
 * and text that is valid UTF-8 must come back exactly (the escapes are for
 * the terminal, not a loss). The input is used as a string value, as a key
 * and inside an array, as the commands build their objects.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/json.h"
#include "common/sanitize.h"
#include "common/utf8.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {
	"plain", "quote \" backslash \\ slash / tab\t nl\n cr\r", "\x1b[2J\x1b]0;owned\x07",
	"\xc2\x9b" "31m \xc2\x85", "\xe2\x80\xae" "evil \xe2\x80\x8b zw \xef\xbb\xbf bom",
	"Zoë 日本 😀 e\xcc\x81", "\xed\xa0\x80 surrogate \xc0\xaf overlong \xff", "\x7f del",
	"\\u202e not an escape", "{\"k\":[1,2]}", NULL
};

/* Whether the decoded line is safe for a terminal: ASCII text and harmless characters only. */
static bool
line_safe(const char *s, size_t len)
{
	size_t		i = 0, n;
	uint32_t	cp;

	if (!utf8_valid(s, len))
		return false;
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0 || sanitize_cp_unsafe(cp))
			return false;
		i += n;
	}
	return true;
}

/* Valid UTF-8 apart from NUL bytes (which JSON carries as \u0000; utf8_valid refuses them). */
static bool
valid_between_nuls(const char *s, size_t len)
{
	const char	*nul;
	size_t		 n;

	while (len > 0) {
		nul = memchr(s, '\0', len);
		n = nul ? (size_t)(nul - s) : len;
		if (!utf8_valid(s, n))
			return false;
		n += nul != NULL;
		s += n;
		len -= n;
	}
	return true;
}

static struct json_object *
reparse(const char *line, size_t len)
{
	struct json_tokener	*tok = json_tokener_new();
	struct json_object	*o;

	o = json_tokener_parse_ex(tok, line, (int)len);
	/* One whole document, nothing after it. */
	FUZZ_CHECK(o != NULL && json_tokener_get_error(tok) == json_tokener_success);
	FUZZ_CHECK(json_tokener_get_parse_end(tok) == len);
	json_tokener_free(tok);
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object	*o, *arr, *back, *v;
	char			*line = NULL, *key;
	size_t			 len = 0;
	FILE			*f;
	bool			 valid = utf8_valid((const char *)data, size) &&
				     memchr(data, '\0', size) == NULL;

	if (size > 65536)
		return 0;
	/* A key is a C string; the prefix keeps it from replacing "text" or "list". */
	key = malloc(size + 3);
	memcpy(key, "k:", 2);
	memcpy(key + 2, data, size);
	key[size + 2] = '\0';

	o = json_object_new_object();
	json_object_object_add(o, "text", json_object_new_string_len((const char *)data, (int)size));
	json_object_object_add(o, key, json_object_new_int64(7));
	arr = json_object_new_array();
	json_object_array_add(arr, json_object_new_string(key));
	json_object_array_add(arr, json_time((int64_t)size * 86400 * 400 - 1));
	json_object_object_add(o, "list", arr);

	if ((f = open_memstream(&line, &len)) == NULL)
		abort();
	json_print_line(f, o);	/* releases o */
	fclose(f);

	/* One line, and nothing in it for a terminal to act on. */
	FUZZ_CHECK(len > 0 && line[len - 1] == '\n' && memchr(line, '\n', len - 1) == NULL);
	FUZZ_CHECK(line_safe(line, len - 1));
	back = reparse(line, len - 1);
	FUZZ_CHECK(json_object_object_get_ex(back, "text", &v));
	FUZZ_CHECK(json_object_is_type(v, json_type_string));
	/* Valid text comes back exactly, anything else as valid UTF-8. */
	FUZZ_CHECK(!valid || ((size_t)json_object_get_string_len(v) == size &&
	    memcmp(json_object_get_string(v), data, size) == 0));
	FUZZ_CHECK(valid_between_nuls(json_object_get_string(v), (size_t)json_object_get_string_len(v)));
	FUZZ_CHECK(!valid || (json_object_object_get_ex(back, key, &v) &&
	    json_object_get_int64(v) == 7));
	json_object_put(back);
	free(line);
	free(key);
	return 0;
}
