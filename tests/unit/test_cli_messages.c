/*
 * The message commands (issue 5) as exec runs them, on a store with three
 * users: dm (words or stdin, refusals and their exit statuses), messages (the
 * list, one conversation, --json, --limit and --before), message requests,
 * edit and delete, the hub hints, and messages USER --follow.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "cli/cli.h"
#include "common/cmdline.h"
#include "common/hub.h"
#include "common/log.h"
#include "common/utf8.h"
#include "storage/messages.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tests/unit/clirun.h"

enum { ALICE, BOB, CAROL, NUSERS };

static const char *const names[NUSERS] = { "alice", "bob", "carol" };
static const char *const displays[NUSERS] = { "Alice", "Bob", "Carol" };

struct fixture {
	struct store	*st;
	int64_t		 id[NUSERS];
	char		 dir[64];	/* a temporary data dir, for tests with two connections */
};

/* How a run differs from the plain one. */
struct opts {
	int		 hub_fd;	/* 0: none (-1) */
	int		(*tick)(struct cli_ctx *, void *);
	void		*arg;
};

static struct clirun
run_opts(struct fixture *f, int who, const char *line, const char *input,
    const struct opts *o)
{
	struct clirun_as	a = { f->st, f->id[who], names[who], NULL,
				    o && o->hub_fd ? o->hub_fd : -1, o ? o->tick : NULL,
				    o ? o->arg : NULL, NULL };
	/* NULL: no stdin (the `:` line); "": at EOF from the start, as with `ssh -n`. */
	return clirun(&a, line, input, input != NULL ? strlen(input) : 0);
}

static struct clirun
run(struct fixture *f, int who, const char *line, const char *input)
{
	return run_opts(f, who, line, input, NULL);
}

/* Run, check the status (and, for failures, one line on stderr and nothing on stdout). */
static void
expect_in(struct fixture *f, int who, const char *line, const char *input, int status,
    const char *out_has, const char *err_has)
{
	struct clirun r = run(f, who, line, input);

	clirun_check(line, &r, status, out_has, err_has);
	clirun_free(&r);
}

static void
expect(struct fixture *f, int who, const char *line, int status, const char *out_has,
    const char *err_has)
{
	expect_in(f, who, line, NULL, status, out_has, err_has);
}

