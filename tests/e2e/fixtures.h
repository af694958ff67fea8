/*
 * Media fixtures for the end-to-end tests and the benchmarks, made at run
 * time (nothing binary is committed): photo-like JPEGs and a PNG encoded
 * with the project's own media/image.h encoder, a JPEG carrying EXIF
 * (orientation and a GPS IFD) spliced in after SOI, damaged and hostile
 * files built byte by byte, and a short mp4 from the `ffmpeg` CLI.
 *
 * Files live in one mkdtemp dir ($TMPDIR or /tmp), made on first use and
 * removed by fixtures_cleanup() (kept with SSHBOOK_KEEP_TMP). Each file is
 * written the first time it is asked for.
 */
#ifndef SSHBOOK_E2E_FIXTURES_H
#define SSHBOOK_E2E_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fixture {
	FX_PHOTO_EXIF,	/* cat.jpg: 3000x2000 photo-like JPEG (q 90) with EXIF: orientation 6
			 * (upright it is 2000x3000), a GPS IFD whose map datum is FX_GPS_MARK */
	FX_PHOTO,	/* photo.jpg: 800x600 photo-like JPEG (q 85), no metadata */
	FX_PHOTO2,	/* second.jpg: 640x480, other colours (a second picture for a post) */
	FX_PNG,		/* graphic.png: 320x200, few flat colours and a transparent corner */
	FX_TRUNCATED,	/* truncated.jpg: FX_PHOTO cut after 60% of its bytes */
	FX_TEXT,	/* notes.txt: plain text */
	FX_BOMB,	/* bomb.png: a valid PNG whose IHDR says 20000x20000 (8-bit RGB), tiny IDAT */
	FX_BIG_JPEG,	/* big.jpg: JPEG magic and header bytes, padded to 11 MiB */
	FX_HUGE,	/* huge.jpg: JPEG magic and header bytes, padded to 60 MiB */
	FX_VIDEO,	/* clip.mp4: ffmpeg testsrc 320x240, 10 fps, 2 s, yuv420p */
	FX_COUNT
};

/* A string in FX_PHOTO_EXIF's GPS IFD (GPSMapDatum): absent from any stored copy. */
#define FX_GPS_MARK	"SSHBOOK-GPS-51.5N"

/* The path of the fixture, made when first asked for; NULL after printing why. */
const char	*fixture_path(enum fixture);
/* The file's base name ("cat.jpg"). */
const char	*fixture_name(enum fixture);
/* The fixture's bytes (caller frees), *lenp its size; NULL after printing why. */
uint8_t		*fixture_load(enum fixture, size_t *lenp);
/* Remove the fixture dir (unless SSHBOOK_KEEP_TMP). */
void		 fixtures_cleanup(void);

/*
 * A photo-like JPEG of w x h made with image_encode at quality: smooth
 * gradients and shapes with per-pixel noise of +-noise (0..127) from seed,
 * so it compresses like a camera picture (noise sets the size). Caller frees;
 * NULL when encoding failed.
 */
uint8_t		*fixture_photo_jpeg(int w, int h, int quality, int noise, uint32_t seed,
		    size_t *lenp);

/* Read a whole file (caller frees); NULL with errno set. */
uint8_t		*fixture_read_file(const char *path, size_t *lenp);
/* Write a whole file; 0 or -1 (printed). */
int		 fixture_write_file(const char *path, const void *p, size_t n);

/* ---- inspecting stored files ------------------------------------------------ */

/*
 * Walk a JPEG's markers from SOI to SOS: the frame size (SOF0..SOF15 but
 * DHT/JPG/DAC) into *wp, *hp and whether an APP1 segment is present.
 * false when p is not a well-formed JPEG header.
 */
bool		 jpeg_header_info(const uint8_t *p, size_t n, int *wp, int *hp, bool *app1p);
/* A PNG's IHDR size; false when p is not a PNG. */
bool		 png_header_info(const uint8_t *p, size_t n, int *wp, int *hp);
/* CRC-32 (ISO 3309, as PNG uses it) of p[0..n). */
uint32_t	 fixture_crc32(const uint8_t *p, size_t n);

#endif
