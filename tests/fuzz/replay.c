/*
 * Replay driver: runs a harness over its seeds, over every file of its
 * persistent corpus (tests/fuzz/corpus/NAME/, what `make fuzz` found), and
 * over deterministic mutations of both (bit flips, byte insertions,
 * truncations, splices), so the sanitizer build exercises every parser on
 * hostile input in every `make test`. A crash or sanitizer report fails the
 * test; the fixed seed of the mutations makes it reproducible.
 *
 *   fuzz_NAME                     seeds, corpus, mutations (what `make test` runs)
 *   fuzz_NAME FILE|DIR...         only those inputs (a crash file from `make fuzz`)
 *   fuzz_NAME --write-seeds DIR   write the seeds as files, for libFuzzer's first corpus
 *
 * NAME comes from the program's name (fuzz_NAME); the corpus root is this
 * tree's tests/fuzz/corpus (FUZZ_CORPUS_ROOT, set by the Makefile), or
 * $SSHBOOK_FUZZ_CORPUS, which names the harness's own directory.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "common/utf8.h"
#include "tests/fuzz/fuzz.h"

#define MUTATIONS	20000
#define REPLAY_MAX_INPUT	4096
#define REPLAY_MAX_FILE	(1u << 20)	/* a corpus file larger than this is a mistake */

#ifndef FUZZ_CORPUS_ROOT
#define FUZZ_CORPUS_ROOT	"tests/fuzz/corpus"
#endif

struct input {
	uint8_t	*data;
	size_t	 len;
	char	*name;
};

struct inputs {
	struct input	*v;
	size_t		 n;
};

static uint64_t		 rng_state = 0x9E3779B97F4A7C15ULL;
static char		 corpus_dir[4096];
static struct inputs	 corpus;	/* the corpus files, in name order */

/* xorshift64*: fixed seed, so every run tries the same inputs. */
static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static const uint8_t interesting[] = {
	0x00, 0x1b, '[', ']', '\\', '"', '\'', ' ', '\t', '\n', '\r', 0x7f, 0x80, 0x9b,
	0xc0, 0xc2, 0xe2, 0x80, 0xae, 0xed, 0xa0, 0xf0, 0xf4, 0xff, '=', '#', '*', '(',
};

static size_t
mutate(uint8_t *buf, size_t len, size_t cap)
{
	size_t	i, n = 1 + rng() % 4, pos;

	for (i = 0; i < n; i++) {
		pos = len ? rng() % len : 0;
		switch (rng() % 6) {
		case 0:	/* flip a bit */
			if (len)
				buf[pos] ^= (uint8_t)(1u << (rng() % 8));
			break;
		case 1:	/* insert an interesting byte */
			if (len < cap) {
				memmove(buf + pos + 1, buf + pos, len - pos);
				buf[pos] = interesting[rng() % sizeof interesting];
				len++;
			}
			break;
		case 2:	/* delete a byte */
			if (len) {
				memmove(buf + pos, buf + pos + 1, len - pos - 1);
				len--;
			}
			break;
		case 3:	/* truncate */
			len = pos;
			break;
		case 4:	/* repeat a chunk (grows inputs towards the limits) */
			if (len && len * 2 <= cap) {
				memcpy(buf + len, buf, len);
				len *= 2;
			}
			break;
		default:	/* random byte */
			if (len)
				buf[pos] = (uint8_t)rng();
			break;
		}
	}
	return len;
}

static size_t
seed_len(size_t i)
{
	return fuzz_seed_lens != NULL ? fuzz_seed_lens[i] : strlen(fuzz_seeds[i]);
}

static size_t
seed_count(void)
{
	size_t n = 0;

	while (fuzz_seeds[n] != NULL)
		n++;
	return n;
}

/*
 * Run one input from a private heap copy of exactly its size, as libFuzzer
 * does, so a read past the end is a sanitizer report here too.
 */
static void
run_input(const uint8_t *data, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	if (copy == NULL)
		abort();
	if (len)
		memcpy(copy, data, len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
}

static int
read_file(const char *path, struct input *in)
{
	FILE	*f;
	size_t	 cap = 4096, n;

	memset(in, 0, sizeof *in);
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	in->data = malloc(cap);
	while (in->data != NULL && (n = fread(in->data + in->len, 1, cap - in->len, f)) > 0) {
		in->len += n;
		if (in->len > REPLAY_MAX_FILE)
			break;
		if (in->len == cap)
			in->data = realloc(in->data, cap *= 2);
	}
	fclose(f);
	if (in->data == NULL || in->len > REPLAY_MAX_FILE) {
		fprintf(stderr, "replay: %s: %s\n", path, in->data ? "larger than 1 MiB" : "no memory");
		free(in->data);
		return -1;
	}
	in->name = strdup(path);
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct input *)a)->name, ((const struct input *)b)->name);
}

