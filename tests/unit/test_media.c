/* media: sniffing, probing, decoding, fitting, encoding, previews, the sandbox and the pipeline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <turbojpeg.h>
#include <webp/encode.h>

#include "common/err.h"
#include "common/sandbox.h"
#include "common/xmalloc.h"
#include "media/image.h"
#include "media/pipeline.h"
#include "media/preview.h"
#include "media/video.h"

static char	tmpdir[64];

/* ---- helpers ----------------------------------------------------------------- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t rng_state = 12345;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

enum pattern { PAT_GRADIENT, PAT_NOISE, PAT_HALVES, PAT_FLAT };

/* A w x h test picture; PAT_HALVES: left half red, right half blue. */
static struct image
make_image(int w, int h, enum pattern pat)
{
	struct image	im = { w, h, xmalloc((size_t)w * h * 4), false };
	uint8_t		*p;
	int		x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			p = im.rgba + ((size_t)y * w + x) * 4;
			switch (pat) {
			case PAT_GRADIENT:
				p[0] = (uint8_t)(x * 255 / (w > 1 ? w - 1 : 1));
				p[1] = (uint8_t)(y * 255 / (h > 1 ? h - 1 : 1));
				p[2] = (uint8_t)((x + y) * 127 / (w + h));
				break;
			case PAT_NOISE:
				/* photo-like: smooth shapes plus grain, so JPEG has work to do */
				p[0] = (uint8_t)((x / 7 + y / 5) % 200 + rng() % 50);
				p[1] = (uint8_t)((x * y / 97) % 200 + rng() % 50);
				p[2] = (uint8_t)((y / 3) % 200 + rng() % 50);
				break;
			case PAT_HALVES:
				p[0] = x < w / 2 ? 255 : 0;
				p[1] = 0;
				p[2] = x < w / 2 ? 0 : 255;
				break;
			case PAT_FLAT:
				p[0] = 10;
				p[1] = 200;
				p[2] = 30;
				break;
			}
			p[3] = 255;
		}
	return im;
}

static void
encode(const struct image *im, enum media_format fmt, uint8_t **pp, size_t *np)
{
	assert_int_equal(image_encode(im, fmt, 90, pp, np), 0);
	assert_true(*np > 0);
	assert_int_equal(media_sniff(*pp, *np), fmt);
}

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static char *
write_tmp(const char *name, const void *p, size_t n)
{
	char	*path = tmp_path(name);
	FILE	*f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	return path;
}

static uint8_t *
read_all(const char *path, size_t *np)
{
	FILE	*f = fopen(path, "rb");
	uint8_t	*p;
	long	 n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = xmalloc((size_t)n + 1);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*np = (size_t)n;
	return p;
}

static bool
contains(const uint8_t *p, size_t n, const char *needle)
{
	return memmem(p, n, needle, strlen(needle)) != NULL;
}

/* A hand-made PNG header (signature + IHDR) claiming w x h; no pixels follow. */
static size_t
png_header(uint8_t *b, uint32_t w, uint32_t h)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
	size_t n = 0;

	memcpy(b, sig, 8);
	n = 8;
	b[n++] = 0; b[n++] = 0; b[n++] = 0; b[n++] = 13;
	memcpy(b + n, "IHDR", 4);
	n += 4;
	b[n++] = (uint8_t)(w >> 24); b[n++] = (uint8_t)(w >> 16); b[n++] = (uint8_t)(w >> 8); b[n++] = (uint8_t)w;
	b[n++] = (uint8_t)(h >> 24); b[n++] = (uint8_t)(h >> 16); b[n++] = (uint8_t)(h >> 8); b[n++] = (uint8_t)h;
	b[n++] = 8;	/* bit depth */
	b[n++] = 6;	/* RGBA */
	b[n++] = 0; b[n++] = 0; b[n++] = 0;
	memset(b + n, 0, 4);	/* CRC: not checked by anyone who matters here */
	return n + 4;
}

/*
 * A GIF whose LZW stream is all literals: a clear code after every two
 * pixels keeps the code width at 3 bits (4 colours). Good enough to test
 * decoding and truncation without a GIF encoder.
 */
static uint8_t *
make_gif(int w, int h, const uint8_t *idx, size_t *np)
{
	static const uint8_t pal[4][3] = { { 0, 0, 0 }, { 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 } };
	uint8_t		*data = xmalloc((size_t)w * h * 2 + 64), *out;
	size_t		 nd = 0, i, n = 0, npx = (size_t)w * h;
	uint32_t	 acc = 0;
	int		 bits = 0;

#define EMIT(code) do { acc |= (uint32_t)(code) << bits; bits += 3; \
	while (bits >= 8) { data[nd++] = (uint8_t)acc; acc >>= 8; bits -= 8; } } while (0)
	for (i = 0; i < npx; i++) {
		if (i % 2 == 0)
			EMIT(4);	/* clear */
		EMIT(idx[i]);
	}
	EMIT(5);	/* end of information */
	if (bits > 0)
		data[nd++] = (uint8_t)acc;
#undef EMIT
	out = xmalloc(nd + nd / 255 + 64);
	memcpy(out, "GIF89a", 6);
	n = 6;
	out[n++] = (uint8_t)w; out[n++] = (uint8_t)(w >> 8);
	out[n++] = (uint8_t)h; out[n++] = (uint8_t)(h >> 8);
	out[n++] = 0x81;	/* global table of 4 colours */
	out[n++] = 0;
	out[n++] = 0;
	memcpy(out + n, pal, sizeof pal);
	n += sizeof pal;
	out[n++] = 0x2c;
	memset(out + n, 0, 4);
	n += 4;
	out[n++] = (uint8_t)w; out[n++] = (uint8_t)(w >> 8);
	out[n++] = (uint8_t)h; out[n++] = (uint8_t)(h >> 8);
	out[n++] = 0;
	out[n++] = 2;	/* LZW minimum code size */
	for (i = 0; i < nd; i += 255) {
		size_t len = nd - i < 255 ? nd - i : 255;

		out[n++] = (uint8_t)len;
		memcpy(out + n, data + i, len);
		n += len;
	}
	out[n++] = 0;
	out[n++] = 0x3b;
	free(data);
	*np = n;
	return out;
}

/*
 * An APP1 "Exif" segment: big-endian TIFF, IFD0 with the orientation and a
 * GPS IFD pointer; the GPS IFD holds a latitude ref and a string we can look
 * for in the output.
 */
#define GPS_SECRET	"SSHBOOK-SECRET-GPS!!"

static size_t
exif_app1(uint8_t *b, int orientation)
{
	uint8_t	t[128];
	size_t	n = 0, len;

#define BE16(v) do { t[n++] = (uint8_t)((v) >> 8); t[n++] = (uint8_t)(v); } while (0)
#define BE32(v) do { BE16((uint32_t)(v) >> 16); BE16((v) & 0xffff); } while (0)
	t[n++] = 'M'; t[n++] = 'M';
	BE16(42);
	BE32(8);
	/* IFD0 at 8: two entries */
	BE16(2);
	BE16(0x0112); BE16(3); BE32(1); BE16(orientation); BE16(0);
	BE16(0x8825); BE16(4); BE32(1); BE32(38);
	BE32(0);
	/* GPS IFD at 38 */
	BE16(2);
	BE16(0x0001); BE16(2); BE32(2); t[n++] = 'N'; t[n++] = 0; t[n++] = 0; t[n++] = 0;
	BE16(0x001b); BE16(7); BE32(20); BE32(68);
	BE32(0);
	memcpy(t + n, GPS_SECRET, 20);
	n += 20;
#undef BE16
#undef BE32
	len = 2 + 6 + n;
	b[0] = 0xff;
	b[1] = 0xe1;
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	memcpy(b + 4, "Exif\0\0", 6);
	memcpy(b + 10, t, n);
	return 2 + len;
}

/* jpeg with an EXIF segment inserted right after SOI; malloc'd. */
static uint8_t *
jpeg_with_exif(const uint8_t *jpeg, size_t n, int orientation, size_t *np)
{
	uint8_t	seg[256], *out;
	size_t	sn = exif_app1(seg, orientation);

	out = xmalloc(n + sn);
	memcpy(out, jpeg, 2);
	memcpy(out + 2, seg, sn);
	memcpy(out + 2 + sn, jpeg + 2, n - 2);
	*np = n + sn;
	return out;
}

/* p with len bytes inserted at offset at; malloc'd. */
static uint8_t *
insert_bytes(const uint8_t *p, size_t n, size_t at, const void *b, size_t len, size_t *np)
{
	uint8_t *out = xmalloc(n + len);

	memcpy(out, p, at);
	memcpy(out + at, b, len);
	memcpy(out + at + len, p + at, n - at);
	*np = n + len;
	return out;
}

/* Offset of the first marker 0xff m (our encoder puts none inside a segment before the scan). */
static size_t
marker_at(const uint8_t *p, size_t n, uint8_t m)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (p[i] == 0xff && p[i + 1] == m)
			return i;
	fail_msg("no marker 0x%02x", m);
	return 0;
}

/*
 * What libjpeg itself says of a w x h JPEG decoded to the end without
 * stopping: "" or its message, which is that of the FIRST warning only.
 */
static const char *
libjpeg_says(const uint8_t *p, size_t n, int w, int h)
{
	static char	 msg[256];
	uint8_t		*buf = xmalloc((size_t)w * h * 4);
	tjhandle	 tj = tjInitDecompress();

	assert_non_null(tj);
	msg[0] = '\0';
	if (tjDecompress2(tj, p, (unsigned long)n, buf, w, 0, h, TJPF_RGBA, 0) != 0)
		snprintf(msg, sizeof msg, "%s", tjGetErrorStr2(tj));
	tjDestroy(tj);
	free(buf);
	return msg;
}

