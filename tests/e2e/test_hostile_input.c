/*
 * End to end: hostile input on a public instance (issue 10), each attack
 * driven through a real client. Text with a NUL byte on stdin, read receipts
 * of message requests, bidi and zero-width characters in --json output,
 * counts on a post seen by someone its reactors blocked, a 20 KB paste into
 * the search box, and `pragma integrity_check` on the live database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <sqlite3.h>

#include "tests/e2e/fixtures.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"

#define TXT_CONTROL	"control characters are not allowed"
#define NUL_TEXT	"hello\0world"
#define NUL_LEN		(sizeof NUL_TEXT - 1)
#define TXT_SEEN_ROW	"    seen"	/* tui/screen_chat.c: under my last message once read */

static int
hostile_teardown(void **state)
{
	exec_result_free(&last);
	return e2e_teardown(state);
}

/* The command read "hello\0world" on stdin: refused with one line, exit 1. */
static bool
refused_nul(struct person *p, const char *cmd)
{
	if (!run_stdin(p, 1, cmd, NUL_TEXT, NUL_LEN))
		return false;
	if (last_failed_cleanly() && strstr(last.err, TXT_CONTROL) != NULL)
		return true;
	fprintf(stderr, "test: '%s' did not say '%s': '%s'\n", cmd, TXT_CONTROL, last.err);
	return false;
}

/*
 * `printf 'hello\0world' | ssh host CMD` for every command that reads text on
 * stdin: each is refused as a control character, and nothing was stored (no
 * "hello" anywhere: not a post, an edit, a comment, a message, a bio or a key).
 */
static void
nul_on_stdin_is_refused(void **state)
{
	struct person	a, b;
	char		cmd[256];
	long long	post, msg;

	(void)state;
	assert_true(person_new_offline(&a, "nul", "Nul Alice"));
	assert_true(person_new_offline(&b, "nulpeer", "Nul Bob"));
	assert_true(make_friends(&a, &b));

	assert_true(refused_nul(&a, "post"));
	assert_true(run_as(&a, 0, "feed home --json"));
	assert_null(strstr(last.out, "hello"));

	assert_true(run_as(&a, 0, "post %s", quote("the original text")));
	post = strtoll(last.out, NULL, 10);
	assert_true(post > 0);
	snprintf(cmd, sizeof cmd, "edit %lld", post);
	assert_true(refused_nul(&a, cmd));
	snprintf(cmd, sizeof cmd, "comment %lld", post);
	assert_true(refused_nul(&a, cmd));
	assert_true(run_as(&a, 0, "show %lld --json", post));
	assert_non_null(strstr(last.out, "the original text"));
	assert_non_null(strstr(last.out, "\"comments\":0"));
	assert_null(strstr(last.out, "hello"));

	snprintf(cmd, sizeof cmd, "dm %s", b.name);
	assert_true(refused_nul(&a, cmd));
	assert_true(run_as(&a, 0, "dm %s %s", b.name, quote("a first message")));
	assert_true(run_as(&a, 0, "messages %s --json", b.name));
	msg = strtoll(strstr(last.out, "\"id\":") + 5, NULL, 10);
	assert_true(msg > 0);
	snprintf(cmd, sizeof cmd, "messages edit %lld", msg);
	assert_true(refused_nul(&a, cmd));
	assert_true(run_as(&b, 0, "messages %s --json", a.name));
	assert_non_null(strstr(last.out, "a first message"));
	assert_null(strstr(last.out, "hello"));

	assert_true(refused_nul(&a, "profile set bio -"));
	assert_true(run_as(&a, 0, "profile --json"));
	assert_null(strstr(last.out, "hello"));

	/* A real key with a NUL and more after it: not added as the part before the NUL. */
	{
		const char	*line = key_line(key_new(), "nul");
		char		 in[1024];
		size_t		 n = strlen(line);

		assert_true(n + 8 < sizeof in);
		memcpy(in, line, n);
		memcpy(in + n, "\0 junk\n", 7);
		assert_true(run_stdin(&a, 1, "keys add", in, n + 7));
		assert_non_null(strstr(last.err, TXT_CONTROL));
		assert_true(run_as(&a, 0, "keys list"));
		assert_int_equal(count_lines(last.out), 1);
	}
}


