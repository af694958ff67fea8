/*
 * sshbook storage benchmarks, on a temporary database file and the storage
 * API alone (no server, no SSH):
 *
 *   search [USERS [QUERIES]]   generate USERS users (100,000) and 5 friendships
 *                              per user (500,000) with storage/gen.c, reopen the
 *                              database the way a new app process would, then
 *                              time QUERIES (1,000) first pages of
 *                              store_search_users (limit 20), each as a random
 *                              viewer, for queries people type: 2-4 letter
 *                              prefixes of names and tags, some two words, some
 *                              whole usernames
 *
 *   feeds [USERS [VIEWERS [DB]]]
 *                              Home, For You, timelines and post search on
 *                              USERS users with 20 friendships, 10 posts, 50
 *                              reactions and 10 comments each; see bench_feeds
 *
 *   writes [N]                 N comments (20,000) with and without the
 *                              per-user write limit: what it costs a write
 *
 * Prints "name: value" lines that bench/run.sh collects; see bench/README.md.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/utf8.h"
#include "storage/gen.h"
#include "storage/posts.h"
#include "storage/social.h"
#include "storage/store.h"

#define WARMUP		100	/* queries run first and not counted: the cache fills */
#define PAGE		20
#define Q_MAX		128
#define CHECKED		100	/* queries paged through */
#define PAGES		10

static uint64_t rng_state = 3;

