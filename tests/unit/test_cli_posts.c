/*
 * The post commands (issue 4) as exec runs them, on a ":memory:" store with
 * four users: alice and bob are friends, carol and dave are strangers to
 * both. post, show, edit, delete, like, unlike, react, comment, comments,
 * share, feed home|foryou, search --posts and settings visibility: output
 * (text and JSON), exit statuses, refusals that store nothing, privacy, and
 * the hub hints after each write.
 */
#include <setjmp.h>
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
#include "storage/posts.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tests/unit/clirun.h"

#define KEY_ALICE "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBOrKnNnGvjNezjoRxVw531xTrFjG6Zzda/xd7C0IE one@test"
#define KEY_BOB   "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILpStb2YC0gUsOS+HyDNUuykN2NFI9r3HtzC4X4kKwJB two@test"
#define KEY_CAROL "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGQvbTd6nRFU7vkihxjQGsiL6DTugLqPxUVidyFincWY c@test"
#define KEY_DAVE  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHpCy7v5A0TD0prz6j3JuHQj3BxJKnnwJoN5OryAluux d@test"

enum { ALICE, BOB, CAROL, DAVE, NUSERS };

static const char *const names[NUSERS] = { "alice", "bob", "carol", "dave" };
static const char *const displays[NUSERS] = { "Alice", "Bob", "Carol", "Dave" };
static const char *const keys[NUSERS] = { KEY_ALICE, KEY_BOB, KEY_CAROL, KEY_DAVE };

struct fixture {
	struct store	*st;
	int64_t		 id[NUSERS];
};

/* Run line as user who; input NULL: no stdin (the `:` line); else stdin holds inlen bytes of input. */
static struct clirun
run_in(struct fixture *f, int who, const char *line, const char *input, size_t inlen, int hub_fd)
{
	struct clirun_as	a = { f->st, f->id[who], names[who], NULL, hub_fd, NULL, NULL,
				    NULL };
	return clirun(&a, line, input, inlen);
}

