/*
 * Media fixtures (see fixtures.h). Photos go through the project's own
 * encoder (media/image.h image_encode); the EXIF segment, the PNG bomb and
 * the padded files are built byte by byte here, with our own CRC-32 and
 * Adler-32, so the tests do not depend on another encoder's choices.
 */
#include "tests/e2e/fixtures.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "media/image.h"
#include "tests/e2e/harness.h"

static const char *const names[FX_COUNT] = {
	[FX_PHOTO_EXIF] = "cat.jpg",
	[FX_PHOTO] = "photo.jpg",
	[FX_PHOTO2] = "second.jpg",
	[FX_PNG] = "graphic.png",
	[FX_TRUNCATED] = "truncated.jpg",
	[FX_TEXT] = "notes.txt",
	[FX_BOMB] = "bomb.png",
	[FX_BIG_JPEG] = "big.jpg",
	[FX_HUGE] = "huge.jpg",
	[FX_VIDEO] = "clip.mp4",
};

static char	*fx_dir;
static char	*fx_paths[FX_COUNT];

/* ---- files ------------------------------------------------------------------- */

uint8_t *
fixture_read_file(const char *path, size_t *lenp)
{
	struct stat	 st;
	uint8_t		*p;
	size_t		 got = 0;
	int		 fd;

	*lenp = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return NULL;
	}
	if ((p = malloc((size_t)st.st_size + 1)) == NULL)
		abort();
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, p + got, (size_t)st.st_size - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	p[got] = 0;
	*lenp = got;
	return p;
}

int
fixture_write_file(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(p, 1, n, fp) != n || fclose(fp) != 0) {
		fprintf(stderr, "fixtures: write %s: %s\n", path, strerror(errno));
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	return 0;
}

/* ---- checksums ----------------------------------------------------------------- */