static int
make_users(struct fixture *f)
{
	struct signup	su;
	int		i;

	for (i = 0; i < NUSERS; i++) {
		memset(&su, 0, sizeof su);
		su.username = names[i];
		su.display_name = displays[i];
		/* A well-formed Argon2id string, never verified: no slow hashing in tests. */
		su.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA";
		if (store_user_create(f->st, &su, &f->id[i], NULL, 0) != 0)
			return -1;
	}
	return 0;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_int_equal(store_open(":memory:", &f->st), 0);
	assert_int_equal(make_users(f), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	const char	*suffix[] = { "", "-wal", "-shm" };
	char		 path[128];
	size_t		 i;

	store_close(f->st);
	if (f->dir[0] != '\0') {
		for (i = 0; i < 3; i++) {
			snprintf(path, sizeof path, "%s/sshbook.db%s", f->dir, suffix[i]);
			unlink(path);
		}
		rmdir(f->dir);
	}
	free(f);
	return 0;
}

/* The same three users in a database file, so a second connection can write. */
static int
setup_file(void **state)
{
	struct fixture	*f = calloc(1, sizeof *f);
	char		 path[128];

	strcpy(f->dir, "/tmp/sshbook-dm-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof path, "%s/sshbook.db", f->dir);
	assert_int_equal(store_open(path, &f->st), 0);
	assert_int_equal(make_users(f), 0);
	*state = f;
	return 0;
}

static void
befriend(struct fixture *f, int a, int b)
{
	bool n;

	assert_int_equal(store_friend_request(f->st, f->id[a], f->id[b], &n, NULL, 0), 0);
	assert_int_equal(store_friend_accept(f->st, f->id[b], f->id[a], &n, NULL, 0), 0);
}

static int64_t
unread(struct fixture *f, int who)
{
	int64_t n = -1;

	assert_int_equal(store_message_unread_count(f->st, f->id[who], &n), 0);
	return n;
}

/* The messages in the whole database (a refusal must not add one). */
static size_t
total_messages(struct fixture *f)
{
	struct message_page	p;
	size_t			n = 0;
	int			a, b;

	for (a = 0; a < NUSERS; a++)
		for (b = a + 1; b < NUSERS; b++) {
			assert_int_equal(store_messages(f->st, f->id[a], f->id[b], 0, 500, &p),
			    0);
			n += p.n;
			message_page_free(&p);
		}
	return n;
}

/* The newest message between a and b (its id; its text into text when not NULL). */
static int64_t
newest(struct fixture *f, int a, int b, char *text, size_t textsz)
{
	struct message_page	p;
	int64_t			id;

	assert_int_equal(store_messages(f->st, f->id[a], f->id[b], 0, 1, &p), 0);
	assert_int_equal(p.n, 1);
	id = p.v[0].id;
	if (text != NULL)
		snprintf(text, textsz, "%s", p.v[0].text);
	message_page_free(&p);
	return id;
}

/* ---- dm ------------------------------------------------------------------- */

static void
test_dm_between_friends(void **state)
{
	struct fixture	*f = *state;
	struct clirun	 r;
	char		 text[64];

	befriend(f, ALICE, BOB);
	/* Sent: nothing printed. */
	expect(f, ALICE, "dm bob hello   there", 0, NULL, NULL);
	r = run(f, ALICE, "dm @bob second one", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	clirun_free(&r);
	newest(f, ALICE, BOB, text, sizeof text);
	assert_string_equal(text, "second one");
	assert_int_equal(unread(f, BOB), 2);

	/* Bob's list: alice, unread, a preview of the newest. */
	r = run(f, BOB, "messages", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "conversations (1):\n"));
	assert_non_null(strstr(r.out, "  alice  Alice  2 unread  just now  second one\n"));
	assert_null(strstr(r.out, "message requests"));
	clirun_free(&r);

	/* Reading it: oldest first, then read. */
	r = run(f, BOB, "messages alice", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "  alice  just now  hello there\n"));
	assert_true(strstr(r.out, "hello there") < strstr(r.out, "second one"));
	assert_int_equal(count_lines(r.out), 2);
	clirun_free(&r);
	assert_int_equal(unread(f, BOB), 0);
	expect(f, BOB, "messages", 0, "  alice  Alice  just now  second one\n", NULL);
	/* Alice sees that bob read her last message, and her own words in the preview. */
	expect(f, ALICE, "messages bob", 0, "\nseen\n", NULL);
	expect(f, ALICE, "messages", 0, "  bob  Bob  just now  you: second one\n", NULL);

	expect(f, CAROL, "messages", 0, "no conversations yet (start one: dm USER TEXT)\n",
	    NULL);
	expect(f, CAROL, "messages alice", 0, "no messages with alice yet", NULL);
}

static void
test_dm_stdin(void **state)
{
	struct fixture	*f = *state;
	struct clirun	 r;
	char		 text[64], *big;
	size_t		 before;

	befriend(f, ALICE, BOB);
	/* Standard input to its end, final newlines dropped, inner ones kept. */
	expect_in(f, ALICE, "dm bob", "line one\n\tline two\n\n", 0, NULL, NULL);
	newest(f, ALICE, BOB, text, sizeof text);
	assert_string_equal(text, "line one\n\tline two");
	r = run(f, BOB, "messages alice", NULL);
	assert_non_null(strstr(r.out, "line one\n     line two\n"));	/* indented, tab as space */
	clirun_free(&r);

	/* Exactly the limit goes; one more character, or a flood, is refused and nothing stored. */
	big = malloc(MESSAGE_MAX * 4 + 200);
	memset(big, 'x', MESSAGE_MAX);
	big[MESSAGE_MAX] = '\0';
	expect_in(f, ALICE, "dm bob", big, 0, NULL, NULL);
	before = total_messages(f);
	big[MESSAGE_MAX] = 'x';
	big[MESSAGE_MAX + 1] = '\0';
	expect_in(f, ALICE, "dm bob", big, 1, NULL, "too long (at most 4000 characters)");
	memset(big, 'x', MESSAGE_MAX * 4 + 100);
	big[MESSAGE_MAX * 4 + 100] = '\0';
	expect_in(f, ALICE, "dm bob", big, 1, NULL, "too long");
	free(big);
	expect_in(f, ALICE, "dm bob", "", 1, NULL, "empty");
	expect_in(f, ALICE, "dm bob", "\n\n", 1, NULL, "empty");
	expect_in(f, ALICE, "dm bob", "bad \xff bytes", 1, NULL, "UTF-8");
	expect_in(f, ALICE, "dm bob", "\x1b[2Jgotcha", 1, NULL, "control");
	/* No stdin at all (the `:` line) and no words. */
	expect(f, ALICE, "dm bob", 1, NULL, "no text");
	assert_int_equal(total_messages(f), before);
}

static void
test_dm_refusals(void **state)
{
	struct fixture	*f = *state;
	size_t		 before;
	bool		 n;

	expect(f, ALICE, "dm nosuch hi", 2, NULL, "dm: no user named 'nosuch'");
	expect(f, ALICE, "dm 'Bad Name!' hi", 2, NULL, "no user named");
	expect(f, ALICE, "dm", 1, NULL, "usage: dm USER");
	expect(f, ALICE, "dm --json bob hi", 1, NULL, "unknown option '--json'");
	expect(f, ALICE, "dm alice hi", 1, NULL, "yourself");
	befriend(f, ALICE, BOB);
	expect(f, ALICE, "dm bob 'esc \x1b]0;title\x07'", 1, NULL, "control characters");
	/* Words that look like options are text after USER. */
	expect(f, ALICE, "dm bob --json is not an option here", 0, NULL, NULL);

	/* I blocked them: told so, exit 3. They blocked me: the words of an unknown name, exit 2. */
	before = total_messages(f);
	assert_int_equal(store_block(f->st, f->id[BOB], f->id[ALICE], NULL, 0), 0);
	expect(f, BOB, "dm alice hi", 3, NULL, "dm: you blocked 'alice' (unblock them first)");
	expect(f, ALICE, "dm bob hi", 2, NULL, "dm: no user named 'bob'");
	assert_int_equal(store_unblock(f->st, f->id[BOB], f->id[ALICE], NULL, 0), 0);
	/* Declined: exit 3 until they are friends. */
	expect(f, CAROL, "dm bob hi", 0, "sent as a message request", NULL);
	expect(f, BOB, "messages decline carol", 0, "declined the message request from carol",
	    NULL);
	before = total_messages(f);
	expect(f, CAROL, "dm bob please", 3, NULL, "dm: 'bob' is not taking messages from you");
	assert_int_equal(total_messages(f), before);
	befriend(f, BOB, CAROL);
	expect(f, CAROL, "dm bob friends now", 0, NULL, NULL);
	assert_int_equal(store_friend_remove(f->st, f->id[BOB], f->id[CAROL], &n, NULL, 0), 0);
}

/* ---- requests ----------------------------------------------------------------- */

static void
test_requests(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;

	r = run(f, ALICE, "dm bob hi, we met at the conference", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "sent as a message request (bob can accept or decline it)\n");
	clirun_free(&r);
	expect(f, ALICE, "messages", 0, "(waiting for them to accept)", NULL);

	r = run(f, BOB, "messages", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "conversations (0): none\n"));
	assert_non_null(strstr(r.out, "message requests (1):\n  alice  Alice  1 unread  "));
	assert_non_null(strstr(r.out, "answer with: messages accept USER, or messages "
	    "decline USER\n"));
	clirun_free(&r);
	r = run(f, BOB, "messages --json", NULL);
	assert_int_equal(count_lines(r.out), 1);
	o = json_line(r.out, 0);
	assert_string_equal(jstr(o, "username"), "alice");
	assert_true(json_object_get_boolean(jget(o, "request")));
	json_object_put(o);
	clirun_free(&r);
	expect(f, BOB, "messages alice", 0, "alice sent you a message request: messages "
	    "accept alice, or messages decline alice\n", NULL);

	expect(f, ALICE, "messages accept bob", 2, NULL,
	    "messages accept: no message request from 'bob'");
	expect(f, BOB, "messages accept carol", 2, NULL, "no message request from 'carol'");
	expect(f, BOB, "messages accept nosuch", 2, NULL, "no user named 'nosuch'");
	expect(f, BOB, "messages accept alice extra", 1, NULL, "usage: messages accept USER");
	expect(f, BOB, "messages accept @alice", 0, "accepted the message request from alice\n",
	    NULL);
	expect(f, BOB, "messages accept alice", 2, NULL, "no message request");
	expect(f, BOB, "messages", 0, "conversations (1):\n  alice  Alice", NULL);
	expect(f, ALICE, "dm bob thanks", 0, NULL, NULL);

	/* Declined: gone from bob's lists, and carol is refused. */
	expect(f, CAROL, "dm bob buy my stuff", 0, "message request", NULL);
	expect(f, BOB, "messages decline carol", 0, "declined", NULL);
	r = run(f, BOB, "messages", NULL);
	assert_null(strstr(r.out, "carol"));
	clirun_free(&r);
	expect(f, CAROL, "messages", 0, "(they are not taking messages from you)", NULL);
	expect(f, CAROL, "dm bob hello?", 3, NULL, "not taking messages from you");
}

