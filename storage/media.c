/*
 * Media items: recording an upload (with its job, in one transaction),
 * reading one item or a gallery as a viewer sees it, the worker's results,
 * deleting, the profile images, and what posts need to carry media. Who
 * sees what is SQL_MEDIA_VISIBLE (media-int.h) in every read, so a gallery,
 * a single item and a count cannot disagree. The files themselves are the
 * callers' (media/pipeline.h); a row is the truth about what exists.
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/media-int.h"
#include "storage/media.h"
#include "storage/posts-int.h"
#include "storage/social-int.h"

/*
 * Sanity bounds on what the pipeline reports. The pipeline enforces the real
 * limits of PRODUCT.md on the files (media/image.h; storage cannot include
 * media/); these only keep nonsense out of the table.
 */
#define MEDIA_IMAGE_BYTES_MAX	(10LL * 1024 * 1024)
#define MEDIA_VIDEO_BYTES_MAX	(50LL * 1024 * 1024)
#define MEDIA_PIXELS_MAX	40000000LL
/* A stored copy: a re-encoded PNG of a noisy picture can outgrow its upload. */
#define MEDIA_STORED_BYTES_MAX	(64LL * 1024 * 1024)
#define MEDIA_WHY_MAX		200	/* bytes of a failure's reason kept */
#define MEDIA_PAGE_MAX		100

static const char *const kind_names[] = {
	[MEDIA_IMAGE] = "image",
	[MEDIA_VIDEO] = "video",
};
static const char *const state_names[] = {
	[MEDIA_PENDING] = "processing",
	[MEDIA_READY] = "ready",
	[MEDIA_FAILED] = "failed",
};

/* The format names media.h lists, with the kind each belongs to. */
static const struct {
	const char	*name;
	enum media_kind	 kind;
} formats[] = {
	{ "jpeg", MEDIA_IMAGE },
	{ "png", MEDIA_IMAGE },
	{ "gif", MEDIA_IMAGE },
	{ "webp", MEDIA_IMAGE },
	{ "mp4", MEDIA_VIDEO },
	{ "webm", MEDIA_VIDEO },
};

const char *
media_kind_name(enum media_kind k)
{
	if ((size_t)k < sizeof kind_names / sizeof kind_names[0])
		return kind_names[k];
	return "unknown";
}

const char *
media_state_name(enum media_state s)
{
	if ((size_t)s < sizeof state_names / sizeof state_names[0])
		return state_names[s];
	return "failed";	/* an unknown value reads as the one that shows nothing */
}

/* Whether name is a format of kind k. */
static bool
format_ok(const char *name, enum media_kind k)
{
	size_t i;

	if (name == NULL)
		return false;
	for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(name, formats[i].name) == 0)
			return formats[i].kind == k;
	return false;
}

static bool
kind_ok(enum media_kind k)
{
	return k == MEDIA_IMAGE || k == MEDIA_VIDEO;
}

/*
 * The facts of an item: pixels within the cap (a video's size may be
 * unknown, 0), 1..max bytes, no negative duration.
 */
static bool
facts_ok(enum media_kind k, int width, int height, int64_t duration_ms, int64_t bytes,
    int64_t max_bytes)
{
	int min = k == MEDIA_IMAGE ? 1 : 0;

	if (width < min || height < min || (int64_t)width * height > MEDIA_PIXELS_MAX)
		return false;
	return duration_ms >= 0 && bytes >= 1 && bytes <= max_bytes;
}

