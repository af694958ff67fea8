/* JSON output for --json: one object per line, through json-c (no hand-rolled escaping). */
#ifndef SSHBOOK_CLI_JSON_H
#define SSHBOOK_CLI_JSON_H

#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

/* Print obj as one line to out, then release it. */
void	json_print_line(FILE *out, struct json_object *obj);
/* An RFC 3339 UTC string for a unix time. */
struct json_object	*json_time(int64_t t);

#endif
