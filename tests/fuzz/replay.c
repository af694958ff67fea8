/*
 * Replay driver: runs a harness over its seeds and over deterministic
 * mutations of them (bit flips, byte insertions, truncations, splices), so the
 * sanitizer build exercises every parser on hostile input in every `make test`.
 * A crash or sanitizer report fails the test; the seed of the mutation makes
 * it reproducible.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/utf8.h"
#include "tests/fuzz/fuzz.h"

#define MUTATIONS	20000
#define MAX_INPUT	4096

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

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

static void
test_seeds(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; fuzz_seeds[i] != NULL; i++)
		LLVMFuzzerTestOneInput((const uint8_t *)fuzz_seeds[i], seed_len(i));
}

static void
test_mutations(void **state)
{
	uint8_t	*buf = malloc(MAX_INPUT);
	size_t	 nseeds = 0, len, i;

	(void)state;
	while (fuzz_seeds[nseeds] != NULL)
		nseeds++;
	assert_true(nseeds > 0);
	for (i = 0; i < MUTATIONS; i++) {
		size_t		 k = rng() % nseeds;
		const char	*seed = fuzz_seeds[k];

		len = seed_len(k);
		if (len > MAX_INPUT)
			len = MAX_INPUT;
		memcpy(buf, seed, len);
		len = mutate(buf, len, MAX_INPUT);
		LLVMFuzzerTestOneInput(buf, len);
	}
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_mutations),
	};

	utf8_locale_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
