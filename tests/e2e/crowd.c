/* Many friends of one person, behind the server's back (tests/e2e/crowd.h). */
#include "tests/e2e/crowd.h"

#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "storage/social.h"
#include "storage/store.h"

/* An authorized_keys line for a fresh random ed25519 key nobody keeps. */
static void
throwaway_key_line(char *line, size_t size)
{
	unsigned char	blob[4 + 11 + 4 + 32] = { 0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd',
	    '2', '5', '5', '1', '9', 0, 0, 0, 32 };
	char		b64[128];

	randombytes_buf(blob + 19, 32);
	sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
	snprintf(line, size, "ssh-ed25519 %s crowd", b64);
}

bool
crowd_befriend(const char *data_dir, const char *friend_of, const char *prefix, int n)
{
	char		*path = xasprintf("%s/sshbook.db", data_dir);
	struct store	*st = NULL;
	struct user	 host;
	bool		 ok = false, notified;
	char		 name[40], line[256], why[256];
	int64_t		 id;
	int		 i, r;

	/* thousands of "created user" lines would bury the test's own output */
	log_set_level(LOG_LVL_WARN);
	if (sodium_init() < 0 || store_open(path, &st) != 0) {
		fprintf(stderr, "crowd: cannot open %s\n", path);
		goto out;
	}
	if (store_user_by_name(st, friend_of, &host) != 0) {
		fprintf(stderr, "crowd: no user %s\n", friend_of);
		goto out;
	}
	for (i = 1; i <= n; i++) {
		struct signup su = { .username = name, .display_name = name, .key_line = line };

		snprintf(name, sizeof name, "%s%d", prefix, i);
		throwaway_key_line(line, sizeof line);
		if ((r = store_user_create(st, &su, &id, why, sizeof why)) != 0 ||
		    (r = store_friend_request(st, id, host.id, &notified, why, sizeof why)) != 0 ||
		    (r = store_friend_accept(st, host.id, id, &notified, why, sizeof why)) != 0) {
			fprintf(stderr, "crowd: %s: %s\n", name, why);
			break;
		}
	}
	ok = i > n;
	user_free(&host);
 out:
	store_close(st);
	free(path);
	return ok;
}

bool
crowd_make_friends(const char *data_dir, const char *a, const char *b)
{
	char		*path = xasprintf("%s/sshbook.db", data_dir);
	struct store	*st = NULL;
	struct user	 ua = { 0 }, ub = { 0 };
	bool		 ok = false, notified;
	char		 why[256] = "";

	if (store_open(path, &st) != 0)
		fprintf(stderr, "crowd: cannot open %s\n", path);
	else if (store_user_by_name(st, a, &ua) != 0 || store_user_by_name(st, b, &ub) != 0)
		fprintf(stderr, "crowd: no user %s or %s\n", a, b);
	else if (store_friend_request(st, ua.id, ub.id, &notified, why, sizeof why) != 0 ||
	    store_friend_accept(st, ub.id, ua.id, &notified, why, sizeof why) != 0)
		fprintf(stderr, "crowd: %s and %s: %s\n", a, b, why);
	else
		ok = true;
	user_free(&ua);
	user_free(&ub);
	store_close(st);
	free(path);
	return ok;
}
