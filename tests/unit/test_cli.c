/* The command table as exec and the `:` line use it, on an in-memory store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "cli/json.h"
#include "common/cmdline.h"
#include "storage/store.h"
#include "tests/unit/clirun.h"

/* Two real ed25519 public keys made with ssh-keygen for these tests. */
#define KEY1 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBOrKnNnGvjNezjoRxVw531xTrFjG6Zzda/xd7C0IE one@test"
#define KEY2 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILpStb2YC0gUsOS+HyDNUuykN2NFI9r3HtzC4X4kKwJB two@test"

struct fixture {
	struct store	*st;
	int64_t		 alice;
};

static struct clirun
run(struct fixture *f, const char *line, const char *input)
{
	struct clirun_as a = { .st = f->st, .user_id = f->alice, .username = "alice",
	    .hub_fd = -1 };

	return clirun(&a, line, input, input != NULL ? strlen(input) : 0);
}

static int
setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof *f);
	struct signup	 su = { 0 };

	assert_int_equal(store_open(":memory:", &f->st), 0);
	su.username = "alice";
	su.display_name = "Alice";
	su.key_line = KEY1;
	assert_int_equal(store_user_create(f->st, &su, &f->alice, NULL, 0), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	free(f);
	return 0;
}

static void
test_whoami(void **state)
{
	struct clirun r = run(*state, "whoami", NULL);

	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "alice\n");
	assert_string_equal(r.err, "");
	clirun_free(&r);
	r = run(*state, "whoami --json", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"username\":\"alice\""));
	assert_non_null(strstr(r.out, "\"display_name\":\"Alice\""));
	clirun_free(&r);
}

static void
test_help_lists_every_command(void **state)
{
	struct clirun	r = run(*state, "help", NULL);
	size_t		i;

	assert_int_equal(r.status, 0);
	for (i = 0; cli_commands[i] != NULL; i++)
		assert_non_null(strstr(r.out, cli_commands[i]->usage));
	clirun_free(&r);
	r = run(*state, "help keys", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "usage: keys"));
	clirun_free(&r);
	r = run(*state, "help nosuch", NULL);
	assert_int_equal(r.status, 2);
	clirun_free(&r);
}

static void
test_unknown_command_and_usage(void **state)
{
	struct clirun r = run(*state, "frobnicate now", NULL);

	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "unknown command"));
	/* One line, ending in a newline. */
	assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);
	clirun_free(&r);
	r = run(*state, "whoami extra", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "usage: whoami"));
	clirun_free(&r);
}

static void
test_keys_add_list_remove(void **state)
{
	struct fixture	*f = *state;
	struct clirun	 r = run(f, "keys add", KEY2 "\n");
	char		 line[256];
	char		*fp;

	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "SHA256:"));
	fp = strdup(r.out);
	fp[strcspn(fp, "\n")] = '\0';
	clirun_free(&r);

	r = run(f, "keys add", KEY2 "\n");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "already"));
	clirun_free(&r);

	r = run(f, "keys list", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, fp));
	assert_non_null(strstr(r.out, "two@test"));
	clirun_free(&r);

	r = run(f, "keys list --json", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"fingerprint\":\"SHA256:"));
	clirun_free(&r);

	snprintf(line, sizeof line, "keys remove %s", fp);
	r = run(f, line, NULL);
	assert_int_equal(r.status, 0);
	clirun_free(&r);
	r = run(f, line, NULL);
	assert_int_equal(r.status, 2);	/* gone now */
	clirun_free(&r);
	free(fp);
}

static void
test_keys_refuses_bad_input(void **state)
{
	struct fixture	*f = *state;
	struct clirun	 r = run(f, "keys add", "not a key at all\n");

	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "keys add:"));
	clirun_free(&r);
	r = run(f, "keys add", "");
	assert_int_equal(r.status, 1);
	clirun_free(&r);
	r = run(f, "keys list", NULL);
	assert_null(strstr(r.out, "not a key"));
	clirun_free(&r);
}

static void
test_last_key_cannot_go(void **state)
{
	struct fixture	*f = *state;
	struct key_list	 kl = { 0 };
	struct clirun	 r;
	char		 line[256];

	assert_int_equal(store_key_list(f->st, f->alice, &kl), 0);
	assert_int_equal(kl.n, 1);
	snprintf(line, sizeof line, "keys remove %s", kl.v[0].fingerprint);
	r = run(f, line, NULL);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.err, "last way"));
	clirun_free(&r);
	key_list_free(&kl);
	assert_int_equal(store_key_list(f->st, f->alice, &kl), 0);
	assert_int_equal(kl.n, 1);
	key_list_free(&kl);
}

/* What json_print_line writes for one string field. */
static char *
json_line_of(const char *text)
{
	struct json_object	*o = json_object_new_object();
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f = open_memstream(&buf, &len);

	json_object_object_add(o, "t", json_object_new_string(text));
	json_print_line(f, o);
	fclose(f);
	return buf;
}

/*
 * Every --json line is as safe for a terminal as the text output: bidi
 * controls, zero-width characters, DEL and C1 controls come out as \uXXXX
 * escapes (ordinary UTF-8 stays as it is), and parse back to the same text.
 */
static void
test_json_terminal_safe(void **state)
{
	static const char	 in[] = "a\xe2\x80\xae" "b\xe2\x80\x8b" "c\xe2\x80\x8d\x7f\xc2\x9b"
	    "\xc3\xa9\xf0\x9f\x91\x8d\x1b";
	char			*line;
	struct json_object	*back;

	(void)state;
	line = json_line_of(in);
	assert_string_equal(line, "{\"t\":\"a\\u202eb\\u200bc\\u200d\\u007f\\u009b"
	    "\xc3\xa9\xf0\x9f\x91\x8d\\u001b\"}\n");
	back = json_tokener_parse(line);
	assert_non_null(back);
	assert_string_equal(json_object_get_string(json_object_object_get(back, "t")), in);
	json_object_put(back);
	free(line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whoami, setup, teardown),
		cmocka_unit_test(test_json_terminal_safe),
		cmocka_unit_test_setup_teardown(test_help_lists_every_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_command_and_usage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_add_list_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_refuses_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_key_cannot_go, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
