/*
 * Private to media/image*.c: the stb_image and stb_image_write entry points,
 * compiled once in image_stb.c (static there, so no stb symbol leaks out).
 */
#ifndef SSHBOOK_IMAGE_INT_H
#define SSHBOOK_IMAGE_INT_H

#include <stddef.h>
#include <stdint.h>

/* The longest side stb_image accepts at all (STBI_MAX_DIMENSIONS). */
#define IMAGE_STB_MAX_SIDE	65536

/*
 * PNG or GIF header: 1 and *wp, *hp; 0 and *reasonp (stb's short reason,
 * e.g. "too large") when unreadable.
 */
int	 image_stb_info(const uint8_t *p, size_t n, int *wp, int *hp, const char **reasonp);
/* PNG, or GIF's first frame, as RGBA; malloc'd (free()), or NULL with *reasonp. */
uint8_t	*image_stb_decode(const uint8_t *p, size_t n, int *wp, int *hp, const char **reasonp);
/* rows of comp (3 or 4) bytes per pixel, stride w * comp, as PNG; malloc'd, or NULL. */
uint8_t	*image_stb_png(const uint8_t *px, int w, int h, int comp, size_t *outn);

#endif