static uint64_t
rng_next(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t
rng_below(size_t n)
{
	return (size_t)(rng_next() % n);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* v must be sorted. */
static double
percentile(const double *v, size_t n, double p)
{
	return v[(size_t)(p * (double)(n - 1) + 0.5)];
}

/*
 * Append the first k code points of the word of s that starts at byte word
 * (a word: up to a space, '_' or '-'), and a space; k is 2..4, or 0 for the
 * whole word.
 */
static void
add_prefix(char *q, const char *s, size_t k)
{
	size_t	len = strlen(q), i = 0, n, cps = 0;
	uint32_t cp;

	while (s[i] != '\0' && s[i] != ' ' && s[i] != '_' && s[i] != '-' &&
	    (k == 0 || cps < k) && len + 8 < Q_MAX) {
		if ((n = utf8_decode(s + i, strlen(s + i), &cp)) == 0)
			break;
		memcpy(q + len, s + i, n);
		len += n;
		i += n;
		cps++;
	}
	q[len++] = ' ';
	q[len] = '\0';
}

/* The second word of s (after a space), or s itself. */
static const char *
second_word(const char *s)
{
	const char *sp = strchr(s, ' ');

	return sp != NULL && sp[1] != '\0' ? sp + 1 : s;
}

/* One query a person might type, drawn from a random generated user. */
static void
make_query(struct store *st, size_t nusers, char *q)
{
	struct user	 u;
	struct profile	 p;
	size_t		 kind = rng_below(100), k = 2 + rng_below(3);
	int64_t		 id = 1 + (int64_t)rng_below(nusers);

	q[0] = '\0';
	if (store_user_by_id(st, id, &u) != 0) {
		strcpy(q, "al");
		return;
	}
	if (kind < 30)			/* the start of a username */
		add_prefix(q, u.username, k);
	else if (kind < 50)		/* the start of a display name */
		add_prefix(q, u.display_name, k);
	else if (kind < 70) {		/* a tag (or an interest in the bio) */
		if (store_profile_get(st, id, u.username, &p) == 0 && p.ntags > 0)
			add_prefix(q, p.tags[rng_below(p.ntags)], k);
		else
			add_prefix(q, u.username, k);
		profile_free(&p);
	} else if (kind < 90) {		/* first and last name, both cut short */
		add_prefix(q, u.display_name, k);
		add_prefix(q, second_word(u.display_name), 2 + rng_below(3));
	} else				/* someone's whole username */
		add_prefix(q, u.username, 0);
	user_free(&u);
	q[strlen(q) - 1] = '\0';	/* the last space */
}

static long long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

static int
bench_search(size_t nusers, size_t nqueries)
{
	char			 dir[] = "/tmp/sshbook-bench-storage.XXXXXX", path[256];
	char			 side[300], (*queries)[Q_MAX], slowest[Q_MAX] = "";
	struct store		*st = NULL;
	struct user_hits	 h;
	double			*t, t0, gen_users, gen_friends, total = 0, worst = 0;
	double			 tn[CHECKED * PAGES];
	size_t			 i, hits = 0, full_pages = 0, ntn = 0, dups = 0, paged = 0;
	int64_t			 viewer;
	long long		 size;
	int			 rc = 1;

	if (mkdtemp(dir) == NULL) {
		perror("bench: mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/sshbook.db", dir);
	t = calloc(nqueries, sizeof *t);
	queries = calloc(nqueries + WARMUP, sizeof *queries);
	if (t == NULL || queries == NULL || store_open(path, &st) != 0) {
		fprintf(stderr, "bench: cannot set up %s\n", path);
		goto out;
	}

	t0 = now_ms();
	if (store_gen_users(st, nusers, 1) != 0) {
		fprintf(stderr, "bench: generating users failed\n");
		goto out;
	}
	gen_users = now_ms() - t0;
	t0 = now_ms();
	if (store_gen_friendships(st, nusers * 5, 2) != 0) {
		fprintf(stderr, "bench: generating friendships failed\n");
		goto out;
	}
	gen_friends = now_ms() - t0;
	/* Closing checkpoints the WAL into the file, so its size is the database's. */
	store_close(st);
	st = NULL;
	size = file_size(path);

	/* A fresh connection, as each app process has: cold statement cache, small page cache. */
	if (store_open(path, &st) != 0) {
		fprintf(stderr, "bench: cannot reopen %s\n", path);
		goto out;
	}
	for (i = 0; i < nqueries + WARMUP; i++)
		make_query(st, nusers, queries[i]);
	for (i = 0; i < nqueries + WARMUP; i++) {
		double dt;

		viewer = 1 + (int64_t)rng_below(nusers);
		t0 = now_ms();
		if (store_search_users(st, viewer, queries[i], NULL, PAGE, &h) != 0) {
			fprintf(stderr, "bench: search '%s' failed\n", queries[i]);
			goto out;
		}
		dt = now_ms() - t0;
		if (i >= WARMUP) {
			t[i - WARMUP] = dt;
			total += dt;
			hits += h.n;
			full_pages += h.n == PAGE;
			if (dt > worst) {
				worst = dt;
				snprintf(slowest, sizeof slowest, "%s", queries[i]);
			}
		}
		user_hits_free(&h);
	}
	qsort(t, nqueries, sizeof *t, cmp_double);

	/*
	 * Paging: the first CHECKED queries again, up to PAGES pages each, through
	 * the cursor. No user may come twice (the keyset cursor is stable), and
	 * the later pages are timed on their own.
	 */
	for (i = 0; i < CHECKED && i < nqueries; i++) {
		struct search_cursor	cur = { 0 };
		int64_t			seen[PAGES * PAGE];
		size_t			nseen = 0, p, j, k;

		viewer = 1 + (int64_t)rng_below(nusers);
		for (p = 0; p < PAGES; p++) {
			t0 = now_ms();
			if (store_search_users(st, viewer, queries[WARMUP + i], p ? &cur : NULL,
			    PAGE, &h) != 0) {
				fprintf(stderr, "bench: search '%s' page %zu failed\n",
				    queries[WARMUP + i], p + 1);
				goto out;
			}
			if (p > 0)
				tn[ntn++] = now_ms() - t0;
			for (j = 0; j < h.n; j++) {
				for (k = 0; k < nseen && seen[k] != h.v[j].id; k++)
					;
				if (k < nseen)
					dups++;
				else
					seen[nseen++] = h.v[j].id;
			}
			cur = h.next;
			user_hits_free(&h);
			if (!cur.set)
				break;
		}
		paged += nseen;
	}
	qsort(tn, ntn, sizeof *tn, cmp_double);

	printf("search_gen_users: %zu in %.1f s\n", nusers, gen_users / 1e3);
	printf("search_gen_friendships: %zu in %.1f s\n", nusers * 5, gen_friends / 1e3);
	printf("search_db_size_mb: %.1f\n", (double)size / (1024 * 1024));
	printf("search_queries: %zu (after %d warm-up), first pages of %d\n", nqueries,
	    WARMUP, PAGE);
	printf("search_users_%zuk_p50_ms: %.3f\n", nusers / 1000, percentile(t, nqueries, 0.5));
	printf("search_users_%zuk_p90_ms: %.3f\n", nusers / 1000, percentile(t, nqueries, 0.9));
	printf("search_users_%zuk_p99_ms: %.3f (target < 5)\n", nusers / 1000,
	    percentile(t, nqueries, 0.99));
	printf("search_users_%zuk_max_ms: %.3f ('%s')\n", nusers / 1000, t[nqueries - 1],
	    slowest);
	printf("search_users_%zuk_mean_ms: %.3f\n", nusers / 1000, total / (double)nqueries);
	printf("search_hits_mean: %.1f (%zu of %zu queries filled a page)\n",
	    (double)hits / (double)nqueries, full_pages, nqueries);
	if (ntn > 0)
		printf("search_users_%zuk_next_pages_p99_ms: %.3f (%zu later pages)\n",
		    nusers / 1000, percentile(tn, ntn, 0.99), ntn);
	printf("search_paging_duplicates: %zu (%zu users over up to %d pages of %d "
	    "queries; must be 0)\n", dups, paged, PAGES, CHECKED);
	if (dups != 0)
		goto out;
	rc = 0;
 out:
	store_close(st);
	free(t);
	free(queries);
	for (i = 0; i < 3; i++) {
		snprintf(side, sizeof side, "%s%s", path, (const char *[]){ "", "-wal", "-shm" }[i]);
		unlink(side);
	}
	rmdir(dir);
	return rc;
}

/* ---- feeds: Home, For You, timelines and post search ---------------------------- */

/*
 * feeds [USERS [VIEWERS [DB]]]: generate USERS users (100,000), 20 friendships,
 * 10 posts, 50 reactions and 10 comments per user (2,000,000, 1,000,000,
 * 5,000,000 and 1,000,000) with storage/gen.c and gen_posts.c, reopen the
 * database as a new app process would, then for VIEWERS (1,000) random
 * viewers time pages of 20 of Home, For You, a timeline and a post search:
 * page 1, and page 50 after following the cursor 49 times (untimed), to show
 * that a page costs the same however deep the reader is. A viewer's Home
 * and search reach page 50 only when they have that many posts; the page-50
 * timeline is that of one of the busiest authors. DB, when given, keeps the
 * database there, and a database already there is reused (no generation):
 * handy while tuning queries. Each figure is wall-clock time; the CPU time of
 * the same calls is printed beside it, because on a shared or memory-starved
 * machine the wall clock also counts waits for the disk and the scheduler.
 */

#define FEEDS_PAGE	20
#define FEEDS_DEEP	50	/* the deep page */
#define FEEDS_WARMUP	50

enum feeds_kind {
	FK_HOME,
	FK_FORYOU,
	FK_TIMELINE,
	FK_SEARCH,
	FK_N
};
static const char *const feeds_names[FK_N] = { "home", "foryou", "timeline", "search" };
static const double feeds_targets[FK_N] = { 10, 30, 5, 20 };

/* Words the generated posts use (gen_posts.c): tags, software, sentence words. */
static const char *const feeds_words[] = {
	"linux", "opensource", "vim", "rust", "python", "networking", "security", "homelab",
	"selfhosting", "git", "bash", "emacs", "debian", "privacy", "kernel", "tmux",
	"sqlite", "postgres", "docker", "keyboard", "weekend", "documentation", "debugging",
	"terminal", "coffee", "project", "meetup", "laptop", "benchmarking", "dotfiles",
	"upgraded", "reading", "teaching", "recommendations", "impressions", "typo",
	"homelab", "wireguard", "neovim", "haskell", "family", "machines", "surprising",
};
static const char *const feeds_tags[] = {
	"linux", "opensource", "vim", "rust", "python", "networking", "security", "homelab",
	"git", "bash", "emacs", "debian", "privacy", "selfhosting", "go", "c",
};

/* A query a person might type into post search. */
static void
feeds_query(char *q, size_t qsz)
{
	const char	*w = feeds_words[rng_below(sizeof feeds_words / sizeof feeds_words[0])];
	size_t		 kind = rng_below(100);

	if (kind < 40)			/* a word */
		snprintf(q, qsz, "%s", w);
	else if (kind < 55)		/* the start of one */
		snprintf(q, qsz, "%.*s", 3 + (int)rng_below(3), w);
	else if (kind < 65)		/* what search as you type sends first */
		snprintf(q, qsz, "%.*s", 1 + (int)rng_below(2), w);
	else if (kind < 85)		/* two words */
		snprintf(q, qsz, "%s %s", w,
		    feeds_words[rng_below(sizeof feeds_words / sizeof feeds_words[0])]);
	else				/* a hashtag */
		snprintf(q, qsz, "#%s", feeds_tags[rng_below(sizeof feeds_tags /
		    sizeof feeds_tags[0])]);
}

static int
feeds_page(struct store *st, enum feeds_kind k, int64_t viewer, int64_t user,
    const char *q, const struct post_cursor *cur, struct post_page *pg)
{
	switch (k) {
	case FK_HOME:
		return store_feed_home(st, viewer, cur, FEEDS_PAGE, pg);
	case FK_FORYOU:
		return store_feed_foryou(st, viewer, cur, FEEDS_PAGE, pg);
	case FK_TIMELINE:
		return store_timeline(st, viewer, user, cur, FEEDS_PAGE, pg);
	default:
		return store_search_posts(st, viewer, q, cur, FEEDS_PAGE, pg);
	}
}

/* CPU time of this process: what the query cost, without waits for the disk or the scheduler. */
static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * Time page `page` (1 or FEEDS_DEEP) of one feed for one viewer; the pages
 * before it are followed untimed. *msp gets the wall-clock time and *cpup
 * the CPU time, or -1 when the feed has fewer pages. *nposts gets the
 * page's length.
 */
static int
feeds_time(struct store *st, enum feeds_kind k, int64_t viewer, int64_t user,
    const char *q, int page, double *msp, double *cpup, size_t *nposts)
{
	struct post_page	pg;
	struct post_cursor	cur = { 0 };
	double			t0, c0;
	int			i, r;

	*msp = *cpup = -1;
	*nposts = 0;
	for (i = 1; i < page; i++) {
		if ((r = feeds_page(st, k, viewer, user, q, i > 1 ? &cur : NULL, &pg)) != 0)
			return r;
		cur = pg.next;
		post_page_free(&pg);
		if (!cur.set)
			return 0;
	}
	t0 = now_ms();
	c0 = cpu_ms();
	if ((r = feeds_page(st, k, viewer, user, q, page > 1 ? &cur : NULL, &pg)) != 0)
		return r;
	*msp = now_ms() - t0;
	*cpup = cpu_ms() - c0;
	*nposts = pg.n;
	post_page_free(&pg);
	return 0;
}

static void
feeds_report(const char *name, int page, double *t, double *cpu, size_t n, size_t of,
    double target)
{
	if (n == 0) {
		printf("feeds_%s_page%d: no viewer had %d pages\n", name, page, page);
		return;
	}
	qsort(t, n, sizeof *t, cmp_double);
	qsort(cpu, n, sizeof *cpu, cmp_double);
	printf("feeds_%s_page%d_p50_ms: %.3f\n", name, page, percentile(t, n, 0.5));
	printf("feeds_%s_page%d_p99_ms: %.3f (target < %.0f)\n", name, page,
	    percentile(t, n, 0.99), target);
	printf("feeds_%s_page%d_max_ms: %.3f (%zu of %zu viewers)\n", name, page, t[n - 1],
	    n, of);
	printf("feeds_%s_page%d_cpu_p50_p99_max_ms: %.3f %.3f %.3f\n", name, page,
	    percentile(cpu, n, 0.5), percentile(cpu, n, 0.99), cpu[n - 1]);
}

static int
feeds_generate(struct store *st, size_t nusers)
{
	double	t0 = now_ms(), t;

	if (store_gen_users(st, nusers, 1) != 0) {
		fprintf(stderr, "bench: generating users failed\n");
		return 1;
	}
	printf("feeds_gen_users: %zu in %.1f s\n", nusers, ((t = now_ms()) - t0) / 1e3);
	t0 = t;
	if (store_gen_friendships(st, nusers * 20, 2) != 0) {
		fprintf(stderr, "bench: generating friendships failed\n");
		return 1;
	}
	printf("feeds_gen_friendships: %zu in %.1f s\n", nusers * 20,
	    ((t = now_ms()) - t0) / 1e3);
	t0 = t;
	if (store_gen_posts(st, nusers * 10, nusers * 50, nusers * 10, 3) != 0) {
		fprintf(stderr, "bench: generating posts failed\n");
		return 1;
	}
	printf("feeds_gen_posts: %zu posts, %zu reactions, %zu comments in %.1f s\n",
	    nusers * 10, nusers * 50, nusers * 10, (now_ms() - t0) / 1e3);
	fflush(stdout);
	return 0;
}

static int
bench_feeds(size_t nusers, size_t nviewers, const char *keep)
{
	char			 dir[] = "/tmp/sshbook-bench-feeds.XXXXXX", path[256], side[300];
	char			(*queries)[Q_MAX] = NULL;
	struct store		*st = NULL;
	double			*t[FK_N][2] = { { NULL } }, *c[FK_N][2] = { { NULL } }, ms, cpu, t0;
	size_t			 nt[FK_N][2] = { { 0 } }, i, n, empty[FK_N] = { 0 };
	int64_t			*viewers = NULL, *users = NULL, power;
	enum feeds_kind		 k;
	struct stat		 sb;
	bool			 reuse = false;
	int			 rc = 1, p;

	if (keep != NULL) {
		snprintf(path, sizeof path, "%s", keep);
		reuse = stat(path, &sb) == 0;
	} else {
		if (mkdtemp(dir) == NULL) {
			perror("bench: mkdtemp");
			return 1;
		}
		snprintf(path, sizeof path, "%s/sshbook.db", dir);
	}
	if (store_open(path, &st) != 0) {
		fprintf(stderr, "bench: cannot open %s\n", path);
		goto out;
	}
	if (!reuse && feeds_generate(st, nusers) != 0)
		goto out;
	/* Closing checkpoints the WAL into the file, so its size is the database's. */
	store_close(st);
	st = NULL;
	printf("feeds_db_size_mb: %.1f%s\n", (double)file_size(path) / (1024 * 1024),
	    reuse ? " (reused)" : "");
	if (store_open(path, &st) != 0) {
		fprintf(stderr, "bench: cannot reopen %s\n", path);
		goto out;
	}
	viewers = calloc(nviewers + FEEDS_WARMUP, sizeof *viewers);
	users = calloc(nviewers + FEEDS_WARMUP, sizeof *users);
	queries = calloc(nviewers + FEEDS_WARMUP, sizeof *queries);
	for (k = 0; k < FK_N; k++)
		for (p = 0; p < 2; p++) {
			t[k][p] = calloc(nviewers, sizeof **t);
			c[k][p] = calloc(nviewers, sizeof **c);
		}
	if (viewers == NULL || users == NULL || queries == NULL || t[FK_N - 1][1] == NULL ||
	    c[FK_N - 1][1] == NULL)
		goto out;
	for (i = 0; i < nviewers + FEEDS_WARMUP; i++) {
		viewers[i] = 1 + (int64_t)rng_below(nusers);
		users[i] = 1 + (int64_t)rng_below(nusers);
		feeds_query(queries[i], Q_MAX);
	}
	t0 = now_ms();
	for (k = 0; k < FK_N; k++) {
		for (p = 0; p < 2; p++) {
			int page = p == 0 ? 1 : FEEDS_DEEP;

			for (i = 0; i < nviewers + FEEDS_WARMUP; i++) {
				/* The deep timeline: one of the busiest authors (gen_posts.c). */
				power = page == 1 ? users[i] : 1 + (int64_t)(i % 10);
				if (feeds_time(st, k, viewers[i], power, queries[i], page, &ms,
				    &cpu, &n) != 0) {
					fprintf(stderr, "bench: %s page %d failed\n",
					    feeds_names[k], page);
					goto out;
				}
				if (i < FEEDS_WARMUP || ms < 0)
					continue;
				c[k][p][nt[k][p]] = cpu;
				t[k][p][nt[k][p]++] = ms;
				if (page == 1 && n == 0)
					empty[k]++;
			}
		}
	}
	printf("feeds_viewers: %zu (after %d warm-up), pages of %d, page 1 and page %d\n",
	    nviewers, FEEDS_WARMUP, FEEDS_PAGE, FEEDS_DEEP);
	for (k = 0; k < FK_N; k++) {
		feeds_report(feeds_names[k], 1, t[k][0], c[k][0], nt[k][0], nviewers,
		    feeds_targets[k]);
		printf("feeds_%s_page1_empty: %zu of %zu\n", feeds_names[k], empty[k], nviewers);
		feeds_report(feeds_names[k], FEEDS_DEEP, t[k][1], c[k][1], nt[k][1], nviewers,
		    feeds_targets[k]);
	}
	printf("feeds_run_s: %.1f\n", (now_ms() - t0) / 1e3);
	rc = 0;
 out:
	store_close(st);
	for (k = 0; k < FK_N; k++)
		for (p = 0; p < 2; p++) {
			free(t[k][p]);
			free(c[k][p]);
		}
	free(viewers);
	free(users);
	free(queries);
	if (keep == NULL) {
		for (i = 0; i < 3; i++) {
			snprintf(side, sizeof side, "%s%s", path,
			    (const char *[]){ "", "-wal", "-shm" }[i]);
			unlink(side);
		}
		rmdir(dir);
	}
	return rc;
}

/* ---- writes: what the per-user write limit costs a write ------------------------ */

#define WRITES_USERS	1000
#define WRITES_ROUNDS	10

/*
 * nwrites comments (store_comment_add) by random users on random public
 * posts, in WRITES_ROUNDS rounds; each round runs its half without the
 * limit and its half with it (a bucket too large to run out: only the cost
 * is measured), the order switching every round so drift and the growing
 * tables hit both alike. Wall time per write; medians and p99 of each.
 */
static int
bench_writes(size_t nwrites)
{
	char		 dir[] = "/tmp/sshbook-bench-storage.XXXXXX", path[256], side[300], why[256];
	struct store	*st = NULL;
	double		*off = calloc(nwrites, sizeof *off), *on = calloc(nwrites, sizeof *on);
	size_t		 noff = 0, non = 0, per = nwrites / (2 * WRITES_ROUNDS), i;
	int64_t		 nposts, id, author;
	int		 round, half, rc = 1;

	if (mkdtemp(dir) == NULL) {
		perror("bench: mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/sshbook.db", dir);
	if (off == NULL || on == NULL || per == 0 || store_open(path, &st) != 0 ||
	    store_gen_users(st, WRITES_USERS, 1) != 0 ||
	    store_gen_friendships(st, WRITES_USERS * 5, 2) != 0 ||
	    store_gen_posts(st, WRITES_USERS * 10, 0, 0, 3) != 0) {
		fprintf(stderr, "bench: cannot set up %s\n", path);
		goto out;
	}
	nposts = WRITES_USERS * 10;
	for (round = 0; round < WRITES_ROUNDS; round++) {
		for (half = 0; half < 2; half++) {
			bool limited = (half == 0) == (round % 2 == 0);

			store_set_write_limit(st, limited ? 1000000000 : 0, 1000000000);
			for (i = 0; i < per; i++) {
				int64_t	user = 1 + (int64_t)rng_below(WRITES_USERS);
				int64_t	post = 1 + (int64_t)rng_below((size_t)nposts);
				double	t0 = now_ms();
				int	r = store_comment_add(st, user, post, "a comment for the bench",
				    &id, &author, why, sizeof why);

				/* private posts and blocks refuse some: those are not counted */
				if (r != 0)
					continue;
				if (limited)
					on[non++] = now_ms() - t0;
				else
					off[noff++] = now_ms() - t0;
			}
		}
	}
	if (noff == 0 || non == 0) {
		fprintf(stderr, "bench: no comment was stored\n");
		goto out;
	}
	qsort(off, noff, sizeof *off, cmp_double);
	qsort(on, non, sizeof *on, cmp_double);
	printf("writes_users_posts: %d users, %lld posts; comments stored: %zu without the "
	    "limit, %zu with it\n", WRITES_USERS, (long long)nposts, noff, non);
	printf("writes_comment_no_limit_p50_ms: %.3f\n", percentile(off, noff, 0.5));
	printf("writes_comment_no_limit_p99_ms: %.3f\n", percentile(off, noff, 0.99));
	printf("writes_comment_with_limit_p50_ms: %.3f\n", percentile(on, non, 0.5));
	printf("writes_comment_with_limit_p99_ms: %.3f\n", percentile(on, non, 0.99));
	printf("writes_limit_cost_ratio_p50: %.2f (with / without)\n",
	    percentile(on, non, 0.5) / percentile(off, noff, 0.5));
	rc = 0;
 out:
	store_close(st);
	free(off);
	free(on);
	for (i = 0; i < 3; i++) {
		snprintf(side, sizeof side, "%s%s", path, (const char *[]){ "", "-wal", "-shm" }[i]);
		unlink(side);
	}
	rmdir(dir);
	return rc;
}

int
main(int argc, char **argv)
{
	long	users = argc > 2 ? atol(argv[2]) : 100000;
	long	queries = argc > 3 ? atol(argv[3]) : 1000;

	if (argc >= 2 && strcmp(argv[1], "writes") == 0) {
		log_open("sshbook-bench-storage", LOG_TO_STDERR, NULL, LOG_LVL_WARN);
		return bench_writes(argc > 2 ? (size_t)atol(argv[2]) : 20000);
	}
	if (argc >= 2 && strcmp(argv[1], "feeds") == 0 && users >= 100 && queries >= 1) {
		log_open("sshbook-bench-storage", LOG_TO_STDERR, NULL, LOG_LVL_WARN);
		return bench_feeds((size_t)users, (size_t)queries, argc > 4 ? argv[4] : NULL);
	}
	if (argc < 2 || strcmp(argv[1], "search") != 0 || users < 100 || queries < 1) {
		fprintf(stderr, "usage: sshbook-bench-storage search [USERS [QUERIES]]\n"
		    "       sshbook-bench-storage feeds [USERS [VIEWERS [DB]]]\n"
		    "       sshbook-bench-storage writes [N]\n");
		return 1;
	}
	log_open("sshbook-bench-storage", LOG_TO_STDERR, NULL, LOG_LVL_WARN);
	return bench_search((size_t)users, (size_t)queries);
}
