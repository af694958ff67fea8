/*
 * Images: sniffing, header probes, decoding, fitting and encoding.
 *
 * Every decoder is entered only after image_probe read the header and the
 * pixel cap held, so no decoder allocates for a bomb's claimed size. A
 * decoder's warning counts as failure: a truncated JPEG still "decodes" into
 * grey rows, and storing that would hide the damage from the uploader.
 *
 * Except stray bytes between a JPEG's marker segments before its first scan
 * (libjpeg: "Corrupt JPEG data: N extraneous bytes before marker 0xXX"),
 * which some cameras and editors leave: they lie outside every segment and
 * cannot change a pixel, so jpeg_drop_stray removes them before libjpeg
 * reads the file, and the rest is decoded as strictly as any other. Not by
 * libjpeg's message: it keeps only the first warning, so stray bytes would
 * hide a truncation after them; and after a scan's data the same message is
 * what corrupt entropy data usually gives (the decoder loses step, finishes
 * early and skips the rest), so stray bytes there still count as damage.
 */
#include "media/image.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>
#include <webp/decode.h>

#include "common/err.h"
#include "media/image-int.h"

#define WHY_DAMAGED	"the image is truncated or damaged"

static const struct {
	enum media_format	 fmt;
	const char		*name, *ext;
	bool			 video;
} formats[] = {
	{ MF_JPEG, "jpeg", "jpg", false },
	{ MF_PNG, "png", "png", false },
	{ MF_GIF, "gif", "gif", false },
	{ MF_WEBP, "webp", "webp", false },
	{ MF_MP4, "mp4", "mp4", true },
	{ MF_WEBM, "webm", "webm", true },
};
#define NFORMATS	(sizeof formats / sizeof formats[0])

static void
set_why(char *why, size_t whysz, const char *s)
{
	if (why != NULL && whysz > 0)
		snprintf(why, whysz, "%s", s);
}

/*
 * ISO base media brands of still images (HEIF, AVIF) and camera raws: an
 * "ftyp" box does not make a file a video.
 */
static bool
ftyp_is_still(const uint8_t *brand)
{
	static const char *const still[] = {
		"heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis",
		"crx ",
	};
	size_t i;

	for (i = 0; i < sizeof still / sizeof still[0]; i++)
		if (memcmp(brand, still[i], 4) == 0)
			return true;
	return false;
}

enum media_format
media_sniff(const uint8_t *p, size_t n)
{
	static const uint8_t png[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };

	if (p == NULL)
		return MF_NONE;
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return MF_JPEG;
	if (n >= 8 && memcmp(p, png, 8) == 0)
		return MF_PNG;
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		return MF_GIF;
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return MF_WEBP;
	if (n >= 12 && memcmp(p + 4, "ftyp", 4) == 0 && !ftyp_is_still(p + 8))
		return MF_MP4;
	if (n >= 4 && p[0] == 0x1a && p[1] == 0x45 && p[2] == 0xdf && p[3] == 0xa3)
		return MF_WEBM;
	return MF_NONE;
}

const char *
media_format_name(enum media_format f)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (formats[i].fmt == f)
			return formats[i].name;
	return "unknown";
}

enum media_format
media_format_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return MF_NONE;
	for (i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i].name, s) == 0)
			return formats[i].fmt;
	return MF_NONE;
}

bool
media_format_is_video(enum media_format f)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (formats[i].fmt == f)
			return formats[i].video;
	return false;
}

const char *
media_format_ext(enum media_format f)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (formats[i].fmt == f)
			return formats[i].ext;
	return "bin";
}

void
image_free(struct image *im)
{
	if (im == NULL)
		return;
	free(im->rgba);
	im->rgba = NULL;
	im->w = im->h = 0;
	im->has_alpha = false;
}

/* ---- probe ------------------------------------------------------------- */

/* Pixels as megapixels for people: "400", or "40.1" (rounded up, so never "40" over the cap). */
static void
megapixels(uint64_t px, char *s, size_t sz)
{
	uint64_t tenths = (px + 99999) / 100000;

	if (tenths % 10 == 0)
		snprintf(s, sz, "%llu", (unsigned long long)(tenths / 10));
	else
		snprintf(s, sz, "%llu.%llu", (unsigned long long)(tenths / 10),
		    (unsigned long long)(tenths % 10));
}

static int
check_size(int w, int h, char *why, size_t whysz)
{
	char	mp[32], msg[128];

	if (w <= 0 || h <= 0) {
		set_why(why, whysz, WHY_DAMAGED);
		return ERR_INVALID;
	}
	if ((uint64_t)w * (uint64_t)h > IMAGE_MAX_PIXELS) {
		megapixels((uint64_t)w * (uint64_t)h, mp, sizeof mp);
		snprintf(msg, sizeof msg, "image too large: %dx%d is %s megapixels; the limit is %llu",
		    w, h, mp, (unsigned long long)(IMAGE_MAX_PIXELS / 1000000));
		set_why(why, whysz, msg);
		return ERR_INVALID;
	}
	return 0;
}

