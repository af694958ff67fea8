/*
 * The generators' random numbers (gen.c, gen_posts.c): splitmix64, so one
 * seed names one dataset. Private to storage's generators.
 */
#ifndef SSHBOOK_GEN_INT_H
#define SSHBOOK_GEN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t s;
};

uint64_t	rng_next(struct rng *);
/* Uniform in [0, n); n > 0. The bias of a plain modulo is far below what matters here. */
size_t		rng_below(struct rng *, size_t n);
/* Uniform in [0, 1). */
double		rng_unit(struct rng *);
/* True with pct percent chance. */
bool		rng_pct(struct rng *, unsigned pct);

#endif