/*
 * A message request read is not a read receipt: bob, a stranger, reads
 * alice's request with exec `messages alice` (text and --json) and in his
 * chat, and alice still sees it unread (no "seen" on her chat screen, "read"
 * false in her JSON, no "seen" line in her text). Once bob accepts, reading
 * it is reading it: "seen" appears on alice's screen without a key.
 */
static void
request_read_sends_no_receipt(void **state)
{
	struct person a, b;

	(void)state;
	assert_true(person_new(&a, "asker", "Asking Alice"));
	assert_true(person_new(&b, "stranger", "Strange Bob"));
	assert_true(run_as(&a, 0, "dm %s %s", b.name, quote("may I ask")));
	assert_true(chat_by_command(a.t, &b, ">"));
	assert_true(term_wait_text(a.t, "    may I ask", 0));

	assert_true(run_as(&b, 0, "messages %s", a.name));
	assert_non_null(strstr(last.out, "may I ask"));
	assert_true(run_as(&b, 0, "messages %s --json", a.name));
	assert_non_null(strstr(last.out, "may I ask"));
	/* a request opens with its keys, not an input line */
	assert_true(chat_by_command(b.t, &a, "a accept  x decline"));
	assert_true(term_wait_text(b.t, "    may I ask", 0));

	assert_true(run_as(&a, 0, "messages %s --json", b.name));
	assert_non_null(strstr(last.out, "\"read\":false"));
	assert_null(strstr(last.out, "\"read\":true"));
	assert_true(run_as(&a, 0, "messages %s", b.name));
	assert_null(strstr(last.out, "seen\n"));
	assert_true(absent(a.t, TXT_SEEN_ROW));

	assert_true(run_as(&b, 0, "messages accept %s", a.name));
	assert_true(run_as(&b, 0, "messages %s", a.name));
	assert_true(term_wait_text(a.t, TXT_SEEN_ROW, 0));
	assert_true(run_as(&a, 0, "messages %s --json", b.name));
	assert_non_null(strstr(last.out, "\"read\":true"));
}

/* Bidi override, zero-width space, zero-width joiner: each reorders or hides text. */
#define RLO	"\xe2\x80\xae"	/* U+202E */
#define ZWSP	"\xe2\x80\x8b"	/* U+200B */
#define ZWJ	"\xe2\x80\x8d"	/* U+200D */
#define TRICKY	"abc" RLO "def" ZWSP "ghi" ZWJ "jkl"

/*
 * The --json lines of the last command carry none of the three raw, only
 * their escapes, and the line holding field `key` still reads back as text
 * (a script loses nothing).
 */
static bool
json_is_terminal_safe(const char *cmd, const char *key, const char *text)
{
	struct json_object	*v[64];
	int			 n, i;
	bool			 found = false;

	if (strstr(last.out, RLO) != NULL || strstr(last.out, ZWSP) != NULL ||
	    strstr(last.out, ZWJ) != NULL) {
		fprintf(stderr, "test: '%s' printed a bidi or zero-width character raw: %s\n",
		    cmd, last.out);
		return false;
	}
	if (strstr(last.out, "\\u202e") == NULL || strstr(last.out, "\\u200b") == NULL ||
	    strstr(last.out, "\\u200d") == NULL) {
		fprintf(stderr, "test: '%s' has no \\u202e, \\u200b, \\u200d: %s\n", cmd,
		    last.out);
		return false;
	}
	if ((n = json_lines(last.out, v, 64)) < 0)
		return false;
	for (i = 0; i < n; i++)
		found = found || strcmp(jstr(v[i], key), text) == 0;
	json_free_all(v, n);
	if (!found)
		fprintf(stderr, "test: '%s': no %s equal to the text sent: %s\n", cmd, key,
		    last.out);
	return found;
}

