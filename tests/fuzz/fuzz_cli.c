/*
 * One exec command as a client sends it, through the whole command table:
 * the line (up to the first NUL) split as sshbookd splits it, then cli_run
 * as alice, with the rest of the input on stdin. Every input gets a fresh
 * copy of one database made at the start (alice; bob, her friend, with a
 * post; carol, a stranger, with a friends-only post), so no input depends
 * on the ones before it; a copy of the file opens in half a millisecond
 * where a new database's migrations take five. Checks what every command promises: an exit status of 0..3; a
 * failure is one line on stderr; everything written is valid UTF-8 with
 * nothing a terminal acts on (it goes to the user's terminal); with --json,
 * every line of a success is a JSON object.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sodium.h>

#include "cli/cli.h"
#include "common/cmdline.h"
#include "common/log.h"
#include "common/sanitize.h"
#include "common/utf8.h"
#include "storage/posts.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tests/fuzz/fuzz.h"

#define SEEDS(X) \
	X("whoami --json") X("help") X("feed home --limit 2 --before 99999999999999999999") \
	X("post --visibility friends hello #tag @bob") X("post\0from **stdin** \x1b[31m") \
	X("show 1") X("show 2 --json") X("comment 1 'nice one'") X("comments 1 --json") \
	X("react 1 <3") X("react 1 \xf0\x9f\x98\x82") X("like 2") X("share 1 'look'") \
	X("edit 1 x") X("delete 1") X("profile bob") X("profile set bio -\0# Hi\n\xe2\x80\xae") \
	X("profile set tags 'a, b c'") X("friends bob --filter b") X("friend add carol") \
	X("requests --json") X("block carol") X("unblock carol") X("search al --users") \
	X("search --posts '#tag'") X("notifications --unread --follow") \
	X("notifications read all") X("dm bob 'hi \xe2\x80\x8b there'") X("messages bob --json") \
	X("messages edit 1 changed") X("keys list") X("keys add\0ssh-ed25519 AAAA x") \
	X("settings visibility private") X("media list") X("upload\0\xff\xd8\xff") X("nope --x")
#define AS_STRING(s)	s,
#define AS_SIZE(s)	sizeof(s) - 1,

const char *const fuzz_seeds[] = { SEEDS(AS_STRING) NULL };
const size_t fuzz_seed_lens[] = { SEEDS(AS_SIZE) 0 };
/* About a millisecond a run: 2,000 mutations keep `make test` to seconds. */
const size_t fuzz_replay_mutations = 2000;

static int64_t
make_user(struct store *st, const char *name, unsigned char k)
{
	/* An ed25519 key line of fixed bytes: the same store every time. */
	unsigned char	 blob[4 + 11 + 4 + 32] = { 0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd',
	    '2', '5', '5', '1', '9', 0, 0, 0, 32 };
	char		 b64[128], line[256], why[256];
	struct signup	 su = { .username = name, .display_name = name };
	int64_t		 id;

	memset(blob + 19, k, 32);
	sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
	snprintf(line, sizeof line, "ssh-ed25519 %s fuzz", b64);
	su.key_line = line;
	if (store_user_create(st, &su, &id, why, sizeof why) != 0)
		abort();
	return id;
}

static char	 dir[4096], tpl_path[4200], db_path[4200], wal_path[4210], shm_path[4210];
static uint8_t	*tpl;		/* the template database's bytes */
static size_t	 tpl_len;
static int64_t	 alice;

static void
remove_files(void)
{
	unlink(db_path);
	unlink(wal_path);
	unlink(shm_path);
}

static void
cleanup(void)
{
	remove_files();
	unlink(tpl_path);
	rmdir(dir);
	free(tpl);
}

