/*
 * Uploads: one file becomes a media item of the user. Shared by the `upload`
 * command (the file on stdin) and the SFTP server (scp, sftp): the bytes are
 * spooled under DATA_DIR/spool/<user id>/, checked in a limited child
 * (media/pipeline.h), recorded with their processing job (storage/media.h),
 * renamed to the name the worker looks for, and the worker is woken through
 * the hub. Re-encoding and previews happen later, in the worker.
 */
#ifndef SSHBOOK_CLI_UPLOAD_H
#define SSHBOOK_CLI_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "media/pipeline.h"

struct store;

/* The most bytes any upload may have (a video's cap); the type's own cap is checked after. */
#define UPLOAD_MAX_BYTES	VIDEO_MAX_BYTES

/* Bytes a user's spool may hold (transfers under way and uploads waiting for the worker). */
#define UPLOAD_SPOOL_MAX_DEFAULT	((int64_t)100 * 1024 * 1024)

/*
 * A new, empty spool file for ctx's user (media/spool.h spool_create: made
 * locked, the directories made when missing). 0 with *fdp (read-write,
 * close-on-exec) and *pathp (caller frees); ERR_SYSTEM (logged) or
 * ERR_INVALID when ctx has no data directory. Until upload_spool_close, a
 * SIGHUP, SIGTERM, SIGINT or SIGPIPE caught by the command removes the file
 * before the process dies. Keep fd open until the import has taken the
 * file: the lock is what tells a live transfer from a dead one's leftovers.
 */
int	upload_spool_open(struct cli_ctx *, int *fdp, char **pathp);
/* Close fd (-1: already closed) and forget path for the hang-up handler. */
void	upload_spool_close(int fd, const char *path);

/*
 * The spool cap: SSHBOOK_UPLOAD_SPOOL_MIB (sshbookd's upload_spool_mib)
 * MiB, else UPLOAD_SPOOL_MAX_DEFAULT.
 */
int64_t	upload_spool_max(void);

/*
 * May ctx's user start one more upload? Their dead transfers' leftovers are
 * removed first. 0; ERR_BUSY with a sentence in why when the spool is full
 * ("not enough room: your uploads in progress would exceed 100 MiB; ..."),
 * the gallery is full or the upload count limit is reached (transfers
 * still arriving count, storage/media.h); ERR_INVALID without a data
 * directory; ERR_DB.
 */
int	upload_may_start(struct cli_ctx *, char *why, size_t whysz);

/*
 * May the upload open as fd grow to end bytes? Checked before the bytes are
 * written: 0, or ERR_INVALID (the file was swept away, over UPLOAD_MAX_BYTES,
 * or over IMAGE_MAX_BYTES without a video's first bytes) or ERR_BUSY (the
 * user's spool would pass upload_spool_max()) with a sentence in why. Two
 * processes of one user may each pass with their last write, so the cap
 * can be passed by at most one write (256 KiB) per concurrent transfer.
 */
int	upload_may_grow(struct cli_ctx *, int fd, int64_t end, char *why, size_t whysz);

/*
 * Import the spooled file at path as a media item of ctx's user. The file is
 * consumed either way: renamed for the worker on success, removed on
 * failure. 0 with *idp and *info; else ERR_INVALID / ERR_BUSY with a
 * sentence for people in why ("not an image or a video ...", "gallery
 * full ..."), ERR_SYSTEM / ERR_DB.
 */
int	upload_import(struct cli_ctx *, const char *path, int64_t *idp, struct media_info *info,
	    char *why, size_t whysz);

/*
 * Deleting an account: storage removes its media rows by cascade, the files
 * must go too. Before the deletion, media_files_collect lists owner's items
 * (ids and stored formats); after it, media_files_remove removes their files
 * and the owner's spool directory, and frees the list.
 */
struct media_files {
	int64_t			*ids;
	enum media_format	*formats;
	size_t			 n;
};
int	media_files_collect(struct store *, int64_t owner, struct media_files *);
void	media_files_remove(const char *data_dir, int64_t owner, struct media_files *);

/* After media of ctx's user changed: the worker (a job may wait) and the user's own sessions. */
void	upload_hint(struct cli_ctx *, int64_t media_id);

/*
 * Serve the "sftp" subsystem for ctx's user on stdin/stdout until the client
 * goes (cli/sftp.h): every file written becomes a media item, and each
 * result or refusal is one line on ctx->err ("cat.jpg: media 42 (processing)").
 * Returns the exit status.
 */
int	upload_sftp_main(struct cli_ctx *);

#endif
