/*
 * Fuzz harnesses: each file defines LLVMFuzzerTestOneInput for one parser of
 * user input. `make fuzz` builds them with clang's libFuzzer when clang is
 * installed; `make test` links them with replay.c, which runs the seed corpus
 * and a fixed number of deterministic mutations under the sanitizers.
 */
#ifndef SSHBOOK_FUZZ_H
#define SSHBOOK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Seeds for replay.c: a NULL-terminated list of strings each harness provides. */
extern const char *const fuzz_seeds[];
/*
 * Optional, for binary seeds that hold NUL bytes: one length per seed (the
 * entry for the NULL is unused). A harness without it gets strlen.
 */
extern const size_t fuzz_seed_lens[] __attribute__((weak));

#endif
