#include "cli/json.h"

#include "common/timefmt.h"

void
json_print_line(FILE *out, struct json_object *obj)
{
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE), out);
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
