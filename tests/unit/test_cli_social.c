/*
 * The people commands (issue 3) as exec runs them, on a store with three
 * users: profile, profile set, friends, requests, friend, block, unblock,
 * search and notifications, including the --follow stream.
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
#include "common/utf8.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tests/unit/clirun.h"

#define KEY_ALICE "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBOrKnNnGvjNezjoRxVw531xTrFjG6Zzda/xd7C0IE one@test"
#define KEY_BOB   "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILpStb2YC0gUsOS+HyDNUuykN2NFI9r3HtzC4X4kKwJB two@test"
#define KEY_CAROL "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII9EbEfaj1BcaTAJ9lDuXvt6davaVZ+NsFvzZfvZ8K9h k3@test"

enum { ALICE, BOB, CAROL, NUSERS };

static const char *const names[NUSERS] = { "alice", "bob", "carol" };
static const char *const displays[NUSERS] = { "Alice", "Bob", "Carol" };
static const char *const keys[NUSERS] = { KEY_ALICE, KEY_BOB, KEY_CAROL };

struct fixture {
	struct store	*st;
	int64_t		 id[NUSERS];
	char		 dir[64];	/* a temporary data dir, for tests with two connections */
};

/* How a run differs from the plain one. */
struct opts {
	struct store	*st;		/* NULL: the fixture's */
	int		 hub_fd;	/* 0: none (-1) */
	int		(*tick)(struct cli_ctx *, void *);
	void		*arg;
	FILE		*out;		/* NULL: captured */
};

static struct clirun
run_opts(struct fixture *f, int who, const char *line, const char *input,
    const struct opts *o)
{
	struct clirun_as	a = { o && o->st ? o->st : f->st, f->id[who], names[who], NULL,
				    o && o->hub_fd ? o->hub_fd : -1, o ? o->tick : NULL,
				    o ? o->arg : NULL, o ? o->out : NULL };
	/* "" is a stdin at EOF from the start, as with `ssh -n`. */
	return clirun(&a, line, input, input != NULL ? strlen(input) : 0);
}

static struct clirun
run(struct fixture *f, int who, const char *line, const char *input)
{
	return run_opts(f, who, line, input, NULL);
}

