/*
 * Fuzz harnesses: each file defines LLVMFuzzerTestOneInput for one parser of
 * user input. `make fuzz` builds them with clang's libFuzzer (installed by
 * scripts/deps.sh fuzz) and grows tests/fuzz/corpus/NAME; `make test` links
 * them with replay.c, which runs the seeds, that corpus and a fixed number of
 * deterministic mutations under the sanitizers. tests/fuzz/README.md has the
 * list. A harness must be deterministic (the same input, the same run) and
 * free what it allocates: libFuzzer checks for leaks after every input.
 */
#ifndef SSHBOOK_FUZZ_H
#define SSHBOOK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Seeds for replay.c: a NULL-terminated list of strings each harness provides. */
extern const char *const fuzz_seeds[];
/*
 * Optional, for binary seeds that hold NUL bytes: one length per seed (the
 * entry for the NULL is unused). A harness without it gets strlen.
 */
extern const size_t fuzz_seed_lens[] __attribute__((weak));
/*
 * Optional: how many mutations replay.c tries (20,000 without it), for a
 * harness whose one run costs milliseconds, so `make test` stays quick.
 */
extern const size_t fuzz_replay_mutations __attribute__((weak));

/*
 * A property the harness checks: when it does not hold, say which one and
 * abort, which libFuzzer and the replay driver both report as a crash. (An
 * optimiser merges bare __builtin_trap() calls, so their line says nothing.)
 */
#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) \
			fuzz_check_failed(__FILE__, __LINE__, #cond); \
	} while (0)

static inline void __attribute__((noreturn))
fuzz_check_failed(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	abort();
}

#endif