static struct clirun
run(struct fixture *f, int who, const char *line, const char *input)
{
	return run_in(f, who, line, input, input != NULL ? strlen(input) : 0, -1);
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

/* expect() with a formatted command line. */
static void __attribute__((format(printf, 6, 7)))
expectf(struct fixture *f, int who, int status, const char *out_has, const char *err_has,
    const char *fmt, ...)
{
	char	line[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	expect(f, who, line, status, out_has, err_has);
}

/* Run a command that prints a new id (post, share, comment) and return it. */
static int64_t
new_id(struct fixture *f, int who, const char *line, const char *input)
{
	struct clirun	 r = run(f, who, line, input);
	char		*end;
	long long	 id;

	if (r.status != 0)
		fail_msg("'%s': status %d (err '%s')", line, r.status, r.err);
	id = strtoll(r.out, &end, 10);
	assert_true(id > 0);
	assert_string_equal(end, "\n");
	assert_string_equal(r.err, "");
	clirun_free(&r);
	return id;
}

static int64_t __attribute__((format(printf, 3, 4)))
new_idf(struct fixture *f, int who, const char *fmt, ...)
{
	char	line[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	return new_id(f, who, line, NULL);
}

static struct clirun __attribute__((format(printf, 3, 4)))
runf(struct fixture *f, int who, const char *fmt, ...)
{
	char	line[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	return run(f, who, line, NULL);
}

static void
befriend(struct fixture *f, int a, int b)
{
	bool notified;

	assert_int_equal(store_friend_request(f->st, f->id[a], f->id[b], &notified, NULL, 0), 0);
	assert_int_equal(store_friend_accept(f->st, f->id[b], f->id[a], &notified, NULL, 0), 0);
}

static int
setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof *f);
	struct signup	 su;
	int		 i;

	assert_int_equal(store_open(":memory:", &f->st), 0);
	for (i = 0; i < NUSERS; i++) {
		memset(&su, 0, sizeof su);
		su.username = names[i];
		su.display_name = displays[i];
		su.key_line = keys[i];	/* keys are cheap; passwords (Argon2id) are not */
		assert_int_equal(store_user_create(f->st, &su, &f->id[i], NULL, 0), 0);
	}
	befriend(f, ALICE, BOB);
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

static size_t
count_of(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* The JSON object of post id as who sees it (show --json); caller puts it. */
static struct json_object *
show_json(struct fixture *f, int who, int64_t id)
{
	struct json_object	*o;
	struct clirun		 r = runf(f, who, "show %lld --json", (long long)id);

	if (r.status != 0)
		fail_msg("show %lld: status %d (%s)", (long long)id, r.status, r.err);
	assert_int_equal(count_lines(r.out), 1);
	o = json_line(r.out, 0);
	clirun_free(&r);
	return o;
}

/* How many posts who's Home feed holds (at most 100). */
static size_t
home_count(struct fixture *f, int who)
{
	struct clirun	r = run(f, who, "feed --limit 100 --json", NULL);
	size_t		n;

	assert_int_equal(r.status, 0);
	n = count_lines(r.out);
	clirun_free(&r);
	return n;
}

/* ---- post and show ----------------------------------------------------------- */

static void
test_post_and_show(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o, *v;
	struct clirun		 r;
	char			 head[64];
	int64_t			 id;

	id = new_id(f, ALICE, "post Hello **world**, see #linux and @bob", NULL);

	r = runf(f, ALICE, "show %lld", (long long)id);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	snprintf(head, sizeof head, "#%lld  Alice @alice · just now · public\n", (long long)id);
	assert_ptr_equal(strstr(r.out, head), r.out);	/* the header comes first */
	/* The markdown rendered as plain text, then the counts. */
	assert_non_null(strstr(r.out, "\nHello world, see #linux and @bob\n"));
	assert_null(strchr(r.out, '*'));
	assert_non_null(strstr(r.out, "\n0 likes · 0 comments · 0 shares\n"));
	assert_int_equal(count_lines(r.out), 3);
	clirun_free(&r);

	o = show_json(f, BOB, id);
	assert_int_equal(jint(o, "id"), id);
	assert_string_equal(jstr(o, "author"), "alice");
	assert_string_equal(jstr(o, "text"), "Hello **world**, see #linux and @bob");
	assert_string_equal(jstr(o, "visibility"), "public");
	assert_int_equal(strlen(jstr(o, "created_at")), 20);
	assert_int_equal(jstr(o, "created_at")[19], 'Z');
	assert_true(jnull(o, "edited_at"));
	assert_int_equal(jint(o, "likes"), 0);
	v = jget(o, "reactions");
	assert_true(json_object_is_type(v, json_type_object));
	assert_int_equal(json_object_object_length(v), 0);
	assert_int_equal(jint(o, "comments"), 0);
	assert_int_equal(jint(o, "shares"), 0);
	assert_true(jnull(o, "shared_from"));
	v = jget(o, "media");
	assert_true(json_object_is_type(v, json_type_array));
	assert_int_equal(json_object_array_length(v), 0);
	assert_true(jnull(o, "original"));
	json_object_put(o);

	/* Words that look like options, once the text has started, are text. */
	id = new_id(f, ALICE, "post hi --json there", NULL);
	o = show_json(f, ALICE, id);
	assert_string_equal(jstr(o, "text"), "hi --json there");
	json_object_put(o);
	id = new_id(f, ALICE, "post -- --not-an-option", NULL);
	o = show_json(f, ALICE, id);
	assert_string_equal(jstr(o, "text"), "--not-an-option");
	json_object_put(o);

	/* help lists the new commands, generated from the table. */
	r = run(f, ALICE, "help", NULL);
	assert_non_null(strstr(r.out, "post [--visibility"));
	assert_non_null(strstr(r.out, "feed [home|foryou]"));
	assert_non_null(strstr(r.out, "comments POST"));
	assert_non_null(strstr(r.out, "settings"));
	clirun_free(&r);
}

static void
test_post_from_stdin_and_limits(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;
	char			*big;
	size_t			 i;
	int64_t			 id;

	/* stdin: read to EOF, the final newlines dropped, the others kept. */
	id = new_id(f, ALICE, "post", "# Title\n\nfirst paragraph\n\n- one\n- two\n\n\n");
	o = show_json(f, ALICE, id);
	assert_string_equal(jstr(o, "text"), "# Title\n\nfirst paragraph\n\n- one\n- two");
	json_object_put(o);
	r = runf(f, ALICE, "show %lld", (long long)id);
	assert_non_null(strstr(r.out, "\nTitle\n\nfirst paragraph\n\n• one\n• two\n"));
	clirun_free(&r);
	assert_int_equal(home_count(f, ALICE), 1);

	/* Exactly POST_MAX characters (two bytes each) is fine... */
	big = malloc(4 * POST_MAX + 16);
	for (i = 0; i < POST_MAX; i++)
		memcpy(big + 2 * i, "é", 2);
	big[2 * POST_MAX] = '\0';
	id = new_id(f, ALICE, "post --visibility private", big);
	o = show_json(f, ALICE, id);
	assert_int_equal(utf8_count(jstr(o, "text")), POST_MAX);
	assert_string_equal(jstr(o, "visibility"), "private");
	json_object_put(o);
	assert_int_equal(home_count(f, ALICE), 2);

	/* ...one more is refused with a clear message, and nothing is stored. */
	memcpy(big + 2 * POST_MAX, "x", 2);
	r = run(f, ALICE, "post", big);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "post: too long: 5001 characters (at most 5000)"));
	clirun_free(&r);
	/* Far too long: refused without reading it all. */
	memset(big, 'a', 4 * POST_MAX + 15);
	big[4 * POST_MAX + 15] = '\0';
	r = run(f, ALICE, "post", big);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "post: too long (at most 5000 characters)"));
	clirun_free(&r);
	/* As words too. */
	memcpy(big, "post ", 5);
	memset(big + 5, 'b', POST_MAX + 1);
	big[5 + POST_MAX + 1] = '\0';
	r = run(f, ALICE, big, NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "too long: 5001 characters"));
	clirun_free(&r);
	free(big);
	assert_int_equal(home_count(f, ALICE), 2);

	/* Empty, nothing at all, no stdin, bad bytes: refused, nothing stored. */
	r = run_in(f, ALICE, "post", "", 0, -1);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "post: no text"));
	clirun_free(&r);
	r = run(f, ALICE, "post", "\n\n");
	assert_int_equal(r.status, 1);
	clirun_free(&r);
	expect(f, ALICE, "post", 1, NULL, "post: no text");	/* the `:` line: no stdin */
	r = run(f, ALICE, "post", "bad \xff byte");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_null(strstr(r.err, "\xff"));
	clirun_free(&r);
	r = run(f, ALICE, "post 'red \x1b[31malert\x1b[0m'", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "post: "));
	assert_null(strchr(r.err, '\x1b'));
	clirun_free(&r);
	r = run(f, ALICE, "post", "osc \x1b]0;pwned\x07 title");
	assert_int_equal(r.status, 1);
	assert_null(strchr(r.err, '\x1b'));
	assert_null(strchr(r.err, '\x07'));
	clirun_free(&r);
	expect(f, ALICE, "post --visibility everyone hi", 1, NULL,
	    "post: visibility is public, friends or private");
	expect(f, ALICE, "post --visibility", 1, NULL, "--visibility takes");
	expect(f, ALICE, "post --frob hi", 1, NULL, "post: unknown option '--frob'");
	assert_int_equal(home_count(f, ALICE), 2);
}