/* ---- JSON ---------------------------------------------------------------------- */

static void
test_json(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o, *last;
	struct clirun		 r;

	befriend(f, ALICE, BOB);
	expect(f, ALICE, "dm bob hello", 0, NULL, NULL);
	expect(f, BOB, "dm alice \"hi \\\"there\\\"\"", 0, NULL, NULL);

	r = run(f, ALICE, "messages bob --json", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 2);
	o = json_line(r.out, 0);
	assert_true(json_object_get_int64(jget(o, "id")) > 0);
	assert_string_equal(jstr(o, "from"), "alice");
	assert_string_equal(jstr(o, "to"), "bob");
	assert_string_equal(jstr(o, "text"), "hello");
	assert_int_equal(strlen(jstr(o, "created_at")), 20);
	assert_false(json_object_get_boolean(jget(o, "read")));
	assert_null(jget(o, "edited_at"));
	assert_false(json_object_get_boolean(jget(o, "deleted")));
	json_object_put(o);
	o = json_line(r.out, 1);
	assert_string_equal(jstr(o, "from"), "bob");
	assert_string_equal(jstr(o, "text"), "hi \"there\"");
	/* As it was when read: the command marks it read afterwards. */
	assert_false(json_object_get_boolean(jget(o, "read")));
	json_object_put(o);
	clirun_free(&r);

	r = run(f, ALICE, "messages --json", NULL);
	assert_int_equal(count_lines(r.out), 1);
	o = json_line(r.out, 0);
	assert_string_equal(jstr(o, "username"), "bob");
	assert_string_equal(jstr(o, "display_name"), "Bob");
	assert_int_equal(json_object_get_int64(jget(o, "unread")), 0);
	assert_false(json_object_get_boolean(jget(o, "request")));
	assert_false(json_object_get_boolean(jget(o, "pending")));
	last = jget(o, "last");
	assert_string_equal(jstr(last, "text"), "hi \"there\"");
	assert_true(json_object_get_boolean(jget(last, "read")));
	json_object_put(o);
	clirun_free(&r);
}