/* Run, check the status (and, for failures, one line on stderr and nothing on stdout). */
static void
expect(struct fixture *f, int who, const char *line, int status, const char *out_has,
    const char *err_has)
{
	struct clirun r = run(f, who, line, NULL);

	clirun_check(line, &r, status, out_has, err_has);
	clirun_free(&r);
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
		su.key_line = keys[i];
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
	struct fixture *f = *state;
	char path[128];

	store_close(f->st);
	if (f->dir[0] != '\0') {
		snprintf(path, sizeof path, "%s/sshbook.db", f->dir);
		unlink(path);
		snprintf(path, sizeof path, "%s/sshbook.db-wal", f->dir);
		unlink(path);
		snprintf(path, sizeof path, "%s/sshbook.db-shm", f->dir);
		unlink(path);
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

	strcpy(f->dir, "/tmp/sshbook-cli-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof path, "%s/sshbook.db", f->dir);
	assert_int_equal(store_open(path, &f->st), 0);
	assert_int_equal(make_users(f), 0);
	*state = f;
	return 0;
}

/* Make a and b friends through the commands. */
static void
befriend(struct fixture *f, int a, int b)
{
	char line[64];

	snprintf(line, sizeof line, "friend add %s", names[b]);
	expect(f, a, line, 0, NULL, NULL);
	snprintf(line, sizeof line, "friend accept %s", names[a]);
	expect(f, b, line, 0, "now friends", NULL);
}

/* ---- profile ------------------------------------------------------------ */

static void
test_profile_set_and_show(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o, *tags;
	struct clirun		 r;

	expect(f, ALICE, "profile set name Alice Liddell", 0, "display name updated", NULL);
	expect(f, ALICE, "profile set location Oxford, England", 0, "location updated", NULL);
	expect(f, ALICE, "profile set job looking-glass tester", 0, NULL, NULL);
	expect(f, ALICE, "profile set tags Linux, c rust", 0, NULL, NULL);
	r = run(f, ALICE, "profile set bio -",
	    "Down the *rabbit hole*, see [my site](https://alice.example).\n\n"
	    "- tea\n- croquet\n\n#wonderland\n\n");
	assert_int_equal(r.status, 0);
	clirun_free(&r);

	r = run(f, ALICE, "profile", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Alice Liddell (@alice)\n"));
	assert_non_null(strstr(r.out, "joined:   "));
	assert_non_null(strstr(r.out, "location: Oxford, England\n"));
	assert_non_null(strstr(r.out, "job:      looking-glass tester\n"));
	assert_non_null(strstr(r.out, "tags:     c, linux, rust\n"));
	assert_non_null(strstr(r.out, "friends:  0\n"));
	assert_non_null(strstr(r.out, "privacy:  public\n"));
	/* The bio rendered as plain text. */
	assert_non_null(strstr(r.out,
	    "\nDown the rabbit hole, see my site (https://alice.example).\n\n• tea\n• croquet\n"));
	assert_null(strchr(r.out, '*'));
	clirun_free(&r);

	r = run(f, ALICE, "profile --json", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 1);
	o = json_line(r.out, 0);
	assert_string_equal(jstr(o, "username"), "alice");
	assert_string_equal(jstr(o, "display_name"), "Alice Liddell");
	assert_non_null(strstr(jstr(o, "bio"), "*rabbit hole*"));	/* the markdown itself */
	assert_string_equal(jstr(o, "location"), "Oxford, England");
	assert_string_equal(jstr(o, "job"), "looking-glass tester");
	assert_true(json_object_object_get_ex(o, "tags", &tags));
	assert_int_equal(json_object_array_length(tags), 3);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(tags, 0)), "c");
	assert_string_equal(jstr(o, "privacy"), "public");
	assert_int_equal(jint(o, "friends"), 0);
	assert_int_equal(jint(o, "mutual"), 0);
	assert_string_equal(jstr(o, "relation"), "self");
	assert_int_equal(strlen(jstr(o, "created_at")), 20);
	json_object_put(o);
	clirun_free(&r);
}

static void
test_profile_of_others_and_privacy(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;

	expect(f, BOB, "profile set bio I build *things*", 0, NULL, NULL);
	expect(f, BOB, "profile set privacy friends", 0, "privacy updated", NULL);

	/* A stranger sees the name only. */
	r = run(f, ALICE, "profile bob", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Bob (@bob)\nonly their name is visible to you\n"));
	assert_null(strstr(r.out, "things"));
	assert_null(strstr(r.out, "joined"));
	assert_non_null(strstr(r.out, "not friends"));
	clirun_free(&r);
	r = run(f, ALICE, "profile @bob --json", NULL);
	assert_int_equal(r.status, 0);
	o = json_line(r.out, 0);
	assert_string_equal(jstr(o, "username"), "bob");
	assert_false(json_object_get_boolean(json_object_object_get(o, "full")));
	assert_true(jnull(o, "bio"));
	assert_true(jnull(o, "friends"));
	assert_true(jnull(o, "privacy"));
	assert_string_equal(jstr(o, "relation"), "none");
	json_object_put(o);
	clirun_free(&r);
	expect(f, ALICE, "friends bob", 3, NULL, "not visible");

	/* A friend sees it all, with the mutual count. */
	befriend(f, ALICE, BOB);
	befriend(f, CAROL, BOB);
	befriend(f, CAROL, ALICE);
	r = run(f, ALICE, "profile bob", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "friends:  2 (1 mutual)\n"));
	assert_non_null(strstr(r.out, "relation: friends\n"));
	assert_non_null(strstr(r.out, "\nI build things\n"));
	clirun_free(&r);
	r = run(f, ALICE, "profile bob --json", NULL);
	o = json_line(r.out, 0);
	assert_int_equal(jint(o, "friends"), 2);
	assert_int_equal(jint(o, "mutual"), 1);
	assert_string_equal(jstr(o, "relation"), "friend");
	assert_string_equal(jstr(o, "privacy"), "friends");
	json_object_put(o);
	clirun_free(&r);

	/* Unknown users: 2, and the name quoted without its escapes. */
	expect(f, ALICE, "profile nosuch", 2, NULL, "profile: no user named 'nosuch'");
	r = run(f, ALICE, "profile 'ev\x1b[31mil'", NULL);
	assert_int_equal(r.status, 2);
	assert_null(strchr(r.err, '\x1b'));
	assert_non_null(strstr(r.err, "no user named"));
	clirun_free(&r);
	expect(f, ALICE, "profile bob carol", 1, NULL, "usage: profile");
	expect(f, ALICE, "profile --frob", 1, NULL, "unknown option '--frob'");
}

static void
test_profile_set_refuses_bad_input(void **state)
{
	struct fixture	*f = *state;
	struct profile	 p = { 0 };
	struct clirun	 r;
	char		 line[700];

	expect(f, ALICE, "profile set location Paris", 0, NULL, NULL);
	expect(f, ALICE, "profile set colour blue", 1, NULL, "unknown field 'colour'");
	expect(f, ALICE, "profile set location", 1, NULL, "usage: profile set FIELD VALUE");
	expect(f, ALICE, "profile set privacy everyone", 1, NULL, "profile set: privacy is public, friends or private\n");
	expect(f, ALICE, "profile set name ''", 1, NULL, "profile set: display name:");
	expect(f, ALICE, "profile set tags 'ok bad\x01tag'", 1, NULL, "profile set: tags are");
	expect(f, ALICE, "profile set location 'x\x1b[2Jy'", 1, NULL, "profile set: location: control characters");
	memset(line, 0, sizeof line);
	strcpy(line, "profile set bio ");
	memset(line + strlen(line), 'a', 501);
	expect(f, ALICE, line, 1, NULL, "profile set: bio: too long (at most 500");
	expect(f, ALICE, "profile set tags a b c d e f g h i j k l m n o p q r s t u", 1, NULL,
	    "at most 20 tags");
	r = run(f, ALICE, "profile set bio -", NULL);	/* no stdin: the `:` line */
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "stdin"));
	clirun_free(&r);
	r = run(f, ALICE, "profile set colour '\x1b]0;x\x07'", NULL);
	assert_int_equal(r.status, 1);
	assert_null(strchr(r.err, '\x1b'));
	assert_null(strchr(r.err, '\x07'));
	clirun_free(&r);
	/* Nothing changed. */
	assert_int_equal(store_profile_get(f->st, f->id[ALICE], "alice", &p), 0);
	assert_string_equal(p.location, "Paris");
	assert_string_equal(p.bio, "");
	assert_string_equal(p.display_name, "Alice");
	assert_int_equal(p.ntags, 0);
	profile_free(&p);
}