static void
test_settings_default_visibility(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;
	int64_t			 id;

	expect(f, ALICE, "settings", 0, "visibility  public", NULL);
	expect(f, ALICE, "settings visibility friends", 0, "new posts are now visible to: friends",
	    NULL);
	r = run(f, ALICE, "settings --json", NULL);
	assert_int_equal(r.status, 0);
	o = json_line(r.out, 0);
	assert_string_equal(jstr(o, "default_visibility"), "friends");
	json_object_put(o);
	clirun_free(&r);

	id = new_id(f, ALICE, "post for my friends", NULL);
	o = show_json(f, ALICE, id);
	assert_string_equal(jstr(o, "visibility"), "friends");
	json_object_put(o);
	id = new_id(f, ALICE, "post --visibility public for everyone", NULL);
	o = show_json(f, ALICE, id);
	assert_string_equal(jstr(o, "visibility"), "public");
	json_object_put(o);
	id = new_id(f, ALICE, "post --visibility=private just me", NULL);
	o = show_json(f, ALICE, id);
	assert_string_equal(jstr(o, "visibility"), "private");
	json_object_put(o);

	expect(f, ALICE, "settings visibility everyone", 1, NULL, "visibility is public, friends");
	expect(f, ALICE, "settings visibility", 1, NULL, "usage: settings visibility");
	expect(f, ALICE, "settings colour blue", 1, NULL, "no setting named 'colour'");
	expect(f, ALICE, "settings --frob", 1, NULL, "unknown option");
	expect(f, ALICE, "settings", 0, "visibility  friends", NULL);
	/* Others keep theirs. */
	expect(f, BOB, "settings", 0, "visibility  public", NULL);
}

/* ---- privacy ----------------------------------------------------------------- */

/* Every command that names a post, as who: all must say the same as for a post that never was. */
static void
expect_hidden(struct fixture *f, int who, int64_t id)
{
	static const char *const cmds[][2] = {
		{ "show", "" }, { "show", " --json" }, { "like", "" }, { "unlike", "" },
		{ "react", " love" }, { "comment", " hello" }, { "comments", "" },
		{ "share", "" }, { "share", " nice" }, { "edit", " x" }, { "delete", "" },
	};
	char	line[128], want[128];
	size_t	i;

	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		struct clirun r;

		snprintf(line, sizeof line, "%s %lld%s", cmds[i][0], (long long)id, cmds[i][1]);
		r = run(f, who, line, NULL);
		snprintf(want, sizeof want, "%s: no post #%lld (or you cannot see it)\n",
		    cmds[i][0], (long long)id);
		if (r.status != 2 || strcmp(r.err, want) != 0 || r.out[0] != '\0')
			fail_msg("'%s' as %s: status %d, err '%s', out '%s'", line, names[who],
			    r.status, r.err, r.out);
		clirun_free(&r);
	}
}

static void
test_privacy_of_single_posts(void **state)
{
	struct fixture	*f = *state;
	struct clirun	 r;
	int64_t		 friends_only, private_one, public_one;

	friends_only = new_id(f, ALICE, "post --visibility friends for friends only", NULL);
	private_one = new_id(f, ALICE, "post --visibility private my diary", NULL);
	public_one = new_id(f, ALICE, "post hello world", NULL);

	/* bob, a friend, sees the friends-only post; carol, a stranger, gets what a missing post gets. */
	expectf(f, BOB, 0, "for friends only", NULL, "show %lld", (long long)friends_only);
	expect_hidden(f, CAROL, friends_only);
	expect_hidden(f, CAROL, private_one);
	expect_hidden(f, BOB, private_one);
	expect_hidden(f, CAROL, 999999);
	expect_hidden(f, ALICE, 999999);
	expectf(f, CAROL, 0, "hello world", NULL, "show %lld", (long long)public_one);

	/* A block hides in both directions, even public posts. */
	assert_int_equal(store_block(f->st, f->id[ALICE], f->id[DAVE], NULL, 0), 0);
	expect_hidden(f, DAVE, public_one);

	/* Nothing of the hidden posts in anyone else's feed or search. */
	expect(f, CAROL, "search --posts diary", 0, "no posts found for 'diary'", NULL);
	expect(f, BOB, "search --posts diary", 0, "no posts found for 'diary'", NULL);
	expect(f, ALICE, "search --posts diary", 0, "my diary", NULL);
	r = run(f, CAROL, "feed foryou --limit 100", NULL);
	assert_null(strstr(r.out, "friends only"));
	assert_null(strstr(r.out, "my diary"));
	clirun_free(&r);
	r = run(f, BOB, "feed --limit 100", NULL);
	assert_non_null(strstr(r.out, "for friends only"));
	assert_null(strstr(r.out, "my diary"));
	clirun_free(&r);

	/* Ids: digits only. */
	expect(f, ALICE, "show abc", 1, NULL, "show: 'abc' is not a post id");
	expect(f, ALICE, "show 12x", 1, NULL, "not a post id");
	expect(f, ALICE, "show -3", 1, NULL, "not a post id");
	expect(f, ALICE, "show '#12'", 1, NULL, "not a post id");
	expect(f, ALICE, "show ''", 1, NULL, "not a post id");
	expect(f, ALICE, "like 99999999999999999999999", 2, NULL, "no post #99999999999999999999999");
	expect(f, ALICE, "show 0", 2, NULL, "show: no post #0 (or you cannot see it)");
	r = run(f, ALICE, "show '1\x1b[2J'", NULL);
	assert_int_equal(r.status, 1);
	assert_null(strchr(r.err, '\x1b'));
	clirun_free(&r);
	expect(f, ALICE, "show", 1, NULL, "usage: show POST");
	expect(f, ALICE, "show 1 2", 1, NULL, "usage: show POST");
	expect(f, ALICE, "show --frob 1", 1, NULL, "unknown option '--frob'");
}

