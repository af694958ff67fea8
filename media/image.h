/*
 * Images: recognising a file by its content, decoding it to RGBA (JPEG with
 * libjpeg-turbo, PNG and GIF's first frame with stb_image, WebP with libwebp),
 * fitting it into a size, and encoding the stored copy (JPEG at about quality
 * 85, or PNG for graphics). Pure functions on memory: no files, no curses.
 * Every decoder is reached only after the header passed the caps below.
 */
#ifndef SSHBOOK_IMAGE_H
#define SSHBOOK_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAX_BYTES		(10u * 1024 * 1024)	/* 10 MiB per image file */
#define VIDEO_MAX_BYTES		(50u * 1024 * 1024)	/* 50 MiB per video file */
#define IMAGE_MAX_PIXELS	40000000ull		/* 40 megapixels */
#define IMAGE_STORED_MAX_SIDE	2048			/* the re-encoded copy */
#define IMAGE_THUMB_MAX_SIDE	640			/* the preview source */
#define IMAGE_JPEG_QUALITY	85

enum media_format {
	MF_NONE = 0,
	MF_JPEG,
	MF_PNG,
	MF_GIF,
	MF_WEBP,
	MF_MP4,		/* ISO base media: "ftyp" at offset 4 (mp4, m4v, mov-like brands) */
	MF_WEBM,	/* EBML header 1A 45 DF A3 (webm and matroska) */
};

/* What the first bytes say; MF_NONE for anything else. Needs up to 16 bytes. */
enum media_format	media_sniff(const uint8_t *p, size_t n);
/* "jpeg", "png", "gif", "webp", "mp4", "webm"; "unknown" for MF_NONE. */
const char		*media_format_name(enum media_format);
/* Inverse of media_format_name; MF_NONE when unknown. */
enum media_format	 media_format_parse(const char *);
bool			 media_format_is_video(enum media_format);
/* File name extension for a stored file: "jpg", "png", "mp4", "webm", ... */
const char		*media_format_ext(enum media_format);

/* An RGBA8 image, rows top to bottom, stride w * 4. */
struct image {
	int	 w, h;
	uint8_t	*rgba;		/* malloc'd, owned */
	bool	 has_alpha;	/* some pixel is not fully opaque */
};
void	image_free(struct image *);

/*
 * Read only the header: format (by content), width and height (as stored:
 * a JPEG's EXIF orientation may swap them, see exif_orientation). Refuses with
 * ERR_INVALID and a reason for people in why: unknown type, truncated header,
 * zero or negative size, more than IMAGE_MAX_PIXELS ("image too large:
 * 20000x20000 is 400 megapixels; the limit is 40"). Videos are ERR_INVALID
 * here (use media/video.h).
 */
int	image_probe(const uint8_t *p, size_t n, enum media_format *fmtp, int *wp, int *hp,
	    char *why, size_t whysz);

/*
 * Decode the whole image (every byte of compressed data is read, so a
 * truncated or corrupt file fails here, with ERR_INVALID and why). JPEG EXIF
 * orientation is applied, so the result is upright. With min_side > 0 the
 * decoder may return a smaller image whose longest side is still at least
 * min_side (JPEG DCT scaling, n/8 for n = 1..8: decoding a 12 MP photo for
 * a 2048 px copy costs about half the work); 0 decodes at full size. Probes
 * first: the caps hold before any pixel memory is allocated. ERR_SYSTEM
 * (why "out of memory") when an allocation failed: in a sandbox child, the
 * memory limit. Any decoder warning (libjpeg's "premature end of data",
 * "extraneous bytes") counts as damage, except stray bytes between a JPEG's
 * marker segments before its first scan, which are skipped (image.c).
 */
int	image_decode(const uint8_t *p, size_t n, int min_side, struct image *out,
	    char *why, size_t whysz);

/*
 * Scale in so it fits inside max_w x max_h keeping its aspect ratio (never
 * enlarging: an image that already fits is copied). Area averaging, within
 * about 1 of the exact mean per channel; transparency averaged premultiplied.
 * 0, ERR_INVALID (an empty image) or ERR_SYSTEM.
 */
int	image_fit(const struct image *in, int max_w, int max_h, struct image *out);

/*
 * The stored format for an image that came as `from`: PNG for graphics
 * (transparency, or a PNG/GIF with at most 256 colours), JPEG otherwise.
 */
enum media_format	image_pick_stored_format(enum media_format from, const struct image *);

/*
 * Encode im as MF_JPEG (quality 1..100; alpha dropped onto white) or MF_PNG.
 * The output carries no metadata at all. *outp is malloc'd (caller frees).
 * 0, ERR_INVALID (another format) or ERR_SYSTEM.
 */
int	image_encode(const struct image *im, enum media_format fmt, int quality,
	    uint8_t **outp, size_t *outn);

/*
 * The EXIF orientation (1..8) of a JPEG's APP1 segment, 1 when absent or
 * unreadable. Bounded reads only: any input is safe.
 */
int	exif_orientation(const uint8_t *jpeg, size_t n);
/* Turn im upright for an EXIF orientation 2..8 (1 and others: unchanged). 0 or ERR_SYSTEM. */
int	image_orient(struct image *im, int orientation);

#endif
