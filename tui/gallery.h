/*
 * The media gallery hands a choice to the composer under it: the composer
 * opens the gallery in pick mode (Ctrl-G), the user picks, and the
 * composer takes the ids when it is on top again.
 */
#ifndef SSHBOOK_GALLERY_H
#define SSHBOOK_GALLERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/posts.h"

/* Take what the last pick chose, once: true with ids (at most POST_MEDIA_MAX) and *np. */
bool	gallery_pick_take(int64_t ids[POST_MEDIA_MAX], size_t *np);

#endif