/* ---- edit and delete ---------------------------------------------------------------- */

static void
test_edit_and_delete_own_only(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;
	char			*big;
	int64_t			 id;

	id = new_id(f, ALICE, "post first version", NULL);
	expectf(f, BOB, 3, NULL, "edit: post #", "edit %lld hacked", (long long)id);
	expectf(f, BOB, 3, NULL, "is not yours", "delete %lld", (long long)id);
	expectf(f, ALICE, 0, "first version", NULL, "show %lld", (long long)id);

	expectf(f, ALICE, 0, "edited #", NULL, "edit %lld second *version*", (long long)id);
	r = runf(f, ALICE, "show %lld", (long long)id);
	assert_non_null(strstr(r.out, " · public · edited\n"));
	assert_non_null(strstr(r.out, "\nsecond version\n"));
	clirun_free(&r);
	o = show_json(f, BOB, id);
	assert_string_equal(jstr(o, "text"), "second *version*");
	assert_int_equal(strlen(jstr(o, "edited_at")), 20);
	json_object_put(o);

	/* From stdin; refusals change nothing. */
	big = malloc(POST_MAX + 2);
	memset(big, 'z', POST_MAX + 1);
	big[POST_MAX + 1] = '\0';
	r = run(f, ALICE, "edit 999999", big);
	assert_int_equal(r.status, 2);
	clirun_free(&r);
	{
		char line[32];

		snprintf(line, sizeof line, "edit %lld", (long long)id);
		r = run(f, ALICE, line, big);
		assert_int_equal(r.status, 1);
		assert_non_null(strstr(r.err, "edit: too long: 5001 characters"));
		clirun_free(&r);
		r = run(f, ALICE, line, "third\n");
		assert_int_equal(r.status, 0);
		clirun_free(&r);
		r = run(f, ALICE, line, NULL);
		assert_int_equal(r.status, 1);
		assert_non_null(strstr(r.err, "edit: no text"));
		clirun_free(&r);
	}
	free(big);
	o = show_json(f, ALICE, id);
	assert_string_equal(jstr(o, "text"), "third");
	json_object_put(o);
	expectf(f, ALICE, 1, NULL, "edit: ", "edit %lld 'bad\x01'", (long long)id);

	expectf(f, ALICE, 0, "deleted #", NULL, "delete %lld", (long long)id);
	expect_hidden(f, ALICE, id);
	expect_hidden(f, BOB, id);
	expect(f, ALICE, "delete", 1, NULL, "usage: delete POST");
	expect(f, ALICE, "delete 1 2", 1, NULL, "usage: delete POST");
}

/* ---- reactions -------------------------------------------------------------------- */

static void
test_like_react_unlike(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o, *rx;
	struct clirun		 r;
	int64_t			 id;

	id = new_id(f, ALICE, "post react to me", NULL);
	expectf(f, BOB, 0, "you liked #", NULL, "like %lld", (long long)id);
	expectf(f, CAROL, 0, "you reacted love to #", NULL, "react %lld love", (long long)id);
	expectf(f, DAVE, 0, "you reacted haha to #", NULL, "react %lld 😂", (long long)id);
	expectf(f, ALICE, 0, "you reacted wow", NULL, "react %lld :O", (long long)id);

	r = runf(f, BOB, "show %lld", (long long)id);
	assert_non_null(strstr(r.out, "\nlike 1, love 1, haha 1, wow 1 · 0 comments · 0 shares · "
	    "you reacted like\n"));
	clirun_free(&r);
	o = show_json(f, CAROL, id);
	assert_int_equal(jint(o, "likes"), 1);
	rx = jget(o, "reactions");
	assert_int_equal(json_object_object_length(rx), 4);
	assert_int_equal(jint(rx, "like"), 1);
	assert_int_equal(jint(rx, "love"), 1);
	assert_int_equal(jint(rx, "haha"), 1);
	assert_int_equal(jint(rx, "wow"), 1);
	assert_string_equal(jstr(o, "my_reaction"), "love");
	json_object_put(o);

	/* A new reaction replaces the old one. */
	expectf(f, BOB, 0, "you reacted angry", NULL, "react %lld '>:('", (long long)id);
	o = show_json(f, BOB, id);
	assert_int_equal(jint(o, "likes"), 0);
	assert_int_equal(jint(jget(o, "reactions"), "angry"), 1);
	json_object_put(o);

	expectf(f, BOB, 0, "removed your angry reaction to #", NULL, "unlike %lld",
	    (long long)id);
	expectf(f, BOB, 1, NULL, "unlike: you have not reacted to #", "unlike %lld",
	    (long long)id);
	expectf(f, CAROL, 0, "you liked #", NULL, "like %lld", (long long)id);
	expectf(f, CAROL, 0, "you no longer like #", NULL, "unlike %lld", (long long)id);
	o = show_json(f, ALICE, id);
	assert_int_equal(jint(o, "likes"), 0);
	assert_int_equal(json_object_object_length(jget(o, "reactions")), 2);
	json_object_put(o);

	r = runf(f, BOB, "react %lld 'x\x1b[1m'", (long long)id);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "react: unknown reaction"));
	assert_non_null(strstr(r.err, "love <3"));
	assert_null(strchr(r.err, '\x1b'));
	clirun_free(&r);
	expectf(f, BOB, 1, NULL, "usage: react POST EMOJI", "react %lld", (long long)id);
	expect(f, BOB, "like", 1, NULL, "usage: like POST");
}

