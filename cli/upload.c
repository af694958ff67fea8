/*
 * Uploads (cli/upload.h): the spool, the import, the `upload` command and
 * the SFTP hooks. The spool lives in the data directory, so a rename moves
 * a file into the worker's view without copying it.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/people.h"
#include "cli/postcmd.h"
#include "cli/sftp.h"
#include "cli/upload.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/log.h"
#include "common/sanitize.h"
#include "common/xmalloc.h"
#include "media/image.h"
#include "media/spool.h"
#include "storage/media.h"
#include "storage/posts.h"
#include "storage/social.h"

#define COPY_CHUNK	(64 * 1024)

/*
 * The spool files this process is receiving, for the hang-up handler: the
 * session sends SIGHUP when the client goes (and SIGKILL 2 s later), and a
 * handler that only set a flag could be kept waiting by a blocked read or a
 * decode in the sandbox. unlink(2) is async-signal-safe, so the handler
 * removes them itself and the signal then ends the process as before.
 */
#define INFLIGHT_MAX	(SFTP_OPEN_FILES_MAX + 1)

static char			inflight[INFLIGHT_MAX][PATH_MAX];
static volatile sig_atomic_t	inflight_used[INFLIGHT_MAX];

static const int hangup_signals[] = { SIGHUP, SIGTERM, SIGINT, SIGPIPE };
#define NHANGUP	(sizeof hangup_signals / sizeof hangup_signals[0])

static void
on_hangup(int sig)
{
	size_t i;

	for (i = 0; i < INFLIGHT_MAX; i++)
		if (inflight_used[i])
			(void)unlink(inflight[i]);
	/* SA_RESETHAND put the default back: once we return, it ends the process. */
	(void)raise(sig);
}

/* Install on_hangup for the hang-up signals, keeping their old actions in old (restore_hangup). */
static void
catch_hangup(struct sigaction old[NHANGUP])
{
	struct sigaction	sa;
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NHANGUP; i++)
		sigaddset(&sa.sa_mask, hangup_signals[i]);
	sa.sa_handler = on_hangup;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < NHANGUP; i++) {
		(void)sigaction(hangup_signals[i], NULL, &old[i]);
		/* An ignored SIGPIPE stays ignored: a write then fails with EPIPE instead. */
		if (old[i].sa_handler != SIG_IGN)
			(void)sigaction(hangup_signals[i], &sa, NULL);
	}
}

static void
restore_hangup(const struct sigaction old[NHANGUP])
{
	size_t i;

	for (i = 0; i < NHANGUP; i++)
		(void)sigaction(hangup_signals[i], &old[i], NULL);
}

/* Add or drop path in the table, with the hang-up signals held off so the handler sees it whole. */
static void
inflight_set(const char *path, bool add)
{
	sigset_t	block, old;
	size_t		i;

	sigemptyset(&block);
	for (i = 0; i < NHANGUP; i++)
		sigaddset(&block, hangup_signals[i]);
	(void)sigprocmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < INFLIGHT_MAX; i++) {
		if (add && !inflight_used[i]) {
			snprintf(inflight[i], sizeof inflight[i], "%s", path);
			inflight_used[i] = 1;
			break;
		}
		if (!add && inflight_used[i] && strcmp(inflight[i], path) == 0) {
			inflight_used[i] = 0;
			break;
		}
	}
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
}

int
upload_spool_open(struct cli_ctx *ctx, int *fdp, char **pathp)
{
	int r;

	*fdp = -1;
	*pathp = NULL;
	if (ctx->data_dir == NULL)
		return ERR_INVALID;
	if ((r = spool_create(ctx->data_dir, ctx->user_id, fdp, pathp)) == 0)
		inflight_set(*pathp, true);
	return r;
}

void
upload_spool_close(int fd, const char *path)
{
	if (fd >= 0)
		close(fd);
	if (path != NULL)
		inflight_set(path, false);
}