/* ---- friendships ------------------------------------------------------------ */

static void
test_friend_request_accept_remove(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;

	expect(f, ALICE, "friend add bob", 0, "friend request sent to bob\n", NULL);
	expect(f, ALICE, "friend add bob", 1, NULL, "already sent");
	expect(f, ALICE, "friend add @BOB", 1, NULL, "already sent");
	expect(f, ALICE, "friend add alice", 1, NULL, "friend add:");

	r = run(f, BOB, "requests", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "incoming requests (1):\n  alice  Alice  (0 mutual)  asked "));
	assert_non_null(strstr(r.out, "outgoing requests (0): none\n"));
	clirun_free(&r);
	r = run(f, ALICE, "requests", NULL);
	assert_non_null(strstr(r.out, "incoming requests (0): none\n"));
	assert_non_null(strstr(r.out, "outgoing requests (1):\n  bob  Bob  (0 mutual)  sent "));
	clirun_free(&r);
	r = run(f, BOB, "requests --json", NULL);
	assert_int_equal(count_lines(r.out), 1);
	o = json_line(r.out, 0);
	assert_string_equal(jstr(o, "username"), "alice");
	assert_string_equal(jstr(o, "direction"), "incoming");
	assert_string_equal(jstr(o, "relation"), "request_received");
	assert_non_null(strstr(jstr(o, "since"), "Z"));
	json_object_put(o);
	clirun_free(&r);

	expect(f, BOB, "notifications", 0, "Alice (@alice) sent you a friend request", NULL);
	expect(f, BOB, "friend accept alice", 0, "you and alice are now friends\n", NULL);
	expect(f, BOB, "friend accept alice", 1, NULL, "already friends");
	expect(f, BOB, "friend accept carol", 2, NULL, "has not sent you a friend request");
	expect(f, ALICE, "notifications", 0, "Bob (@bob) accepted your friend request", NULL);

	expect(f, ALICE, "friends", 0, "bob  Bob  (0 mutual)  friends since ", NULL);
	expect(f, BOB, "friends", 0, "alice  Alice  (0 mutual)", NULL);
	expect(f, ALICE, "friends bob", 0, "alice  Alice  (you)", NULL);
	expect(f, ALICE, "friends --filter BO", 0, "bob  Bob", NULL);
	expect(f, ALICE, "friends --filter=zz", 0, "no friends match 'zz'", NULL);
	expect(f, ALICE, "friends --filter", 1, NULL, "usage: friends");
	r = run(f, ALICE, "friends --json", NULL);
	o = json_line(r.out, 0);
	assert_string_equal(jstr(o, "username"), "bob");
	assert_int_equal(jint(o, "friends"), 1);
	assert_string_equal(jstr(o, "relation"), "friend");
	json_object_put(o);
	clirun_free(&r);

	expect(f, ALICE, "friend remove bob", 0, "bob is no longer your friend\n", NULL);
	expect(f, ALICE, "friend remove bob", 2, NULL, "not friends");
	expect(f, ALICE, "friends", 0, "no friends yet", NULL);
	r = run(f, ALICE, "friends --json", NULL);
	assert_string_equal(r.out, "");
	clirun_free(&r);
}