/*
 * Text with U+202E, U+200B and U+200D, stored as a post, a comment, a share's
 * note, a message and a bio: every --json output that shows it (show, feed,
 * comments, search, messages, profile) escapes the three as \u202e, \u200b
 * and \u200d, like the text output drops them, and parsing gives the text back.
 */
static void
json_escapes_bidi_and_zero_width(void **state)
{
	struct person	a, b;
	long long	post;

	(void)state;
	assert_true(person_new_offline(&a, "bidi", "Bidi Alice"));
	assert_true(person_new_offline(&b, "bidipeer", "Bidi Bob"));
	assert_true(make_friends(&a, &b));
	assert_true(run_as(&a, 0, "post %s", quote(TRICKY " bidiword")));
	post = strtoll(last.out, NULL, 10);
	assert_true(post > 0);
	assert_true(run_as(&b, 0, "comment %lld %s", post, quote(TRICKY)));
	assert_true(run_as(&b, 0, "share %lld %s", post, quote(TRICKY)));
	assert_true(run_as(&a, 0, "dm %s %s", b.name, quote(TRICKY)));
	assert_true(run_stdin(&a, 0, "profile set bio -", TRICKY, strlen(TRICKY)));

	/* the text output drops them: the baseline JSON must match */
	assert_true(run_as(&b, 0, "show %lld", post));
	assert_non_null(strstr(last.out, "abcdefghijkl"));

	assert_true(run_as(&b, 0, "show %lld --json", post));
	assert_true(json_is_terminal_safe("show", "text", TRICKY " bidiword"));
	assert_true(run_as(&b, 0, "feed home --json"));
	assert_true(json_is_terminal_safe("feed", "text", TRICKY " bidiword"));
	assert_true(run_as(&a, 0, "comments %lld --json", post));
	assert_true(json_is_terminal_safe("comments", "text", TRICKY));
	assert_true(run_as(&b, 0, "search --posts bidiword --json"));
	assert_true(json_is_terminal_safe("search", "text", TRICKY " bidiword"));
	assert_true(run_as(&b, 0, "messages %s --json", a.name));
	assert_true(json_is_terminal_safe("messages", "text", TRICKY));
	assert_true(run_as(&b, 0, "profile %s --json", a.name));
	assert_true(json_is_terminal_safe("profile", "bio", TRICKY));
}

/* The integer field key of the first JSON line of the last command (-1: none). */
static long long
last_json_int(const char *key)
{
	struct json_object	*o = json_tokener_parse(last.out), *f;
	long long		 v = -1;

	if (o != NULL && json_object_object_get_ex(o, key, &f))
		v = json_object_get_int64(f);
	json_object_put(o);
	return v;
}

/*
 * After alice blocks mallory, mallory sees none of alice's doings in the
 * counts of carol's post (a third person's), as she sees none in its lists:
 * no like and no comment over exec (show, show --json, feed --json) nor on
 * her Home; bob, whom nobody blocked, still sees both.
 */