int64_t
upload_spool_max(void)
{
	const char	*v = getenv("SSHBOOK_UPLOAD_SPOOL_MIB");
	char		*end;
	long long	 mib;

	if (v == NULL || *v == '\0')
		return UPLOAD_SPOOL_MAX_DEFAULT;
	errno = 0;
	mib = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0' || mib < 1 || mib > 1024 * 1024)
		return UPLOAD_SPOOL_MAX_DEFAULT;
	return (int64_t)mib * 1024 * 1024;
}

/* "100 MiB", or bytes when the cap is not a whole number of MiB. */
static void
cap_text(int64_t n, char *out, size_t outsz)
{
	if (n % (1024 * 1024) == 0)
		snprintf(out, outsz, "%" PRId64 " MiB", n / (1024 * 1024));
	else
		snprintf(out, outsz, "%" PRId64 " bytes", n);
}

int
upload_may_start(struct cli_ctx *ctx, char *why, size_t whysz)
{
	struct spool_usage	u;
	int64_t			cap = upload_spool_max();
	char			capt[32];

	why[0] = '\0';
	if (ctx->data_dir == NULL) {
		snprintf(why, whysz, "uploads are not available here");
		return ERR_INVALID;
	}
	/* What a killed transfer of ours left is nobody's now: it must not count against us. */
	(void)spool_sweep_user(ctx->data_dir, ctx->user_id, (int64_t)time(NULL),
	    SPOOL_ABANDONED_SECS);
	spool_usage(ctx->data_dir, ctx->user_id, -1, &u);
	if (u.bytes >= cap) {
		cap_text(cap, capt, sizeof capt);
		snprintf(why, whysz, "not enough room: your uploads in progress would exceed %s; "
		    "wait until they are processed", capt);
		return ERR_BUSY;
	}
	return store_media_upload_allowed(ctx->st, ctx->user_id, (int64_t)time(NULL), u.incoming,
	    why, whysz);
}

int
upload_may_grow(struct cli_ctx *ctx, int fd, int64_t end, char *why, size_t whysz)
{
	struct spool_usage	u;
	uint8_t			head[16];
	ssize_t			n;
	int64_t			cap = upload_spool_max();
	char			capt[32];

	why[0] = '\0';
	if (spool_file_gone(fd)) {
		snprintf(why, whysz, "the upload was dropped after %d minutes without data; send "
		    "it again", SPOOL_ABANDONED_SECS / 60);
		return ERR_INVALID;
	}
	if (end > (int64_t)UPLOAD_MAX_BYTES) {
		snprintf(why, whysz, "file too large: more than %u MiB (the limit is %u MiB for "
		    "images, %u MiB for videos)", UPLOAD_MAX_BYTES / (1024 * 1024),
		    IMAGE_MAX_BYTES / (1024 * 1024), VIDEO_MAX_BYTES / (1024 * 1024));
		return ERR_INVALID;
	}
	/*
	 * Past an image's cap only a video can still be accepted, and its first
	 * bytes, long arrived, say whether it is one: no need to take 40 MiB
	 * more to refuse it at the end.
	 */
	if (end > (int64_t)IMAGE_MAX_BYTES) {
		n = pread(fd, head, sizeof head, 0);
		if (n <= 0 || !media_format_is_video(media_sniff(head, (size_t)n))) {
			snprintf(why, whysz, "file too large: more than %u MiB, the limit for images "
			    "(videos may have %u MiB)", IMAGE_MAX_BYTES / (1024 * 1024),
			    VIDEO_MAX_BYTES / (1024 * 1024));
			return ERR_INVALID;
		}
	}
	spool_usage(ctx->data_dir, ctx->user_id, fd, &u);
	if (u.bytes + end > cap) {
		cap_text(cap, capt, sizeof capt);
		snprintf(why, whysz, "not enough room: your uploads in progress would exceed %s; "
		    "wait until they are processed", capt);
		return ERR_BUSY;
	}
	return 0;
}

/* Where upload_import's file goes once its id is known (store_media_add_placed). */
struct placing {
	struct cli_ctx		*ctx;
	const char		*path;
	enum media_format	 format;
	char			*dest;	/* set once the file was moved there */
};

