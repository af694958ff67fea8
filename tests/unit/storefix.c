#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "storage/social.h"
#include "storage/store-int.h"
#include "storage/store.h"
#include "tests/unit/storefix.h"

int
storefix_setup(void **state)
{
	struct store *st = NULL;

	assert_int_equal(store_open(":memory:", &st), 0);
	assert_non_null(st);
	*state = st;
	return 0;
}

int
storefix_teardown(void **state)
{
	store_close(*state);
	return 0;
}

int64_t
storefix_sql_int(struct store *st, const char *sql)
{
	sqlite3_stmt	*stmt;
	int64_t		 v;

	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

int64_t
storefix_sql_intf(struct store *st, const char *fmt, ...)
{
	char	sql[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return storefix_sql_int(st, sql);
}

int64_t
storefix_user(struct store *st, const char *name, const char *display)
{
	unsigned char	 blob[4 + 11 + 4 + 32] = { 0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd',
	    '2', '5', '5', '1', '9', 0, 0, 0, 32 };
	char		 b64[128], line[256], why[256];
	struct signup	 su = { .username = name, .display_name = display ? display : name };
	int64_t		 id;

	randombytes_buf(blob + 19, 32);
	sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
	snprintf(line, sizeof line, "ssh-ed25519 %s test", b64);
	su.key_line = line;
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), 0);
	return id;
}

void
storefix_befriend(struct store *st, int64_t a, int64_t b)
{
	bool	n;
	char	why[256];

	assert_int_equal(store_friend_request(st, a, b, &n, why, sizeof why), 0);
	assert_int_equal(store_friend_accept(st, b, a, &n, why, sizeof why), 0);
}

void
storefix_block(struct store *st, int64_t a, int64_t b)
{
	char why[256];

	assert_int_equal(store_block(st, a, b, why, sizeof why), 0);
}

void
storefix_remove_db(const char *dir, const char *path)
{
	static const char	*suffix[] = { "", "-wal", "-shm" };
	char			 side[PATH_MAX];

	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(side, sizeof side, "%s%s", path, suffix[i]);
		unlink(side);
	}
	assert_int_equal(rmdir(dir), 0);
}