static void
test_friend_decline_cancel_and_ask_back(void **state)
{
	struct fixture *f = *state;

	expect(f, CAROL, "friend add alice", 0, NULL, NULL);
	expect(f, ALICE, "friend decline carol", 0, "declined the friend request from carol", NULL);
	expect(f, CAROL, "notifications", 0, "Alice (@alice) declined your friend request", NULL);
	expect(f, ALICE, "friend decline carol", 2, NULL, NULL);

	expect(f, ALICE, "friend add bob", 0, NULL, NULL);
	expect(f, ALICE, "friend cancel bob", 0, "cancelled your friend request to bob", NULL);
	expect(f, ALICE, "friend cancel bob", 2, NULL, "no pending friend request");
	expect(f, BOB, "notifications", 0, "no notifications", NULL);	/* withdrawn */

	/* Asking someone who already asked you makes you friends. */
	expect(f, BOB, "friend add alice", 0, NULL, NULL);
	expect(f, ALICE, "friend add bob", 0, "now friends", NULL);
	expect(f, ALICE, "friend add bob", 1, NULL, "already friends");
}

static void
test_friend_usage_unknown_and_blocks(void **state)
{
	struct fixture	*f = *state;
	struct clirun	 r;

	expect(f, ALICE, "friend", 1, NULL, "usage: friend add|accept");
	expect(f, ALICE, "friend add", 1, NULL, "usage: friend");
	expect(f, ALICE, "friend hug bob", 1, NULL, "usage: friend");
	expect(f, ALICE, "friend add bob carol", 1, NULL, "usage: friend");
	expect(f, ALICE, "friend add nosuch", 2, NULL, "friend add: no user named 'nosuch'");
	expect(f, ALICE, "friend add 'Bad Name!'", 2, NULL, "no user named 'Bad Name!'");
	r = run(f, ALICE, "friend add 'x\x1b[31m\x9b'", NULL);
	assert_int_equal(r.status, 2);
	assert_null(strchr(r.err, '\x1b'));
	assert_null(strstr(r.err, "\x9b"));
	clirun_free(&r);
	expect(f, ALICE, "block nosuch", 2, NULL, "block: no user named 'nosuch'");
	expect(f, ALICE, "block alice", 1, NULL, "block:");

	befriend(f, ALICE, BOB);
	expect(f, ALICE, "block bob", 0, "blocked bob\n", NULL);
	expect(f, ALICE, "block bob", 1, NULL, "already blocked");
	/* The block cut the friendship, and bob can no longer find alice at all. */
	expect(f, ALICE, "friends", 0, "no friends yet", NULL);
	expect(f, BOB, "friend add alice", 2, NULL, "no user named 'alice'");
	expect(f, BOB, "profile alice", 2, NULL, "no user named 'alice'");
	expect(f, BOB, "block alice", 2, NULL, NULL);
	expect(f, BOB, "search alice", 0, "nobody found", NULL);
	/* alice still finds bob, to unblock him, and is told why she cannot ask him. */
	expect(f, ALICE, "profile bob", 0, "blocked by you", NULL);
	expect(f, ALICE, "friend add bob", 3, NULL, "unblock");
	expect(f, ALICE, "unblock bob", 0, "unblocked bob\n", NULL);
	expect(f, ALICE, "unblock bob", 2, NULL, "have not blocked");
	expect(f, BOB, "friend add alice", 0, NULL, NULL);
}