static int
place_upload(int64_t id, void *arg)
{
	struct placing	*p = arg;
	char		*dest = media_path(p->ctx->data_dir, p->ctx->user_id, id, MEDIA_FILE_UPLOAD,
			    p->format);

	if (rename(p->path, dest) != 0) {
		log_error("upload: rename %s to %s: %s", p->path, dest, strerror(errno));
		free(dest);
		return ERR_SYSTEM;
	}
	p->dest = dest;
	return 0;
}

int
upload_import(struct cli_ctx *ctx, const char *path, int64_t *idp, struct media_info *info,
    char *why, size_t whysz)
{
	struct placing	 placing = { ctx, path, 0, NULL };
	enum media_kind	 kind;
	int64_t		 id = 0;
	int		 r;

	*idp = 0;
	memset(info, 0, sizeof *info);
	/* Before the decode: a flood of uploads must not cost the server a decode each. */
	if ((r = store_media_upload_allowed(ctx->st, ctx->user_id, (int64_t)time(NULL), 0, why,
	    whysz)) != 0)
		goto fail;
	if ((r = media_validate_file(path, info, why, whysz)) != 0)
		goto fail;
	kind = media_format_is_video(info->format) ? MEDIA_VIDEO : MEDIA_IMAGE;
	placing.format = info->format;
	/* the file takes its name inside the row's transaction: never a row without its file */
	r = store_media_add_placed(ctx->st, ctx->user_id, kind, media_format_name(info->format),
	    info->width, info->height, info->duration_ms, info->bytes, place_upload, &placing,
	    &id);
	if (r == ERR_BUSY)
		snprintf(why, whysz, "your gallery is full (%d items): delete some first",
		    MEDIA_PER_USER_MAX);
	if (r != 0) {
		/* moved, then the commit failed: the file has no row */
		if (placing.dest != NULL)
			(void)unlink(placing.dest);
		free(placing.dest);
		goto fail;
	}
	free(placing.dest);
	*idp = id;
	upload_hint(ctx, id);
	log_info("upload: media %lld, %s %dx%d, %lld bytes", (long long)id,
	    media_format_name(info->format), info->width, info->height,
	    (long long)info->bytes);
	return 0;
 fail:
	(void)unlink(path);
	if (why[0] == '\0')
		snprintf(why, whysz, "%s", r == ERR_SYSTEM ? "the server could not store the file; "
		    "please try again later" : err_str(r));
	return r;
}

int
media_files_collect(struct store *st, int64_t owner, struct media_files *out)
{
	struct media_list	l;
	int64_t			before = 0;
	size_t			i;
	int			r;

	memset(out, 0, sizeof *out);
	do {
		if ((r = store_media_gallery(st, owner, owner, before, 100, &l)) != 0) {
			free(out->ids);
			free(out->formats);
			memset(out, 0, sizeof *out);
			return r;
		}
		out->ids = xreallocarray(out->ids, out->n + l.n + 1, sizeof *out->ids);
		out->formats = xreallocarray(out->formats, out->n + l.n + 1, sizeof *out->formats);
		for (i = 0; i < l.n; i++) {
			out->ids[out->n] = l.v[i].id;
			out->formats[out->n++] = media_format_parse(l.v[i].stored_format);
		}
		before = l.next_before;
		media_list_free(&l);
	} while (before != 0);
	return 0;
}

void
media_files_remove(const char *data_dir, int64_t owner, struct media_files *mf)
{
	char	*dir, *path;
	DIR	*d;
	struct dirent *e;
	size_t	 i;

	for (i = 0; data_dir != NULL && i < mf->n; i++)
		media_remove_files(data_dir, owner, mf->ids[i], mf->formats[i]);
	if (data_dir != NULL) {
		/* Whatever else waits in the spool (a half-received upload) goes with it. */
		dir = xasprintf("%s/spool/%lld", data_dir, (long long)owner);
		if ((d = opendir(dir)) != NULL) {
			while ((e = readdir(d)) != NULL) {
				if (e->d_name[0] == '.')
					continue;
				path = xasprintf("%s/%s", dir, e->d_name);
				(void)unlink(path);
				free(path);
			}
			closedir(d);
			(void)rmdir(dir);
		}
		free(dir);
	}
	free(mf->ids);
	free(mf->formats);
	memset(mf, 0, sizeof *mf);
}

