/*
 * EXIF orientation: the one tag we honour. Cameras store pixels as the
 * sensor saw them and say in IFD0 tag 0x0112 how to turn them; the stored
 * copy is re-encoded upright and without any metadata, so the tag is applied
 * here and then dropped with the rest (GPS position included).
 *
 * Every read goes through a bounds check against the segment: the bytes are
 * the uploader's.
 */
#include "media/image.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define TAG_ORIENTATION	0x0112
#define TIFF_SHORT	3
#define TIFF_LONG	4

struct tiff {
	const uint8_t	*p;
	size_t		 n;
	bool		 be;	/* "MM": big-endian */
};

static bool
rd16(const struct tiff *t, size_t off, unsigned *v)
{
	if (off > t->n || t->n - off < 2)
		return false;
	*v = t->be ? (unsigned)t->p[off] << 8 | t->p[off + 1] :
	    (unsigned)t->p[off + 1] << 8 | t->p[off];
	return true;
}

static bool
rd32(const struct tiff *t, size_t off, uint32_t *v)
{
	const uint8_t *b;

	if (off > t->n || t->n - off < 4)
		return false;
	b = t->p + off;
	*v = t->be ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3] :
	    (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
	return true;
}

/* The orientation in a TIFF header + IFD0, or 1. */
static int
tiff_orientation(const uint8_t *p, size_t n)
{
	struct tiff	t = { p, n, false };
	unsigned	magic, count, i, tag, type, v16;
	uint32_t	ifd, cnt, v32;
	size_t		e;

	if (n < 8)
		return 1;
	if (p[0] == 'I' && p[1] == 'I')
		t.be = false;
	else if (p[0] == 'M' && p[1] == 'M')
		t.be = true;
	else
		return 1;
	if (!rd16(&t, 2, &magic) || magic != 42 || !rd32(&t, 4, &ifd) || !rd16(&t, ifd, &count))
		return 1;
	for (i = 0; i < count; i++) {
		e = (size_t)ifd + 2 + (size_t)i * 12;
		if (!rd16(&t, e, &tag))
			return 1;
		if (tag != TAG_ORIENTATION)
			continue;
		if (!rd16(&t, e + 2, &type) || !rd32(&t, e + 4, &cnt) || cnt < 1)
			return 1;
		/* A value of 4 bytes or fewer sits in the entry itself, left-justified. */
		if (type == TIFF_SHORT && rd16(&t, e + 8, &v16))
			return v16 >= 1 && v16 <= 8 ? (int)v16 : 1;
		if (type == TIFF_LONG && rd32(&t, e + 8, &v32))
			return v32 >= 1 && v32 <= 8 ? (int)v32 : 1;
		return 1;
	}
	return 1;
}

int
exif_orientation(const uint8_t *p, size_t n)
{
	size_t		i = 2, len;
	uint8_t		m;

	if (p == NULL || n < 4 || p[0] != 0xff || p[1] != 0xd8)
		return 1;
	/* Markers up to the first scan: the EXIF segment comes before it. */
	while (i + 4 <= n) {
		/*
		 * Stray bytes between segments (and stuffed 0xff 0x00 among them)
		 * are skipped as libjpeg and image.c's jpeg_drop_stray skip them, so
		 * an EXIF block after them still turns the picture upright.
		 */
		if (p[i] != 0xff) {
			i++;
			continue;
		}
		m = p[i + 1];
		if (m == 0xff) {	/* fill byte */
			i++;
			continue;
		}
		if (m == 0x00) {
			i += 2;
			continue;
		}
		if (m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {	/* no length */
			i += 2;
			continue;
		}
		if (m == 0xda || m == 0xd9)
			return 1;
		len = (size_t)p[i + 2] << 8 | p[i + 3];
		if (len < 2 || len > n - i - 2)
			return 1;
		if (m == 0xe1 && len >= 2 + 6 && memcmp(p + i + 4, "Exif\0\0", 6) == 0)
			return tiff_orientation(p + i + 10, len - 8);
		i += 2 + len;
	}
	return 1;
}

/*
 * Where the output pixel (x, y) comes from, for each orientation. The output
 * is h x w for 5..8 (a quarter turn).
 *   2 mirror, 3 half turn, 4 flip, 5 transpose, 6 quarter turn clockwise,
 *   7 transverse, 8 quarter turn counter-clockwise.
 */
static inline void
orient_src(int o, int w, int h, int x, int y, int *sx, int *sy)
{
	switch (o) {
	case 2: *sx = w - 1 - x; *sy = y; break;
	case 3: *sx = w - 1 - x; *sy = h - 1 - y; break;
	case 4: *sx = x; *sy = h - 1 - y; break;
	case 5: *sx = y; *sy = x; break;
	case 6: *sx = y; *sy = h - 1 - x; break;
	case 7: *sx = w - 1 - y; *sy = h - 1 - x; break;
	default: *sx = w - 1 - y; *sy = x; break;	/* 8 */
	}
}

#define TILE	32	/* quarter turns read columns: tiles keep both sides in cache */

int
image_orient(struct image *im, int o)
{
	const uint32_t	*src;
	uint32_t	*dst;
	int		 ow, oh, tx, ty, x, y, x1, y1, sx, sy;

	if (o < 2 || o > 8 || im->rgba == NULL || im->w <= 0 || im->h <= 0)
		return 0;
	ow = o >= 5 ? im->h : im->w;
	oh = o >= 5 ? im->w : im->h;
	if ((dst = malloc((size_t)ow * (size_t)oh * 4)) == NULL)
		return ERR_SYSTEM;
	/* malloc'd RGBA is aligned for uint32_t, and 4-byte pixels are copied whole. */
	src = (const uint32_t *)(void *)im->rgba;
	for (ty = 0; ty < oh; ty += TILE) {
		y1 = ty + TILE < oh ? ty + TILE : oh;
		for (tx = 0; tx < ow; tx += TILE) {
			x1 = tx + TILE < ow ? tx + TILE : ow;
			for (y = ty; y < y1; y++)
				for (x = tx; x < x1; x++) {
					orient_src(o, im->w, im->h, x, y, &sx, &sy);
					dst[(size_t)y * ow + x] = src[(size_t)sy * im->w + sx];
				}
		}
	}
	free(im->rgba);
	im->rgba = (uint8_t *)dst;
	im->w = ow;
	im->h = oh;
	return 0;
}