static void
test_hints_after_actions(void **state)
{
	struct fixture	*f = *state;
	struct opts	 o = { 0 };
	struct hub_msg	 m[8];
	struct clirun	 r;
	int		 sv[2], n = 0;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	o.hub_fd = sv[0];
	r = run_opts(f, ALICE, "friend add bob", NULL, &o);
	assert_int_equal(r.status, 0);
	clirun_free(&r);
	while (n < 8 && hub_recv(sv[1], &m[n]) == 1)
		n++;
	assert_int_equal(n, 3);
	assert_true(m[0].kind == HUB_HINT && m[0].topic == TOPIC_FRIEND && m[0].user_id == f->id[BOB]);
	assert_true(m[1].topic == TOPIC_FRIEND && m[1].user_id == f->id[ALICE]);
	assert_true(m[2].topic == TOPIC_NOTIFICATION && m[2].user_id == f->id[BOB]);

	/* A block notifies nobody: no notification hint. */
	r = run_opts(f, ALICE, "block bob", NULL, &o);
	assert_int_equal(r.status, 0);
	clirun_free(&r);
	for (n = 0; n < 8 && hub_recv(sv[1], &m[n]) == 1; n++)
		assert_int_equal(m[n].topic, TOPIC_FRIEND);
	assert_int_equal(n, 2);

	/* A refused action sends nothing. */
	r = run_opts(f, ALICE, "friend add nosuch", NULL, &o);
	assert_int_equal(r.status, 2);
	clirun_free(&r);
	assert_int_equal(hub_recv(sv[1], &m[0]), 0);
	close(sv[0]);
	close(sv[1]);
}

/* ---- search ---------------------------------------------------------------- */

