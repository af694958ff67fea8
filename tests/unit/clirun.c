#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "cli/cli.h"
#include "common/cmdline.h"
#include "tests/unit/clirun.h"

struct clirun
clirun(const struct clirun_as *who, const char *line, const void *input, size_t inlen)
{
	struct cli_ctx	cc;
	struct clirun	r = { 0 };
	struct cmdline	cl;
	size_t		outlen, errlen;
	char		why[128];

	assert_int_equal(cmdline_split(line, strlen(line), &cl, why, sizeof why), 0);
	memset(&cc, 0, sizeof cc);
	cc.st = who->st;
	cc.user_id = who->user_id;
	cc.username = who->username;
	cc.data_dir = who->data_dir;
	cc.hub_fd = who->hub_fd;
	cc.follow_tick = who->follow_tick;
	cc.follow_arg = who->follow_arg;
	if (input == NULL)
		cc.in = NULL;
	else if (inlen == 0)
		cc.in = fopen("/dev/null", "r");
	else
		cc.in = fmemopen((void *)input, inlen, "r");
	cc.out = who->out != NULL ? who->out : open_memstream(&r.out, &outlen);
	cc.err = open_memstream(&r.err, &errlen);
	r.status = cli_run(&cc, cl.argc, cl.argv);
	if (who->out == NULL)
		fclose(cc.out);
	else
		r.out = strdup("");
	fclose(cc.err);
	if (cc.in != NULL)
		fclose(cc.in);
	cmdline_free(&cl);
	return r;
}

void
clirun_free(struct clirun *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

void
clirun_check(const char *line, const struct clirun *r, int status, const char *out_has,
    const char *err_has)
{
	if (r->status != status)
		fail_msg("'%s': status %d, expected %d (out '%s', err '%s')", line, r->status,
		    status, r->out, r->err);
	if (out_has != NULL && strstr(r->out, out_has) == NULL)
		fail_msg("'%s': output lacks '%s':\n%s", line, out_has, r->out);
	if (err_has != NULL && strstr(r->err, err_has) == NULL)
		fail_msg("'%s': stderr lacks '%s': %s", line, err_has, r->err);
	if (status != 0) {
		assert_string_equal(r->out, "");
		assert_ptr_equal(strchr(r->err, '\n'), r->err + strlen(r->err) - 1);
	} else
		assert_string_equal(r->err, "");
}

struct json_object *
json_line(const char *out, size_t nth)
{
	struct json_object	*o;
	const char		*p = out;
	char			*line;
	size_t			 len;

	while (nth-- > 0) {
		assert_non_null(p = strchr(p, '\n'));
		p++;
	}
	len = strcspn(p, "\n");
	assert_true(len > 0);
	line = strndup(p, len);
	o = json_tokener_parse(line);
	free(line);
	assert_non_null(o);
	assert_true(json_object_is_type(o, json_type_object));
	return o;
}

struct json_object *
jget(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no key '%s'", key);
	return v;
}

const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	if (v != NULL && !json_object_is_type(v, json_type_string))
		fail_msg("'%s' is not a string", key);
	return json_object_get_string(v);
}

bool
jnull(struct json_object *o, const char *key)
{
	return jget(o, key) == NULL;
}

int64_t
jint(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	if (!json_object_is_type(v, json_type_int))
		fail_msg("'%s' is not a number", key);
	return json_object_get_int64(v);
}

size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}