void
upload_hint(struct cli_ctx *ctx, int64_t media_id)
{
	cli_hint(ctx, TOPIC_JOB, HUB_WORKER_ID, media_id);
	cli_hint(ctx, TOPIC_MEDIA, ctx->user_id, media_id);
}

/* ---- upload [gallery|avatar|background|post] [--visibility V] [TEXT...] < FILE ---- */

/*
 * Copy ctx->in into the spool file fd, each chunk checked before it is
 * written (upload_may_grow: the size caps and the spool cap hold while the
 * data arrives, not once it is all on disk). 0, 1 (refused: why says so)
 * or ERR_SYSTEM.
 */
static int
spool_stdin(struct cli_ctx *ctx, int fd, char *why, size_t whysz)
{
	char	*chunk = xmalloc(COPY_CHUNK);
	size_t	 n, total = 0, off;
	ssize_t	 w;
	int	 r = 0;

	while ((n = fread(chunk, 1, COPY_CHUNK, ctx->in)) > 0) {
		if (upload_may_grow(ctx, fd, (int64_t)(total + n), why, whysz) != 0) {
			r = 1;
			break;
		}
		total += n;
		for (off = 0; off < n; off += (size_t)w) {
			w = write(fd, chunk + off, n - off);
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0) {
				log_error("upload: write to the spool: %s", strerror(errno));
				r = ERR_SYSTEM;
				goto out;
			}
		}
	}
	if (r == 0 && ferror(ctx->in))
		r = ERR_SYSTEM;
 out:
	free(chunk);
	return r;
}

enum upload_use { USE_GALLERY, USE_AVATAR, USE_BACKGROUND, USE_POST, USE_COUNT };
static const char *const use_names[USE_COUNT] = { "gallery", "avatar", "background", "post" };

static int
parse_use(const char *w, enum upload_use *u)
{
	size_t i;

	for (i = 0; i < USE_COUNT; i++)
		if (strcmp(w, use_names[i]) == 0) {
			*u = (enum upload_use)i;
			return 0;
		}
	return -1;
}

/* The upload is in the gallery as id: do what the chosen use adds. Returns the exit status. */
static int
apply_use(struct cli_ctx *ctx, enum upload_use use, int64_t id, enum visibility vis,
    const char *text)
{
	int64_t	 post = 0, *mentioned = NULL;
	size_t	 nmentioned = 0;
	char	 why[200] = "";
	int	 r = 0;

	switch (use) {
	case USE_GALLERY:
	case USE_COUNT:
		return 0;
	case USE_AVATAR:
	case USE_BACKGROUND:
		r = store_profile_set_image(ctx->st, ctx->user_id, use == USE_AVATAR ?
		    PROFILE_AVATAR : PROFILE_BACKGROUND, id, why, sizeof why);
		if (r == 0) {
			cli_hint(ctx, TOPIC_ACCOUNT, ctx->user_id, 0);
			return 0;
		}
		break;
	case USE_POST:
		r = store_post_create_media(ctx->st, ctx->user_id, text, vis, &id, 1, &post,
		    &mentioned, &nmentioned, why, sizeof why);
		if (r == 0) {
			fprintf(ctx->out, "post %lld\n", (long long)post);
			postcmd_hint(ctx, post, mentioned, nmentioned);
			free(mentioned);
			return 0;
		}
		break;
	}
	free(mentioned);
	return postcmd_fail(ctx, "upload", r, 0, why);
}