static void
counts_leave_out_blocked_people(void **state)
{
	struct person	a, c, m, b;
	long long	post;

	(void)state;
	assert_true(person_new_offline(&a, "blocker", "Blocking Alice"));
	assert_true(person_new_offline(&c, "author", "Posting Carol"));
	assert_true(person_new_offline(&m, "mallory", "Blocked Mallory"));
	assert_true(person_new_offline(&b, "onlooker", "Onlooking Bob"));
	assert_true(make_friends(&c, &m));
	assert_true(make_friends(&c, &b));
	assert_true(run_as(&c, 0, "post %s", quote("carol's post for everyone")));
	post = strtoll(last.out, NULL, 10);
	assert_true(post > 0);
	assert_true(run_as(&a, 0, "like %lld", post));
	assert_true(run_as(&a, 0, "comment %lld %s", post, quote("alice was here")));
	assert_true(run_as(&m, 0, "show %lld --json", post));
	assert_int_equal(last_json_int("likes"), 1);	/* before the block */
	assert_true(run_as(&a, 0, "block %s", m.name));

	assert_true(run_as(&m, 0, "show %lld --json", post));
	assert_int_equal(last_json_int("likes"), 0);
	assert_int_equal(last_json_int("comments"), 0);
	assert_true(run_as(&m, 0, "show %lld", post));
	assert_null(strstr(last.out, "1 comment"));
	assert_null(strstr(last.out, "alice was here"));
	assert_true(run_as(&m, 0, "feed home --json"));
	assert_non_null(strstr(last.out, "carol's post for everyone"));
	assert_null(strstr(last.out, "\"comments\":1"));
	assert_null(strstr(last.out, "\"likes\":1"));

	assert_true(run_as(&b, 0, "show %lld --json", post));
	assert_int_equal(last_json_int("likes"), 1);
	assert_int_equal(last_json_int("comments"), 1);

	assert_non_null(m.t = term_open(e2e_srv, m.name, &m.cred, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(m.t, "carol's post for everyone", 0));
	assert_true(absent(m.t, "1 comment"));
	assert_non_null(b.t = term_open(e2e_srv, b.name, &b.cred, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(b.t, "carol's post for everyone", 0));
	assert_true(term_wait_text(b.t, "1 comment", 0));
	assert_true(term_quit(m.t));
	assert_true(term_quit(b.t));
}

/* ---- a paste into the search box --------------------------------------------------- */

#define PASTE_BYTES	(20 * 1024)
#define TXT_QUERY_FULL	"the search is at most 200 characters"

/*
 * 20 KB pasted into the search box (`/`): the field takes its 200
 * characters and refuses the rest with a note on the status line, the
 * search runs once the paste is over and finds the person named in it, a
 * key pressed after it (Tab: posts) is answered well within the deadline,
 * and the whole paste costs the server little CPU (a search per key was
 * 16 s of a core).
 */
static void
search_paste_stays_responsive(void **state)
{
	struct person	 target, p;
	char		*paste = malloc(PASTE_BYTES + 1);
	size_t		 n = 0, len;
	long long	 cpu, t0, quick = harness_timeout_ms() / 3;

	(void)state;
	assert_true(person_new_offline(&target, "pastehit", "Pasted Target"));
	assert_true(person_new(&p, "paster", "Pasting Sam"));
	len = strlen(target.name);
	while (n + len + 1 <= PASTE_BYTES) {
		memcpy(paste + n, target.name, len);
		n += len;
		paste[n++] = ' ';
	}
	paste[n] = '\0';
	term_send(p.t, "/");
	assert_true(term_wait_text(p.t, "Search:", 0));

	cpu = (long long)server_cpu_ms(e2e_srv, false);
	term_send_bytes(p.t, paste, n);
	free(paste);
	assert_true(term_wait_row(p.t, -1, TXT_QUERY_FULL, 0));
	assert_true(term_wait_text(p.t, "1 person", 0));
	assert_true(term_wait_text(p.t, at(&target), 0));

	t0 = harness_now_ms();
	term_send(p.t, "\t");
	assert_true(term_wait_text(p.t, "0 posts  \u00b7", quick));
	fprintf(stderr, "test: Tab answered in %lld ms after the paste\n", harness_now_ms() - t0);
	cpu = (long long)server_cpu_ms(e2e_srv, false) - cpu;
	fprintf(stderr, "test: the paste cost the sessions %lld ms of CPU\n", cpu);
	assert_true(cpu < quick / 2);
	term_key(p.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_text(p.t, TXT_HOME, 0));
	assert_true(term_quit(p.t));
}

/* ---- the database an operator checks ------------------------------------------- */

static struct server	*db_srv;	/* this group's second server, stopped by the teardown */

static int
db_teardown(void **state)
{
	if (db_srv != NULL)
		server_stop(db_srv);
	db_srv = NULL;
	return hostile_teardown(state);
}

/* Run sql on the server's database file (a connection of our own); 0 or -1 (printed). */
static int
db_exec(const struct server *srv, const char *sql)
{
	char	 path[1024], *err = NULL;
	sqlite3	*db = NULL;
	int	 rc;

	snprintf(path, sizeof path, "%s/sshbook.db", srv->data_dir);
	if ((rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL)) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	}
	if (rc != SQLITE_OK)
		fprintf(stderr, "test: '%s' on %s: %s\n", sql, path, err ? err : sqlite3_errmsg(db));
	sqlite3_free(err);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Collect the rows of a one-column query, joined by "; ". */
static int
collect_row(void *arg, int n, char **v, char **names)
{
	char *out = arg;

	(void)names;
	if (n > 0 && strlen(out) + strlen(v[0] ? v[0] : "NULL") + 3 < 1024) {
		if (out[0] != '\0')
			strcat(out, "; ");
		strcat(out, v[0] ? v[0] : "NULL");
	}
	return 0;
}

/*
 * The rows of a one-column query on the server's database (read only, a
 * connection of our own), joined by "; ", into out (1024 bytes): what
 * `sqlite3 sshbook.db 'pragma integrity_check'` shows an operator.
 */
static void
db_query(const struct server *srv, const char *sql, char *out)
{
	char	 path[512];
	sqlite3	*db = NULL;

	out[0] = '\0';
	snprintf(path, sizeof path, "%s/sshbook.db", srv->data_dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		if (sqlite3_exec(db, sql, collect_row, out, NULL) != SQLITE_OK)
			snprintf(out, 1024, "error: %s", sqlite3_errmsg(db));
	} else
		snprintf(out, 1024, "cannot open %s", path);
	sqlite3_close(db);
}

/* Upload fixture f to name's gallery and wait until the worker made it ready: its id, or -1. */
static long long
upload_ready(struct server *srv, const char *name, const struct cred *cr, enum fixture f)
{
	struct json_object	*o;
	size_t			 n;
	uint8_t			*data = fixture_load(f, &n);
	long long		 id;

	if (data == NULL)
		return -1;
	id = exec_upload(srv, name, cr, "", data, n, NULL);
	free(data);
	if (id <= 0 || (o = media_wait_state(srv, name, cr, id, "ready", 0)) == NULL)
		return -1;
	json_object_put(o);
	return id;
}

/* The media ids of post id as name sees it (`show ID --json`), in order, into ids (at most 4). */
static int
post_media_ids(struct server *srv, const char *name, const struct cred *cr, long long id,
    long long *ids)
{
	struct exec_result	 res = { 0 };
	struct json_object	*o, *a;
	char			 cmd[64];
	int			 n = -1;

	snprintf(cmd, sizeof cmd, "show %lld --json", id);
	if (exec_expect(srv, name, cr, cmd, 0, &res) && (o = json_tokener_parse(res.out)) != NULL) {
		if (json_object_object_get_ex(o, "media", &a) &&
		    json_object_is_type(a, json_type_array))
			for (n = 0; n < (int)json_object_array_length(a) && n < 4; n++)
				ids[n] = json_int(json_object_array_get_idx(a, (size_t)n), "id");
		json_object_put(o);
	}
	exec_result_free(&res);
	return n;
}

/*
 * Operators run `pragma integrity_check`: on a database made through the app
 * (an account, two pictures the worker processed, a post with both, a post
 * made by upload) it says "ok". Then the same data as an older sshbook left
 * it (post_media with media_id declared before position, the schema at
 * version 7, which SQLite 3.40 reported as "NULL value in
 * post_media.media_id"): the restarted server migrates it, the check says
 * "ok" again, and the post still shows both pictures in their order.
 */
static void
integrity_check_ok_on_a_real_database(void **state)
{
	ssh_key		 key = key_new();
	struct cred	 cr = cred_key(key);
	const char	*name = fresh_user("operator");
	char		 ic[1024], version[1024], cmd[128];
	long long	 m1, m2, post, ids[4];
	struct exec_result res = { 0 };

	(void)state;
	assert_int_equal(server_start(&db_srv, NULL), 0);
	assert_true(make_user_with_key(db_srv, name, key, NULL));
	assert_true((m1 = upload_ready(db_srv, name, &cr, FX_PHOTO)) > 0);
	assert_true((m2 = upload_ready(db_srv, name, &cr, FX_PHOTO2)) > 0);
	snprintf(cmd, sizeof cmd, "post --media %lld,%lld two pictures", m2, m1);
	assert_true(exec_expect(db_srv, name, &cr, cmd, 0, &res));
	post = strtoll(res.out, NULL, 10);
	exec_result_free(&res);
	assert_true(post > 0);
	{
		size_t	 n;
		uint8_t	*data = fixture_load(FX_PNG, &n);

		assert_non_null(data);
		assert_true(exec_upload(db_srv, name, &cr, "post one picture", data, n, NULL) > 0);
		free(data);
	}
	db_query(db_srv, "PRAGMA integrity_check", ic);
	assert_string_equal(ic, "ok");

	assert_int_equal(server_term(db_srv), 0);
	assert_int_equal(db_exec(db_srv,
	    "BEGIN;"
	    "CREATE TABLE post_media_old ("
	    "	post_id		INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	    "	media_id	INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,"
	    "	position	INTEGER NOT NULL CHECK (position BETWEEN 0 AND 3),"
	    "	PRIMARY KEY (post_id, position)"
	    ") STRICT, WITHOUT ROWID;"
	    "INSERT INTO post_media_old SELECT post_id, media_id, position FROM post_media;"
	    "DROP TABLE post_media;"
	    "ALTER TABLE post_media_old RENAME TO post_media;"
	    "CREATE UNIQUE INDEX post_media_media ON post_media(media_id, post_id);"
	    "ALTER TABLE jobs DROP COLUMN owner;"
	    "COMMIT;"), 0);
	/*
	 * user_version 7, as the sshbook before the rebuild left it: the rebuild
	 * is step 8, and step 9 (jobs.owner, dropped above) came after it
	 */
	db_query(db_srv, "PRAGMA user_version", version);
	assert_true(atoi(version) >= 9);
	snprintf(cmd, sizeof cmd, "PRAGMA user_version = %d", 7);
	assert_int_equal(db_exec(db_srv, cmd), 0);
	db_query(db_srv, "PRAGMA integrity_check", ic);
	if (strcmp(ic, "ok") == 0)
		fprintf(stderr, "test: note: this SQLite (%s) says ok on the old post_media too\n",
		    sqlite3_libversion());

	assert_int_equal(server_restart(db_srv), 0);
	assert_true(exec_expect(db_srv, name, &cr, "whoami", 0, NULL));
	db_query(db_srv, "PRAGMA user_version", ic);
	assert_string_equal(ic, version);	/* migrated */
	db_query(db_srv, "PRAGMA integrity_check", ic);
	assert_string_equal(ic, "ok");
	assert_int_equal(post_media_ids(db_srv, name, &cr, post, ids), 2);
	assert_int_equal(ids[0], m2);
	assert_int_equal(ids[1], m1);
	assert_int_equal(server_stop(db_srv), 0);
	db_srv = NULL;
}

int
main(void)
{
	int rc;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(nul_on_stdin_is_refused, hostile_teardown),
		cmocka_unit_test_teardown(request_read_sends_no_receipt, hostile_teardown),
		cmocka_unit_test_teardown(json_escapes_bidi_and_zero_width, hostile_teardown),
		cmocka_unit_test_teardown(counts_leave_out_blocked_people, hostile_teardown),
		cmocka_unit_test_teardown(search_paste_stays_responsive, hostile_teardown),
		cmocka_unit_test_teardown(integrity_check_ok_on_a_real_database, db_teardown),
	};

	if (getenv("SSHBOOK_E2E_FILTER") != NULL)	/* e.g. "request*" */
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	rc = cmocka_run_group_tests_name("e2e hostile input", tests, e2e_group_setup,
	    e2e_group_teardown);
	fixtures_cleanup();
	return rc;
}
