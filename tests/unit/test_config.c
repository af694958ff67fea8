/* sshbookd's config file: defaults, every key, and clear errors for bad lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sshd-app/config.h"

/* Write text to a fresh temporary file; returns its path (static storage). */
static const char *
write_conf(const char *text)
{
	static char	 path[64];
	int		 fd;

	snprintf(path, sizeof path, "/tmp/sshbook-conf-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static int
load(struct config *c, const char *text, char *err, size_t errsz)
{
	const char	*path = write_conf(text);
	int		 r;

	r = config_load(c, path, err, errsz);
	unlink(path);
	return r;
}

static void
test_defaults(void **state)
{
	struct config c;

	(void)state;
	config_init(&c);
	assert_int_equal(c.port, 2222);
	assert_string_equal(c.listen, "127.0.0.1");
	assert_int_equal(c.registration, REG_OPEN);
	assert_int_equal(c.login_grace_time, 20);
	assert_int_equal(c.upload_spool_mib, 100);
	config_free(&c);
}

static void
test_every_key(void **state)
{
	struct config	c;
	char		err[256] = "";

	(void)state;
	config_init(&c);
	assert_int_equal(load(&c,
	    "# a comment\n"
	    "port = 2299   # trailing comment\n"
	    "listen = ::1\n"
	    "data_dir = /tmp/x\n"
	    "registration = invite\n"
	    "max_sessions = 7\n"
	    "max_sessions_per_addr = 0\n"
	    "login_grace_time = 5\n"
	    "keepalive_interval = 0\n"
	    "auth_max_failures_per_addr = 3\n"
	    "auth_max_failures_per_user = 2\n"
	    "auth_failure_window = 60\n"
	    "upload_spool_mib = 7\n"
	    "log_level = debug\n"
	    "\n", err, sizeof err), 0);
	assert_int_equal(c.port, 2299);
	assert_string_equal(c.listen, "::1");
	assert_string_equal(c.data_dir, "/tmp/x");
	assert_int_equal(c.upload_spool_mib, 7);
	assert_int_equal(c.registration, REG_INVITE);
	assert_int_equal(c.max_sessions, 7);
	assert_int_equal(c.max_sessions_per_addr, 0);
	assert_int_equal(c.login_grace_time, 5);
	assert_int_equal(c.keepalive_interval, 0);
	assert_int_equal(c.auth_max_failures_per_addr, 3);
	assert_int_equal(c.auth_max_failures_per_user, 2);
	assert_int_equal(c.auth_failure_window, 60);
	assert_int_equal(c.log_level, LOG_LVL_DEBUG);
	config_free(&c);
}

static void
test_errors_name_the_line(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "port = 2222\nbogus = 1\n", ":2: " },
		{ "port = 99999\n", ":1: " },
		{ "port = twelve\n", ":1: " },
		{ "registration = sometimes\n", ":1: " },
		{ "just words\n", ":1: " },
		{ "log_level = loud\n", ":1: " },
		{ "max_startups = 10:30\n", ":1: " },
		{ "max_startups = 30:30:10\n", ":1: " },
		{ "max_startups = 10:130:100\n", ":1: " },
		{ "max_startups = 10::100\n", ":1: " },
		{ "max_startups = 10:30:100:5\n", ":1: " },
		{ "addr_prefix_v6 = 129\n", ":1: " },
	};
	struct config	c;
	char		err[256];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		config_init(&c);
		err[0] = '\0';
		assert_int_equal(load(&c, bad[i].text, err, sizeof err), -1);
		assert_non_null(strstr(err, bad[i].want));
		assert_null(strchr(err, '\n'));
		config_free(&c);
	}
}

/* max_startups is OpenSSH's BEGIN:RATE:FULL, or one number for a plain cap. */
static void
test_max_startups(void **state)
{
	struct config	c;
	char		err[256] = "";

	(void)state;
	config_init(&c);
	assert_int_equal(c.startups_begin, 128);
	assert_int_equal(c.startups_rate, 30);
	assert_int_equal(c.startups_full, 256);
	assert_int_equal(load(&c, "max_startups = 10:30:100\n", err, sizeof err), 0);
	assert_int_equal(c.startups_begin, 10);
	assert_int_equal(c.startups_rate, 30);
	assert_int_equal(c.startups_full, 100);
	assert_int_equal(load(&c, "max_startups = 50\n", err, sizeof err), 0);
	assert_int_equal(c.startups_begin, 50);
	assert_int_equal(c.startups_rate, 100);
	assert_int_equal(c.startups_full, 50);
	config_free(&c);
}

static void
test_example_file_loads(void **state)
{
	struct config	c;
	char		err[256] = "";

	(void)state;
	config_init(&c);
	/* The shipped example must stay valid: it documents every key with its default. */
	assert_int_equal(config_load(&c, "sshbook.conf.example", err, sizeof err), 0);
	assert_int_equal(c.port, 2222);
	config_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_max_startups),
		cmocka_unit_test(test_example_file_loads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
