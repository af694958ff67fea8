/*
 * Placeholder avatars until images land: a 5x5 mirrored pattern and a colour
 * derived from a seed (a key fingerprint or a username), so the same person
 * always looks the same and different people rarely alike.
 */
#ifndef SSHBOOK_IDENTICON_H
#define SSHBOOK_IDENTICON_H

#include <stdbool.h>

#define IDENTICON_SIZE	5

struct identicon {
	bool	cell[IDENTICON_SIZE][IDENTICON_SIZE];	/* [row][col]; col c equals col 4-c */
	int	color;					/* 1..6: red, green, yellow, blue, magenta, cyan */
};

/* Derive the pattern from seed (any string; hashed, so any length works). */
void	identicon_make(const char *seed, struct identicon *out);

#endif
