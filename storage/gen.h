/*
 * storage: synthetic data for the benchmarks, the only place they get data
 * from. Deterministic: the same seed on an empty database gives the same
 * rows. Generated users have no password and no key (nobody can log in as
 * them); their ids are consecutive from the first free one.
 */
#ifndef SSHBOOK_GEN_H
#define SSHBOOK_GEN_H

#include <stddef.h>
#include <stdint.h>

struct store;

/*
 * Add n users with unique valid usernames (a few patterns over first and
 * last names from several scripts, and handles), display names (some not
 * ASCII), bios (some markdown), locations, jobs, 0-5 tags from a fixed
 * vocabulary and mostly public profiles, indexed for search. Batched in
 * transactions of about 10,000 rows. Returns 0 or ERR_DB.
 */
int	store_gen_users(struct store *, size_t n, uint64_t seed);

/*
 * Add n_pairs friendships (two directed rows each) between existing users,
 * with a skewed degree distribution: one end is drawn with a heavy bias
 * towards a few popular users, the other uniformly. Returns 0, ERR_INVALID
 * (fewer than two users, or more pairs than the attempts allow) or ERR_DB.
 */
int	store_gen_friendships(struct store *, size_t n_pairs, uint64_t seed);

/*
 * (gen_posts.c) Add n_posts posts by existing users, then n_reactions
 * reactions and n_comments comments. Posts: 1-4 sentences of made-up text
 * about the users' tags (the most common tags most often), hashtags in 40%,
 * an @mention of a random user in 5%, some markdown; 3% are shares of a
 * recent public post (60% with a note); visibility 70% public, 25% friends,
 * 5% private. Authors: 2% from the first 10 users, 48% biased towards the
 * first users like friendships, 50% uniform. Times are spread evenly over
 * the year before today's midnight UTC (so feeds see fresh posts: the only
 * part that depends on the day), ids growing with time. Reactions and
 * comments go to public posts only, heavy-tailed (a few posts collect most),
 * from uniform random users, hours to days after the post. Indexed for
 * search, counted by the same triggers as real use, no notifications.
 * Returns 0, ERR_INVALID (no users) or ERR_DB.
 */
int	store_gen_posts(struct store *, size_t n_posts, size_t n_reactions, size_t n_comments,
	    uint64_t seed);

#endif