/* ---- comments ------------------------------------------------------------------------ */

static void
test_comments(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;
	char			 line[64], *big;
	int64_t			 id, c1, c2;

	id = new_id(f, ALICE, "post what do you think?", NULL);
	expectf(f, ALICE, 0, "no comments yet", NULL, "comments %lld", (long long)id);
	c1 = new_idf(f, BOB, "comment %lld I like it", (long long)id);
	snprintf(line, sizeof line, "comment %lld", (long long)id);
	c2 = new_id(f, CAROL, line, "two\nlines\n");
	assert_true(c2 > c1);

	r = runf(f, CAROL, "comments %lld", (long long)id);
	assert_int_equal(r.status, 0);
	/* Oldest first. */
	assert_true(strstr(r.out, "Bob @bob") < strstr(r.out, "Carol @carol"));
	assert_non_null(strstr(r.out, "Bob @bob · just now\n  I like it\n"));
	assert_non_null(strstr(r.out, "Carol @carol · just now\n  two\n  lines\n"));
	assert_non_null(strstr(r.out, "comment #"));
	clirun_free(&r);
	r = runf(f, BOB, "comments %lld --json", (long long)id);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 2);
	o = json_line(r.out, 1);
	assert_int_equal(jint(o, "id"), c2);
	assert_int_equal(jint(o, "post"), id);
	assert_string_equal(jstr(o, "author"), "carol");
	assert_string_equal(jstr(o, "text"), "two\nlines");
	assert_int_equal(strlen(jstr(o, "created_at")), 20);
	assert_true(jnull(o, "edited_at"));
	json_object_put(o);
	clirun_free(&r);
	o = show_json(f, ALICE, id);
	assert_int_equal(jint(o, "comments"), 2);
	json_object_put(o);
	expectf(f, ALICE, 0, " · 2 comments · ", NULL, "show %lld", (long long)id);

	/* Too long, empty, control characters: refused, nothing stored. */
	big = malloc(COMMENT_MAX + 2);
	memset(big, 'c', COMMENT_MAX + 1);
	big[COMMENT_MAX + 1] = '\0';
	r = run(f, BOB, line, big);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "comment: too long: 2001 characters (at most 2000)"));
	clirun_free(&r);
	big[COMMENT_MAX] = '\0';
	c1 = new_id(f, BOB, line, big);	/* exactly the limit */
	free(big);
	r = run_in(f, BOB, line, "", 0, -1);
	assert_int_equal(r.status, 1);
	clirun_free(&r);
	expectf(f, BOB, 1, NULL, "comment: ", "comment %lld 'a\x1b[2Jb'", (long long)id);
	expectf(f, BOB, 1, NULL, "usage: comment POST", "comment");
	o = show_json(f, ALICE, id);
	assert_int_equal(jint(o, "comments"), 3);
	json_object_put(o);
}

/* ---- shares ------------------------------------------------------------------------- */

static void
test_shares(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o, *orig;
	struct clirun		 r;
	char			 want[128];
	int64_t			 id, share, bare, priv;

	id = new_id(f, ALICE, "post the *original* words", NULL);
	share = new_idf(f, BOB, "share %lld look at this", (long long)id);
	bare = new_idf(f, CAROL, "share --visibility friends %lld", (long long)id);

	r = runf(f, CAROL, "show %lld", (long long)share);
	assert_int_equal(r.status, 0);
	snprintf(want, sizeof want, "#%lld  Bob @bob · just now · public · shared #%lld\n"
	    "look at this\n| #%lld  Alice @alice · just now · public\n| the original words\n",
	    (long long)share, (long long)id, (long long)id);
	assert_ptr_equal(strstr(r.out, want), r.out);
	clirun_free(&r);
	o = show_json(f, CAROL, share);
	assert_int_equal(jint(o, "shared_from"), id);
	assert_string_equal(jstr(o, "text"), "look at this");
	assert_string_equal(jstr(o, "original_state"), "shown");
	orig = jget(o, "original");
	assert_int_equal(jint(orig, "id"), id);
	assert_string_equal(jstr(orig, "author"), "alice");
	assert_string_equal(jstr(orig, "text"), "the *original* words");
	json_object_put(o);
	o = show_json(f, CAROL, bare);
	assert_string_equal(jstr(o, "text"), "");
	assert_string_equal(jstr(o, "visibility"), "friends");
	json_object_put(o);
	o = show_json(f, ALICE, id);
	assert_int_equal(jint(o, "shares"), 2);
	json_object_put(o);

	/* A share can be liked and commented on. */
	expectf(f, ALICE, 0, "you liked", NULL, "like %lld", (long long)share);
	(void)new_idf(f, ALICE, "comment %lld thanks", (long long)share);

	/* A private post cannot be shared, even by its author; nothing is stored. */
	priv = new_id(f, ALICE, "post --visibility private mine", NULL);
	expectf(f, ALICE, 3, NULL, "share: ", "share %lld", (long long)priv);
	expect_hidden(f, BOB, priv);
	expectf(f, BOB, 1, NULL, "share: visibility is", "share --visibility x %lld",
	    (long long)id);

	/* Narrowed after it was shared: the share no longer shows it to strangers. */
	assert_int_equal(store_post_set_visibility(f->st, f->id[ALICE], id, VIS_FRIENDS), 0);
	r = runf(f, CAROL, "show %lld", (long long)share);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "look at this\n| original post not available\n"));
	assert_null(strstr(r.out, "original words"));
	assert_null(strstr(r.out, "Alice"));
	clirun_free(&r);
	o = show_json(f, CAROL, share);
	assert_true(jnull(o, "original"));
	assert_string_equal(jstr(o, "original_state"), "hidden");
	json_object_put(o);
	expectf(f, BOB, 0, "| the original words", NULL, "show %lld", (long long)share);

	/* Deleted: every share says so. */
	expectf(f, ALICE, 0, "deleted", NULL, "delete %lld", (long long)id);
	expectf(f, BOB, 0, "| original post deleted\n", NULL, "show %lld", (long long)share);
	o = show_json(f, BOB, share);
	assert_true(jnull(o, "original"));
	assert_string_equal(jstr(o, "original_state"), "deleted");
	json_object_put(o);
	expectf(f, CAROL, 0, "| original post deleted\n", NULL, "show %lld", (long long)bare);
}