static const uint8_t *
px(const struct image *im, int x, int y)
{
	return im->rgba + ((size_t)y * im->w + x) * 4;
}

/* ---- sniffing and names ---------------------------------------------------------- */

static void
test_sniff(void **state)
{
	uint8_t png[64];

	(void)state;
	assert_int_equal(media_sniff((const uint8_t *)"\xff\xd8\xff\xe0", 4), MF_JPEG);
	assert_int_equal(media_sniff(png, png_header(png, 1, 1)), MF_PNG);
	assert_int_equal(media_sniff((const uint8_t *)"GIF87a..", 8), MF_GIF);
	assert_int_equal(media_sniff((const uint8_t *)"GIF89a..", 8), MF_GIF);
	assert_int_equal(media_sniff((const uint8_t *)"RIFF\x10\0\0\0WEBPVP8 ", 16), MF_WEBP);
	assert_int_equal(media_sniff((const uint8_t *)"RIFF\x10\0\0\0WAVEfmt ", 16), MF_NONE);
	assert_int_equal(media_sniff((const uint8_t *)"\0\0\0\x18" "ftypisom\0\0\0\0", 16), MF_MP4);
	assert_int_equal(media_sniff((const uint8_t *)"\0\0\0\x18" "ftypqt  \0\0\0\0", 16), MF_MP4);
	/* HEIF stills are ISO media too, but not videos */
	assert_int_equal(media_sniff((const uint8_t *)"\0\0\0\x18" "ftypheic\0\0\0\0", 16), MF_NONE);
	assert_int_equal(media_sniff((const uint8_t *)"\x1a\x45\xdf\xa3\x9f\x42\x86\x81", 8), MF_WEBM);
	/* junk, short and empty input */
	assert_int_equal(media_sniff((const uint8_t *)"hello, world, this is text", 26), MF_NONE);
	assert_int_equal(media_sniff((const uint8_t *)"\xff\xd8", 2), MF_NONE);
	assert_int_equal(media_sniff((const uint8_t *)"GIF89", 5), MF_NONE);
	assert_int_equal(media_sniff((const uint8_t *)"", 0), MF_NONE);
	assert_int_equal(media_sniff(NULL, 0), MF_NONE);

	assert_string_equal(media_format_name(MF_JPEG), "jpeg");
	assert_string_equal(media_format_name(MF_NONE), "unknown");
	assert_string_equal(media_format_ext(MF_JPEG), "jpg");
	assert_string_equal(media_format_ext(MF_WEBM), "webm");
	assert_int_equal(media_format_parse("webp"), MF_WEBP);
	assert_int_equal(media_format_parse("mp4"), MF_MP4);
	assert_int_equal(media_format_parse("jpg"), MF_NONE);
	assert_int_equal(media_format_parse(NULL), MF_NONE);
	assert_true(media_format_is_video(MF_MP4));
	assert_true(media_format_is_video(MF_WEBM));
	assert_false(media_format_is_video(MF_GIF));
	assert_false(media_format_is_video(MF_NONE));
}

/* ---- probe caps ---------------------------------------------------------------------- */

