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