/* A share of a share never shows an original the viewer may not see, at any depth. */
static void
test_shares_of_shares(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o, *orig;
	struct clirun		 r;
	int64_t			 id, share, reshare;
	int			 who;

	id = new_id(f, ALICE, "post --visibility friends only for my friends", NULL);
	share = new_idf(f, BOB, "share --visibility public %lld bob passes it on", (long long)id);
	reshare = new_idf(f, CAROL, "share %lld carol too", (long long)share);

	/* bob's share is public, the post inside is not: carol sees the note only. */
	r = runf(f, CAROL, "show %lld", (long long)share);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "bob passes it on\n| original post not available\n"));
	assert_null(strstr(r.out, "only for my friends"));
	clirun_free(&r);
	for (who = CAROL; who <= DAVE; who++) {
		r = runf(f, who, "show %lld --json", (long long)reshare);
		assert_int_equal(r.status, 0);
		assert_null(strstr(r.out, "only for my friends"));
		o = json_line(r.out, 0);
		assert_int_equal(jint(o, "shared_from"), share);
		orig = jget(o, "original");
		assert_int_equal(jint(orig, "id"), share);
		assert_string_equal(jstr(orig, "text"), "bob passes it on");
		json_object_put(o);
		clirun_free(&r);
		r = runf(f, who, "show %lld", (long long)reshare);
		assert_null(strstr(r.out, "only for my friends"));
		clirun_free(&r);
	}
	/* Feeds and search say no more. */
	r = run(f, DAVE, "feed foryou --limit 100", NULL);
	assert_null(strstr(r.out, "only for my friends"));
	clirun_free(&r);
	r = run(f, DAVE, "search --posts friends --json", NULL);
	assert_null(strstr(r.out, "only for my friends"));
	clirun_free(&r);
	/* bob, her friend, sees it through his own share. */
	expectf(f, BOB, 0, "| only for my friends", NULL, "show %lld", (long long)share);
}

/* ---- feeds ----------------------------------------------------------------------- */

static void
test_feed_home_and_paging(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;
	int64_t			 ids[7], prev;
	char			 line[64], *more;
	size_t			 i, seen = 0;

	expect(f, ALICE, "feed", 0, "nothing here yet", NULL);
	for (i = 0; i < 5; i++)
		ids[i] = new_idf(f, ALICE, "post alice number %zu", i);
	ids[5] = new_id(f, BOB, "post --visibility friends bob for friends", NULL);
	ids[6] = new_id(f, BOB, "post --visibility private bob alone", NULL);
	(void)new_id(f, CAROL, "post carol is no friend", NULL);

	/* Newest first, own and friends' posts; not strangers', not others' private ones. */
	r = run(f, ALICE, "feed --limit 4", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_int_equal(count_of(r.out, "\n#"), 3);	/* four headers, three after a newline */
	assert_true(strstr(r.out, "bob for friends") < strstr(r.out, "alice number 4"));
	assert_true(strstr(r.out, "alice number 4") < strstr(r.out, "alice number 2"));
	assert_null(strstr(r.out, "carol"));
	assert_null(strstr(r.out, "bob alone"));
	assert_null(strstr(r.out, "alice number 1"));
	assert_non_null(more = strstr(r.out, "\n\nmore: feed --before "));
	assert_non_null(strstr(more, " --limit 4\n"));
	/* The next page, from the cursor it printed. */
	snprintf(line, sizeof line, "feed --before %lld --limit 4",
	    strtoll(more + strlen("\n\nmore: feed --before "), NULL, 10));
	clirun_free(&r);
	r = run(f, ALICE, line, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "alice number 1"));
	assert_non_null(strstr(r.out, "alice number 0"));
	assert_null(strstr(r.out, "alice number 2"));
	assert_null(strstr(r.out, "more:"));
	clirun_free(&r);

	/* JSON: one post per line, newest first, paging by the last id. */
	r = run(f, BOB, "feed home --json --limit 3", NULL);
	assert_int_equal(count_lines(r.out), 3);
	assert_null(strstr(r.out, "more:"));
	prev = INT64_MAX;
	for (i = 0; i < 3; i++) {
		o = json_line(r.out, i);
		assert_true(jint(o, "id") < prev);
		prev = jint(o, "id");
		seen += strcmp(jstr(o, "author"), "bob") == 0;
		json_object_put(o);
	}
	assert_int_equal(seen, 2);	/* his own two, private included */
	clirun_free(&r);
	snprintf(line, sizeof line, "feed --json --before %lld", (long long)prev);
	r = run(f, BOB, line, NULL);
	assert_int_equal(count_lines(r.out), 4);
	o = json_line(r.out, 0);
	assert_int_equal(jint(o, "id"), ids[3]);
	json_object_put(o);
	clirun_free(&r);
	snprintf(line, sizeof line, "feed --before %lld", (long long)ids[0]);
	expect(f, ALICE, line, 0, "no more posts", NULL);

	expect(f, ALICE, "feed sideways", 1, NULL, "feed: no feed named 'sideways' (home or foryou)");
	expect(f, ALICE, "feed --limit 0", 1, NULL, "--limit takes a number from 1 to 100");
	expect(f, ALICE, "feed --limit 101", 1, NULL, "--limit");
	expect(f, ALICE, "feed --limit x", 1, NULL, "--limit");
	expect(f, ALICE, "feed --limit", 1, NULL, "--limit");
	expect(f, ALICE, "feed --before abc", 1, NULL, "--before takes a post id");
	expect(f, ALICE, "feed --before", 1, NULL, "--before takes a post id");
	expect(f, ALICE, "feed foryou --before 3", 1, NULL, "--before pages home");
	expect(f, ALICE, "feed home --after 1:2:3", 1, NULL, "--after pages foryou");
	expect(f, ALICE, "feed foryou --after nonsense", 1, NULL, "--after takes the token");
	expect(f, ALICE, "feed foryou --after 1:2:3", 1, NULL, "--after takes the token");
	expect(f, ALICE, "feed foryou --after 1:2:3:nan", 1, NULL, "--after takes the token");
	expect(f, ALICE, "feed foryou --after 1:2:-3:0.5", 1, NULL, "--after takes the token");
	expect(f, ALICE, "feed home foryou", 1, NULL, "usage: feed");
	expect(f, ALICE, "feed --frob", 1, NULL, "unknown option '--frob'");
}