static void
test_search_users(void **state)
{
	static const char *const hostile[] = {
		"search '\"'", "search '\"bob'", "search 'bo\"b'", "search '*'", "search 'b*'",
		"search 'NEAR(bob'", "search 'NEAR(bob carol)'", "search '('", "search ')'",
		"search 'bob OR carol'", "search 'bob AND'", "search NOT", "search '-bob'",
		"search '^bob'", "search 'username:bob'", "search '{username}: bob'",
		"search '\\'", "search \"'\"", "search ':'", "search '+'", "search '\x01'",
		NULL
	};
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;
	size_t			 i;

	expect(f, CAROL, "profile set name Carol Bobbington", 0, NULL, NULL);
	befriend(f, ALICE, CAROL);
	befriend(f, BOB, CAROL);
	r = run(f, ALICE, "search bo", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "bob  Bob  (1 mutual)\n"));
	assert_non_null(strstr(r.out, "carol  Carol Bobbington  (0 mutual)\n"));
	clirun_free(&r);
	expect(f, ALICE, "search --users bob", 0, "bob  Bob", NULL);
	expect(f, ALICE, "search carol bobb", 0, "carol  Carol Bobbington", NULL);
	expect(f, ALICE, "search zebra", 0, "nobody found for 'zebra'", NULL);

	r = run(f, ALICE, "search bob --limit 1 --json", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 1);
	o = json_line(r.out, 0);
	assert_non_null(jstr(o, "username"));
	assert_non_null(jstr(o, "display_name"));
	json_object_put(o);
	clirun_free(&r);
	r = run(f, ALICE, "search bo --limit 1", NULL);
	assert_non_null(strstr(r.out, "more people match"));
	clirun_free(&r);

	/* FTS5 syntax is text, never an error. */
	for (i = 0; hostile[i] != NULL; i++) {
		r = run(f, ALICE, hostile[i], NULL);
		if (r.status != 0 || r.err[0] != '\0')
			fail_msg("'%s': status %d, err '%s'", hostile[i], r.status, r.err);
		assert_null(strchr(r.out, '\x01'));
		clirun_free(&r);
	}
	expect(f, ALICE, "search '\"bob'", 0, "bob  Bob", NULL);

	expect(f, ALICE, "search", 1, NULL, "usage: search");
	expect(f, ALICE, "search --json", 1, NULL, "usage: search");
	expect(f, ALICE, "search --posts linux", 0, "no posts found for 'linux'", NULL);
	expect(f, ALICE, "search --groups linux", 1, NULL, "only people");
	expect(f, ALICE, "search --limit 0 bob", 1, NULL, "--limit");
	expect(f, ALICE, "search --limit x bob", 1, NULL, "--limit");
	expect(f, ALICE, "search --fuzzy bob", 1, NULL, "unknown option '--fuzzy'");
}

/* ---- notifications ------------------------------------------------------------ */

static void
test_notifications_list_read_delete(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;
	int64_t			 id;
	char			 line[64];

	expect(f, ALICE, "notifications", 0, "no notifications\n", NULL);
	expect(f, BOB, "friend add alice", 0, NULL, NULL);
	expect(f, CAROL, "friend add alice", 0, NULL, NULL);

	r = run(f, ALICE, "notifications", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 2);
	/* Newest first. */
	assert_true(strstr(r.out, "Carol (@carol)") < strstr(r.out, "Bob (@bob)"));
	assert_non_null(strstr(r.out, "  unread  just now     Bob (@bob) sent you a friend request\n"));
	clirun_free(&r);

	r = run(f, ALICE, "notifications --json", NULL);
	assert_int_equal(count_lines(r.out), 2);
	o = json_line(r.out, 1);
	id = jint(o, "id");
	assert_true(id > 0);
	assert_string_equal(jstr(o, "type"), "friend_request");
	assert_string_equal(jstr(o, "actor"), "bob");
	assert_true(jnull(o, "object"));
	assert_false(json_object_get_boolean(json_object_object_get(o, "read")));
	assert_int_equal(strlen(jstr(o, "created_at")), 20);
	assert_int_equal(jstr(o, "created_at")[19], 'Z');
	json_object_put(o);
	clirun_free(&r);

	snprintf(line, sizeof line, "notifications read %lld", (long long)id);
	expect(f, ALICE, line, 0, "marked notification", NULL);
	r = run(f, ALICE, "notifications --unread", NULL);
	assert_int_equal(count_lines(r.out), 1);
	assert_non_null(strstr(r.out, "Carol"));
	clirun_free(&r);
	r = run(f, ALICE, "notifications --unread --json", NULL);
	assert_int_equal(count_lines(r.out), 1);
	clirun_free(&r);
	expect(f, ALICE, "notifications", 0, "  read    ", NULL);

	/* Someone else's notification, or none at all: not found. */
	expect(f, BOB, line, 2, NULL, "no notification");
	expect(f, ALICE, "notifications read 999999", 2, NULL, "no notification 999999");
	expect(f, ALICE, "notifications read abc", 1, NULL, "not a notification id");
	expect(f, ALICE, "notifications delete -3", 1, NULL, "not a notification id");
	expect(f, ALICE, "notifications read", 1, NULL, "usage: notifications read");
	expect(f, ALICE, "notifications --bogus", 1, NULL, "unknown option");
	expect(f, ALICE, "notifications extra", 1, NULL, "usage");

	expect(f, ALICE, "notifications read all", 0, "marked all", NULL);
	expect(f, ALICE, "notifications --unread", 0, "no unread notifications\n", NULL);
	snprintf(line, sizeof line, "notifications delete %lld", (long long)id);
	expect(f, ALICE, line, 0, "deleted notification", NULL);
	expect(f, ALICE, line, 2, NULL, NULL);
	expect(f, ALICE, "notifications delete all", 0, "deleted all", NULL);
	expect(f, ALICE, "notifications", 0, "no notifications\n", NULL);
}

