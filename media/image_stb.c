/*
 * The one place stb_image and stb_image_write are compiled. Only the PNG and
 * GIF decoders are built (STBI_ONLY_*): less code reachable from hostile
 * bytes. Functions are static so nothing clashes with another copy of stb
 * in a library; the warnings of third-party code are not ours to fix.
 */
#include "media/image-int.h"

#include <limits.h>
#include <stdlib.h>

#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_GIF
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_MAX_DIMENSIONS	IMAGE_STB_MAX_SIDE

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO

/* Reported at the end of the file, for stb's static functions nobody calls. */
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop

int
image_stb_info(const uint8_t *p, size_t n, int *wp, int *hp, const char **reasonp)
{
	int comp;

	*wp = *hp = 0;
	*reasonp = NULL;
	if (n > INT_MAX) {
		*reasonp = "too large";
		return 0;
	}
	if (stbi_info_from_memory(p, (int)n, wp, hp, &comp))
		return 1;
	*reasonp = stbi_failure_reason();
	return 0;
}

uint8_t *
image_stb_decode(const uint8_t *p, size_t n, int *wp, int *hp, const char **reasonp)
{
	uint8_t	*px;
	int	 comp;

	*wp = *hp = 0;
	*reasonp = NULL;
	if (n > INT_MAX) {
		*reasonp = "too large";
		return NULL;
	}
	px = stbi_load_from_memory(p, (int)n, wp, hp, &comp, 4);
	if (px == NULL)
		*reasonp = stbi_failure_reason();
	return px;
}

uint8_t *
image_stb_png(const uint8_t *px, int w, int h, int comp, size_t *outn)
{
	uint8_t	*out;
	int	 len = 0;

	*outn = 0;
	out = stbi_write_png_to_mem(px, w * comp, w, h, comp, &len);
	if (out != NULL)
		*outn = (size_t)len;
	return out;
}