static void
test_feed_foryou(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;
	char			 line[160], missing[32], *more, *end;
	size_t			 i;

	/* Strangers' public posts: For You works with zero friends. */
	for (i = 0; i < 3; i++)
		(void)new_idf(f, CAROL, "post carol says %zu #linux", i);
	(void)new_id(f, ALICE, "post alice writes too", NULL);

	r = run(f, DAVE, "feed foryou", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_of(r.out, "carol says"), 3);
	assert_int_equal(count_of(r.out, "\nwhy: "), 4);	/* one reason per post */
	clirun_free(&r);
	r = run(f, ALICE, "feed foryou --json", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 3);	/* never her own */
	o = json_line(r.out, 0);
	assert_true(strlen(jstr(o, "reason")) > 0);
	assert_string_equal(jstr(o, "author"), "carol");
	json_object_put(o);
	clirun_free(&r);

	/* Paging with the token: each post once. */
	r = run(f, ALICE, "feed foryou --limit 2", NULL);
	assert_int_equal(count_of(r.out, "carol says"), 2);
	assert_non_null(more = strstr(r.out, "\n\nmore: feed foryou --after "));
	more += strlen("\n\nmore: ");
	assert_non_null(end = strstr(more, " --limit 2\n"));
	snprintf(line, sizeof line, "%.*s --limit 2", (int)(end - more), more);
	/* The one the first page left out. */
	for (i = 0; i < 3; i++) {
		snprintf(missing, sizeof missing, "carol says %zu", i);
		if (strstr(r.out, missing) == NULL)
			break;
	}
	assert_true(i < 3);
	clirun_free(&r);
	r = run(f, ALICE, line, NULL);
	assert_int_equal(r.status, 0);
	if (count_of(r.out, "carol says") != 1)
		fail_msg("'%s':\n%s", line, r.out);
	assert_non_null(strstr(r.out, missing));
	clirun_free(&r);
}

/* ---- search --------------------------------------------------------------------------- */

static void
test_search_posts(void **state)
{
	struct fixture		*f = *state;
	struct json_object	*o;
	struct clirun		 r;
	int64_t			 tux, pen;

	tux = new_id(f, ALICE, "post kernels are fun #linux", NULL);
	pen = new_id(f, CAROL, "post penguins everywhere", NULL);
	(void)new_id(f, BOB, "post --visibility friends secret #linux plans", NULL);

	r = run(f, DAVE, "search penguin --posts", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "penguins everywhere"));
	assert_non_null(strstr(r.out, "Carol @carol"));
	clirun_free(&r);
	/* A hashtag finds the posts carrying it, as the searcher may see them. */
	r = run(f, DAVE, "search --posts '#linux'", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "kernels are fun"));
	assert_null(strstr(r.out, "secret"));
	clirun_free(&r);
	r = run(f, ALICE, "search --posts '#linux' --json", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 2);	/* bob's too: she is his friend */
	o = json_line(r.out, 0);
	assert_true(jint(o, "id") > 0);
	json_object_put(o);
	clirun_free(&r);
	r = run(f, ALICE, "search --posts penguins --json", NULL);
	o = json_line(r.out, 0);
	assert_int_equal(jint(o, "id"), pen);
	json_object_put(o);
	clirun_free(&r);
	(void)tux;

	expect(f, DAVE, "search --posts zebra", 0, "no posts found for 'zebra'", NULL);
	r = run(f, DAVE, "search --posts 'NEAR(\"x' '*'", NULL);	/* FTS5 syntax is text */
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	clirun_free(&r);
	/* People stay the default. */
	expect(f, DAVE, "search carol", 0, "carol  Carol", NULL);
	expect(f, DAVE, "search --users carol", 0, "carol  Carol", NULL);
	expect(f, DAVE, "search --users --posts carol", 1, NULL, "search: ");
	expect(f, DAVE, "search --posts", 1, NULL, "usage: search");
}