/* ---- edit and delete ------------------------------------------------------------- */

static void
test_edit_delete(void **state)
{
	struct fixture	*f = *state;
	struct clirun	 r;
	char		 line[96], text[64];
	int64_t		 id, theirs;

	befriend(f, ALICE, BOB);
	expect(f, ALICE, "dm bob helo", 0, NULL, NULL);
	id = newest(f, ALICE, BOB, NULL, 0);
	expect(f, BOB, "dm alice hi", 0, NULL, NULL);
	theirs = newest(f, ALICE, BOB, NULL, 0);

	snprintf(line, sizeof line, "messages edit %lld hello --there", (long long)id);
	snprintf(text, sizeof text, "edited message %lld\n", (long long)id);
	expect(f, ALICE, line, 0, text, NULL);
	r = run(f, BOB, "messages alice", NULL);
	assert_non_null(strstr(r.out, "  alice  just now  hello --there  (edited)\n"));
	clirun_free(&r);
	snprintf(line, sizeof line, "messages edit %lld", (long long)id);
	expect_in(f, ALICE, line, "from\nstdin\n", 0, NULL, NULL);

	/* Not mine: 3; not anyone's I can see: 2; nothing changed. */
	snprintf(line, sizeof line, "messages edit %lld hacked", (long long)theirs);
	expect(f, ALICE, line, 3, NULL, "is not yours");
	snprintf(line, sizeof line, "messages delete %lld", (long long)theirs);
	expect(f, ALICE, line, 3, NULL, "is not yours");
	snprintf(line, sizeof line, "messages edit %lld hacked", (long long)id);
	expect(f, CAROL, line, 2, NULL, "no message");
	snprintf(line, sizeof line, "messages delete %lld", (long long)id);
	expect(f, CAROL, line, 2, NULL, "no message");
	snprintf(line, sizeof line, "messages edit %lld '\x1b[31m'", (long long)id);
	expect(f, ALICE, line, 1, NULL, "control");
	expect(f, ALICE, "messages edit abc text", 1, NULL, "'abc' is not a message id");
	expect(f, ALICE, "messages delete -4", 1, NULL, "not a message id");
	expect(f, ALICE, "messages delete 99999", 2, NULL, "no message 99999");
	expect(f, ALICE, "messages delete 1 2", 1, NULL, "usage: messages delete ID");
	r = run(f, BOB, "messages alice", NULL);
	assert_non_null(strstr(r.out, "from\n    stdin  (edited)\n"));
	assert_non_null(strstr(r.out, "  bob  just now  hi\n"));
	clirun_free(&r);

	/* Deleted: for both. */
	snprintf(line, sizeof line, "messages delete %lld", (long long)id);
	snprintf(text, sizeof text, "deleted message %lld\n", (long long)id);
	expect(f, ALICE, line, 0, text, NULL);
	expect(f, ALICE, line, 2, NULL, "or it was deleted");
	snprintf(line, sizeof line, "messages edit %lld back", (long long)id);
	expect(f, ALICE, line, 2, NULL, "was deleted");
	r = run(f, BOB, "messages alice", NULL);
	snprintf(text, sizeof text, "%lld  alice  just now  message deleted\n", (long long)id);
	assert_non_null(strstr(r.out, text));
	assert_null(strstr(r.out, "stdin"));
	clirun_free(&r);
	expect(f, ALICE, "messages bob", 0, "message deleted\n", NULL);
}