uint32_t
fixture_crc32(const uint8_t *p, size_t n)
{
	static uint32_t	table[256];
	static bool	ready;
	uint32_t	c = 0xffffffffu;

	if (!ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t v = i;

			for (int k = 0; k < 8; k++)
				v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
			table[i] = v;
		}
		ready = true;
	}
	for (size_t i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static uint32_t
adler32(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0;

	for (size_t i = 0; i < n; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

/* ---- a byte builder ---------------------------------------------------------------- */

struct bytes {
	uint8_t	*p;
	size_t	 n, cap;
};

static void
put(struct bytes *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		while (b->n + n > b->cap)
			b->cap = b->cap ? b->cap * 2 : 1024;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			abort();
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void
put8(struct bytes *b, unsigned v)
{
	uint8_t c = (uint8_t)v;

	put(b, &c, 1);
}

static void
put16be(struct bytes *b, unsigned v)
{
	put8(b, v >> 8);
	put8(b, v);
}

static void
put32be(struct bytes *b, uint32_t v)
{
	put16be(b, v >> 16);
	put16be(b, v & 0xffff);
}

/* ---- pictures ---------------------------------------------------------------------- */

static uint32_t
xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static uint8_t
clamp8(double v)
{
	return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}

uint8_t *
fixture_photo_jpeg(int w, int h, int quality, int noise, uint32_t seed, size_t *lenp)
{
	struct image	 im = { .w = w, .h = h, .has_alpha = false };
	double		*cx = malloc((size_t)w * 2 * sizeof *cx), *cy = malloc((size_t)h * 2 * sizeof *cy);
	double		 phase = (seed % 97) / 15.0;
	uint32_t	 rnd = seed * 2654435761u + 1;
	uint8_t		*out = NULL;
	size_t		 n = 0;

	*lenp = 0;
	if (cx == NULL || cy == NULL || (im.rgba = malloc((size_t)w * h * 4)) == NULL)
		abort();
	/* separable waves: a sky-like gradient with hills and a sun */
	for (int x = 0; x < w; x++) {
		cx[2 * x] = sin((double)x / w * 9.0 + phase);
		cx[2 * x + 1] = cos((double)x / w * 4.0);
	}
	for (int y = 0; y < h; y++) {
		cy[2 * y] = sin((double)y / h * 6.0 - phase);
		cy[2 * y + 1] = cos((double)y / h * 13.0);
	}
	for (int y = 0; y < h; y++) {
		uint8_t	*row = im.rgba + (size_t)y * w * 4;
		double	 fy = (double)y / h;

		for (int x = 0; x < w; x++) {
			double	fx = (double)x / w;
			double	dx = fx - 0.7, dy = fy - 0.25;
			double	sun = dx * dx + dy * dy < 0.01 ? 90 : 0;
			double	hill = fy > 0.55 + 0.1 * cx[2 * x] ? 1 : 0;
			double	r = 70 + 120 * fx + 30 * cy[2 * y] * cx[2 * x + 1] + sun - 50 * hill;
			double	g = 90 + 90 * fy + 35 * cx[2 * x] * cy[2 * y + 1] + sun + 40 * hill;
			double	b = 200 - 120 * fy + 25 * cx[2 * x] + sun * 0.3 - 90 * hill;

			if (noise > 0) {
				int span = 2 * noise + 1;

				r += (int)(xorshift(&rnd) % (uint32_t)span) - noise;
				g += (int)(xorshift(&rnd) % (uint32_t)span) - noise;
				b += (int)(xorshift(&rnd) % (uint32_t)span) - noise;
			}
			row[4 * x] = clamp8(r);
			row[4 * x + 1] = clamp8(g);
			row[4 * x + 2] = clamp8(b);
			row[4 * x + 3] = 255;
		}
	}
	if (image_encode(&im, MF_JPEG, quality, &out, &n) != 0) {
		fprintf(stderr, "fixtures: image_encode %dx%d failed\n", w, h);
		out = NULL;
		n = 0;
	}
	free(im.rgba);
	free(cx);
	free(cy);
	*lenp = n;
	return out;
}

/* A graphic: four flat colours, a transparent top-left corner; PNG through image_encode. */
static uint8_t *
graphic_png(size_t *lenp)
{
	static const uint8_t pal[4][3] = {
		{ 220, 40, 40 }, { 40, 180, 60 }, { 40, 80, 220 }, { 240, 220, 40 },
	};
	struct image	 im = { .w = 320, .h = 200, .has_alpha = true };
	uint8_t		*out = NULL;
	size_t		 n = 0;

	*lenp = 0;
	if ((im.rgba = malloc((size_t)im.w * im.h * 4)) == NULL)
		abort();
	for (int y = 0; y < im.h; y++) {
		for (int x = 0; x < im.w; x++) {
			uint8_t		*px = im.rgba + ((size_t)y * im.w + x) * 4;
			const uint8_t	*c = pal[(x / 80 + y / 50) % 4];

			memcpy(px, c, 3);
			px[3] = x < 40 && y < 40 ? 0 : 255;
		}
	}
	if (image_encode(&im, MF_PNG, 0, &out, &n) != 0)
		out = NULL;
	free(im.rgba);
	*lenp = n;
	return out;
}

/*
 * An APP1 segment "Exif\0\0" + a big-endian TIFF: IFD0 with Orientation = 6
 * and a GPS IFD pointer; the GPS IFD with version, latitude ref "N",
 * latitude 51/1 30/1 0/1 and GPSMapDatum = FX_GPS_MARK.
 */
static void
exif_segment(struct bytes *seg)
{
	struct bytes	t = { 0 };
	const size_t	ifd0 = 8, gps = ifd0 + 2 + 2 * 12 + 4;	/* 38 */
	const size_t	rat = gps + 2 + 4 * 12 + 4;		/* 92 */
	const size_t	mark = rat + 24;			/* 116 */

	put(&t, "MM\0\x2a", 4);
	put32be(&t, (uint32_t)ifd0);
	/* IFD0 */
	put16be(&t, 2);
	put16be(&t, 0x0112); put16be(&t, 3); put32be(&t, 1); put16be(&t, 6); put16be(&t, 0);
	put16be(&t, 0x8825); put16be(&t, 4); put32be(&t, 1); put32be(&t, (uint32_t)gps);
	put32be(&t, 0);
	/* GPS IFD */
	put16be(&t, 4);
	put16be(&t, 0x0000); put16be(&t, 1); put32be(&t, 4); put(&t, "\x02\x03\x00\x00", 4);
	put16be(&t, 0x0001); put16be(&t, 2); put32be(&t, 2); put(&t, "N\0\0\0", 4);
	put16be(&t, 0x0002); put16be(&t, 5); put32be(&t, 3); put32be(&t, (uint32_t)rat);
	put16be(&t, 0x0012); put16be(&t, 2); put32be(&t, sizeof FX_GPS_MARK);
	put32be(&t, (uint32_t)mark);
	put32be(&t, 0);
	put32be(&t, 51); put32be(&t, 1);
	put32be(&t, 30); put32be(&t, 1);
	put32be(&t, 0); put32be(&t, 1);
	put(&t, FX_GPS_MARK, sizeof FX_GPS_MARK);
	if (t.n != mark + sizeof FX_GPS_MARK)
		abort();

	put16be(seg, 0xffe1);
	put16be(seg, (unsigned)(2 + 6 + t.n));
	put(seg, "Exif\0\0", 6);
	put(seg, t.p, t.n);
	free(t.p);
}

static uint8_t *
photo_with_exif(size_t *lenp)
{
	struct bytes	 b = { 0 };
	size_t		 n;
	uint8_t		*jpg = fixture_photo_jpeg(3000, 2000, 90, 10, 7, &n);

	*lenp = 0;
	if (jpg == NULL || n < 4 || jpg[0] != 0xff || jpg[1] != 0xd8) {
		free(jpg);
		return NULL;
	}
	put(&b, jpg, 2);		/* SOI */
	exif_segment(&b);		/* then APP1, as cameras write it */
	put(&b, jpg + 2, n - 2);	/* JFIF APP0 and the rest */
	free(jpg);
	*lenp = b.n;
	return b.p;
}

static void
png_chunk(struct bytes *b, const char *type, const uint8_t *data, size_t n)
{
	struct bytes	c = { 0 };

	put(&c, type, 4);
	if (n > 0)
		put(&c, data, n);
	put32be(b, (uint32_t)n);
	put(b, c.p, c.n);
	put32be(b, fixture_crc32(c.p, c.n));
	free(c.p);
}

/*
 * A well-formed PNG (correct CRCs, a valid zlib stream) that claims
 * 20000x20000 RGB: the header alone must be enough to refuse it.
 */
static uint8_t *
png_bomb(size_t *lenp)
{
	struct bytes	b = { 0 }, ihdr = { 0 }, z = { 0 };
	uint8_t		raw[1024];

	memset(raw, 0, sizeof raw);	/* filter byte 0 and black pixels: the start of row 0 */
	put(&b, "\x89PNG\r\n\x1a\n", 8);
	put32be(&ihdr, 20000);
	put32be(&ihdr, 20000);
	put8(&ihdr, 8);		/* bit depth */
	put8(&ihdr, 2);		/* colour type: RGB */
	put8(&ihdr, 0);
	put8(&ihdr, 0);
	put8(&ihdr, 0);
	png_chunk(&b, "IHDR", ihdr.p, ihdr.n);
	/* zlib: header, one final stored block, Adler-32 */
	put8(&z, 0x78);
	put8(&z, 0x01);
	put8(&z, 0x01);
	put8(&z, sizeof raw & 0xff);
	put8(&z, sizeof raw >> 8);
	put8(&z, ~sizeof raw & 0xff);
	put8(&z, (~sizeof raw >> 8) & 0xff);
	put(&z, raw, sizeof raw);
	put32be(&z, adler32(raw, sizeof raw));
	png_chunk(&b, "IDAT", z.p, z.n);
	png_chunk(&b, "IEND", NULL, 0);
	free(ihdr.p);
	free(z.p);
	*lenp = b.n;
	return b.p;
}

/* A real JPEG (FX_PHOTO's bytes) followed by zeros up to size. */
static uint8_t *
padded_jpeg(size_t size, size_t *lenp)
{
	size_t	 n;
	uint8_t	*jpg = fixture_photo_jpeg(800, 600, 85, 6, 1, &n);
	uint8_t	*p;

	*lenp = 0;
	if (jpg == NULL || n > size)
		return NULL;
	if ((p = calloc(1, size)) == NULL)
		abort();
	memcpy(p, jpg, n);
	free(jpg);
	*lenp = size;
	return p;
}

static int
make_video(const char *path)
{
	struct exec_result	 r;
	char			*argv[] = {
		"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
		"-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-t", "2",
		"-pix_fmt", "yuv420p", (char *)path, NULL,
	};
	int			 rc = -1;

	if (run_program(argv, NULL, 0, 60000, &r) == 0 && r.status == 0)
		rc = 0;
	else
		fprintf(stderr, "fixtures: ffmpeg exited %d: %s\n", r.status, r.err);
	exec_result_free(&r);
	return rc;
}

/* ---- the fixture dir ---------------------------------------------------------------- */

static int
make(enum fixture f, const char *path)
{
	uint8_t	*p = NULL;
	size_t	 n = 0;
	int	 rc;

	switch (f) {
	case FX_PHOTO_EXIF:
		p = photo_with_exif(&n);
		break;
	case FX_PHOTO:
		p = fixture_photo_jpeg(800, 600, 85, 6, 1, &n);
		break;
	case FX_PHOTO2:
		p = fixture_photo_jpeg(640, 480, 85, 6, 42, &n);
		break;
	case FX_PNG:
		p = graphic_png(&n);
		break;
	case FX_TRUNCATED:
		if ((p = fixture_photo_jpeg(800, 600, 85, 6, 1, &n)) != NULL)
			n = n * 6 / 10;
		break;
	case FX_TEXT: {
		static const char text[] = "These are notes, not a picture.\n"
		    "sshbook should refuse them whatever the file is called.\n";

		if ((p = malloc(sizeof text)) == NULL)
			abort();
		memcpy(p, text, sizeof text - 1);
		n = sizeof text - 1;
		break;
	}
	case FX_BOMB:
		p = png_bomb(&n);
		break;
	case FX_BIG_JPEG:
		p = padded_jpeg(11u << 20, &n);
		break;
	case FX_HUGE:
		p = padded_jpeg(60u << 20, &n);
		break;
	case FX_VIDEO:
		return make_video(path);
	case FX_COUNT:
		break;
	}
	if (p == NULL) {
		fprintf(stderr, "fixtures: cannot make %s\n", names[f]);
		return -1;
	}
	rc = fixture_write_file(path, p, n);
	free(p);
	return rc;
}

const char *
fixture_name(enum fixture f)
{
	return names[f];
}

const char *
fixture_path(enum fixture f)
{
	char *path;

	if (fx_paths[f] != NULL)
		return fx_paths[f];
	if (fx_dir == NULL) {
		const char *tmp = getenv("TMPDIR");

		if (tmp == NULL || *tmp == '\0')
			tmp = "/tmp";
		if (asprintf(&fx_dir, "%s/sshbook-fixtures-XXXXXX", tmp) < 0)
			abort();
		if (mkdtemp(fx_dir) == NULL) {
			fprintf(stderr, "fixtures: mkdtemp %s: %s\n", fx_dir, strerror(errno));
			free(fx_dir);
			fx_dir = NULL;
			return NULL;
		}
	}
	if (asprintf(&path, "%s/%s", fx_dir, names[f]) < 0)
		abort();
	if (make(f, path) != 0) {
		free(path);
		return NULL;
	}
	return fx_paths[f] = path;
}

uint8_t *
fixture_load(enum fixture f, size_t *lenp)
{
	const char	*path = fixture_path(f);
	uint8_t		*p;

	*lenp = 0;
	if (path == NULL)
		return NULL;
	if ((p = fixture_read_file(path, lenp)) == NULL)
		fprintf(stderr, "fixtures: read %s: %s\n", path, strerror(errno));
	return p;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void
fixtures_cleanup(void)
{
	for (int i = 0; i < FX_COUNT; i++) {
		free(fx_paths[i]);
		fx_paths[i] = NULL;
	}
	if (fx_dir == NULL)
		return;
	if (getenv("SSHBOOK_KEEP_TMP") != NULL)
		fprintf(stderr, "fixtures: kept %s\n", fx_dir);
	else
		nftw(fx_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx_dir);
	fx_dir = NULL;
}

/* ---- inspecting stored files ------------------------------------------------------------ */

bool
jpeg_header_info(const uint8_t *p, size_t n, int *wp, int *hp, bool *app1p)
{
	size_t	i = 2;
	bool	sized = false;

	*wp = *hp = 0;
	*app1p = false;
	if (n < 4 || p[0] != 0xff || p[1] != 0xd8)
		return false;
	while (i + 4 <= n) {
		unsigned	m, len;

		if (p[i] != 0xff)
			return false;
		m = p[i + 1];
		if (m == 0xff) {	/* fill byte */
			i++;
			continue;
		}
		if (m == 0xd8 || (m >= 0xd0 && m <= 0xd7) || m == 0x01) {
			i += 2;
			continue;
		}
		len = (unsigned)p[i + 2] << 8 | p[i + 3];
		if (len < 2 || i + 2 + len > n)
			return false;
		if (m == 0xe1)
			*app1p = true;
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc && len >= 7) {
			*hp = p[i + 5] << 8 | p[i + 6];
			*wp = p[i + 7] << 8 | p[i + 8];
			sized = true;
		}
		if (m == 0xda)	/* SOS: the entropy-coded data follows */
			return sized;
		i += 2 + len;
	}
	return false;
}

bool
png_header_info(const uint8_t *p, size_t n, int *wp, int *hp)
{
	*wp = *hp = 0;
	if (n < 24 || memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0 || memcmp(p + 12, "IHDR", 4) != 0)
		return false;
	*wp = (int)((uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19]);
	*hp = (int)((uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 | (uint32_t)p[22] << 8 | p[23]);
	return true;
}