/* ---- hints ---------------------------------------------------------------------------- */

struct hints {
	struct hub_msg	m[32];
	int		n;
};

static void
drain(int fd, struct hints *h)
{
	h->n = 0;
	while (h->n < 32 && hub_recv(fd, &h->m[h->n]) == 1)
		h->n++;
}

static bool
has_hint(const struct hints *h, unsigned topic, int64_t user)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (h->m[i].kind == HUB_HINT && h->m[i].topic == topic && h->m[i].user_id == user)
			return true;
	return false;
}

static void
test_hints_after_writes(void **state)
{
	struct fixture	*f = *state;
	struct hints	 h;
	struct clirun	 r;
	char		 line[64];
	int		 sv[2];
	int64_t		 id;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);

	/* A post: its audience (bob, her friend) and herself; the mentioned carol's badge. */
	r = run_in(f, ALICE, "post hello @carol", NULL, 0, sv[0]);
	assert_int_equal(r.status, 0);
	id = strtoll(r.out, NULL, 10);
	clirun_free(&r);
	drain(sv[1], &h);
	assert_true(has_hint(&h, TOPIC_POST, f->id[ALICE]));
	assert_true(has_hint(&h, TOPIC_POST, f->id[BOB]));
	assert_true(has_hint(&h, TOPIC_NOTIFICATION, f->id[CAROL]));
	assert_false(has_hint(&h, TOPIC_NOTIFICATION, f->id[ALICE]));
	assert_false(has_hint(&h, TOPIC_POST, f->id[DAVE]));

	/* A reaction, a comment, a share: the author's badge. */
	snprintf(line, sizeof line, "like %lld", (long long)id);
	r = run_in(f, DAVE, line, NULL, 0, sv[0]);
	assert_int_equal(r.status, 0);
	clirun_free(&r);
	drain(sv[1], &h);
	assert_true(has_hint(&h, TOPIC_NOTIFICATION, f->id[ALICE]));
	assert_true(has_hint(&h, TOPIC_POST, f->id[DAVE]));
	snprintf(line, sizeof line, "comment %lld nice", (long long)id);
	r = run_in(f, DAVE, line, NULL, 0, sv[0]);
	assert_int_equal(r.status, 0);
	clirun_free(&r);
	drain(sv[1], &h);
	assert_true(has_hint(&h, TOPIC_NOTIFICATION, f->id[ALICE]));
	snprintf(line, sizeof line, "share %lld", (long long)id);
	r = run_in(f, BOB, line, NULL, 0, sv[0]);
	assert_int_equal(r.status, 0);
	clirun_free(&r);
	drain(sv[1], &h);
	assert_true(has_hint(&h, TOPIC_NOTIFICATION, f->id[ALICE]));
	assert_true(has_hint(&h, TOPIC_POST, f->id[BOB]));
	assert_true(has_hint(&h, TOPIC_POST, f->id[ALICE]));	/* bob's friend */

	/* Her own like notifies nobody. */
	snprintf(line, sizeof line, "like %lld", (long long)id);
	r = run_in(f, ALICE, line, NULL, 0, sv[0]);
	clirun_free(&r);
	drain(sv[1], &h);
	assert_false(has_hint(&h, TOPIC_NOTIFICATION, f->id[ALICE]));
	assert_true(has_hint(&h, TOPIC_POST, f->id[ALICE]));

	/* A delete: the audience as it was. */
	snprintf(line, sizeof line, "delete %lld", (long long)id);
	r = run_in(f, ALICE, line, NULL, 0, sv[0]);
	assert_int_equal(r.status, 0);
	clirun_free(&r);
	drain(sv[1], &h);
	assert_true(has_hint(&h, TOPIC_POST, f->id[BOB]));
	assert_true(has_hint(&h, TOPIC_POST, f->id[ALICE]));

	/* Refused: nothing sent. */
	r = run_in(f, ALICE, line, NULL, 0, sv[0]);
	assert_int_equal(r.status, 2);
	clirun_free(&r);
	r = run_in(f, ALICE, "post --visibility nope x", NULL, 0, sv[0]);
	assert_int_equal(r.status, 1);
	clirun_free(&r);
	drain(sv[1], &h);
	assert_int_equal(h.n, 0);
	close(sv[0]);
	close(sv[1]);
}

/* ---- hostile text ------------------------------------------------------------------- */

static void
test_output_is_sanitized(void **state)
{
	struct fixture	*f = *state;
	struct clirun	 r;
	int64_t		 id;

	/* Storage lets a bidi override through (it is no control character); output never does. */
	id = new_id(f, ALICE, "post 'abc\u202edcba and a zero\u200bwidth'", NULL);
	r = runf(f, BOB, "show %lld", (long long)id);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "\u202e"));
	assert_null(strstr(r.out, "\u200b"));
	assert_non_null(strstr(r.out, "abc"));
	clirun_free(&r);
	id = new_idf(f, BOB, "comment %lld 'x\u202ey'", (long long)id);
	r = run(f, BOB, "feed", NULL);
	assert_null(strstr(r.out, "\u202e"));
	clirun_free(&r);
	(void)id;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_post_and_show, setup, teardown),
		cmocka_unit_test_setup_teardown(test_post_from_stdin_and_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_default_visibility, setup, teardown),
		cmocka_unit_test_setup_teardown(test_privacy_of_single_posts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_and_delete_own_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_like_react_unlike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shares, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shares_of_shares, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_home_and_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_foryou, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_posts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hints_after_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_is_sanitized, setup, teardown),
	};

	utf8_locale_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