/* ---- pages ---------------------------------------------------------------------- */

static void
test_limit_and_before(void **state)
{
	struct fixture	*f = *state;
	struct clirun	 r;
	char		 line[64], *more;
	long long	 before;
	int		 i;

	befriend(f, ALICE, BOB);
	for (i = 0; i < 12; i++) {
		snprintf(line, sizeof line, "dm bob number %02d", i);
		expect(f, ALICE, line, 0, NULL, NULL);
	}
	r = run(f, BOB, "messages alice --limit 5", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 6);
	assert_non_null(strstr(r.out, "number 07"));
	assert_non_null(strstr(r.out, "number 11"));
	assert_null(strstr(r.out, "number 06"));
	assert_non_null(more = strstr(r.out, "older: messages alice --before "));
	before = atoll(more + strlen("older: messages alice --before "));
	clirun_free(&r);

	snprintf(line, sizeof line, "messages alice --limit=5 --before %lld", before);
	r = run(f, BOB, line, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "number 02"));
	assert_non_null(strstr(r.out, "number 06"));
	assert_null(strstr(r.out, "number 07"));
	assert_null(strstr(r.out, "number 01"));
	clirun_free(&r);
	expect(f, BOB, "messages alice --before 1", 0, "no older messages with alice\n", NULL);

	/* Without --limit, the newest 20. */
	r = run(f, BOB, "messages alice", NULL);
	assert_int_equal(count_lines(r.out), 12);
	clirun_free(&r);

	expect(f, BOB, "messages alice --limit 0", 1, NULL, "--limit takes a number");
	expect(f, BOB, "messages alice --limit x", 1, NULL, "--limit");
	expect(f, BOB, "messages alice --limit 501", 1, NULL, "--limit");
	expect(f, BOB, "messages alice --before x", 1, NULL, "not a message id");
	expect(f, BOB, "messages alice --limit", 1, NULL, "usage: messages");
	expect(f, BOB, "messages --limit 3", 1, NULL, "for one conversation");
	expect(f, BOB, "messages alice carol", 1, NULL, "usage: messages");
	expect(f, BOB, "messages --bogus", 1, NULL, "unknown option '--bogus'");
	expect(f, BOB, "messages nosuch", 2, NULL, "messages: no user named 'nosuch'");
	expect(f, BOB, "messages bob", 1, NULL, "that is you");
}