static int
cmd_upload_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct postcmd_args	 a;
	struct media_info	 info;
	struct buf		 text = BUF_INIT;
	struct sigaction	 old_actions[NHANGUP];
	enum upload_use		 use = USE_GALLERY;
	enum visibility		 vis = VIS_PUBLIC;
	char			 why[240] = "", *path = NULL, *q;
	int64_t			 id;
	int			 fd = -1, r, status, first = 1, i;

	if (argc >= 2 && argv[1][0] != '-') {
		if (parse_use(argv[1], &use) != 0) {
			q = cli_quote(argv[1]);
			status = cli_fail(ctx, 1, "upload: '%s' is not one of gallery, avatar, "
			    "background, post (usage: %s)", q, cmd_upload_entry.usage);
			free(q);
			return status;
		}
		first = 2;
	}
	/* The words after the use, for `upload post`: options, then the post's text. */
	if ((status = postcmd_parse(ctx, &cmd_upload_entry, POSTCMD_VISIBILITY |
	    POSTCMD_TEXT, argc - first + 1, argv + first - 1, &a)) != 0)
		return status;
	if (use != USE_POST && (a.visibility != NULL || a.text_first < argc - first + 1))
		return cli_fail(ctx, 1, "upload: text and --visibility go with "
		    "'upload post' only");
	if (use == USE_POST) {
		if (a.visibility != NULL) {
			if ((status = postcmd_visibility(ctx, "upload", a.visibility, &vis)) != 0)
				return status;
		} else if ((r = store_default_visibility(ctx->st, ctx->user_id, &vis)) != 0)
			return cli_fail(ctx, err_exit_status(r), "upload: %s", err_str(r));
		for (i = a.text_first + first - 1; i < argc; i++)
			buf_addf(&text, "%s%s", text.len ? " " : "", argv[i]);
		if (text.buf == NULL)
			buf_adds(&text, "");
	}
	if (ctx->in == NULL || isatty(fileno(ctx->in)))
		return cli_fail(ctx, 1, "upload: send the file on stdin, e.g. "
		    "ssh HOST upload %s < picture.jpg (or: scp picture.jpg HOST:)",
		    use_names[use]);
	/* The count and spool limits hold from the start, before a byte is taken. */
	if ((r = upload_may_start(ctx, why, sizeof why)) != 0)
		return cli_fail(ctx, 1, "upload: %s", why[0] ? why : err_str(r));
	catch_hangup(old_actions);
	if ((r = upload_spool_open(ctx, &fd, &path)) != 0) {
		status = cli_fail(ctx, 1, "upload: uploads are not available here");
		goto out;
	}
	r = spool_stdin(ctx, fd, why, sizeof why);
	if (r != 0) {
		(void)unlink(path);
		if (r == 1)
			status = cli_fail(ctx, 1, "upload: %s", why);
		else
			status = cli_fail(ctx, 1, "upload: could not receive the file");
		goto out;
	}
	/* The file stays open, so locked, until the import has taken it (media/spool.h). */
	r = upload_import(ctx, path, &id, &info, why, sizeof why);
	upload_spool_close(fd, path);
	fd = -1;
	if (r != 0) {
		q = sanitize_dup(why, false);
		status = cli_fail(ctx, r == ERR_SYSTEM || r == ERR_DB ? 1 : err_exit_status(r),
		    "upload: %s", q);
		free(q);
		goto out;
	}
	fprintf(ctx->out, "%lld\n", (long long)id);
	status = apply_use(ctx, use, id, vis, text.buf != NULL ? text.buf : "");
 out:
	if (path != NULL)
		upload_spool_close(fd, path);
	restore_hangup(old_actions);
	free(path);
	buf_release(&text);
	return status;
}

const struct cmd_entry cmd_upload_entry = {
	.name = "upload",
	.usage = "upload [gallery|avatar|background|post] [--visibility V] [TEXT...] < FILE",
	.help = "upload an image or video from stdin; prints its media id",
	.min_args = 0, .max_args = -1,
	.exec = cmd_upload_exec,
};

/* ---- the sftp subsystem ---------------------------------------------------------- */

struct sftp_spool {
	struct cli_ctx	*ctx;
	struct {
		int	 fd;
		char	*path;
	} files[SFTP_OPEN_FILES_MAX];
};

static char **
path_of(struct sftp_spool *s, int fd)
{
	size_t i;

	for (i = 0; i < SFTP_OPEN_FILES_MAX; i++)
		if (s->files[i].path != NULL && s->files[i].fd == fd)
			return &s->files[i].path;
	return NULL;
}