static void
test_probe_caps(void **state)
{
	enum media_format	fmt;
	struct image		im;
	uint8_t			b[64];
	char			why[256];
	int			w, h;
	size_t			n;

	(void)state;
	n = png_header(b, 20000, 20000);
	assert_int_equal(image_probe(b, n, &fmt, &w, &h, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "image too large: 20000x20000 is 400 megapixels; the limit is 40");
	assert_int_equal(fmt, MF_NONE);
	/* decode probes first: refused the same way, before any pixel memory */
	assert_int_equal(image_decode(b, n, 0, &im, why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "400 megapixels"));
	assert_null(im.rgba);

	/* just over the cap is never shown as "40" */
	n = png_header(b, 40001, 1000);
	assert_int_equal(image_probe(b, n, &fmt, &w, &h, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "image too large: 40001x1000 is 40.1 megapixels; the limit is 40");
	/* exactly at the cap: fine (the header is all there is, but probe reads only that) */
	n = png_header(b, 8000, 5000);
	assert_int_equal(image_probe(b, n, &fmt, &w, &h, why, sizeof why), 0);
	assert_int_equal(fmt, MF_PNG);
	assert_int_equal(w, 8000);
	assert_int_equal(h, 5000);
	/* but decoding it finds no pixels */
	assert_int_equal(image_decode(b, n, 0, &im, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the image is truncated or damaged");

	/* a GIF screen of 65535 x 65535 */
	memcpy(b, "GIF89a\xff\xff\xff\xff\0\0\0", 13);
	assert_int_equal(image_probe(b, 13, &fmt, &w, &h, why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "image too large: 65535x65535"));

	/* zero size, truncated header, videos, junk */
	n = png_header(b, 0, 10);
	assert_int_equal(image_probe(b, n, &fmt, &w, &h, why, sizeof why), ERR_INVALID);
	assert_int_equal(image_probe(b, 20, &fmt, &w, &h, why, sizeof why), ERR_INVALID);
	assert_int_equal(image_probe((const uint8_t *)"\0\0\0\x18" "ftypisom", 12, &fmt, &w, &h,
	    why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "this is a video, not an image");
	assert_int_equal(image_probe((const uint8_t *)"text", 4, &fmt, &w, &h, why, sizeof why),
	    ERR_INVALID);
	assert_string_equal(why, "not an image (jpeg, png, gif or webp)");
	assert_int_equal(image_probe((const uint8_t *)"\xff\xd8\xff\xe0\0\x10JFIF", 10, &fmt, &w,
	    &h, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the image is truncated or damaged");
}

/* ---- decode ------------------------------------------------------------------------- */

static void
test_decode_jpeg_png_webp(void **state)
{
	struct image	 src = make_image(64, 48, PAT_GRADIENT), out;
	uint8_t		*p, *wp;
	size_t		 n, i;
	long		 err = 0;
	char		 why[256];

	(void)state;
	encode(&src, MF_JPEG, &p, &n);
	assert_int_equal(image_decode(p, n, 0, &out, why, sizeof why), 0);
	assert_int_equal(out.w, 64);
	assert_int_equal(out.h, 48);
	assert_false(out.has_alpha);
	for (i = 0; i < 64 * 48 * 4; i++)
		err += labs((long)out.rgba[i] - src.rgba[i]);
	assert_true(err / (64 * 48 * 4) < 6);	/* lossy, but close */
	image_free(&out);
	free(p);

	encode(&src, MF_PNG, &p, &n);
	assert_int_equal(image_decode(p, n, 0, &out, why, sizeof why), 0);
	assert_int_equal(out.w, 64);
	assert_int_equal(out.h, 48);
	assert_memory_equal(out.rgba, src.rgba, 64 * 48 * 4);
	assert_false(out.has_alpha);
	image_free(&out);
	free(p);

	/* alpha survives PNG */
	src.rgba[3] = 0;
	src.has_alpha = true;
	encode(&src, MF_PNG, &p, &n);
	assert_int_equal(image_decode(p, n, 0, &out, why, sizeof why), 0);
	assert_true(out.has_alpha);
	assert_memory_equal(out.rgba, src.rgba, 64 * 48 * 4);
	image_free(&out);
	free(p);

	/* WebP (made with libwebp's encoder) */
	n = WebPEncodeLosslessRGBA(src.rgba, 64, 48, 64 * 4, &wp);
	assert_true(n > 0);
	assert_int_equal(media_sniff(wp, n), MF_WEBP);
	assert_int_equal(image_decode(wp, n, 0, &out, why, sizeof why), 0);
	assert_int_equal(out.w, 64);
	assert_int_equal(out.h, 48);
	assert_true(out.has_alpha);
	assert_memory_equal(out.rgba + 4, src.rgba + 4, 64 * 48 * 4 - 4);
	image_free(&out);
	assert_int_equal(image_decode(wp, n / 2, 0, &out, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the image is truncated or damaged");
	WebPFree(wp);
	image_free(&src);
}

static void
test_decode_gif(void **state)
{
	uint8_t		 idx[10 * 6], *g;
	struct image	 out;
	size_t		 n, i;
	char		 why[256];
	static const uint8_t tiny[] = {
		'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0xff, 0xff, 0xff, 0, 0, 0,
		0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b,
	};

	(void)state;
	for (i = 0; i < sizeof idx; i++)
		idx[i] = (uint8_t)(i % 4);
	g = make_gif(10, 6, idx, &n);
	assert_int_equal(image_decode(g, n, 0, &out, why, sizeof why), 0);
	assert_int_equal(out.w, 10);
	assert_int_equal(out.h, 6);
	assert_memory_equal(px(&out, 1, 0), "\xff\0\0\xff", 4);	/* index 1: red */
	assert_memory_equal(px(&out, 3, 0), "\0\0\xff\xff", 4);	/* index 3: blue */
	assert_memory_equal(px(&out, 2, 1), "\0\0\0\xff", 4);	/* 12 % 4 = 0: black */
	image_free(&out);
	/* cut inside the picture data: stb_image would make up the rest; we refuse */
	for (i = n - 3; i > 30; i -= 7)
		assert_int_equal(image_decode(g, i, 0, &out, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the image is truncated or damaged");
	free(g);

	/* the classic 1x1 transparent GIF */
	assert_int_equal(image_decode(tiny, sizeof tiny, 0, &out, why, sizeof why), 0);
	assert_int_equal(out.w, 1);
	assert_true(out.has_alpha);
	image_free(&out);
}

static void
test_decode_truncated(void **state)
{
	struct image	 src = make_image(256, 256, PAT_NOISE), out;
	uint8_t		*p;
	size_t		 n;
	char		 why[256];

	(void)state;
	encode(&src, MF_JPEG, &p, &n);
	assert_int_equal(image_decode(p, n, 0, &out, why, sizeof why), 0);
	image_free(&out);
	assert_int_equal(image_decode(p, n / 2, 0, &out, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the image is truncated or damaged");
	assert_null(out.rgba);
	/* also at a reduced DCT scale: every byte is still read */
	assert_int_equal(image_decode(p, n / 2, 32, &out, why, sizeof why), ERR_INVALID);
	/* missing only the end marker */
	assert_int_equal(image_decode(p, n - 2, 0, &out, why, sizeof why), ERR_INVALID);
	/* damaged in the middle of the entropy-coded data */
	memset(p + n / 2, 0xff, 64);
	assert_int_equal(image_decode(p, n, 0, &out, why, sizeof why), ERR_INVALID);
	free(p);

	encode(&src, MF_PNG, &p, &n);
	assert_int_equal(image_decode(p, n / 2, 0, &out, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the image is truncated or damaged");
	assert_int_equal(image_decode(p, n - 12, 0, &out, why, sizeof why), ERR_INVALID);	/* no IEND */
	free(p);
	image_free(&src);
}

/*
 * Stray bytes between the header's marker segments ("N extraneous bytes
 * before marker 0xXX"), which some cameras leave, are harmless: decoded. The
 * same warning from after a scan's data is what corrupt data gives: refused.
 */
static void
test_decode_jpeg_stray(void **state)
{
	static const uint8_t	 junk[5] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	static const uint8_t	 messy[6] = { 0x00, 0xff, 0x00, 0x7f, 0xff, 0xff };	/* stuffing, fill */
	static const uint8_t	 before[] = { 0xdb, 0xc4, 0xc0, 0xda };	/* DQT DHT SOF0 SOS */
	struct image		 src = make_image(64, 48, PAT_GRADIENT), ref, out, big;
	enum media_format	 fmt;
	uint8_t			*p, *q;
	size_t			 n, qn, i, at, cut;
	long			 err;
	char			 why[256], want[64];
	int			 w, h;

	(void)state;
	encode(&src, MF_JPEG, &p, &n);
	assert_int_equal(image_decode(p, n, 0, &ref, why, sizeof why), 0);
	for (i = 0; i < sizeof before; i++) {
		at = marker_at(p, n, before[i]);
		q = insert_bytes(p, n, at, junk, sizeof junk, &qn);
		snprintf(want, sizeof want, "Corrupt JPEG data: 5 extraneous bytes before marker 0x%02x",
		    before[i]);
		assert_string_equal(libjpeg_says(q, qn, 64, 48), want);
		assert_int_equal(image_probe(q, qn, &fmt, &w, &h, why, sizeof why), 0);
		assert_int_equal(w, 64);
		assert_int_equal(h, 48);
		assert_int_equal(image_decode(q, qn, 0, &out, why, sizeof why), 0);
		assert_int_equal(out.w, 64);
		assert_int_equal(out.h, 48);
		/* the very pixels of the file without them, so close to the original */
		assert_memory_equal(out.rgba, ref.rgba, 64 * 48 * 4);
		err = 0;
		for (at = 0; at < 64 * 48 * 4; at++)
			err += labs((long)out.rgba[at] - src.rgba[at]);
		assert_true(err / (64 * 48 * 4) < 6);
		image_free(&out);
		/* at the smallest DCT scale too, as the upload check decodes */
		assert_int_equal(image_decode(q, qn, 1, &out, why, sizeof why), 0);
		assert_int_equal(out.w, 8);
		image_free(&out);

		/* cut in the scan: libjpeg's message is still the stray bytes' (it keeps the first) */
		cut = (marker_at(q, qn, 0xda) + qn) / 2;
		assert_string_equal(libjpeg_says(q, cut, 64, 48), want);
		assert_int_equal(image_decode(q, cut, 0, &out, why, sizeof why), ERR_INVALID);
		assert_string_equal(why, "the image is truncated or damaged");
		assert_null(out.rgba);
		assert_int_equal(image_decode(q, cut, 1, &out, why, sizeof why), ERR_INVALID);
		assert_int_equal(image_decode(q, qn - 2, 0, &out, why, sizeof why), ERR_INVALID);
		assert_string_equal(why, "the image is truncated or damaged");
		free(q);
	}
	/* stuffed 0xff 0x00 and fill bytes among them */
	q = insert_bytes(p, n, marker_at(p, n, 0xc4), messy, sizeof messy, &qn);
	assert_non_null(strstr(libjpeg_says(q, qn, 64, 48), "extraneous bytes before marker 0xc4"));
	assert_int_equal(image_decode(q, qn, 0, &out, why, sizeof why), 0);
	assert_memory_equal(out.rgba, ref.rgba, 64 * 48 * 4);
	image_free(&out);
	free(q);

	/* a plain cut is still refused: "Premature end of JPEG file" */
	cut = (marker_at(p, n, 0xda) + n) / 2;
	assert_string_equal(libjpeg_says(p, cut, 64, 48), "Premature end of JPEG file");
	assert_int_equal(image_decode(p, cut, 0, &out, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the image is truncated or damaged");

	/* after the scan's data, before EOI: the same message as corrupt data, so refused */
	q = insert_bytes(p, n, n - 2, junk, sizeof junk, &qn);
	assert_non_null(strstr(libjpeg_says(q, qn, 64, 48), "extraneous bytes before marker 0xd9"));
	assert_int_equal(image_decode(q, qn, 0, &out, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the image is truncated or damaged");
	free(q);
	image_free(&ref);
	free(p);
	image_free(&src);

	/* corrupt entropy data whose only sign is that message: the decoder lost step */
	big = make_image(256, 256, PAT_NOISE);
	encode(&big, MF_JPEG, &p, &n);
	q = xmalloc(n);
	for (at = marker_at(p, n, 0xda) + 64; at < n - 64; at += 97) {
		memcpy(q, p, n);
		q[at] ^= 0x5a;
		if (strstr(libjpeg_says(q, n, 256, 256), "extraneous bytes before marker 0xd9") != NULL)
			break;
	}
	assert_true(at < n - 64);
	assert_int_equal(image_decode(q, n, 0, &out, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the image is truncated or damaged");
	assert_int_equal(image_decode(q, n, 1, &out, why, sizeof why), ERR_INVALID);
	free(q);
	free(p);
	image_free(&big);
}

static void
test_decode_cmyk(void **state)
{
	uint8_t		 cmyk[16 * 16 * 4], *jpeg = NULL;
	unsigned long	 n = 0;
	struct image	 out;
	tjhandle	 tj;
	char		 why[256];
	size_t		 i;

	(void)state;
	/* Adobe's inverted CMYK: 255 is no ink. No cyan, full magenta and yellow: red. */
	for (i = 0; i < 16 * 16; i++)
		memcpy(cmyk + i * 4, "\xff\x00\x00\xff", 4);
	tj = tjInitCompress();
	assert_non_null(tj);
	assert_int_equal(tjCompress2(tj, cmyk, 16, 0, 16, TJPF_CMYK, &jpeg, &n, TJSAMP_444, 95, 0), 0);
	tjDestroy(tj);
	assert_int_equal(image_decode(jpeg, n, 0, &out, why, sizeof why), 0);
	assert_int_equal(out.w, 16);
	assert_true(px(&out, 8, 8)[0] > 240 && px(&out, 8, 8)[1] < 15 && px(&out, 8, 8)[2] < 15);
	assert_int_equal(px(&out, 8, 8)[3], 255);
	image_free(&out);
	tjFree(jpeg);
}

static void
test_decode_dct_scaling(void **state)
{
	struct image	 src = make_image(4000, 3000, PAT_GRADIENT), out;
	uint8_t		*p;
	size_t		 n;
	char		 why[256];

	(void)state;
	encode(&src, MF_JPEG, &p, &n);
	image_free(&src);
	/* 4/8 would give 2000 < 2048, so 5/8 */
	assert_int_equal(image_decode(p, n, 2048, &out, why, sizeof why), 0);
	assert_int_equal(out.w, 2500);
	assert_int_equal(out.h, 1875);
	image_free(&out);
	assert_int_equal(image_decode(p, n, 500, &out, why, sizeof why), 0);
	assert_int_equal(out.w, 500);
	image_free(&out);
	assert_int_equal(image_decode(p, n, 0, &out, why, sizeof why), 0);
	assert_int_equal(out.w, 4000);
	assert_int_equal(out.h, 3000);
	image_free(&out);
	/* never enlarged */
	assert_int_equal(image_decode(p, n, 9000, &out, why, sizeof why), 0);
	assert_int_equal(out.w, 4000);
	image_free(&out);
	free(p);
}

/* ---- orientation ----------------------------------------------------------------------- */

static void
test_orient(void **state)
{
	struct image	im;
	uint8_t		a[4] = { 1, 1, 1, 255 }, b[4] = { 2, 2, 2, 255 };
	int		o;

	(void)state;
	/* [A B]: a quarter turn clockwise puts A on top, counter-clockwise B */
	im.w = 2; im.h = 1; im.has_alpha = false;
	im.rgba = xmalloc(8);
	memcpy(im.rgba, a, 4);
	memcpy(im.rgba + 4, b, 4);
	assert_int_equal(image_orient(&im, 6), 0);
	assert_int_equal(im.w, 1);
	assert_int_equal(im.h, 2);
	assert_memory_equal(px(&im, 0, 0), a, 4);
	assert_int_equal(image_orient(&im, 8), 0);	/* and back */
	assert_int_equal(im.w, 2);
	assert_memory_equal(px(&im, 0, 0), a, 4);
	assert_int_equal(image_orient(&im, 8), 0);
	assert_memory_equal(px(&im, 0, 0), b, 4);
	image_free(&im);

	/* on a 3x2 picture: each flip twice is the identity; 6 three times is 8 */
	for (o = 2; o <= 8; o++) {
		struct image	g = make_image(3, 2, PAT_GRADIENT), ref = make_image(3, 2, PAT_GRADIENT);
		int		times = (o == 2 || o == 3 || o == 4 || o == 5 || o == 7) ? 2 : 4;

		while (times-- > 0)
			assert_int_equal(image_orient(&g, o), 0);
		assert_int_equal(g.w, 3);
		assert_memory_equal(g.rgba, ref.rgba, 3 * 2 * 4);
		image_free(&g);
		image_free(&ref);
	}
	{
		struct image	t = make_image(3, 2, PAT_GRADIENT), ref = make_image(3, 2, PAT_GRADIENT);

		assert_int_equal(image_orient(&t, 5), 0);	/* transpose */
		assert_int_equal(t.w, 2);
		assert_int_equal(t.h, 3);
		assert_memory_equal(px(&t, 1, 2), px(&ref, 2, 1), 4);
		assert_int_equal(image_orient(&t, 1), 0);	/* 1 and junk: unchanged */
		assert_int_equal(image_orient(&t, 9), 0);
		assert_int_equal(t.w, 2);
		image_free(&t);
		image_free(&ref);
	}
}

static void
test_exif_upright(void **state)
{
	struct image	 src = make_image(40, 20, PAT_HALVES), out;
	uint8_t		*p, *q, *re, seg[256];
	size_t		 n, qn, ren, sn;
	char		 why[256];

	(void)state;
	encode(&src, MF_JPEG, &p, &n);
	assert_int_equal(exif_orientation(p, n), 1);
	q = jpeg_with_exif(p, n, 6, &qn);
	assert_int_equal(exif_orientation(q, qn), 6);
	assert_true(contains(q, qn, GPS_SECRET));

	/* upright: 20 wide, 40 tall; the left (red) half is now on top */
	assert_int_equal(image_decode(q, qn, 0, &out, why, sizeof why), 0);
	assert_int_equal(out.w, 20);
	assert_int_equal(out.h, 40);
	assert_true(px(&out, 10, 5)[0] > 200 && px(&out, 10, 5)[2] < 60);
	assert_true(px(&out, 10, 35)[2] > 200 && px(&out, 10, 35)[0] < 60);

	/* re-encoded: no metadata left */
	assert_int_equal(image_encode(&out, MF_JPEG, 85, &re, &ren), 0);
	assert_false(contains(re, ren, "Exif"));
	assert_false(contains(re, ren, GPS_SECRET));
	assert_int_equal(exif_orientation(re, ren), 1);
	free(re);
	image_free(&out);

	/* little-endian TIFF, and damaged segments (any bytes are safe: 1) */
	sn = exif_app1(seg, 3);
	assert_int_equal(exif_orientation((const uint8_t *)"\xff\xd8", 2), 1);
	{
		uint8_t	 le[] = "\xff\xd8\xff\xe1\x00\x22" "Exif\0\0" "II\x2a\x00\x08\x00\x00\x00"
			"\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x08\x00\x00\x00" "\0\0\0\0";
		uint8_t	 bad[sizeof le];

		assert_int_equal(exif_orientation(le, sizeof le - 1), 8);
		memcpy(bad, le, sizeof le);
		bad[5] = 0xff;	/* segment longer than the file */
		assert_int_equal(exif_orientation(bad, sizeof bad - 1), 1);
		memcpy(bad, le, sizeof le);
		bad[18] = 0xff;	/* IFD offset far outside */
		assert_int_equal(exif_orientation(bad, sizeof bad - 1), 1);
		memcpy(bad, le, sizeof le);
		bad[30] = 9;	/* orientation out of range */
		assert_int_equal(exif_orientation(bad, sizeof bad - 1), 1);
		memcpy(bad, le, sizeof le);
		bad[20] = 0xff;	/* 255 entries claimed, few there, none the orientation */
		bad[22] = 0x13;
		assert_int_equal(exif_orientation(bad, sizeof bad - 1), 1);
	}
	(void)sn;

	/* stray bytes before the EXIF block (after a comment segment): still read, still upright */
	{
		static const uint8_t	 com[] = { 0xff, 0xfe, 0x00, 0x04, 'h', 'i' };
		static const uint8_t	 junk[] = { 0x00, 0x13, 0xff, 0x00, 0x7f };
		size_t			 sn2 = qn + sizeof com + sizeof junk;
		uint8_t			*s2 = malloc(sn2);

		assert_non_null(s2);
		memcpy(s2, q, 2);
		memcpy(s2 + 2, com, sizeof com);
		memcpy(s2 + 2 + sizeof com, junk, sizeof junk);
		memcpy(s2 + 2 + sizeof com + sizeof junk, q + 2, qn - 2);
		assert_int_equal(exif_orientation(s2, sn2), 6);
		assert_int_equal(image_decode(s2, sn2, 0, &out, why, sizeof why), 0);
		assert_int_equal(out.w, 20);
		assert_int_equal(out.h, 40);
		assert_true(px(&out, 10, 5)[0] > 200 && px(&out, 10, 5)[2] < 60);
		image_free(&out);
		free(s2);
	}
	free(q);
	free(p);
	image_free(&src);
}

/* ---- fit, stored format ---------------------------------------------------------------- */

/* The exact area average of in at (ox, oy) of an ow x oh grid, channel c. */
static double
area_mean(const struct image *in, int ow, int oh, int ox, int oy, int c)
{
	double	sx = (double)in->w / ow, sy = (double)in->h / oh, sum = 0, wsum = 0, wx, wy;
	double	x0 = ox * sx, x1 = (ox + 1) * sx, y0 = oy * sy, y1 = (oy + 1) * sy;
	int	x, y;

	for (y = (int)y0; y < in->h && y < y1; y++) {
		wy = (y + 1 < y1 ? y + 1 : y1) - (y > y0 ? y : y0);
		for (x = (int)x0; x < in->w && x < x1; x++) {
			wx = (x + 1 < x1 ? x + 1 : x1) - (x > x0 ? x : x0);
			sum += wx * wy * px(in, x, y)[c];
			wsum += wx * wy;
		}
	}
	return sum / wsum;
}

static void
test_fit(void **state)
{
	struct image	src = make_image(4000, 3000, PAT_FLAT), out, chk;
	size_t		i;
	double		t0, best = 1e9;
	int		k;

	(void)state;
	for (k = 0; k < 3; k++) {
		t0 = now_s();
		assert_int_equal(image_fit(&src, 2048, 2048, &out), 0);
		if (now_s() - t0 < best)
			best = now_s() - t0;
		if (k < 2)
			image_free(&out);
	}
	print_message("image_fit 4000x3000 -> %dx%d: %.1f ms\n", out.w, out.h, best * 1e3);
	/* about 20 ms at -O2 (the budget is 50); the bound catches only the pathological */
	assert_true(best < (sandbox_memory_limited() ? 0.5 : 3.0));	/* not limited: ASan */
	assert_int_equal(out.w, 2048);
	assert_int_equal(out.h, 1536);
	/* a flat colour stays exactly flat */
	for (i = 0; i < (size_t)out.w * out.h; i++)
		if (memcmp(out.rgba + i * 4, src.rgba, 4) != 0)
			fail_msg("pixel %zu changed", i);
	image_free(&out);
	image_free(&src);

	/* a 1-pixel checkerboard averages to grey */
	src = make_image(100, 100, PAT_FLAT);
	for (i = 0; i < 100 * 100; i++)
		memset(src.rgba + i * 4, ((i % 100) + (i / 100)) % 2 ? 255 : 0, 3);
	assert_int_equal(image_fit(&src, 10, 10, &out), 0);
	assert_int_equal(out.w, 10);
	for (i = 0; i < 100; i++)
		assert_true(abs(out.rgba[i * 4] - 128) <= 1);
	image_free(&out);

	/* transparent black between white pixels does not darken: averaged premultiplied */
	for (i = 0; i < 100 * 100; i++) {
		bool on = ((i % 100) + (i / 100)) % 2;

		memset(src.rgba + i * 4, on ? 255 : 0, 4);
	}
	src.has_alpha = true;
	assert_int_equal(image_fit(&src, 10, 10, &out), 0);
	assert_true(out.has_alpha);
	for (i = 0; i < 100; i++) {
		assert_true(out.rgba[i * 4] >= 250);
		assert_true(abs(out.rgba[i * 4 + 3] - 128) <= 1);
	}
	image_free(&out);
	image_free(&src);

	/* odd sizes and large factors: within rounding of the exact area average */
	{
		static const int cases[][4] = {
			{ 97, 61, 40, 25 }, { 300, 200, 37, 25 }, { 1000, 10, 100, 1 }, { 5, 5, 3, 3 },
		};
		size_t	ci;
		int	x, y, c;
		double	e, maxe;

		for (ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
			src = make_image(cases[ci][0], cases[ci][1], PAT_NOISE);
			assert_int_equal(image_fit(&src, cases[ci][2], cases[ci][3], &out), 0);
			assert_int_equal(out.w, cases[ci][2]);
			assert_int_equal(out.h, cases[ci][3]);
			maxe = 0;
			for (y = 0; y < out.h; y++)
				for (x = 0; x < out.w; x++)
					for (c = 0; c < 4; c++) {
						e = fabs(px(&out, x, y)[c] -
						    area_mean(&src, out.w, out.h, x, y, c));
						maxe = e > maxe ? e : maxe;
					}
			if (maxe > 2.5)
				fail_msg("%dx%d -> %dx%d: off by %.2f", src.w, src.h, out.w, out.h, maxe);
			image_free(&out);
			image_free(&src);
		}
	}

	/* never enlarged; odd boxes keep the aspect */
	src = make_image(30, 10, PAT_GRADIENT);
	assert_int_equal(image_fit(&src, 100, 100, &chk), 0);
	assert_int_equal(chk.w, 30);
	assert_memory_equal(chk.rgba, src.rgba, 30 * 10 * 4);
	image_free(&chk);
	assert_int_equal(image_fit(&src, 9, 100, &chk), 0);
	assert_int_equal(chk.w, 9);
	assert_int_equal(chk.h, 3);
	image_free(&chk);
	assert_int_equal(image_fit(&src, 1000, 1, &chk), 0);
	assert_int_equal(chk.w, 3);
	assert_int_equal(chk.h, 1);
	image_free(&chk);
	image_free(&src);
}

static void
test_stored_format(void **state)
{
	struct image	photo = make_image(64, 64, PAT_NOISE), flat = make_image(64, 64, PAT_HALVES);

	(void)state;
	assert_int_equal(image_pick_stored_format(MF_JPEG, &photo), MF_JPEG);
	assert_int_equal(image_pick_stored_format(MF_PNG, &photo), MF_JPEG);	/* a photo saved as PNG */
	assert_int_equal(image_pick_stored_format(MF_PNG, &flat), MF_PNG);	/* a graphic */
	assert_int_equal(image_pick_stored_format(MF_GIF, &flat), MF_PNG);
	assert_int_equal(image_pick_stored_format(MF_JPEG, &flat), MF_JPEG);	/* it was lossy already */
	photo.rgba[7] = 10;
	photo.has_alpha = true;
	assert_int_equal(image_pick_stored_format(MF_JPEG, &photo), MF_PNG);
	assert_int_equal(image_pick_stored_format(MF_WEBP, &photo), MF_PNG);
	image_free(&photo);
	image_free(&flat);
}

/* ---- previews ---------------------------------------------------------------------------- */

static void
check_grid(const struct cellgrid *g, int cols, int rows, int colors, bool ascii)
{
	size_t	i, n = (size_t)cols * rows, drawn = 0;

	assert_int_equal(g->cols, cols);
	assert_int_equal(g->rows, rows);
	assert_int_equal(g->colors, colors);
	assert_non_null(g->v);
	for (i = 0; i < n; i++) {
		const struct cell *c = &g->v[i];

		assert_true(c->ch >= 0x20 && c->ch != 0x7f);
		assert_true(c->ch < 0x7f || (c->ch >= 0x2580 && c->ch <= 0x259f));
		assert_true(c->ch != '?');	/* libcaca's densest glyph, drawn as a full block */
		if (ascii)
			assert_non_null(memchr(PREVIEW_RAMP, (int)c->ch, sizeof PREVIEW_RAMP - 1));
		if (colors > 0) {
			assert_true(c->fg < (colors == 8 ? 16 : colors) || c->fg == CELL_COLOR_DEFAULT);
			assert_true(c->bg < (colors == 8 ? 16 : colors) || c->bg == CELL_COLOR_DEFAULT);
		} else {
			assert_int_equal(c->fg, CELL_COLOR_DEFAULT);
			assert_int_equal(c->bg, CELL_COLOR_DEFAULT);
		}
		drawn += c->ch != ' ' || c->bg != CELL_COLOR_DEFAULT;
	}
	assert_true(drawn > n / 10);
}

static void
test_preview(void **state)
{
	struct image	im = make_image(320, 240, PAT_GRADIENT), red = make_image(64, 64, PAT_HALVES);
	struct cellgrid	g;
	int		cols, rows, x, y, reds = 0, blues = 0;

	(void)state;
	preview_fit(640, 480, 80, 24, &cols, &rows);
	assert_int_equal(cols, 64);
	assert_int_equal(rows, 24);
	preview_fit(100, 10, 80, 24, &cols, &rows);
	assert_int_equal(cols, 80);
	assert_int_equal(rows, 4);
	preview_fit(1, 100000, 80, 24, &cols, &rows);
	assert_int_equal(cols, 1);
	assert_int_equal(rows, 24);
	preview_fit(0, 0, 0, 0, &cols, &rows);
	assert_int_equal(cols, 1);
	assert_int_equal(rows, 1);

	assert_int_equal(preview_render(&im, 40, 10, 16, false, &g), 0);
	check_grid(&g, 40, 10, 16, false);
	cellgrid_free(&g);
	assert_int_equal(preview_render(&im, 40, 10, 16, true, &g), 0);
	check_grid(&g, 40, 10, 16, true);
	cellgrid_free(&g);
	assert_int_equal(preview_render(&im, 33, 7, 0, false, &g), 0);
	check_grid(&g, 33, 7, 0, false);
	cellgrid_free(&g);
	assert_int_equal(preview_render(&im, 80, 20, 0, true, &g), 0);
	check_grid(&g, 80, 20, 0, true);
	cellgrid_free(&g);
	assert_int_equal(preview_render(&im, 40, 10, 256, false, &g), 0);
	check_grid(&g, 40, 10, 256, false);
	cellgrid_free(&g);
	assert_int_equal(preview_render(&im, 40, 10, 8, false, &g), 0);
	check_grid(&g, 40, 10, 8, false);
	cellgrid_free(&g);
	assert_int_equal(preview_render(&im, 1, 1, 16, false, &g), 0);
	cellgrid_free(&g);
	assert_int_equal(preview_render(&im, 0, 10, 16, false, &g), ERR_INVALID);
	assert_int_equal(preview_render(&im, 1001, 10, 16, false, &g), ERR_INVALID);

	/* colours are ANSI numbers: red (1, 9) on the left, blue (4, 12) on the right */
	assert_int_equal(preview_render(&red, 20, 5, 16, false, &g), 0);
	for (y = 0; y < 5; y++)
		for (x = 0; x < 20; x++) {
			const struct cell *c = &g.v[y * 20 + x];

			if (x < 8)
				reds += (c->bg == 1 || c->bg == 9) && (c->ch == ' ' || c->fg == 1 || c->fg == 9);
			if (x >= 12)
				blues += (c->bg == 4 || c->bg == 12) && (c->ch == ' ' || c->fg == 4 || c->fg == 12);
		}
	assert_true(reds > 30);
	assert_true(blues > 30);
	cellgrid_free(&g);
	image_free(&im);
	image_free(&red);
}

static void
test_grid_bytes(void **state)
{
	struct image	 im = make_image(100, 50, PAT_GRADIENT);
	struct cellgrid	 g, h;
	uint8_t		*p, *q;
	size_t		 n, i;

	(void)state;
	assert_int_equal(preview_render(&im, 30, 8, 16, false, &g), 0);
	assert_int_equal(cellgrid_serialize(&g, &p, &n), 0);
	assert_int_equal(n, 10 + 30 * 8 * 8);
	assert_int_equal(cellgrid_parse(p, n, &h), 0);
	assert_int_equal(h.cols, 30);
	assert_int_equal(h.rows, 8);
	assert_int_equal(h.colors, 16);
	for (i = 0; i < 30 * 8; i++) {
		assert_int_equal(h.v[i].ch, g.v[i].ch);
		assert_int_equal(h.v[i].fg, g.v[i].fg);
		assert_int_equal(h.v[i].bg, g.v[i].bg);
	}
	cellgrid_free(&h);

	q = xmalloc(n + 1);
#define SETCH(c) do { q[10] = (uint8_t)((c) >> 24); q[11] = (uint8_t)((c) >> 16); \
	q[12] = (uint8_t)((c) >> 8); q[13] = (uint8_t)(c); } while (0)
#define REFUSED(len) do { assert_int_equal(cellgrid_parse(q, (len), &h), ERR_INVALID); \
	assert_null(h.v); memcpy(q, p, n); } while (0)
	memcpy(q, p, n);
	REFUSED(n - 1);
	q[n] = 0;
	REFUSED(n + 1);
	REFUSED(9);
	REFUSED(0);
	q[0] = 'X';
	REFUSED(n);
	q[4] = 1;	/* version 1: 6 bytes a cell, 255 the default colour */
	REFUSED(n);
	q[4] = 3;
	REFUSED(n);
	q[5] = 0x03;	/* both palettes */
	REFUSED(n);
	q[5] = 0x08;	/* unknown flag */
	REFUSED(n);
	q[7] = 0;	/* 0 columns */
	REFUSED(n);
	q[6] = 0x03; q[7] = 0xe9;	/* 1001 columns */
	REFUSED(n);
	SETCH(0x1b);	/* ESC */
	REFUSED(n);
	SETCH(0x85);	/* C1 */
	REFUSED(n);
	SETCH(0x7f);
	REFUSED(n);
	SETCH(0xd800);	/* surrogate */
	REFUSED(n);
	SETCH(0x110000);	/* past U+10FFFF */
	REFUSED(n);
	SETCH('x');
	assert_int_equal(cellgrid_parse(q, n, &h), 0);	/* the same bytes with a good character */
	cellgrid_free(&h);
	q[10 + 5] = 16;	/* fg 16 in a 16-colour grid */
	REFUSED(n);
	q[10 + 7] = 200;	/* bg 200 */
	REFUSED(n);
	q[10 + 6] = 1; q[10 + 7] = 1;	/* bg 257: neither a colour nor the default */
	REFUSED(n);
	q[5] = 0;	/* monochrome but coloured cells */
	q[10 + 4] = 0; q[10 + 5] = 3;
	REFUSED(n);
#undef REFUSED
#undef SETCH
	free(q);
	free(p);
	cellgrid_free(&g);

	/* 256 colours round trip, and a colour past 255 is refused */
	assert_int_equal(preview_render(&im, 12, 4, 256, false, &g), 0);
	assert_int_equal(cellgrid_serialize(&g, &p, &n), 0);
	assert_int_equal(p[4], 2);
	assert_int_equal(cellgrid_parse(p, n, &h), 0);
	assert_int_equal(h.colors, 256);
	for (i = 0; i < 12 * 4; i++) {
		assert_int_equal(h.v[i].fg, g.v[i].fg);
		assert_int_equal(h.v[i].bg, g.v[i].bg);
	}
	cellgrid_free(&h);
	p[10 + 4] = 1; p[10 + 5] = 1;	/* fg 257 */
	assert_int_equal(cellgrid_parse(p, n, &h), ERR_INVALID);
	free(p);
	g.v[0].fg = 300;
	assert_int_equal(cellgrid_serialize(&g, &p, &n), ERR_INVALID);
	cellgrid_free(&g);

	/* monochrome round trip; a bad grid is not serialized */
	assert_int_equal(preview_render(&im, 5, 3, 0, true, &g), 0);
	assert_int_equal(cellgrid_serialize(&g, &p, &n), 0);
	assert_int_equal(cellgrid_parse(p, n, &h), 0);
	assert_int_equal(h.colors, 0);
	cellgrid_free(&h);
	free(p);
	g.v[0].ch = 0x07;
	assert_int_equal(cellgrid_serialize(&g, &p, &n), ERR_INVALID);
	assert_null(p);
	cellgrid_free(&g);
	image_free(&im);
}

/*
 * The 256-colour palette: the nearest of the cube (16..231) and the grey
 * ramp (232..255), never 0..15 (their RGB is each terminal's own choice).
 */
static void
test_palette_256(void **state)
{
	(void)state;
	assert_int_equal(preview_color256(255, 0, 0), 196);	/* pure red */
	assert_int_equal(preview_color256(0, 255, 0), 46);
	assert_int_equal(preview_color256(0, 0, 255), 21);
	assert_int_equal(preview_color256(255, 255, 255), 231);
	assert_int_equal(preview_color256(0, 0, 0), 16);
	assert_int_equal(preview_color256(128, 128, 128), 244);	/* mid grey: the grey ramp */
	assert_int_equal(preview_color256(8, 8, 8), 232);
	assert_int_equal(preview_color256(238, 238, 238), 255);
	assert_int_equal(preview_color256(135, 95, 215), 16 + 36 * 2 + 6 * 1 + 4);	/* a cube corner */
	assert_int_equal(preview_color256(250, 130, 10), 16 + 36 * 5 + 6 * 2 + 0);	/* orange */
	for (int v = 0; v < 256; v += 5)
		assert_true(preview_color256(v, 255 - v, v / 2) >= 16);
	/* tints for ASCII art: the nearest of 1..15 */
	assert_int_equal(preview_color16(255, 0, 0), 9);
	assert_int_not_equal(preview_color16(0, 0, 0), 0);	/* never black on black */
	assert_int_equal(preview_color16(255, 255, 255), 15);
}

/*
 * 256 colours: every cell an upper half block, the top half as foreground
 * and the bottom half as background, both palette colours 16..255; the
 * red-and-blue halves read as 196 and 21. An image half red on top and half
 * blue below shows on one row as red over blue.
 */
static void
test_preview_256(void **state)
{
	struct image	 halves = make_image(64, 64, PAT_HALVES), tb = make_image(10, 20, PAT_FLAT);
	struct cellgrid	 g;
	int		 x, y;

	(void)state;
	assert_int_equal(preview_render(&halves, 20, 5, 256, false, &g), 0);
	assert_int_equal(g.colors, 256);
	for (y = 0; y < 5; y++)
		for (x = 0; x < 20; x++) {
			const struct cell *c = &g.v[y * 20 + x];

			assert_int_equal(c->ch, 0x2580);
			assert_int_equal(c->fg, x < 10 ? 196 : 21);
			assert_int_equal(c->bg, x < 10 ? 196 : 21);
		}
	cellgrid_free(&g);
	for (y = 0; y < 20; y++)	/* the top half red, the bottom half blue */
		for (x = 0; x < 10; x++) {
			uint8_t *p = tb.rgba + ((size_t)y * 10 + x) * 4;

			p[0] = y < 10 ? 255 : 0;
			p[1] = 0;
			p[2] = y < 10 ? 0 : 255;
		}
	assert_int_equal(preview_render(&tb, 5, 1, 256, false, &g), 0);
	for (x = 0; x < 5; x++) {
		assert_int_equal(g.v[x].fg, 196);
		assert_int_equal(g.v[x].bg, 21);
	}
	cellgrid_free(&g);
	image_free(&halves);
	image_free(&tb);
}

/*
 * ASCII: the ramp by luminance, darkest ' ' to brightest '@', and no other
 * character (libcaca's ASCII set ended in '?', which a vt100 user took for
 * a broken glyph); with colours a tint on the foreground only.
 */
static void
test_ascii_ramp(void **state)
{
	struct image	 im = make_image(256, 16, PAT_GRADIENT), grey = make_image(256, 4, PAT_FLAT);
	struct cellgrid	 g;
	char		 seen[256] = { 0 };
	int		 x, distinct = 0, last = 0;

	(void)state;
	assert_int_equal(preview_ramp_char(0), ' ');
	assert_int_equal(preview_ramp_char(255), '@');
	assert_int_equal(preview_ramp_char(128), '+');
	for (x = 0; x < 256; x++) {
		const char *at = strchr(PREVIEW_RAMP, preview_ramp_char(x));

		assert_non_null(at);
		assert_true(at - PREVIEW_RAMP >= last);	/* never less dense as it brightens */
		last = (int)(at - PREVIEW_RAMP);
	}
	/* a grey ramp from black to white, left to right, draws the whole ramp in order */
	for (x = 0; x < 256 * 4; x++)
		memset(grey.rgba + (size_t)x * 4, (x % 256), 3);
	assert_int_equal(preview_render(&grey, 10, 1, 0, true, &g), 0);
	for (x = 0; x < 10; x++)
		assert_int_equal(g.v[x].ch, PREVIEW_RAMP[x]);
	cellgrid_free(&g);

	assert_int_equal(preview_render(&im, 64, 8, 0, true, &g), 0);
	for (x = 0; x < 64 * 8; x++) {
		assert_non_null(memchr(PREVIEW_RAMP, (int)g.v[x].ch, sizeof PREVIEW_RAMP - 1));
		assert_int_equal(g.v[x].fg, CELL_COLOR_DEFAULT);
		if (!seen[g.v[x].ch]++)
			distinct++;
	}
	assert_true(distinct >= 6);
	cellgrid_free(&g);
	assert_int_equal(preview_render(&im, 64, 8, 16, true, &g), 0);
	for (x = 0; x < 64 * 8; x++) {
		assert_non_null(memchr(PREVIEW_RAMP, (int)g.v[x].ch, sizeof PREVIEW_RAMP - 1));
		assert_int_equal(g.v[x].bg, CELL_COLOR_DEFAULT);
		if (g.v[x].ch != ' ')
			assert_true(g.v[x].fg >= 1 && g.v[x].fg <= 15);
	}
	cellgrid_free(&g);
	image_free(&im);
	image_free(&grey);
}

/* ---- sandbox ------------------------------------------------------------------------------- */

static int
fn_hello(void *arg, void *out, size_t outsz, size_t *outn)
{
	(void)arg;
	assert_true(outsz >= SANDBOX_RESULT_MAX);
	memcpy(out, "hello", 5);
	*outn = 5;
	return 7;
}

static int
fn_spin(void *arg, void *out, size_t outsz, size_t *outn)
{
	volatile unsigned long i = 0;

	(void)arg; (void)out; (void)outsz; (void)outn;
	for (;;)
		i++;
	return 0;
}

static int
fn_sleep(void *arg, void *out, size_t outsz, size_t *outn)
{
	(void)arg; (void)out; (void)outsz; (void)outn;
	sleep(30);
	return 0;
}

static int
fn_alloc(void *arg, void *out, size_t outsz, size_t *outn)
{
	size_t	 sz = (size_t)4 << 30;
	char	*p = malloc(sz);

	(void)arg; (void)out; (void)outsz; (void)outn;
	if (p == NULL)
		return SANDBOX_FN_NOMEM;
	memset(p, 1, sz);
	free(p);
	return 0;
}

static int
fn_abort(void *arg, void *out, size_t outsz, size_t *outn)
{
	(void)arg; (void)out; (void)outsz; (void)outn;
	signal(SIGABRT, SIG_DFL);
	abort();
}

static int
fn_exit(void *arg, void *out, size_t outsz, size_t *outn)
{
	(void)arg; (void)out; (void)outsz; (void)outn;
	_exit(0);	/* leaves without a result */
}

/* The whole result buffer, after a pause: the parent's reads and polls see EINTR meanwhile. */
static int
fn_big_slow(void *arg, void *out, size_t outsz, size_t *outn)
{
	struct timespec	ts = { 0, 150 * 1000 * 1000 };
	size_t		i;

	(void)arg;
	nanosleep(&ts, NULL);
	for (i = 0; i < outsz; i++)
		((uint8_t *)out)[i] = (uint8_t)i;
	*outn = outsz + 100;	/* more than allowed: clamped */
	return 0;
}

static volatile sig_atomic_t ticks;

static void
on_tick(int sig)
{
	(void)sig;
	ticks++;
}

static void
test_sandbox_eintr(void **state)
{
	struct sigaction	sa, old;
	struct itimerval	it = { { 0, 1000 }, { 0, 1000 } }, off = { { 0, 0 }, { 0, 0 } };
	uint8_t			out[SANDBOX_RESULT_MAX];
	size_t			n, i;
	int			status;

	(void)state;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_tick;	/* no SA_RESTART: every blocking call may fail with EINTR */
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	assert_int_equal(sandbox_run(NULL, fn_big_slow, NULL, &status, out, sizeof out, &n),
	    SANDBOX_OK);
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	assert_true(ticks > 10);
	assert_int_equal(status, 0);
	assert_int_equal(n, SANDBOX_RESULT_MAX);
	for (i = 0; i < n; i++)
		assert_int_equal(out[i], (uint8_t)i);
}

static void
test_sandbox(void **state)
{
	struct sandbox_limits	lim = { 1, 3000, 256u << 20 };
	char			out[SANDBOX_RESULT_MAX];
	size_t			n;
	int			status;
	double			t0;
	pid_t			other;

	(void)state;
	/* another child of ours must survive untouched */
	other = fork();
	assert_true(other >= 0);
	if (other == 0) {
		pause();
		_exit(0);
	}

	assert_int_equal(sandbox_run(&lim, fn_hello, NULL, &status, out, sizeof out, &n), SANDBOX_OK);
	assert_int_equal(status, 7);
	assert_int_equal(n, 5);
	assert_memory_equal(out, "hello", 5);
	assert_int_equal(sandbox_run(NULL, fn_hello, NULL, &status, out, 3, &n), SANDBOX_OK);
	assert_int_equal(n, 3);	/* at most outsz */

	/* CPU limit: 1 s */
	t0 = now_s();
	assert_int_equal(sandbox_run(&lim, fn_spin, NULL, &status, out, sizeof out, &n),
	    SANDBOX_KILLED);
	assert_true(now_s() - t0 < 2.9);
	assert_int_equal(n, 0);

	/* wall limit: sleeping uses no CPU */
	lim.wall_ms = 300;
	t0 = now_s();
	assert_int_equal(sandbox_run(&lim, fn_sleep, NULL, &status, out, sizeof out, &n),
	    SANDBOX_KILLED);
	assert_true(now_s() - t0 < 2.0);

	assert_int_equal(sandbox_run(&lim, fn_abort, NULL, &status, out, sizeof out, &n),
	    SANDBOX_KILLED);
	assert_int_equal(sandbox_run(&lim, fn_exit, NULL, &status, out, sizeof out, &n),
	    SANDBOX_KILLED);

	if (sandbox_memory_limited()) {
		lim.wall_ms = 5000;
		assert_int_equal(sandbox_run(&lim, fn_alloc, NULL, &status, out, sizeof out, &n),
		    SANDBOX_NOMEM);
	} else {
		print_message("sandbox memory limit not applied in this build (AddressSanitizer)\n");
	}

	assert_int_equal(waitpid(other, &status, WNOHANG), 0);
	kill(other, SIGKILL);
	assert_int_equal(waitpid(other, &status, 0), other);
	assert_string_equal(sandbox_outcome_str(SANDBOX_NOMEM), "out of memory");
}

/* ---- the pipeline over files ------------------------------------------------------------------ */

static void
test_validate(void **state)
{
	struct image		 src = make_image(300, 200, PAT_NOISE);
	struct media_info	 info;
	uint8_t			*p, *q, b[64];
	size_t			 n, qn;
	char			 why[256], *path, *link;
	int			 fd;

	(void)state;
	encode(&src, MF_JPEG, &p, &n);
	path = write_tmp("good.jpg", p, n);
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), 0);
	assert_int_equal(info.format, MF_JPEG);
	assert_int_equal(info.width, 300);
	assert_int_equal(info.height, 200);
	assert_int_equal(info.bytes, (int64_t)n);
	link = tmp_path("link.jpg");
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(media_validate_file(link, &info, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "not a regular file");
	free(link);
	free(path);

	/* upright size for a rotated photo */
	q = jpeg_with_exif(p, n, 6, &qn);
	path = write_tmp("rotated.jpg", q, qn);
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), 0);
	assert_int_equal(info.width, 200);
	assert_int_equal(info.height, 300);
	free(path);
	free(q);

	path = write_tmp("truncated.jpg", p, n / 2);
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the image is truncated or damaged");
	free(path);
	free(p);

	path = write_tmp("notes.txt", "just some text\n", 15);
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "not an image or a video (jpeg, png, gif, webp, mp4 or webm)");
	free(path);

	path = write_tmp("empty.jpg", "", 0);
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the file is empty");
	free(path);

	/* 60 MiB, sparse: refused by its size, not read */
	path = write_tmp("big.jpg", "\xff\xd8\xff\xe0", 4);
	fd = open(path, O_WRONLY);
	assert_int_equal(ftruncate(fd, 60 << 20), 0);
	close(fd);
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "file too large: 60.0 MiB; the limit for images is 10 MiB");
	free(path);
	path = write_tmp("big.mp4", "\0\0\0\x18" "ftypisom", 12);
	fd = open(path, O_WRONLY);
	assert_int_equal(ftruncate(fd, 60 << 20), 0);
	close(fd);
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "file too large: 60.0 MiB; the limit for videos is 50 MiB");
	free(path);
	path = write_tmp("junk.mp4", "\0\0\0\x18" "ftypisom and then nothing a demuxer likes", 44);
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), ERR_INVALID);
	free(path);

	/* the PNG bomb: a header claiming 400 megapixels */
	path = write_tmp("bomb.png", b, png_header(b, 20000, 20000));
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "image too large: 20000x20000 is 400 megapixels; the limit is 40");
	free(path);

	path = tmp_path("missing.jpg");
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), ERR_NOTFOUND);
	free(path);
	image_free(&src);
}

/* The upload check and the worker read stray header bytes the way image_decode does. */
static void
test_validate_jpeg_stray(void **state)
{
	static const uint8_t	 junk[5] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct image		 src = make_image(300, 200, PAT_NOISE);
	struct media_info	 info;
	struct media_processed	 res;
	uint8_t			*p, *q;
	size_t			 n, qn;
	char			 why[256], *path, *out, *thumb;

	(void)state;
	encode(&src, MF_JPEG, &p, &n);
	q = insert_bytes(p, n, marker_at(p, n, 0xdb), junk, sizeof junk, &qn);
	path = write_tmp("stray.jpg", q, qn);
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), 0);
	assert_int_equal(info.format, MF_JPEG);
	assert_int_equal(info.width, 300);
	assert_int_equal(info.height, 200);
	out = tmp_path("stray.stored");
	thumb = tmp_path("stray.thumb.jpg");
	assert_int_equal(media_process_file(path, MF_JPEG, out, thumb, &res, why, sizeof why), 0);
	assert_int_equal(res.width, 300);
	assert_int_equal(res.height, 200);
	free(out);
	free(thumb);
	free(path);

	/* with a cut after them */
	path = write_tmp("stray-cut.jpg", q, qn / 2);
	assert_int_equal(media_validate_file(path, &info, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the image is truncated or damaged");
	free(path);
	free(q);
	free(p);
	image_free(&src);
}

static void
test_process_image(void **state)
{
	struct image		 src = make_image(400, 300, PAT_HALVES);
	struct media_processed	 res;
	struct cellgrid		 g;
	uint8_t			*p, *q, *stored;
	size_t			 n, qn, sn;
	char			 why[256], *path, *out, *thumb;
	int			 w, h;

	(void)state;
	/* a rotated photo with GPS data: stored upright, metadata gone */
	encode(&src, MF_JPEG, &p, &n);
	q = jpeg_with_exif(p, n, 6, &qn);
	path = write_tmp("exif.upload", q, qn);
	out = tmp_path("exif.stored");
	thumb = tmp_path("exif.thumb.jpg");
	assert_int_equal(media_process_file(path, MF_JPEG, out, thumb, &res, why, sizeof why), 0);
	assert_int_equal(res.stored_format, MF_JPEG);
	assert_int_equal(res.width, 300);
	assert_int_equal(res.height, 400);
	stored = read_all(out, &sn);
	assert_int_equal(res.stored_bytes, (int64_t)sn);
	assert_int_equal(media_sniff(stored, sn), MF_JPEG);
	assert_false(contains(stored, sn, "Exif"));
	assert_false(contains(stored, sn, GPS_SECRET));
	free(stored);
	stored = read_all(thumb, &sn);
	assert_false(contains(stored, sn, "Exif"));
	free(stored);
	assert_int_equal(media_thumb_size(thumb, &w, &h), 0);
	assert_int_equal(w, 300);
	assert_int_equal(h, 400);
	/* no temporary files left behind */
	{
		char *tmp = xasprintf("%s.%ld.tmp", out, (long)getpid());

		assert_int_equal(access(tmp, F_OK), -1);
		free(tmp);
	}
	assert_int_equal(media_render_thumb(thumb, 80, 20, 16, false, &g), 0);
	check_grid(&g, 80, 20, 16, false);
	cellgrid_free(&g);
	free(path);
	free(out);
	free(thumb);
	free(q);
	free(p);
	image_free(&src);

	/* a big photo is stored at most 2048 px on its longest side, the thumb at 640 */
	src = make_image(4000, 3000, PAT_NOISE);
	encode(&src, MF_JPEG, &p, &n);
	image_free(&src);
	path = write_tmp("big.upload", p, n);
	out = tmp_path("big.stored.jpg");
	thumb = tmp_path("big.thumb.jpg");
	assert_int_equal(media_process_file(path, MF_JPEG, out, thumb, &res, why, sizeof why), 0);
	assert_int_equal(res.width, 2048);
	assert_int_equal(res.height, 1536);
	stored = read_all(out, &sn);
	assert_int_equal(image_decode(stored, sn, 0, &src, why, sizeof why), 0);
	assert_int_equal(src.w, 2048);
	assert_int_equal(src.h, 1536);
	image_free(&src);
	free(stored);
	assert_int_equal(media_thumb_size(thumb, &w, &h), 0);
	assert_int_equal(w, 640);
	assert_int_equal(h, 480);
	/* a wrong format claim is refused */
	assert_int_equal(media_process_file(path, MF_PNG, out, thumb, &res, why, sizeof why),
	    ERR_INVALID);
	free(path);
	free(out);
	free(thumb);
	free(p);

	/* transparency: stored as PNG */
	src = make_image(50, 40, PAT_GRADIENT);
	src.rgba[3] = 0;
	src.has_alpha = true;
	encode(&src, MF_PNG, &p, &n);
	path = write_tmp("alpha.upload", p, n);
	out = tmp_path("alpha.stored");
	thumb = tmp_path("alpha.thumb.jpg");
	assert_int_equal(media_process_file(path, MF_PNG, out, thumb, &res, why, sizeof why), 0);
	assert_int_equal(res.stored_format, MF_PNG);
	stored = read_all(out, &sn);
	assert_int_equal(media_sniff(stored, sn), MF_PNG);
	free(stored);
	stored = read_all(thumb, &sn);
	assert_int_equal(media_sniff(stored, sn), MF_JPEG);
	free(stored);
	free(path);
	free(out);
	free(thumb);
	free(p);
	image_free(&src);

	/* no thumb yet */
	path = tmp_path("none.thumb.jpg");
	assert_int_equal(media_render_thumb(path, 80, 20, 16, false, &g), ERR_NOTFOUND);
	assert_int_equal(media_thumb_size(path, &w, &h), ERR_NOTFOUND);
	free(path);
}

static void
test_media_path(void **state)
{
	char *p;

	(void)state;
	p = media_path("/srv/sb", 7, 42, MEDIA_FILE_UPLOAD, MF_NONE);
	assert_string_equal(p, "/srv/sb/spool/7/42.upload");
	free(p);
	p = media_path("var", 7, 42, MEDIA_FILE_STORED, MF_JPEG);
	assert_string_equal(p, "var/media/42.jpg");
	free(p);
	p = media_path("var", 7, 42, MEDIA_FILE_STORED, MF_WEBM);
	assert_string_equal(p, "var/media/42.webm");
	free(p);
	p = media_path("var", 7, 42, MEDIA_FILE_THUMB, MF_PNG);
	assert_string_equal(p, "var/media/42.thumb.jpg");
	free(p);
}

/* ---- videos (made with the ffmpeg command at test time) ------------------------------------------ */

static bool
have_ffmpeg(void)
{
	return system("command -v ffmpeg >/dev/null 2>&1") == 0;
}

/*
 * Make a 2 s 320x240 test video, its left half red and its right half blue;
 * extra: codec options.
 */
/* A title the tests put into uploads: the stored copies must not keep it. */
#define VIDEO_SECRET	"Holiday-at-52.5200N-13.4050E"

static char *
make_video(const char *name, const char *extra)
{
	char	*path = tmp_path(name), *cmd;
	int	 r;

	cmd = xasprintf("ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi "
	    "-i 'color=c=red:s=160x240:r=10[a];color=c=blue:s=160x240:r=10[b];[a][b]hstack' "
	    "-t 2 -pix_fmt yuv420p %s '%s' >/dev/null 2>&1", extra, path);
	r = system(cmd);
	free(cmd);
	if (r != 0) {
		free(path);
		return NULL;
	}
	return path;
}

/*
 * Turn an mp4 a quarter clockwise for display, as phones do for portrait
 * videos: the track header's matrix becomes [0 1 0; -1 0 0; 0 0 1]. (The
 * ffmpeg 5.1 command has no option for it any more.)
 */
static void
mp4_rotate_cw(const char *path)
{
	static const uint8_t	 m[36] = {
		0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0,
	};
	uint8_t			*p, *t;
	size_t			 n;
	FILE			*f;

	p = read_all(path, &n);
	t = memmem(p, n, "tkhd", 4);
	assert_non_null(t);
	assert_int_equal(t[4], 0);	/* version 0: 32-bit times */
	assert_true((size_t)(t - p) + 80 <= n);
	memcpy(t + 44, m, sizeof m);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
	free(p);
}

static void
check_video(const char *name, const char *extra, bool rotate, enum media_format fmt, int w,
    int h)
{
	struct video_info	 vi;
	struct image		 thumb;
	struct media_info	 info;
	struct media_processed	 res;
	char			 why[256], *path, *out, *tpath, *copy;
	uint8_t			*a, *b;
	size_t			 an, bn;
	int			 tw, th;

	path = make_video(name, extra);
	if (path == NULL)
		fail_msg("ffmpeg could not make %s", name);
	if (rotate)
		mp4_rotate_cw(path);
	assert_int_equal(video_probe(path, &vi, &thumb, why, sizeof why), 0);
	assert_int_equal(vi.format, fmt);
	assert_int_equal(vi.width, w);
	assert_int_equal(vi.height, h);
	assert_true(vi.duration_ms >= 1900 && vi.duration_ms <= 2100);
	assert_int_equal(thumb.w, w);
	assert_int_equal(thumb.h, h);
	assert_non_null(thumb.rgba);
	/* red is left, or on top when turned clockwise */
	if (rotate) {
		assert_true(px(&thumb, w / 2, h / 4)[0] > 200 && px(&thumb, w / 2, h / 4)[2] < 60);
		assert_true(px(&thumb, w / 2, h * 3 / 4)[2] > 200);
	} else {
		assert_true(px(&thumb, w / 4, h / 2)[0] > 200 && px(&thumb, w / 4, h / 2)[2] < 60);
		assert_true(px(&thumb, w * 3 / 4, h / 2)[2] > 200);
	}
	image_free(&thumb);
	assert_int_equal(video_probe(path, &vi, NULL, why, sizeof why), 0);

	assert_int_equal(media_validate_file(path, &info, why, sizeof why), 0);
	assert_int_equal(info.format, fmt);
	assert_int_equal(info.width, w);
	assert_true(info.duration_ms >= 1900 && info.duration_ms <= 2100);

	out = xasprintf("%s.stored", path);
	tpath = xasprintf("%s.thumb.jpg", path);
	assert_int_equal(media_process_file(path, fmt, out, tpath, &res, why, sizeof why), 0);
	assert_int_equal(res.stored_format, fmt);
	assert_true(res.duration_ms >= 1900 && res.duration_ms <= 2100);
	a = read_all(path, &an);
	b = read_all(out, &bn);
	assert_int_equal(res.stored_bytes, (int64_t)bn);
	/* The stored copy is the same video without the upload's metadata. */
	assert_non_null(memmem(a, an, VIDEO_SECRET, strlen(VIDEO_SECRET)));
	assert_null(memmem(b, bn, VIDEO_SECRET, strlen(VIDEO_SECRET)));
	assert_int_equal(video_probe(out, &vi, NULL, why, sizeof why), 0);
	assert_int_equal(vi.width, w);	/* rotation kept */
	assert_int_equal(vi.height, h);
	assert_true(vi.duration_ms >= 1900 && vi.duration_ms <= 2100);
	assert_int_equal(media_thumb_size(tpath, &tw, &th), 0);
	assert_int_equal(tw, w);
	assert_int_equal(th, h);

	/* cut in half: still a video (the header is there), or refused; never a crash */
	copy = write_tmp("half.video", a, an / 2);
	(void)media_validate_file(copy, &info, why, sizeof why);
	free(copy);
	free(a);
	free(b);
	free(out);
	free(tpath);
	free(path);
}

static void
test_video(void **state)
{
	struct video_info	vi;
	char			why[256], *path;

	(void)state;
	if (!have_ffmpeg()) {
		print_message("skipped: the ffmpeg command is not installed (scripts/deps.sh installs it)\n");
		skip();
	}
	check_video("t.mp4", "-metadata title=" VIDEO_SECRET, false, MF_MP4, 320, 240);
	check_video("t.webm", "-c:v libvpx -b:v 200k -metadata title=" VIDEO_SECRET, false,
	    MF_WEBM, 320, 240);
	/* a phone video shot upright: the display matrix turns it */
	check_video("rot.mp4", "-metadata title=" VIDEO_SECRET, true, MF_MP4, 240, 320);

	path = write_tmp("fake.mp4", "\0\0\0\x18" "ftypisom\0\0\0\0garbage", 23);
	assert_int_equal(video_probe(path, &vi, NULL, why, sizeof why), ERR_INVALID);
	free(path);
	path = tmp_path("notthere.mp4");
	assert_int_equal(video_probe(path, &vi, NULL, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "not a video");
	free(path);
}

/* ---- setup ----------------------------------------------------------------------------------- */

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/sshbook-media-XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int r;

	(void)state;
	r = system(cmd);
	free(cmd);
	return r == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_probe_caps),
		cmocka_unit_test(test_decode_jpeg_png_webp),
		cmocka_unit_test(test_decode_gif),
		cmocka_unit_test(test_decode_truncated),
		cmocka_unit_test(test_decode_jpeg_stray),
		cmocka_unit_test(test_decode_cmyk),
		cmocka_unit_test(test_decode_dct_scaling),
		cmocka_unit_test(test_orient),
		cmocka_unit_test(test_exif_upright),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_stored_format),
		cmocka_unit_test(test_preview),
		cmocka_unit_test(test_grid_bytes),
		cmocka_unit_test(test_palette_256),
		cmocka_unit_test(test_preview_256),
		cmocka_unit_test(test_ascii_ramp),
		cmocka_unit_test(test_sandbox),
		cmocka_unit_test(test_sandbox_eintr),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_validate_jpeg_stray),
		cmocka_unit_test(test_process_image),
		cmocka_unit_test(test_media_path),
		cmocka_unit_test(test_video),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