/* How many bytes of s to keep: at most max, not cutting a UTF-8 sequence. */
static int
why_len(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return (int)n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

void
media_free(struct media *m)
{
	if (m == NULL)
		return;
	free(m->owner_username);
	free(m->format);
	free(m->stored_format);
	free(m->error);
	memset(m, 0, sizeof *m);
}

void
media_list_free(struct media_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		media_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/*
 * The columns media_fill reads, for the viewer V, from media m joined to its
 * owner o. is_background is only said to those who may see the background
 * (the item may be visible through a post to someone the profile hides it
 * from); post_count counts the posts V may see.
 */
#define SQL_MEDIA_COLS(V) \
	"m.id, m.owner_id, o.username, m.kind, m.state, m.format, m.stored_format, " \
	"m.width, m.height, m.duration_ms, m.orig_bytes, m.stored_bytes, m.created_at, " \
	"m.error, o.avatar_media IS m.id, " \
	"(o.background_media IS m.id AND " SQL_FULL_OF("o", V) "), " \
	"(SELECT count(*) FROM post_media cpm JOIN posts cp ON cp.id = cpm.post_id " \
	"WHERE cpm.media_id = m.id AND " SQL_POST_VISIBLE("cp", V) ") " \
	"FROM media m JOIN users o ON o.id = m.owner_id "

static void
media_fill(sqlite3_stmt *stmt, struct media *m)
{
	int64_t v;

	m->id = sqlite3_column_int64(stmt, 0);
	m->owner_id = sqlite3_column_int64(stmt, 1);
	m->owner_username = col_text(stmt, 2);
	m->kind = sqlite3_column_int(stmt, 3) == MEDIA_VIDEO ? MEDIA_VIDEO : MEDIA_IMAGE;
	v = sqlite3_column_int64(stmt, 4);
	m->state = v == MEDIA_PENDING || v == MEDIA_READY ? (enum media_state)v : MEDIA_FAILED;
	m->format = col_text(stmt, 5);
	m->stored_format = col_text(stmt, 6);
	m->width = sqlite3_column_int(stmt, 7);
	m->height = sqlite3_column_int(stmt, 8);
	m->duration_ms = sqlite3_column_int64(stmt, 9);
	m->orig_bytes = sqlite3_column_int64(stmt, 10);
	m->stored_bytes = sqlite3_column_int64(stmt, 11);
	m->created_at = sqlite3_column_int64(stmt, 12);
	m->error = col_text(stmt, 13);
	m->is_avatar = sqlite3_column_int(stmt, 14) != 0;
	m->is_background = sqlite3_column_int(stmt, 15) != 0;
	v = sqlite3_column_int64(stmt, 16);
	m->post_count = v > 0 ? (size_t)v : 0;
}

/* ---- adding and reading ---------------------------------------------------- */

int
store_media_posts(struct store *st, int64_t media_id, int64_t **postsp, size_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 cap = 4;
	int		 r;

	*postsp = NULL;
	*np = 0;
	if ((r = stmt_get(st, "SELECT post_id FROM post_media WHERE media_id = ?1", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, media_id);
	*postsp = xcalloc(cap, sizeof **postsp);
	while ((r = stmt_row(st, stmt, "posts of media")) == 1) {
		if (*np == cap) {
			cap *= 2;
			*postsp = xreallocarray(*postsp, cap, sizeof **postsp);
		}
		(*postsp)[(*np)++] = sqlite3_column_int64(stmt, 0);
	}
	stmt_reset(stmt);
	if (r < 0) {
		free(*postsp);
		*postsp = NULL;
		*np = 0;
		return r;
	}
	return 0;
}

int
store_media_upload_allowed(struct store *st, int64_t owner, int64_t now, int in_flight,
    char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 all = 0, recent = 0;
	int		 r;

	store_why_clear(why, whysz);
	if ((r = stmt_get(st, "SELECT count(*), count(*) FILTER (WHERE created_at > ?2) "
	    "FROM media WHERE owner_id = ?1", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, owner);
	sqlite3_bind_int64(stmt, 2, now - MEDIA_UPLOAD_WINDOW);
	if ((r = stmt_row(st, stmt, "count uploads")) == 1) {
		all = sqlite3_column_int64(stmt, 0);
		recent = sqlite3_column_int64(stmt, 1);
		r = 0;
	} else if (r == 0)
		r = ERR_INTERNAL;
	stmt_reset(stmt);
	if (r != 0)
		return r;
	if (in_flight > 0) {
		all += in_flight;
		recent += in_flight;
	}
	if (all >= MEDIA_PER_USER_MAX) {
		store_why(why, whysz, "your gallery is full (%d items): delete some first",
		    MEDIA_PER_USER_MAX);
		return ERR_BUSY;
	}
	if (recent >= MEDIA_UPLOADS_PER_WINDOW) {
		store_why(why, whysz, "too many uploads: at most %d in %d minutes; try again "
		    "in a few minutes", MEDIA_UPLOADS_PER_WINDOW, MEDIA_UPLOAD_WINDOW / 60);
		return ERR_BUSY;
	}
	return 0;
}

int
store_media_add(struct store *st, int64_t owner, enum media_kind kind, const char *format,
    int width, int height, int64_t duration_ms, int64_t orig_bytes, int64_t *idp)
{
	return store_media_add_placed(st, owner, kind, format, width, height, duration_ms,
	    orig_bytes, NULL, NULL, idp);
}

int
store_media_add_placed(struct store *st, int64_t owner, enum media_kind kind,
    const char *format, int width, int height, int64_t duration_ms, int64_t orig_bytes,
    int (*place)(int64_t id, void *ctx), void *ctx, int64_t *idp)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 id = 0;
	int		 r;

	*idp = 0;
	if (!kind_ok(kind) || !format_ok(format, kind) ||
	    !facts_ok(kind, width, height, duration_ms, orig_bytes,
	    kind == MEDIA_IMAGE ? MEDIA_IMAGE_BYTES_MAX : MEDIA_VIDEO_BYTES_MAX))
		return ERR_INVALID;
	if ((r = store_begin(st)) != 0)
		return r;
	/* Counted inside the transaction, so two uploads at once cannot both take the last place. */
	if ((r = stmt_get(st, "SELECT count(*) FROM media WHERE owner_id = ?1", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, owner);
	if ((r = stmt_row(st, stmt, "count media")) == 1)
		r = sqlite3_column_int64(stmt, 0) >= MEDIA_PER_USER_MAX ? ERR_BUSY : 0;
	else if (r == 0)
		r = ERR_INTERNAL;
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	if ((r = stmt_get(st, "INSERT INTO media (owner_id, kind, state, format, width, height, "
	    "duration_ms, orig_bytes, created_at) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8)",
	    &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, owner);
	sqlite3_bind_int(stmt, 2, (int)kind);
	sqlite3_bind_text(stmt, 3, format, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, width);
	sqlite3_bind_int(stmt, 5, height);
	sqlite3_bind_int64(stmt, 6, duration_ms);
	sqlite3_bind_int64(stmt, 7, orig_bytes);
	sqlite3_bind_int64(stmt, 8, store_now());
	r = stmt_done(st, stmt, "insert media");	/* ERR_NOTFOUND: the owner's foreign key */
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	id = sqlite3_last_insert_rowid(st->db);
	/* The worker's job is part of the upload: no item is ever left without one. */
	if ((r = job_insert(st, JOB_KIND_MEDIA, id, NULL)) != 0)
		goto out;
	/*
	 * The file is moved before the commit, not after: an importer killed
	 * between a commit and its rename left a row and a job for a file that
	 * never arrived under its name (the sweep then took it), and the item
	 * failed in the gallery after three attempts although its upload had
	 * never been acknowledged; a worker could also claim the job in that
	 * gap and find no file. Killed between the rename and the commit, the
	 * importer leaves only a file, which the worker's sweep removes.
	 */
	if (place != NULL && (r = place(id, ctx)) != 0)
		goto out;
	if ((r = store_commit(st)) != 0)
		goto out;
	*idp = id;
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}

/* One media row by a statement binding ?1 and ?2 (b unused when the statement has no ?2). */
static int
media_read_one(struct store *st, const char *what, const char *sql, int64_t a, int64_t b,
    struct media *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	memset(out, 0, sizeof *out);
	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, a);
	if (sqlite3_bind_parameter_count(stmt) >= 2)
		sqlite3_bind_int64(stmt, 2, b);
	if ((r = stmt_row(st, stmt, what)) == 1) {
		media_fill(stmt, out);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}

int
store_media_get(struct store *st, int64_t viewer, int64_t id, struct media *out)
{
	return media_read_one(st, "read media", "SELECT " SQL_MEDIA_COLS("?1") "WHERE m.id = ?2 "
	    "AND " SQL_MEDIA_VISIBLE("m", "?1"), viewer, id, out);
}

int
store_media_worker_get(struct store *st, int64_t id, struct media *out)
{
	/* As the owner sees it: the worker and the importer act for the owner. */
	return media_read_one(st, "read media for the worker", "SELECT "
	    SQL_MEDIA_COLS("m.owner_id") "WHERE m.id = ?1", id, 0, out);
}

int
store_media_gallery(struct store *st, int64_t viewer, int64_t owner, int64_t before,
    size_t limit, struct media_list *out)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 alloc;
	int		 r;

	memset(out, 0, sizeof *out);
	if (limit == 0 || before < 0)
		return ERR_INVALID;
	if (limit > MEDIA_PAGE_MAX)
		limit = MEDIA_PAGE_MAX;
	/* A user who blocked the viewer does not exist for them (social.h). */
	if ((r = stmt_get(st, "SELECT 1 FROM users u WHERE u.id = ?2 AND " SQL_VISIBLE,
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_int64(stmt, 2, owner);
	if ((r = stmt_row(st, stmt, "check gallery owner")) == 0)
		r = ERR_NOTFOUND;
	else if (r == 1)
		r = 0;
	stmt_reset(stmt);
	if (r != 0)
		return r;

	/*
	 * One descending range of media_owner with the rule tested per row; a
	 * gallery holds at most MEDIA_PER_USER_MAX rows, so even a stranger who
	 * sees few of them costs a bounded walk. One row more than the page
	 * says whether there is a next one.
	 */
	if ((r = stmt_get(st, "SELECT " SQL_MEDIA_COLS("?1") "WHERE m.owner_id = ?2 AND "
	    "m.id < ?3 AND " SQL_MEDIA_VISIBLE("m", "?1") " ORDER BY m.id DESC LIMIT ?4",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_int64(stmt, 2, owner);
	sqlite3_bind_int64(stmt, 3, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int64(stmt, 4, (int64_t)limit + 1);
	alloc = 0;
	while ((r = stmt_row(st, stmt, "read gallery")) == 1) {
		if (out->n == limit) {
			out->next_before = out->v[out->n - 1].id;
			break;
		}
		if (out->n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			out->v = xreallocarray(out->v, alloc, sizeof *out->v);
		}
		memset(&out->v[out->n], 0, sizeof out->v[out->n]);
		media_fill(stmt, &out->v[out->n++]);
	}
	stmt_reset(stmt);
	if (r < 0) {
		media_list_free(out);
		return r;
	}
	return 0;
}

/* ---- the worker's results ---------------------------------------------------- */

int
store_media_ready(struct store *st, int64_t id, const char *stored_format, int width,
    int height, int64_t stored_bytes, int64_t duration_ms)
{
	sqlite3_stmt	*stmt = NULL;
	enum media_kind	 kind = MEDIA_IMAGE;
	int		 r;

	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = stmt_get(st, "SELECT kind FROM media WHERE id = ?1", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	if ((r = stmt_row(st, stmt, "read media kind")) == 1) {
		kind = sqlite3_column_int(stmt, 0) == MEDIA_VIDEO ? MEDIA_VIDEO : MEDIA_IMAGE;
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;	/* deleted while it was being processed */
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	if (!format_ok(stored_format, kind) ||
	    !facts_ok(kind, width, height, duration_ms, stored_bytes,
	    MEDIA_STORED_BYTES_MAX)) {
		r = ERR_INVALID;
		goto out;
	}
	if ((r = stmt_get(st, "UPDATE media SET state = 1, stored_format = ?2, width = ?3, "
	    "height = ?4, stored_bytes = ?5, duration_ms = ?6, error = '' WHERE id = ?1",
	    &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, stored_format, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, width);
	sqlite3_bind_int(stmt, 4, height);
	sqlite3_bind_int64(stmt, 5, stored_bytes);
	sqlite3_bind_int64(stmt, 6, duration_ms);
	r = stmt_done(st, stmt, "media ready");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}

int
media_mark_failed(struct store *st, int64_t id, const char *why, bool only_pending)
{
	static const char *const sql[] = {
		"UPDATE media SET state = 2, error = ?2 WHERE id = ?1",
		"UPDATE media SET state = 2, error = ?2 WHERE id = ?1 AND state = 0",
		/* A failed item cannot be a profile image (store_profile_set_image). */
		"UPDATE users SET avatar_media = NULL WHERE avatar_media = ?1",
		"UPDATE users SET background_media = NULL WHERE background_media = ?1",
	};
	sqlite3_stmt	*stmt = NULL;
	size_t		 i;
	int		 r;

	if (why == NULL || why[0] == '\0')
		why = "could not be processed";
	if ((r = stmt_get(st, sql[only_pending ? 1 : 0], &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, why, why_len(why, MEDIA_WHY_MAX), SQLITE_STATIC);
	r = stmt_done(st, stmt, "media failed");
	stmt_reset(stmt);
	if (r != 0)
		return r;
	if (sqlite3_changes(st->db) == 0)
		return only_pending ? 0 : ERR_NOTFOUND;
	for (i = 2; i < sizeof sql / sizeof sql[0]; i++)
		if ((r = stmt_exec_ints(st, "clear profile image", sql[i], NULL, 1, id)) != 0)
			return r;
	return 0;
}

int
store_media_failed(struct store *st, int64_t id, const char *why)
{
	int r;

	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = media_mark_failed(st, id, why, false)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}

/* ---- owning ---------------------------------------------------------------------- */

/*
 * The item id as me may use it: ERR_NOTFOUND when me may not even see it
 * (as if absent), ERR_DENIED when it is someone else's; else its kind,
 * state and stored format (*stored_formatp may be NULL; the caller frees).
 */
static int
own_media(struct store *st, int64_t me, int64_t id, enum media_kind *kindp,
    enum media_state *statep, char **stored_formatp, char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 owner = 0, v;
	bool		 visible = false;
	int		 r;

	*kindp = MEDIA_IMAGE;
	*statep = MEDIA_FAILED;
	if (stored_formatp != NULL)
		*stored_formatp = NULL;
	if ((r = stmt_get(st, "SELECT m.owner_id, m.kind, m.state, m.stored_format, "
	    SQL_MEDIA_VISIBLE("m", "?1") " FROM media m WHERE m.id = ?2", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	sqlite3_bind_int64(stmt, 2, id);
	if ((r = stmt_row(st, stmt, "read media owner")) == 1) {
		owner = sqlite3_column_int64(stmt, 0);
		*kindp = sqlite3_column_int(stmt, 1) == MEDIA_VIDEO ? MEDIA_VIDEO : MEDIA_IMAGE;
		v = sqlite3_column_int64(stmt, 2);
		*statep = v == MEDIA_PENDING || v == MEDIA_READY ? (enum media_state)v :
		    MEDIA_FAILED;
		if (stored_formatp != NULL)
			*stored_formatp = col_text(stmt, 3);
		visible = sqlite3_column_int(stmt, 4) != 0;
		r = 0;
	}
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	if (owner == 0 || !visible) {
		store_why(why, whysz, "no such media: %lld", (long long)id);
		r = ERR_NOTFOUND;
	} else if (owner != me) {
		store_why(why, whysz, "media %lld is not yours", (long long)id);
		r = ERR_DENIED;
	}
 out:
	if (r != 0 && stored_formatp != NULL) {
		free(*stored_formatp);
		*stored_formatp = NULL;
	}
	return r;
}

int
store_media_delete(struct store *st, int64_t me, int64_t id, char **stored_formatp)
{
	sqlite3_stmt		*stmt = NULL;
	enum media_kind		 kind;
	enum media_state	 state;
	char			*stored = NULL;
	int			 r;

	if (stored_formatp != NULL)
		*stored_formatp = NULL;
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = own_media(st, me, id, &kind, &state, &stored, NULL, 0)) != 0)
		goto out;
	/*
	 * Its waiting and failed jobs go with it. A running one stays: its
	 * worker finds the item gone (ERR_NOTFOUND) and ends the job itself.
	 */
	if ((r = stmt_get(st, "DELETE FROM jobs WHERE kind = ?1 AND arg = ?2 AND state != 1",
	    &stmt)) != 0)
		goto out;
	sqlite3_bind_text(stmt, 1, JOB_KIND_MEDIA, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, id);
	r = stmt_done(st, stmt, "delete media jobs");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	/*
	 * post_media and media_previews rows go by cascade; avatar_media and
	 * background_media become NULL (ON DELETE SET NULL).
	 */
	if ((r = stmt_exec_ints(st, "delete media", "DELETE FROM media WHERE id = ?1", NULL, 1,
	    id)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	else if (stored_formatp != NULL) {
		*stored_formatp = stored;
		stored = NULL;
	}
	free(stored);
	return r;
}

/* ---- avatars and backgrounds --------------------------------------------------------- */

static const char *const image_names[] = {
	[PROFILE_AVATAR] = "an avatar",
	[PROFILE_BACKGROUND] = "a background",
};

int
store_profile_set_image(struct store *st, int64_t me, enum profile_image which,
    int64_t media_id, char *why, size_t whysz)
{
	/* A column name cannot be a parameter: one statement per image. */
	static const char *const sql[] = {
		[PROFILE_AVATAR] = "UPDATE users SET avatar_media = ?2 WHERE id = ?1",
		[PROFILE_BACKGROUND] = "UPDATE users SET background_media = ?2 WHERE id = ?1",
	};
	sqlite3_stmt		*stmt = NULL;
	enum media_kind		 kind;
	enum media_state	 state;
	int			 r;

	store_why_clear(why, whysz);
	if ((which != PROFILE_AVATAR && which != PROFILE_BACKGROUND) || media_id < 0) {
		store_why(why, whysz, "no such profile image");
		return ERR_INVALID;
	}
	if ((r = store_begin(st)) != 0)
		return r;
	if (media_id > 0) {
		if ((r = own_media(st, me, media_id, &kind, &state, NULL, why, whysz)) != 0)
			goto out;
		if (kind != MEDIA_IMAGE) {
			store_why(why, whysz, "a video cannot be %s (use an image)",
			    image_names[which]);
			r = ERR_INVALID;
			goto out;
		}
		if (state == MEDIA_FAILED) {
			store_why(why, whysz, "media %lld could not be processed",
			    (long long)media_id);
			r = ERR_INVALID;
			goto out;
		}
	}
	if ((r = stmt_get(st, sql[which], &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, me);
	if (media_id > 0)
		sqlite3_bind_int64(stmt, 2, media_id);
	else
		sqlite3_bind_null(stmt, 2);
	if ((r = stmt_done(st, stmt, "set profile image")) == 0 && sqlite3_changes(st->db) == 0) {
		store_why(why, whysz, "no such user");
		r = ERR_NOTFOUND;
	}
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0) {
		store_rollback(st);
		if (r == ERR_DB || r == ERR_INTERNAL)
			store_why(why, whysz, "could not save the profile (storage error)");
	}
	return r;
}

int
store_profile_image(struct store *st, int64_t viewer, int64_t user, enum profile_image which,
    int64_t *media_idp)
{
	static const char *const sql[] = {
		[PROFILE_AVATAR] = "SELECT CASE WHEN " SQL_AVATAR_SHOWN("u", "?1")
		    " THEN coalesce(u.avatar_media, 0) ELSE 0 END FROM users u "
		    "WHERE u.id = ?2 AND " SQL_VISIBLE,
		[PROFILE_BACKGROUND] = "SELECT CASE WHEN " SQL_BACKGROUND_SHOWN("u", "?1")
		    " THEN coalesce(u.background_media, 0) ELSE 0 END FROM users u "
		    "WHERE u.id = ?2 AND " SQL_VISIBLE,
	};
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*media_idp = 0;
	if (which != PROFILE_AVATAR && which != PROFILE_BACKGROUND)
		return ERR_INVALID;
	if ((r = stmt_get(st, sql[which], &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_int64(stmt, 2, user);
	if ((r = stmt_row(st, stmt, "read profile image")) == 1) {
		*media_idp = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}

/* ---- posts with media ----------------------------------------------------------------- */

int
store_post_create_media(struct store *st, int64_t author, const char *text,
    enum visibility vis, const int64_t *media, size_t nmedia, int64_t *idp,
    int64_t **mentionedp, size_t *nmentionedp, char *why, size_t whysz)
{
	return post_create(st, author, text, vis, media, nmedia, idp, mentionedp, nmentionedp,
	    why, whysz);
}

int
post_media_check(struct store *st, int64_t author, const int64_t *media, size_t n,
    char *why, size_t whysz)
{
	enum media_kind		 kind;
	enum media_state	 state;
	size_t			 i, j, videos = 0;
	int			 r;

	if (n > POST_MEDIA_MAX) {
		store_why(why, whysz, "a post takes up to %d images or 1 video", POST_MEDIA_MAX);
		return ERR_INVALID;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (media[i] == media[j]) {
				store_why(why, whysz, "media %lld is given twice",
				    (long long)media[i]);
				return ERR_INVALID;
			}
	for (i = 0; i < n; i++) {
		if ((r = own_media(st, author, media[i], &kind, &state, NULL, why, whysz)) != 0)
			return r;
		if (state == MEDIA_FAILED) {
			store_why(why, whysz, "media %lld could not be processed",
			    (long long)media[i]);
			return ERR_INVALID;
		}
		if (kind == MEDIA_VIDEO)
			videos++;
	}
	if (videos > 0 && n > 1) {
		store_why(why, whysz, "a post takes up to %d images or 1 video", POST_MEDIA_MAX);
		return ERR_INVALID;
	}
	return 0;
}

int
post_media_attach(struct store *st, int64_t post, const int64_t *media, size_t n)
{
	size_t	i;
	int	r = 0;

	for (i = 0; i < n && r == 0; i++)
		r = stmt_exec_ints(st, "attach media", "INSERT INTO post_media (post_id, media_id, "
		    "position) VALUES (?1, ?2, ?3)", NULL, 3, post, media[i], (int64_t)i);
	return r;
}

int
post_media_count(struct store *st, int64_t post, size_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*np = 0;
	if ((r = stmt_get(st, "SELECT count(*) FROM post_media WHERE post_id = ?1",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, post);
	if ((r = stmt_row(st, stmt, "count post media")) == 1) {
		*np = (size_t)sqlite3_column_int64(stmt, 0);
		r = 0;
	}
	stmt_reset(stmt);
	return r;
}

int
post_media_load(struct store *st, struct post *p)
{
	sqlite3_stmt		*stmt = NULL;
	struct post_media	*pm;
	int			 r;

	p->nmedia = 0;
	if ((r = stmt_get(st, "SELECT m.id, m.kind, m.state, m.width, m.height, m.duration_ms "
	    "FROM post_media pm JOIN media m ON m.id = pm.media_id WHERE pm.post_id = ?1 "
	    "ORDER BY pm.position", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, p->id);
	while (p->nmedia < POST_MEDIA_MAX && (r = stmt_row(st, stmt, "load post media")) == 1) {
		pm = &p->media[p->nmedia++];
		pm->id = sqlite3_column_int64(stmt, 0);
		pm->kind = sqlite3_column_int(stmt, 1);
		pm->state = sqlite3_column_int(stmt, 2);
		pm->width = sqlite3_column_int(stmt, 3);
		pm->height = sqlite3_column_int(stmt, 4);
		pm->duration_ms = sqlite3_column_int64(stmt, 5);
		r = 0;
	}
	stmt_reset(stmt);
	if (r < 0) {
		p->nmedia = 0;
		return r;
	}
	return 0;
}