static void
make_template(void)
{
	struct store	*st;
	struct stat	 sb;
	char		 why[256];
	int64_t		 bob, carol, id;
	bool		 n;
	int		 fd;
	/* $TMPDIR: scripts/fuzz.sh points it into build-fuzz, so a crash leaves nothing in /tmp. */
	const char	*tmp = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/sshbook-fuzzcli-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(tpl_path, sizeof tpl_path, "%s/template.db", dir);
	snprintf(db_path, sizeof db_path, "%s/run.db", dir);
	snprintf(wal_path, sizeof wal_path, "%s-wal", db_path);
	snprintf(shm_path, sizeof shm_path, "%s-shm", db_path);
	atexit(cleanup);
	if (store_open(tpl_path, &st) != 0)
		abort();
	alice = make_user(st, "alice", 1);
	bob = make_user(st, "bob", 2);
	carol = make_user(st, "carol", 3);
	if (store_friend_request(st, alice, bob, &n, why, sizeof why) ||
	    store_friend_accept(st, bob, alice, &n, why, sizeof why) ||
	    store_post_create(st, bob, "hello #tag from bob", VIS_PUBLIC, &id, NULL, NULL, why,
	    sizeof why) ||
	    store_post_create(st, carol, "friends only", VIS_FRIENDS, &id, NULL, NULL, why,
	    sizeof why))
		abort();
	store_close(st);	/* the last connection: the WAL is checkpointed into the file */
	if ((fd = open(tpl_path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) != 0)
		abort();
	tpl_len = (size_t)sb.st_size;
	tpl = malloc(tpl_len);
	if (tpl == NULL || read(fd, tpl, tpl_len) != (ssize_t)tpl_len)
		abort();
	close(fd);
}

/* A fresh copy of the template, opened. */
static struct store *
fixture(void)
{
	struct store	*st;
	int		 fd;

	remove_files();
	if ((fd = open(db_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    write(fd, tpl, tpl_len) != (ssize_t)tpl_len || close(fd) != 0)
		abort();
	if (store_open(db_path, &st) != 0)
		abort();
	return st;
}

/* --follow streams until the client hangs up; here it stops after the first items. */
static int
stop_following(struct cli_ctx *ctx, void *arg)
{
	(void)ctx;
	(void)arg;
	return 1;
}

/* Valid UTF-8, and every line safe for a terminal (tabs are layout, and allowed). */
static bool
terminal_safe(const char *s, size_t len)
{
	size_t		i = 0, n;
	uint32_t	cp;

	if (!utf8_valid(s, len))
		return false;
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp != '\n' && cp != '\t' && sanitize_cp_unsafe(cp))
			return false;
		i += n;
	}
	return true;
}

/* What was written, shown with escapes before the check fails: the report says what leaked. */
static void
check_safe(const char *what, const char *s, size_t len)
{
	size_t i;

	if (terminal_safe(s, len))
		return;
	fprintf(stderr, "%s: \"", what);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
			fputc(s[i], stderr);
		else
			fprintf(stderr, "\\x%02x", (unsigned char)s[i]);
	fprintf(stderr, "\"\n");
	FUZZ_CHECK(terminal_safe(s, len));
}

static void
check_json_lines(const char *out)
{
	struct json_object	*o;
	const char		*p = out, *nl;
	char			*line;

	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		FUZZ_CHECK(nl != NULL);
		line = strndup(p, (size_t)(nl - p));
		o = json_tokener_parse(line);
		FUZZ_CHECK(o != NULL && json_object_is_type(o, json_type_object));
		json_object_put(o);
		free(line);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool	 once;
	struct cli_ctx	 cc;
	struct cmdline	 cl;
	struct store	*st;
	const uint8_t	*nul;
	size_t		 linelen, outlen = 0, errlen = 0;
	char		*out = NULL, *err = NULL, why[128];
	bool		 json = false;
	int		 i, status;

	if (size > 8192)
		return 0;
	if (!once) {
		log_open("fuzz_cli", LOG_TO_NONE, NULL, LOG_LVL_ERROR);
		if (sodium_init() < 0)
			abort();
		make_template();
		once = true;
	}
	nul = memchr(data, '\0', size);
	linelen = nul ? (size_t)(nul - data) : size;
	if (cmdline_split((const char *)data, linelen, &cl, why, sizeof why) != 0)
		return 0;	/* refused before any command runs (the cmdline harness checks how) */
	if (cl.argc == 0) {
		cmdline_free(&cl);
		return 0;
	}
	for (i = 0; i < cl.argc; i++)
		json |= strcmp(cl.argv[i], "--json") == 0;
	/* `profile set FIELD VALUE...` takes its words as they are, "--json" included. */
	if (cl.argc > 1 && strcmp(cl.argv[0], "profile") == 0 && strcmp(cl.argv[1], "set") == 0)
		json = false;

	memset(&cc, 0, sizeof cc);
	cc.st = st = fixture();
	cc.user_id = alice;
	cc.username = "alice";
	cc.hub_fd = -1;
	cc.follow_tick = stop_following;
	cc.in = nul && size > linelen + 1 ?
	    fmemopen((void *)(nul + 1), size - linelen - 1, "r") : fopen("/dev/null", "r");
	cc.out = open_memstream(&out, &outlen);
	cc.err = open_memstream(&err, &errlen);
	if (cc.in == NULL || cc.out == NULL || cc.err == NULL)
		abort();
	status = cli_run(&cc, cl.argc, cl.argv);
	fclose(cc.in);
	fclose(cc.out);
	fclose(cc.err);

	FUZZ_CHECK(status >= 0 && status <= 3);
	check_safe("stdout", out, outlen);
	check_safe("stderr", err, errlen);
	if (status != 0)	/* a failure says why, in one line */
		FUZZ_CHECK(errlen > 0 && memchr(err, '\n', errlen) == err + errlen - 1);
	else if (json)
		check_json_lines(out);
	free(out);
	free(err);
	cmdline_free(&cl);
	store_close(st);
	return 0;
}