static int
stb_reason_error(const char *reason, char *why, size_t whysz)
{
	char msg[128];

	if (reason != NULL && strcmp(reason, "outofmem") == 0) {
		set_why(why, whysz, "out of memory");
		return ERR_SYSTEM;
	}
	if (reason != NULL && strcmp(reason, "too large") == 0) {
		snprintf(msg, sizeof msg, "image too large: a side is over %d pixels",
		    IMAGE_STB_MAX_SIDE);
		set_why(why, whysz, msg);
		return ERR_INVALID;
	}
	set_why(why, whysz, WHY_DAMAGED);
	return ERR_INVALID;
}

/* PNG (the IHDR chunk must come first) or GIF (the logical screen) size. */
static bool
header_size(enum media_format fmt, const uint8_t *p, size_t n, int *wp, int *hp)
{
	uint32_t w, h;

	if (fmt == MF_PNG) {
		if (n < 24 || memcmp(p + 12, "IHDR", 4) != 0)
			return false;
		w = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
		h = (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 | (uint32_t)p[22] << 8 | p[23];
		if (w > INT_MAX || h > INT_MAX)
			return false;
	} else {
		if (n < 10)
			return false;
		w = (uint32_t)p[7] << 8 | p[6];
		h = (uint32_t)p[9] << 8 | p[8];
	}
	*wp = (int)w;
	*hp = (int)h;
	return true;
}

/* JPEG header: size, and whether the pixels are CMYK (libjpeg will not convert those to RGB). */
static int
jpeg_header(tjhandle tj, const uint8_t *p, size_t n, int *wp, int *hp, bool *cmykp)
{
	int	subsamp, cs;

	if (tjDecompressHeader3(tj, p, (unsigned long)n, wp, hp, &subsamp, &cs) != 0)
		return ERR_INVALID;
	*cmykp = cs == TJCS_CMYK || cs == TJCS_YCCK;
	return 0;
}

/* Append len bytes of p at out + *op (only count them when out is NULL). */
static void
keep(uint8_t *out, size_t *op, const uint8_t *p, size_t len)
{
	if (out != NULL)
		memcpy(out + *op, p, len);
	*op += len;
}

/*
 * The JPEG p without the stray bytes between its marker segments up to the
 * first scan (SOS), written to out unless it is NULL; returns the length of
 * that (n when there are none). The walk is libjpeg's own (next_marker in
 * jdmarker.c): before each marker it skips bytes up to an 0xff, fill bytes
 * (more 0xff) and stuffed 0xff 0x00 pairs, and a segment is as long as its
 * length field says, so libjpeg reads the same segments from the result.
 * What cannot be walked (a cut, a bad length, a second SOI) ends the walk
 * and is kept as it is, for libjpeg to refuse.
 */
static size_t
jpeg_drop_stray(const uint8_t *p, size_t n, uint8_t *out)
{
	size_t	i = 2, j, end, len, o = 0;
	bool	stray;
	uint8_t	m;

	if (n < 2 || p[0] != 0xff || p[1] != 0xd8) {
		keep(out, &o, p, n);
		return o;
	}
	keep(out, &o, p, 2);
	for (;;) {
		/* The next marker: j at its code, j - 1 at its 0xff. */
		stray = false;
		for (j = i;;) {
			for (; j < n && p[j] != 0xff; j++)
				stray = true;
			for (; j < n && p[j] == 0xff; j++)
				;
			if (j >= n || p[j] != 0)
				break;
			j++;	/* 0xff 0x00 */
			stray = true;
		}
		if (j >= n)
			break;
		if (stray)
			i = j - 1;	/* fill bytes go with the stray ones */
		m = p[j];
		if (m == 0xda || m == 0xd9 || m == 0xd8)	/* the first scan, or an error */
			break;
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {	/* TEM, RSTn: no length */
			end = j + 1;
		} else {
			if (n - j < 3)
				break;
			len = (size_t)p[j + 1] << 8 | p[j + 2];
			if (len < 2 || len > n - j - 1)
				break;
			end = j + 1 + len;
		}
		keep(out, &o, p + i, end - i);
		i = end;
	}
	keep(out, &o, p + i, n - i);
	return o;
}

/*
 * p itself, or when its header has stray bytes a malloc'd copy without them
 * in *copyp (the caller frees it; NULL otherwise), and *np its length.
 * NULL when out of memory.
 */
static const uint8_t *
jpeg_without_stray(const uint8_t *p, size_t *np, uint8_t **copyp)
{
	size_t	kept = jpeg_drop_stray(p, *np, NULL);

	*copyp = NULL;
	if (kept == *np)
		return p;
	if ((*copyp = malloc(kept)) == NULL)
		return NULL;
	jpeg_drop_stray(p, *np, *copyp);
	*np = kept;
	return *copyp;
}

int
image_probe(const uint8_t *p, size_t n, enum media_format *fmtp, int *wp, int *hp,
    char *why, size_t whysz)
{
	enum media_format	 fmt;
	const char		*reason;
	const uint8_t		*q;
	uint8_t			*copy;
	size_t			 qn = n;
	tjhandle		 tj;
	bool			 cmyk;
	int			 w = 0, h = 0, r;

	*fmtp = MF_NONE;
	*wp = *hp = 0;
	set_why(why, whysz, "");
	fmt = media_sniff(p, n);
	switch (fmt) {
	case MF_JPEG:
		/* libjpeg's header reader fails on stray bytes too: it reads the same copy. */
		if ((q = jpeg_without_stray(p, &qn, &copy)) == NULL ||
		    (tj = tjInitDecompress()) == NULL) {
			free(copy);
			set_why(why, whysz, "out of memory");
			return ERR_SYSTEM;
		}
		r = jpeg_header(tj, q, qn, &w, &h, &cmyk);
		tjDestroy(tj);
		free(copy);
		if (r != 0) {
			set_why(why, whysz, WHY_DAMAGED);
			return r;
		}
		break;
	case MF_PNG:
	case MF_GIF:
		/*
		 * The size from the header first: stbi_info itself refuses what
		 * it thinks too large (over 1 GiB of RGBA) with a vaguer reason.
		 */
		if (!header_size(fmt, p, n, &w, &h)) {
			set_why(why, whysz, WHY_DAMAGED);
			return ERR_INVALID;
		}
		if ((r = check_size(w, h, why, whysz)) != 0)
			return r;
		if (!image_stb_info(p, n, &w, &h, &reason))
			return stb_reason_error(reason, why, whysz);
		break;
	case MF_WEBP:
		if (!WebPGetInfo(p, n, &w, &h)) {
			set_why(why, whysz, WHY_DAMAGED);
			return ERR_INVALID;
		}
		break;
	case MF_MP4:
	case MF_WEBM:
		set_why(why, whysz, "this is a video, not an image");
		return ERR_INVALID;
	default:
		set_why(why, whysz, "not an image (jpeg, png, gif or webp)");
		return ERR_INVALID;
	}
	if ((r = check_size(w, h, why, whysz)) != 0)
		return r;
	*fmtp = fmt;
	*wp = w;
	*hp = h;
	return 0;
}

/* ---- decode ------------------------------------------------------------ */

static void
scan_alpha(struct image *im)
{
	size_t i, n = (size_t)im->w * (size_t)im->h;

	im->has_alpha = false;
	for (i = 0; i < n; i++)
		if (im->rgba[i * 4 + 3] != 0xff) {
			im->has_alpha = true;
			return;
		}
}

/*
 * The smallest DCT scale (n/8 in libjpeg-turbo) whose longest side is still
 * >= min_side; 1/1 when none is, or min_side is 0. Never enlarges.
 */
static tjscalingfactor
jpeg_pick_scale(int w, int h, int min_side)
{
	tjscalingfactor	 best = { 1, 1 }, *sf;
	int		 i, nsf = 0, side, best_side = w > h ? w : h;

	if (min_side <= 0 || (sf = tjGetScalingFactors(&nsf)) == NULL)
		return best;
	for (i = 0; i < nsf; i++) {
		if (sf[i].num > sf[i].denom)
			continue;
		side = w > h ? TJSCALED(w, sf[i]) : TJSCALED(h, sf[i]);
		if (side >= min_side && side < best_side) {
			best = sf[i];
			best_side = side;
		}
	}
	return best;
}

/*
 * CMYK as Adobe writes it (inverted: 255 is no ink) to RGB. Naive, without a
 * colour profile: good enough for a preview of a rare upload.
 */
static void
cmyk_to_rgba(uint8_t *px, size_t n)
{
	size_t	i;
	unsigned c, m, y, k;

	for (i = 0; i < n; i++) {
		c = px[i * 4];
		m = px[i * 4 + 1];
		y = px[i * 4 + 2];
		k = px[i * 4 + 3];
		px[i * 4] = (uint8_t)((c * k + 127) / 255);
		px[i * 4 + 1] = (uint8_t)((m * k + 127) / 255);
		px[i * 4 + 2] = (uint8_t)((y * k + 127) / 255);
		px[i * 4 + 3] = 0xff;
	}
}

static int
decode_jpeg(const uint8_t *p, size_t n, int min_side, struct image *out, char *why, size_t whysz)
{
	tjscalingfactor	 sf;
	tjhandle	 tj = NULL;
	const uint8_t	*q;
	uint8_t		*copy;
	size_t		 qn = n;
	bool		 cmyk;
	int		 w, h, sw, sh, r, o;

	if ((q = jpeg_without_stray(p, &qn, &copy)) == NULL || (tj = tjInitDecompress()) == NULL) {
		set_why(why, whysz, "out of memory");
		r = ERR_SYSTEM;
		goto out;
	}
	if ((r = jpeg_header(tj, q, qn, &w, &h, &cmyk)) != 0) {
		set_why(why, whysz, WHY_DAMAGED);
		goto out;
	}
	sf = jpeg_pick_scale(w, h, min_side);
	sw = TJSCALED(w, sf);
	sh = TJSCALED(h, sf);
	if ((out->rgba = malloc((size_t)sw * (size_t)sh * 4)) == NULL) {
		set_why(why, whysz, "out of memory");
		r = ERR_SYSTEM;
		goto out;
	}
	/*
	 * q has no stray header bytes left (see the top of this file), so any
	 * warning now is damage: a premature end of data, corrupt entropy data,
	 * or stray bytes after a scan's data, which a decoder that lost step on
	 * corrupt data reports the same way. STOPONWARNING stops at the first,
	 * at once; tjDecompress2 reports it as -1 with TJERR_WARNING. (Without
	 * it, tjGetErrorStr2 would tell only the first of several warnings.)
	 * LIMITSCANS: a progressive file with thousands of scans is a known CPU
	 * bomb.
	 */
	if (tjDecompress2(tj, q, (unsigned long)qn, out->rgba, sw, 0, sh,
	    cmyk ? TJPF_CMYK : TJPF_RGBA, TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0) {
		/* libjpeg says "Insufficient memory" for its own allocations. */
		if (strstr(tjGetErrorStr2(tj), "memory") != NULL) {
			set_why(why, whysz, "out of memory");
			r = ERR_SYSTEM;
		} else {
			set_why(why, whysz, WHY_DAMAGED);
			r = ERR_INVALID;
		}
		goto out;
	}
	if (cmyk)
		cmyk_to_rgba(out->rgba, (size_t)sw * (size_t)sh);
	out->w = sw;
	out->h = sh;
	out->has_alpha = false;
	/* From the bytes as uploaded, like the upload check's upright size (media/pipeline.c). */
	o = exif_orientation(p, n);
	if (o != 1 && (r = image_orient(out, o)) != 0) {
		set_why(why, whysz, "out of memory");
		goto out;
	}
	r = 0;
 out:
	if (tj != NULL)
		tjDestroy(tj);
	free(copy);
	if (r != 0)
		image_free(out);
	return r;
}

/*
 * stb_image stops at the end of the first frame's data without noticing a
 * GIF cut inside it: the missing rows come out as background. So walk the
 * block structure up to the end of the first image's data ourselves.
 */
static bool
gif_first_frame_complete(const uint8_t *p, size_t n)
{
	size_t	i = 13;
	bool	image;

	if (n < 13)
		return false;
	if (p[10] & 0x80)	/* global colour table */
		i += 3u << ((p[10] & 7) + 1);
	for (;;) {
		if (i >= n)
			return false;
		if (p[i] == 0x21) {	/* extension: introducer, label, sub-blocks */
			i += 2;
			image = false;
		} else if (p[i] == 0x2c) {	/* descriptor, local table, LZW code size, sub-blocks */
			if (i + 10 > n)
				return false;
			if (p[i + 9] & 0x80)
				i += 3u << ((p[i + 9] & 7) + 1);
			i += 11;
			image = true;
		} else {
			return false;	/* the trailer, or junk, before any image */
		}
		/* Sub-blocks: a length byte and that many bytes; length 0 ends them. */
		for (;;) {
			if (i >= n)
				return false;
			if (p[i] == 0)
				break;
			i += 1 + (size_t)p[i];
		}
		i++;
		if (image)
			return true;
	}
}

static int
decode_stb(enum media_format fmt, const uint8_t *p, size_t n, struct image *out,
    char *why, size_t whysz)
{
	const char	*reason;
	int		 w, h;

	if (fmt == MF_GIF && !gif_first_frame_complete(p, n)) {
		set_why(why, whysz, WHY_DAMAGED);
		return ERR_INVALID;
	}
	if ((out->rgba = image_stb_decode(p, n, &w, &h, &reason)) == NULL)
		return stb_reason_error(reason, why, whysz);
	out->w = w;
	out->h = h;
	scan_alpha(out);
	return 0;
}

static int
decode_webp(const uint8_t *p, size_t n, struct image *out, char *why, size_t whysz)
{
	WebPBitstreamFeatures	feat;
	VP8StatusCode		st;
	size_t			sz;

	st = WebPGetFeatures(p, n, &feat);
	if (st == VP8_STATUS_OUT_OF_MEMORY) {
		set_why(why, whysz, "out of memory");
		return ERR_SYSTEM;
	}
	if (st != VP8_STATUS_OK) {
		set_why(why, whysz, WHY_DAMAGED);
		return ERR_INVALID;
	}
	if (feat.has_animation) {
		set_why(why, whysz, "animated webp images are not supported");
		return ERR_INVALID;
	}
	sz = (size_t)feat.width * (size_t)feat.height * 4;
	if ((out->rgba = malloc(sz)) == NULL) {
		set_why(why, whysz, "out of memory");
		return ERR_SYSTEM;
	}
	/* Into our own buffer: WebPDecodeRGBA's would need WebPFree, not free(). */
	if (WebPDecodeRGBAInto(p, n, out->rgba, sz, feat.width * 4) == NULL) {
		image_free(out);
		set_why(why, whysz, WHY_DAMAGED);
		return ERR_INVALID;
	}
	out->w = feat.width;
	out->h = feat.height;
	if (feat.has_alpha)
		scan_alpha(out);
	return 0;
}

int
image_decode(const uint8_t *p, size_t n, int min_side, struct image *out, char *why, size_t whysz)
{
	enum media_format	fmt;
	int			w, h, r;

	memset(out, 0, sizeof *out);
	if ((r = image_probe(p, n, &fmt, &w, &h, why, whysz)) != 0)
		return r;
	switch (fmt) {
	case MF_JPEG:
		return decode_jpeg(p, n, min_side, out, why, whysz);
	case MF_PNG:
	case MF_GIF:
		r = decode_stb(fmt, p, n, out, why, whysz);
		break;
	case MF_WEBP:
		r = decode_webp(p, n, out, why, whysz);
		break;
	default:
		set_why(why, whysz, "not an image (jpeg, png, gif or webp)");
		return ERR_INVALID;
	}
	/* The header and the pixels must agree; stb and libwebp read both the same way. */
	if (r == 0 && (out->w != w || out->h != h)) {
		image_free(out);
		set_why(why, whysz, WHY_DAMAGED);
		r = ERR_INVALID;
	}
	return r;
}

/* ---- fit ----------------------------------------------------------------- */

/*
 * Area averaging: each output pixel is the mean of the input area it covers.
 * Two steps, both fast on plain SSE2 (which has no 32-bit lane multiply):
 *
 * 1. Weighted averaging to the target size times the largest power of two
 *    that still fits in the picture (a factor under 2 on each axis): partial
 *    pixels at an output pixel's edges weighted by the covered fraction.
 * 2. Halvings on each axis down to the target, averaging pixel pairs. Weights are
 *    8-bit fixed point summing to exactly 256, so a flat colour stays flat
 *    and 255 * 256 still fits 16 bits: down the columns the sums are 16-bit
 *    lanes over whole rows (vectorised), along a row two channels share one
 *    32-bit word (red and blue, green and alpha, 16 bits each).
 *
 * Rows are done one output row at a time into a line buffer that stays in
 * cache. 4000x3000 -> 2048x1536 takes about 15 ms at -O2 here.
 */
#define WBITS	8
#define WONE	(1u << WBITS)

struct taps {
	int		*start;		/* first input index of output i */
	int		*count;		/* inputs of output i */
	int		*off;		/* their weights start at w[off[i]] */
	uint16_t	*w;
};

static void
taps_free(struct taps *t)
{
	free(t->start);
	free(t->count);
	free(t->off);
	free(t->w);
	memset(t, 0, sizeof *t);
}

static int
taps_make(int in, int out, struct taps *t)
{
	double		scale = (double)in / out, a, b, lo, hi, covered;
	int		i, j, j0, j1, n = 0, maxn = (int)scale + 3;
	uint32_t	prev, cur;

	t->start = malloc(sizeof(int) * (size_t)out);
	t->count = malloc(sizeof(int) * (size_t)out);
	t->off = malloc(sizeof(int) * (size_t)out);
	t->w = malloc(sizeof(uint16_t) * (size_t)out * (size_t)maxn);
	if (t->start == NULL || t->count == NULL || t->off == NULL || t->w == NULL) {
		taps_free(t);
		return ERR_SYSTEM;
	}
	for (i = 0; i < out; i++) {
		a = i * scale;
		b = (i + 1) * scale;
		j0 = (int)a;
		j1 = (int)b;
		if (j1 >= in || (double)j1 == b)
			j1--;	/* b is exclusive */
		if (j1 < j0)
			j1 = j0;
		if (j1 - j0 + 1 > maxn)
			j1 = j0 + maxn - 1;
		t->start[i] = j0;
		t->count[i] = j1 - j0 + 1;
		t->off[i] = n;
		/*
		 * Weights from the rounded running coverage: they telescope to
		 * exactly WONE, whatever the rounding of each one.
		 */
		covered = 0;
		prev = 0;
		for (j = j0; j <= j1; j++) {
			lo = j > a ? j : a;
			hi = j + 1 < b ? j + 1 : b;
			if (hi > lo)
				covered += (hi - lo) / scale;
			cur = j == j1 || covered >= 1 ? WONE : (uint32_t)(covered * WONE + 0.5);
			t->w[n++] = (uint16_t)(cur - prev);
			prev = cur;
		}
	}
	return 0;
}

/* Red and blue (or green and alpha) of a pixel word, as two 16-bit lanes. */
#define LANES	0x00ff00ffu

static inline uint32_t
load_px(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/*
 * Halve in (w x h) on x and/or y into out: the mean of each pair or 2x2
 * block. image_fit only halves even sizes; an odd last row or column would
 * pair with itself.
 */
static void
halve(const uint8_t *in, int w, int h, bool hx, bool hy, uint8_t *out)
{
	int		 ow = hx ? (w + 1) / 2 : w, oh = hy ? (h + 1) / 2 : h, x, y, x0, x1;
	unsigned	 sh = (hx ? 1 : 0) + (hy ? 1 : 0), half = (1u << sh) >> 1;
	uint32_t	 rb, ga, p;
	const uint8_t	*r0, *r1;
	uint8_t		*d = out;

	for (y = 0; y < oh; y++) {
		r0 = in + (size_t)(hy ? 2 * y : y) * (size_t)w * 4;
		r1 = hy && 2 * y + 1 < h ? r0 + (size_t)w * 4 : r0;
		for (x = 0; x < ow; x++, d += 4) {
			x0 = hx ? 2 * x : x;
			x1 = hx && x0 + 1 < w ? x0 + 1 : x0;
			p = load_px(r0 + (size_t)x0 * 4);
			rb = p & LANES;
			ga = (p >> 8) & LANES;
			if (hx) {
				p = load_px(r0 + (size_t)x1 * 4);
				rb += p & LANES;
				ga += (p >> 8) & LANES;
			}
			if (hy) {
				p = load_px(r1 + (size_t)x0 * 4);
				rb += p & LANES;
				ga += (p >> 8) & LANES;
				if (hx) {
					p = load_px(r1 + (size_t)x1 * 4);
					rb += p & LANES;
					ga += (p >> 8) & LANES;
				}
			}
			rb = ((rb + (half | half << 16)) >> sh) & LANES;
			ga = ((ga + (half | half << 16)) >> sh) & LANES;
			p = rb | ga << 8;
			memcpy(d, &p, 4);
		}
	}
}

/* in: w x h; out: ow x oh, each scale under 2 (so a handful of taps). */
static int
resize(const uint8_t *in, int w, int h, uint8_t *out, int ow, int oh)
{
	struct taps	 tv, th;
	uint16_t	*acc = NULL, wt;
	uint8_t		*line = NULL, *d;
	const uint8_t	*src, *s;
	const uint16_t	*ww;
	size_t		 rowlen = (size_t)w * 4, x, j;
	uint32_t	 rb, ga, p;
	int		 i, k, ox, r = ERR_SYSTEM;

	memset(&th, 0, sizeof th);
	if (taps_make(h, oh, &tv) != 0)
		return ERR_SYSTEM;
	if (taps_make(w, ow, &th) != 0)
		goto out;
	acc = malloc(rowlen * sizeof *acc);
	line = malloc(rowlen);
	if (acc == NULL || line == NULL)
		goto out;
	for (i = 0; i < oh; i++) {
		/* Down the columns: fixed-length inner blocks, which -O2 vectorises. */
		memset(acc, 0, rowlen * sizeof *acc);
		for (k = 0; k < tv.count[i]; k++) {
			wt = tv.w[tv.off[i] + k];
			src = in + (size_t)(tv.start[i] + k) * rowlen;
			for (x = 0; x + 16 <= rowlen; x += 16)
				for (j = 0; j < 16; j++)
					acc[x + j] = (uint16_t)(acc[x + j] + src[x + j] * wt);
			for (; x < rowlen; x++)
				acc[x] = (uint16_t)(acc[x] + src[x] * wt);
		}
		for (x = 0; x + 16 <= rowlen; x += 16)
			for (j = 0; j < 16; j++)
				line[x + j] = (uint8_t)((acc[x + j] + (WONE >> 1)) >> WBITS);
		for (; x < rowlen; x++)
			line[x] = (uint8_t)((acc[x] + (WONE >> 1)) >> WBITS);

		/* Along the row. */
		d = out + (size_t)i * (size_t)ow * 4;
		for (ox = 0; ox < ow; ox++, d += 4) {
			s = line + (size_t)th.start[ox] * 4;
			ww = th.w + th.off[ox];
			rb = ga = (WONE >> 1) | (WONE >> 1) << 16;
			for (k = 0; k < th.count[ox]; k++, s += 4) {
				p = load_px(s);
				rb += (p & LANES) * ww[k];
				ga += ((p >> 8) & LANES) * ww[k];
			}
			p = ((rb >> WBITS) & LANES) | ((ga >> WBITS) & LANES) << 8;
			memcpy(d, &p, 4);
		}
	}
	r = 0;
 out:
	free(acc);
	free(line);
	taps_free(&tv);
	taps_free(&th);
	return r;
}

/*
 * Transparent pixels often hold black (or garbage): averaged as they are,
 * they darken every edge. Premultiplied, they weigh nothing.
 */
static void
premultiply(uint8_t *px, size_t n)
{
	size_t		i;
	unsigned	a;

	for (i = 0; i < n; i++, px += 4) {
		a = px[3];
		if (a == 255)
			continue;
		px[0] = (uint8_t)((px[0] * a + 127) / 255);
		px[1] = (uint8_t)((px[1] * a + 127) / 255);
		px[2] = (uint8_t)((px[2] * a + 127) / 255);
	}
}

static void
unpremultiply(uint8_t *px, size_t n)
{
	size_t		i;
	unsigned	a, v, c;

	for (i = 0; i < n; i++, px += 4) {
		a = px[3];
		if (a == 255 || a == 0)
			continue;
		for (c = 0; c < 3; c++) {
			v = (px[c] * 255u + a / 2) / a;
			px[c] = (uint8_t)(v > 255 ? 255 : v);
		}
	}
}

int
image_fit(const struct image *in, int max_w, int max_h, struct image *out)
{
	const uint8_t	*src;
	uint8_t		*cur = NULL, *next;
	double		 s;
	size_t		 npx;
	int		 ow, oh, mw, mh, w, h, r = ERR_SYSTEM;
	bool		 hx, hy;

	memset(out, 0, sizeof *out);
	if (in->w <= 0 || in->h <= 0 || in->rgba == NULL)
		return ERR_INVALID;
	if (max_w < 1)
		max_w = 1;
	if (max_h < 1)
		max_h = 1;
	npx = (size_t)in->w * (size_t)in->h;
	if (in->w <= max_w && in->h <= max_h) {
		if ((out->rgba = malloc(npx * 4)) == NULL)
			return ERR_SYSTEM;
		memcpy(out->rgba, in->rgba, npx * 4);
		out->w = in->w;
		out->h = in->h;
		out->has_alpha = in->has_alpha;
		return 0;
	}
	s = (double)max_w / in->w;
	if ((double)max_h / in->h < s)
		s = (double)max_h / in->h;
	ow = (int)(in->w * s + 0.5);
	oh = (int)(in->h * s + 0.5);
	ow = ow < 1 ? 1 : ow > max_w ? max_w : ow;
	oh = oh < 1 ? 1 : oh > max_h ? max_h : oh;

	/*
	 * Weighted first, to ow * 2^kx x oh * 2^ky (each factor under 2), then
	 * exact halvings: 2^k pixels of the middle size tile one output pixel,
	 * so the whole is a true area average. (Halving first would be
	 * cheaper, but an odd size then shifts the picture by a pixel.)
	 */
	for (mw = ow; mw * 2 <= in->w; mw *= 2)
		;
	for (mh = oh; mh * 2 <= in->h; mh *= 2)
		;
	src = in->rgba;
	if (in->has_alpha) {
		if ((cur = malloc(npx * 4)) == NULL)
			return ERR_SYSTEM;
		memcpy(cur, in->rgba, npx * 4);
		premultiply(cur, npx);
		src = cur;
	}
	w = in->w;
	h = in->h;
	if (mw != w || mh != h) {
		if ((next = malloc((size_t)mw * (size_t)mh * 4)) == NULL)
			goto out;
		if (resize(src, w, h, next, mw, mh) != 0) {
			free(next);
			goto out;
		}
		free(cur);
		src = cur = next;
		w = mw;
		h = mh;
	}
	while (w > ow || h > oh) {
		hx = w > ow;
		hy = h > oh;
		next = malloc((size_t)(hx ? w / 2 : w) * (size_t)(hy ? h / 2 : h) * 4);
		if (next == NULL)
			goto out;
		halve(src, w, h, hx, hy, next);
		free(cur);
		src = cur = next;
		w = hx ? w / 2 : w;
		h = hy ? h / 2 : h;
	}
	/* Hand the last buffer over, or copy when nothing was made (impossible: in did not fit). */
	if (cur != NULL) {
		out->rgba = cur;
		cur = NULL;
	} else if ((out->rgba = malloc((size_t)ow * (size_t)oh * 4)) == NULL) {
		goto out;
	} else {
		memcpy(out->rgba, src, (size_t)ow * (size_t)oh * 4);
	}
	out->w = ow;
	out->h = oh;
	out->has_alpha = in->has_alpha;
	if (in->has_alpha)
		unpremultiply(out->rgba, (size_t)ow * (size_t)oh);
	r = 0;
 out:
	free(cur);
	if (r != 0)
		image_free(out);
	return r;
}

/* ---- stored format and encoding ------------------------------------------ */

/* At most 256 distinct colours? An open-addressing set that gives up at 257. */
static bool
few_colors(const struct image *im)
{
	uint32_t	 set[1024], px;
	bool		 used[1024];
	size_t		 i, n = (size_t)im->w * (size_t)im->h, k, count = 0;

	memset(used, 0, sizeof used);
	for (i = 0; i < n; i++) {
		memcpy(&px, im->rgba + i * 4, 4);
		k = (px * 2654435761u) >> 22;
		while (used[k] && set[k] != px)
			k = (k + 1) & 1023;
		if (used[k])
			continue;
		if (++count > 256)
			return false;
		used[k] = true;
		set[k] = px;
	}
	return true;
}

enum media_format
image_pick_stored_format(enum media_format from, const struct image *im)
{
	if (im->has_alpha)
		return MF_PNG;
	if ((from == MF_PNG || from == MF_GIF) && few_colors(im))
		return MF_PNG;
	return MF_JPEG;
}

/* RGB (or RGBA when keep_alpha) rows; without alpha, transparency is blended onto white. */
static uint8_t *
pack_pixels(const struct image *im, bool keep_alpha)
{
	size_t		 i, n = (size_t)im->w * (size_t)im->h;
	const uint8_t	*s = im->rgba;
	uint8_t		*out, *d;
	unsigned	 a;

	if ((out = malloc(n * (keep_alpha ? 4 : 3))) == NULL)
		return NULL;
	if (keep_alpha) {
		memcpy(out, im->rgba, n * 4);
		return out;
	}
	for (i = 0, d = out; i < n; i++, s += 4, d += 3) {
		a = s[3];
		d[0] = (uint8_t)((s[0] * a + 255 * (255 - a) + 127) / 255);
		d[1] = (uint8_t)((s[1] * a + 255 * (255 - a) + 127) / 255);
		d[2] = (uint8_t)((s[2] * a + 255 * (255 - a) + 127) / 255);
	}
	return out;
}

static int
encode_jpeg(const struct image *im, int quality, uint8_t **outp, size_t *outn)
{
	tjhandle	 tj;
	unsigned long	 cap, len;
	uint8_t		*buf = NULL, *px = NULL, *shrunk;
	const uint8_t	*src = im->rgba;
	int		 r = ERR_SYSTEM, pf = TJPF_RGBA;

	if (quality < 1)
		quality = 1;
	if (quality > 100)
		quality = 100;
	if ((tj = tjInitCompress()) == NULL)
		return ERR_SYSTEM;
	if (im->has_alpha) {
		if ((px = pack_pixels(im, false)) == NULL)
			goto out;
		src = px;
		pf = TJPF_RGB;
	}
	/* Our own buffer (free()able) at the worst-case size, so libjpeg never reallocates. */
	cap = tjBufSize(im->w, im->h, TJSAMP_420);
	if (cap == (unsigned long)-1 || (buf = malloc(cap)) == NULL)
		goto out;
	len = cap;
	if (tjCompress2(tj, src, im->w, 0, im->h, pf, &buf, &len, TJSAMP_420, quality,
	    TJFLAG_NOREALLOC) != 0)
		goto out;
	if ((shrunk = realloc(buf, len)) != NULL)
		buf = shrunk;
	*outp = buf;
	*outn = len;
	buf = NULL;
	r = 0;
 out:
	free(buf);
	free(px);
	tjDestroy(tj);
	return r;
}

int
image_encode(const struct image *im, enum media_format fmt, int quality, uint8_t **outp,
    size_t *outn)
{
	uint8_t	*px;

	*outp = NULL;
	*outn = 0;
	if (im->w <= 0 || im->h <= 0 || im->rgba == NULL)
		return ERR_INVALID;
	switch (fmt) {
	case MF_JPEG:
		return encode_jpeg(im, quality, outp, outn);
	case MF_PNG:
		/* Opaque images as RGB: a quarter fewer bytes to compress. */
		if ((px = pack_pixels(im, im->has_alpha)) == NULL)
			return ERR_SYSTEM;
		*outp = image_stb_png(px, im->w, im->h, im->has_alpha ? 4 : 3, outn);
		free(px);
		return *outp != NULL ? 0 : ERR_SYSTEM;
	default:
		return ERR_INVALID;
	}
}