/* Append every regular file of path (a file, or a directory's files) to ins, sorted by name. */
static int
load_path(const char *path, struct inputs *ins)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		 file[8192];
	size_t		 first = ins->n;

	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		ins->v = realloc(ins->v, (ins->n + 1) * sizeof *ins->v);
		return ins->v == NULL || read_file(path, &ins->v[ins->n]) != 0 ? -1 : (ins->n++, 0);
	}
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof file, "%s/%s", path, de->d_name);
		if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		ins->v = realloc(ins->v, (ins->n + 1) * sizeof *ins->v);
		if (ins->v == NULL || read_file(file, &ins->v[ins->n]) != 0) {
			closedir(d);
			return -1;
		}
		ins->n++;
	}
	closedir(d);
	qsort(ins->v + first, ins->n - first, sizeof *ins->v, by_name);
	return 0;
}

static void
inputs_free(struct inputs *ins)
{
	size_t i;

	for (i = 0; i < ins->n; i++) {
		free(ins->v[i].data);
		free(ins->v[i].name);
	}
	free(ins->v);
	memset(ins, 0, sizeof *ins);
}

static void
test_seeds(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; fuzz_seeds[i] != NULL; i++)
		run_input((const uint8_t *)fuzz_seeds[i], seed_len(i));
}

/* Every harness has a corpus: a missing or empty one is a broken tree, not a pass. */
static void
test_corpus(void **state)
{
	size_t i;

	(void)state;
	if (corpus.n == 0)
		fail_msg("no corpus in %s (make fuzz builds one)", corpus_dir);
	for (i = 0; i < corpus.n; i++)
		run_input(corpus.v[i].data, corpus.v[i].len);
}

static void
test_mutations(void **state)
{
	uint8_t		*buf = malloc(REPLAY_MAX_INPUT);
	const uint8_t	*src;
	size_t		 nseeds = seed_count(), len, i, k, count = MUTATIONS;

	(void)state;
	assert_true(nseeds > 0);
	if (&fuzz_replay_mutations != NULL)
		count = fuzz_replay_mutations;
	for (i = 0; i < count; i++) {
		k = rng() % (nseeds + corpus.n);
		if (k < nseeds) {
			src = (const uint8_t *)fuzz_seeds[k];
			len = seed_len(k);
		} else {
			src = corpus.v[k - nseeds].data;
			len = corpus.v[k - nseeds].len;
		}
		if (len > REPLAY_MAX_INPUT)
			len = REPLAY_MAX_INPUT;
		memcpy(buf, src, len);
		len = mutate(buf, len, REPLAY_MAX_INPUT);
		run_input(buf, len);
	}
	free(buf);
}

static int
write_seeds(const char *dir)
{
	char	 path[8192];
	FILE	*f;
	size_t	 i;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (i = 0; fuzz_seeds[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s/seed-%02zu", dir, i);
		if ((f = fopen(path, "wb")) == NULL ||
		    fwrite(fuzz_seeds[i], 1, seed_len(i), f) != seed_len(i) || fclose(f) != 0) {
			fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	return 0;
}

/* Only the inputs named on the command line: to reproduce what `make fuzz` found. */
static int
run_paths(int argc, char **argv)
{
	struct inputs	ins = { 0 };
	size_t		i;
	int		a;

	for (a = 1; a < argc; a++) {
		if (load_path(argv[a], &ins) != 0) {
			fprintf(stderr, "replay: cannot read '%s'\n", argv[a]);
			inputs_free(&ins);
			return 1;
		}
	}
	for (i = 0; i < ins.n; i++) {
		fprintf(stderr, "replay: %s (%zu bytes)\n", ins.v[i].name, ins.v[i].len);
		run_input(ins.v[i].data, ins.v[i].len);
	}
	inputs_free(&ins);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_mutations),
	};
	const char	*base = strrchr(argv[0], '/'), *env;
	int		 r;

	base = base ? base + 1 : argv[0];
	if (strncmp(base, "fuzz_", 5) == 0)
		base += 5;
	utf8_locale_init();
	if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0)
		return write_seeds(argv[2]);
	if (argc > 1)
		return run_paths(argc, argv);
	if ((env = getenv("SSHBOOK_FUZZ_CORPUS")) != NULL && env[0] != '\0')
		snprintf(corpus_dir, sizeof corpus_dir, "%s", env);
	else
		snprintf(corpus_dir, sizeof corpus_dir, "%s/%s", FUZZ_CORPUS_ROOT, base);
	if (load_path(corpus_dir, &corpus) != 0)
		inputs_free(&corpus);	/* test_corpus fails, naming the directory */
	r = cmocka_run_group_tests(tests, NULL, NULL);
	inputs_free(&corpus);
	return r;
}