/* The follow tests: a hook that acts on the nth wait, then stops the stream. */
struct follow_script {
	struct fixture	*f;
	struct store	*writer;	/* the connection that makes news */
	int		 hub_peer;	/* the hub's end of the socketpair, or -1 */
	int		 ticks;
	int		 stop_at;
	bool		 hangup;	/* raise SIGHUP at the first tick instead */
};

static int
follow_tick(struct cli_ctx *ctx, void *arg)
{
	struct follow_script	*s = arg;
	struct hub_msg		 m = { HUB_HINT, TOPIC_NOTIFICATION, 0, 0 };
	bool			 notified = false;

	s->ticks++;
	if (s->hangup) {
		raise(SIGHUP);
		return 0;
	}
	if (s->ticks == 1) {
		/* Output so far reaches the test before the news. */
		fflush(ctx->out);
		assert_int_equal(store_friend_request(s->writer, s->f->id[CAROL],
		    s->f->id[ALICE], &notified, NULL, 0), 0);
		assert_true(notified);
		m.user_id = s->f->id[ALICE];
		if (s->hub_peer >= 0) {
			/* A hint about another topic first: read and passed over. */
			m.topic = TOPIC_POST;
			assert_int_equal(hub_send(s->hub_peer, &m), 0);
			m.topic = TOPIC_NOTIFICATION;
			assert_int_equal(hub_send(s->hub_peer, &m), 0);
		}
	}
	return s->ticks >= s->stop_at;
}

static void
test_follow_through_the_hub(void **state)
{
	struct fixture		*f = *state;
	struct follow_script	 s = { f, f->st, -1, 0, 2, false };
	struct opts		 o = { 0 };
	struct json_object	*j;
	struct clirun		 r;
	int			 sv[2];
	const char		*bob, *carol;

	expect(f, BOB, "friend add alice", 0, NULL, NULL);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	s.hub_peer = sv[1];
	o.hub_fd = sv[0];
	o.tick = follow_tick;
	o.arg = &s;
	/*
	 * One connection (":memory:"): its own commits never change its
	 * data_version, so only the hint can bring carol's request. stdin is at
	 * EOF from the start (ssh -n), which must not end the stream.
	 */
	r = run_opts(f, ALICE, "notifications --follow", "", &o);
	assert_int_equal(r.status, 0);
	assert_int_equal(s.ticks, 2);
	bob = strstr(r.out, "Bob (@bob) sent you a friend request");
	carol = strstr(r.out, "Carol (@carol) sent you a friend request");
	assert_non_null(bob);
	assert_non_null(carol);
	assert_true(bob < carol);	/* a stream: the new one below */
	assert_int_equal(count_lines(r.out), 2);
	clirun_free(&r);

	/* --json --unread: only unread ones, one object per line. */
	expect(f, ALICE, "notifications read all", 0, NULL, NULL);
	expect(f, CAROL, "friend cancel alice", 0, NULL, NULL);
	s.ticks = 0;
	r = run_opts(f, ALICE, "notifications --follow --unread --json", "", &o);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 1);
	j = json_line(r.out, 0);
	assert_string_equal(jstr(j, "actor"), "carol");
	assert_string_equal(jstr(j, "type"), "friend_request");
	json_object_put(j);
	clirun_free(&r);
	close(sv[0]);
	close(sv[1]);

	/* Not from the `:` line (no stdin): it would block the TUI. */
	expect(f, ALICE, "notifications --follow", 1, NULL, "only as a command");
}