static int
hook_open(void *arg, const char *name, char *why, size_t whysz)
{
	struct sftp_spool	*s = arg;
	char			*path;
	size_t			 i;
	int			 fd;

	(void)name;
	for (i = 0; i < SFTP_OPEN_FILES_MAX && s->files[i].path != NULL; i++)
		;
	if (i == SFTP_OPEN_FILES_MAX) {
		snprintf(why, whysz, "too many files at once");
		return -1;
	}
	/* At the start, not at the close: a refused upload costs the client nothing to send. */
	if (upload_may_start(s->ctx, why, whysz) != 0)
		return -1;
	if (upload_spool_open(s->ctx, &fd, &path) != 0) {
		snprintf(why, whysz, "the server cannot take uploads right now");
		return -1;
	}
	s->files[i].fd = fd;
	s->files[i].path = path;
	return fd;
}

static void
hook_abort(void *arg, const char *name, int fd)
{
	struct sftp_spool	*s = arg;
	char			**pp = path_of(s, fd);

	(void)name;
	if (pp != NULL) {
		(void)unlink(*pp);
		upload_spool_close(fd, *pp);
		free(*pp);
		*pp = NULL;
	} else
		close(fd);
}

static int
hook_grow(void *arg, const char *name, int fd, int64_t end, char *why, size_t whysz)
{
	struct sftp_spool *s = arg;

	(void)name;
	return upload_may_grow(s->ctx, fd, end, why, whysz);
}

static int
hook_close(void *arg, const char *name, int fd, int64_t bytes, char *why, size_t whysz)
{
	struct sftp_spool	*s = arg;
	struct media_info	 info;
	char			**pp = path_of(s, fd), reason[200] = "", *clean;
	int64_t			 id;
	int			 r;

	(void)bytes;
	if (pp == NULL) {
		close(fd);
		snprintf(why, whysz, "%s: lost track of the file", name);
		return ERR_INTERNAL;
	}
	clean = sanitize_dup(name, false);
	/* Closed after the import: until then the lock says the file is being received. */
	r = upload_import(s->ctx, *pp, &id, &info, reason, sizeof reason);
	upload_spool_close(fd, *pp);
	free(*pp);
	*pp = NULL;
	if (r == 0)
		snprintf(why, whysz, "%s: media %lld (%s %dx%d; processing, then in your "
		    "gallery)", clean, (long long)id, media_format_name(info.format),
		    info.width, info.height);
	else
		snprintf(why, whysz, "%s: refused: %s", clean, reason);
	free(clean);
	return r;
}

static void
hook_say(void *arg, const char *line)
{
	struct sftp_spool *s = arg;

	fprintf(s->ctx->err, "%s\n", line);
	fflush(s->ctx->err);
}

int
upload_sftp_main(struct cli_ctx *ctx)
{
	struct sftp_spool	s;
	struct sftp_hooks	h;
	struct sigaction	old_actions[NHANGUP], ign, old_pipe;
	size_t			i;
	int			r;

	memset(&s, 0, sizeof s);
	s.ctx = ctx;
	memset(&h, 0, sizeof h);
	h.open = hook_open;
	h.close = hook_close;
	h.abort = hook_abort;
	h.grow = hook_grow;
	h.say = hook_say;
	h.arg = &s;
	h.max_bytes = UPLOAD_MAX_BYTES;
	/*
	 * sftp_serve wants SIGPIPE ignored (a client that stops reading ends
	 * the loop, which then drops its open files); the other hang-up
	 * signals remove them in the handler.
	 */
	memset(&ign, 0, sizeof ign);
	sigemptyset(&ign.sa_mask);
	ign.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &ign, &old_pipe);
	catch_hangup(old_actions);
	r = sftp_serve(fileno(ctx->in), fileno(ctx->out), &h);
	for (i = 0; i < SFTP_OPEN_FILES_MAX; i++)
		if (s.files[i].path != NULL)
			hook_abort(&s, "", s.files[i].fd);
	restore_hangup(old_actions);
	(void)sigaction(SIGPIPE, &old_pipe, NULL);
	return r == 0 ? 0 : 1;
}
