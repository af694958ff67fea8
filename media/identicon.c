/*
 * Identicons: BLAKE2b (libsodium crypto_generichash) of the seed; the first
 * 15 bytes fill the left three columns (one bit each), mirrored onto the
 * right two, and a later byte picks the colour. A pattern with no cell set
 * would draw nothing, so then the hash picks cells of the middle column.
 */
#include "media/identicon.h"

#include <string.h>

#include <sodium.h>

#define HALF	((IDENTICON_SIZE + 1) / 2)	/* columns 0..2; 3 and 4 mirror 1 and 0 */

void
identicon_make(const char *seed, struct identicon *out)
{
	unsigned char	h[32];
	int		r, col, set = 0;

	memset(out, 0, sizeof *out);
	if (seed == NULL)
		seed = "";
	if (sodium_init() < 0) {
		/* Only the RNG needs it; hashing works regardless. */
	}
	crypto_generichash(h, sizeof h, (const unsigned char *)seed, strlen(seed), NULL, 0);
	for (r = 0; r < IDENTICON_SIZE; r++)
		for (col = 0; col < HALF; col++) {
			out->cell[r][col] = h[r * HALF + col] & 1;
			out->cell[r][IDENTICON_SIZE - 1 - col] = out->cell[r][col];
			set += out->cell[r][col];
		}
	if (set == 0) {
		for (r = 0; r < IDENTICON_SIZE; r++)
			out->cell[r][HALF - 1] = (h[16 + r] & 1) != 0;
		out->cell[IDENTICON_SIZE / 2][HALF - 1] = true;
	}
	out->color = 1 + (int)(((unsigned)h[20] << 8 | h[21]) % 6);
}