/* ---- blocks and history --------------------------------------------------------------- */

static void
test_history_across_a_block(void **state)
{
	struct fixture *f = *state;

	befriend(f, ALICE, BOB);
	expect(f, ALICE, "dm bob before the block", 0, NULL, NULL);
	assert_int_equal(store_block(f->st, f->id[BOB], f->id[ALICE], NULL, 0), 0);
	/* Alice cannot find bob any more, but her conversation with him stays readable. */
	expect(f, ALICE, "profile bob", 2, NULL, NULL);
	expect(f, ALICE, "messages bob", 0, "before the block", NULL);
	expect(f, BOB, "messages alice", 0, "before the block", NULL);
	expect(f, CAROL, "messages bob", 0, "no messages with bob yet", NULL);
}

/* ---- hints ------------------------------------------------------------------------------ */

static void
test_hints(void **state)
{
	struct fixture	*f = *state;
	struct opts	 o = { 0 };
	struct hub_msg	 m[8];
	struct clirun	 r;
	int		 sv[2], n = 0;
	int64_t		 id;
	char		 line[64];

	befriend(f, ALICE, BOB);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	o.hub_fd = sv[0];
	r = run_opts(f, ALICE, "dm bob hi", NULL, &o);
	assert_int_equal(r.status, 0);
	clirun_free(&r);
	id = newest(f, ALICE, BOB, NULL, 0);
	while (n < 8 && hub_recv(sv[1], &m[n]) == 1)
		n++;
	assert_int_equal(n, 3);
	assert_true(m[0].kind == HUB_HINT && m[0].topic == TOPIC_MESSAGE &&
	    m[0].user_id == f->id[BOB] && m[0].object_id == id);
	assert_true(m[1].topic == TOPIC_MESSAGE && m[1].user_id == f->id[ALICE] &&
	    m[1].object_id == id);
	assert_true(m[2].topic == TOPIC_NOTIFICATION && m[2].user_id == f->id[BOB]);

	/* Reading: alice's "seen", bob's badge and other sessions. */
	r = run_opts(f, BOB, "messages alice", NULL, &o);
	clirun_free(&r);
	for (n = 0; n < 8 && hub_recv(sv[1], &m[n]) == 1; n++)
		;
	assert_int_equal(n, 3);
	assert_true(m[0].topic == TOPIC_MESSAGE && m[0].user_id == f->id[ALICE]);
	assert_true(m[2].topic == TOPIC_NOTIFICATION && m[2].user_id == f->id[BOB]);
	/* Reading again: nothing new was read, nothing to tell. */
	r = run_opts(f, BOB, "messages alice", NULL, &o);
	clirun_free(&r);
	assert_int_equal(hub_recv(sv[1], &m[0]), 0);

	/* An edit tells both sides; a delete also the other's notifications. */
	snprintf(line, sizeof line, "messages edit %lld hey", (long long)id);
	r = run_opts(f, ALICE, line, NULL, &o);
	clirun_free(&r);
	for (n = 0; n < 8 && hub_recv(sv[1], &m[n]) == 1; n++)
		assert_int_equal(m[n].topic, TOPIC_MESSAGE);
	assert_int_equal(n, 2);
	snprintf(line, sizeof line, "messages delete %lld", (long long)id);
	r = run_opts(f, ALICE, line, NULL, &o);
	clirun_free(&r);
	for (n = 0; n < 8 && hub_recv(sv[1], &m[n]) == 1; n++)
		;
	assert_int_equal(n, 3);
	assert_true(m[2].topic == TOPIC_NOTIFICATION && m[2].user_id == f->id[BOB]);

	/* A refusal sends nothing. */
	r = run_opts(f, ALICE, "dm bob '\x1b'", NULL, &o);
	assert_int_equal(r.status, 1);
	clirun_free(&r);
	r = run_opts(f, ALICE, "dm nosuch hi", NULL, &o);
	clirun_free(&r);
	assert_int_equal(hub_recv(sv[1], &m[0]), 0);
	close(sv[0]);
	close(sv[1]);
}