static void
test_follow_without_the_hub(void **state)
{
	struct fixture		*f = *state;
	struct follow_script	 s = { f, NULL, -1, 0, 2, false };
	struct opts		 o = { 0 };
	struct clirun		 r;
	char			 path[128];

	/* Another connection writes; the 1 s data_version poll finds it. */
	snprintf(path, sizeof path, "%s/sshbook.db", f->dir);
	assert_int_equal(store_open(path, &s.writer), 0);
	o.tick = follow_tick;
	o.arg = &s;
	r = run_opts(f, ALICE, "notifications --follow", "", &o);
	assert_int_equal(r.status, 0);
	assert_int_equal(s.ticks, 2);
	assert_non_null(strstr(r.out, "Carol (@carol) sent you a friend request"));
	clirun_free(&r);
	store_close(s.writer);
}

static void
test_follow_stops_when_the_client_goes(void **state)
{
	struct fixture		*f = *state;
	struct follow_script	 s = { f, f->st, -1, 0, 1000, true };
	struct opts		 o = { 0 };
	struct sigaction	 sa, hup_before, pipe_before;
	struct clirun		 r;
	int			 p[2];

	/* What the caller had (the test may start with SIGPIPE ignored, as under nohup). */
	assert_int_equal(sigaction(SIGHUP, NULL, &hup_before), 0);
	assert_int_equal(sigaction(SIGPIPE, NULL, &pipe_before), 0);
	/* SIGHUP (sshbookd's word that the channel closed) ends it cleanly... */
	o.tick = follow_tick;
	o.arg = &s;
	r = run_opts(f, ALICE, "notifications --follow", "", &o);
	assert_int_equal(r.status, 0);
	assert_int_equal(s.ticks, 1);
	clirun_free(&r);
	/* ...and the handlers are the caller's again afterwards. */
	assert_int_equal(sigaction(SIGHUP, NULL, &sa), 0);
	assert_ptr_equal(sa.sa_handler, hup_before.sa_handler);
	assert_int_equal(sigaction(SIGPIPE, NULL, &sa), 0);
	assert_ptr_equal(sa.sa_handler, pipe_before.sa_handler);

	/* So does a write that fails: the reader is gone (EPIPE, no SIGPIPE death). */
	expect(f, BOB, "friend add alice", 0, NULL, NULL);
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	o.out = fdopen(p[1], "w");
	s.hangup = false;
	s.ticks = 0;
	r = run_opts(f, ALICE, "notifications --follow", "", &o);
	assert_int_equal(r.status, 0);
	assert_int_equal(s.ticks, 0);	/* stopped at the first batch */
	signal(SIGPIPE, SIG_IGN);	/* fclose may try the write again */
	fclose(o.out);
	sigaction(SIGPIPE, &pipe_before, NULL);
	clirun_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_profile_set_and_show, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profile_of_others_and_privacy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profile_set_refuses_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_friend_request_accept_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_friend_decline_cancel_and_ask_back, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_friend_usage_unknown_and_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hints_after_actions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notifications_list_read_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_through_the_hub, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_without_the_hub, setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_follow_stops_when_the_client_goes, setup,
		    teardown),
	};

	utf8_locale_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
