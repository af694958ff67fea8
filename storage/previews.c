/*
 * The preview cache: rendered cell grids (media/preview.h, serialized) per
 * media item, size and colours (0, 8, 16 or 256), so a picture is dithered once per terminal
 * shape instead of on every draw. The bytes are opaque here; the reader
 * parses them strictly and re-renders anything damaged. Rows go with their
 * media item (ON DELETE CASCADE).
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/media.h"
#include "storage/store-int.h"

#define PREVIEW_SIDE_MAX	2000			/* cells across or down */
#define PREVIEW_BYTES_MAX	(16 * 1024 * 1024)	/* one serialized grid */
/*
 * Shapes kept per item. Each terminal width makes its own, and resizing a
 * window could make hundreds; past this many the item's other shapes are
 * dropped and grow back from the ones in use.
 */
#define PREVIEWS_PER_MEDIA	16

static bool
shape_ok(int64_t media_id, int cols, int rows, int colors)
{
	return media_id > 0 && cols >= 1 && cols <= PREVIEW_SIDE_MAX && rows >= 1 &&
	    rows <= PREVIEW_SIDE_MAX && (colors == 0 || colors == 8 || colors == 16 ||
	    colors == 256);
}

int
store_preview_get(struct store *st, int64_t media_id, int cols, int rows, int colors,
    uint8_t **blobp, size_t *blobn)
{
	sqlite3_stmt	*stmt = NULL;
	const void	*p;
	int		 n, r;

	*blobp = NULL;
	*blobn = 0;
	if (!shape_ok(media_id, cols, rows, colors))
		return ERR_NOTFOUND;	/* never stored, so not cached */
	if ((r = stmt_get(st, "SELECT data FROM media_previews WHERE media_id = ?1 AND "
	    "cols = ?2 AND rows = ?3 AND color = ?4", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, media_id);
	sqlite3_bind_int(stmt, 2, cols);
	sqlite3_bind_int(stmt, 3, rows);
	sqlite3_bind_int(stmt, 4, colors);
	if ((r = stmt_row(st, stmt, "read preview")) == 1) {
		p = sqlite3_column_blob(stmt, 0);
		n = sqlite3_column_bytes(stmt, 0);
		*blobn = n > 0 ? (size_t)n : 0;
		*blobp = xmalloc(*blobn > 0 ? *blobn : 1);
		if (*blobn > 0)
			memcpy(*blobp, p, *blobn);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}

int
store_preview_put(struct store *st, int64_t media_id, int cols, int rows, int colors,
    const uint8_t *blob, size_t blobn)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 count = 0;
	int		 r;

	if (!shape_ok(media_id, cols, rows, colors) || blob == NULL || blobn == 0 ||
	    blobn > PREVIEW_BYTES_MAX)
		return ERR_INVALID;
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = stmt_get(st, "INSERT INTO media_previews (media_id, cols, rows, color, data) "
	    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (media_id, cols, rows, color) "
	    "DO UPDATE SET data = excluded.data", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, media_id);
	sqlite3_bind_int(stmt, 2, cols);
	sqlite3_bind_int(stmt, 3, rows);
	sqlite3_bind_int(stmt, 4, colors);
	sqlite3_bind_blob(stmt, 5, blob, (int)blobn, SQLITE_STATIC);
	r = stmt_done(st, stmt, "store preview");	/* ERR_NOTFOUND: the item is gone */
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	if ((r = stmt_get(st, "SELECT count(*) FROM media_previews WHERE media_id = ?1",
	    &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, media_id);
	if ((r = stmt_row(st, stmt, "count previews")) == 1) {
		count = sqlite3_column_int64(stmt, 0);
		r = 0;
	}
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	if (count > PREVIEWS_PER_MEDIA && (r = stmt_exec_ints(st, "trim previews",
	    "DELETE FROM media_previews WHERE media_id = ?1 AND "
	    "NOT (cols = ?2 AND rows = ?3 AND color = ?4)", NULL, 4, media_id, (int64_t)cols,
	    (int64_t)rows, (int64_t)colors)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}