/* ---- --follow ------------------------------------------------------------------------- */

/* What the stream's first wait does: news from bob, then the stream stops at stop_at. */
struct follow_script {
	struct fixture	*f;
	struct store	*writer;	/* the connection bob writes with */
	int		 hub_peer;	/* the hub's end, or -1 */
	int		 ticks;
	int		 stop_at;
	int64_t		 edit_id, delete_id;
};

static int
follow_tick(struct cli_ctx *ctx, void *arg)
{
	struct follow_script	*s = arg;
	struct hub_msg		 m = { HUB_HINT, TOPIC_MESSAGE, 0, 0 };
	int64_t			 id, other;
	char			 why[128];

	s->ticks++;
	if (s->ticks == 1) {
		fflush(ctx->out);
		assert_int_equal(store_message_send(s->writer, s->f->id[BOB], s->f->id[ALICE],
		    "live one", &id, NULL, why, sizeof why), 0);
		assert_int_equal(store_message_edit(s->writer, s->f->id[BOB], s->edit_id,
		    "fixed typo", &other, why, sizeof why), 0);
		assert_int_equal(store_message_delete(s->writer, s->f->id[BOB], s->delete_id,
		    &other), 0);
		/* Someone else's conversation: must not show. */
		assert_int_equal(store_message_send(s->writer, s->f->id[CAROL], s->f->id[BOB],
		    "not for alice", &id, NULL, why, sizeof why), 0);
		m.user_id = s->f->id[ALICE];
		if (s->hub_peer >= 0) {
			m.topic = TOPIC_POST;	/* passed over */
			assert_int_equal(hub_send(s->hub_peer, &m), 0);
			m.topic = TOPIC_MESSAGE;
			assert_int_equal(hub_send(s->hub_peer, &m), 0);
		}
	}
	return s->ticks >= s->stop_at;
}

static void
follow_prepare(struct fixture *f, struct follow_script *s)
{
	befriend(f, ALICE, BOB);
	expect(f, BOB, "dm alice first", 0, NULL, NULL);
	s->edit_id = newest(f, ALICE, BOB, NULL, 0);
	expect(f, BOB, "dm alice second", 0, NULL, NULL);
	s->delete_id = newest(f, ALICE, BOB, NULL, 0);
	expect(f, ALICE, "dm bob reply", 0, NULL, NULL);
}

/* The stream: history, then the new message, the edit and the deletion, in that order. */
static void
follow_check(struct fixture *f, const char *out, const struct follow_script *s)
{
	char		 edited[64], deleted[64];
	const char	*first, *live, *e, *d;

	snprintf(edited, sizeof edited, "%lld  bob  edited  fixed typo\n",
	    (long long)s->edit_id);
	snprintf(deleted, sizeof deleted, "%lld  bob  deleted  message deleted\n",
	    (long long)s->delete_id);
	first = strstr(out, "  bob  just now  first\n");
	live = strstr(out, "  bob  just now  live one\n");
	e = strstr(out, edited);
	d = strstr(out, deleted);
	if (!first || !live || !e || !d)
		fail_msg("stream:\n%s", out);
	assert_true(first < live && live < e && e < d);
	assert_null(strstr(out, "not for alice"));
	assert_int_equal(count_lines(out), 6);
	/* Watched, so read. */
	assert_int_equal(unread(f, ALICE), 0);
}

static void
test_follow_through_the_hub(void **state)
{
	struct fixture		*f = *state;
	struct follow_script	 s = { f, f->st, -1, 0, 2, 0, 0 };
	struct opts		 o = { 0 };
	struct json_object	*j;
	struct clirun		 r;
	int			 sv[2];

	follow_prepare(f, &s);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	s.hub_peer = sv[1];
	o.hub_fd = sv[0];
	o.tick = follow_tick;
	o.arg = &s;
	/* One connection: its own commits never change data_version, so only the hint helps. */
	r = run_opts(f, ALICE, "messages bob --follow", "", &o);
	assert_int_equal(r.status, 0);
	assert_int_equal(s.ticks, 2);
	follow_check(f, r.out, &s);
	clirun_free(&r);

	/* --json: one message object per line; updates come again with their id. */
	s.ticks = 0;
	s.edit_id = newest(f, ALICE, BOB, NULL, 0);	/* "live one" */
	expect(f, BOB, "dm alice to delete", 0, NULL, NULL);
	s.delete_id = newest(f, ALICE, BOB, NULL, 0);
	r = run_opts(f, ALICE, "messages bob --follow --json --limit 1", "", &o);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 4);
	j = json_line(r.out, 0);
	assert_string_equal(jstr(j, "text"), "to delete");
	json_object_put(j);
	j = json_line(r.out, 1);
	assert_string_equal(jstr(j, "text"), "live one");
	json_object_put(j);
	j = json_line(r.out, 2);
	assert_int_equal(json_object_get_int64(jget(j, "id")), s.edit_id);
	assert_string_equal(jstr(j, "text"), "fixed typo");
	assert_non_null(jget(j, "edited_at"));
	json_object_put(j);
	j = json_line(r.out, 3);
	assert_int_equal(json_object_get_int64(jget(j, "id")), s.delete_id);
	assert_true(json_object_get_boolean(jget(j, "deleted")));
	json_object_put(j);
	clirun_free(&r);
	close(sv[0]);
	close(sv[1]);

	/* Not from the `:` line (no stdin), and not with --before. */
	expect(f, ALICE, "messages bob --follow", 1, NULL, "only as a command");
	expect_in(f, ALICE, "messages bob --follow --before 3", "", 1, NULL, "--before");
	expect(f, ALICE, "messages --follow", 1, NULL, "for one conversation");
}

static void
test_follow_without_the_hub(void **state)
{
	struct fixture		*f = *state;
	struct follow_script	 s = { f, NULL, -1, 0, 2, 0, 0 };
	struct opts		 o = { 0 };
	struct clirun		 r;
	char			 path[128];

	/* Bob writes from another connection; the 1 s data_version poll finds it. */
	follow_prepare(f, &s);
	snprintf(path, sizeof path, "%s/sshbook.db", f->dir);
	assert_int_equal(store_open(path, &s.writer), 0);
	o.tick = follow_tick;
	o.arg = &s;
	r = run_opts(f, ALICE, "messages bob --follow", "", &o);
	assert_int_equal(r.status, 0);
	assert_int_equal(s.ticks, 2);
	follow_check(f, r.out, &s);
	clirun_free(&r);
	store_close(s.writer);
}

/* ---- help ------------------------------------------------------------------------------ */

static void
test_help(void **state)
{
	struct fixture *f = *state;

	expect(f, ALICE, "help", 0, "dm USER [TEXT...]", NULL);
	expect(f, ALICE, "help", 0, "messages accept|decline USER", NULL);
	expect(f, ALICE, "help messages", 0, "usage: messages [USER]", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dm_between_friends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dm_stdin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dm_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit_and_before, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_across_a_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_through_the_hub, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_without_the_hub, setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_help, setup, teardown),
	};

	log_open("test_cli_messages", LOG_TO_STDERR, NULL, LOG_LVL_WARN);
	utf8_locale_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
