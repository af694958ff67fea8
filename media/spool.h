/*
 * The upload spool: DATA_DIR/spool/<owner id>/ holds one user's uploads on
 * their way in. Two kinds of file live there:
 *
 *   incoming-XXXXXX   still arriving (scp, sftp, `upload`). The process that
 *                     receives it holds an exclusive flock(2) on it for as
 *                     long as it may still write or import it, so one that
 *                     nobody holds was left by a process that died (kill -9,
 *                     a crash, a lost machine) and may go at once.
 *   <media id>.upload received and recorded; waits for the worker's job.
 *
 * Both count against the owner's spool cap (cli/upload.c). No ncurses, no
 * SQL: the app and the worker both use this.
 */
#ifndef SSHBOOK_MEDIA_SPOOL_H
#define SSHBOOK_MEDIA_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An incoming file untouched this long goes even while its process holds it (a stalled client). */
#define SPOOL_ABANDONED_SECS	3600

/*
 * A new, empty incoming file for owner, locked (the directories are made
 * when missing). 0 with *fdp (read-write, close-on-exec, holding the lock
 * until closed; the caller closes) and *pathp (caller frees), or ERR_SYSTEM
 * (logged).
 */
int	spool_create(const char *data_dir, int64_t owner, int *fdp, char **pathp);

struct spool_usage {
	int64_t	bytes;		/* the sizes of every file, both kinds */
	int	incoming;	/* incoming files (others' transfers under way) */
};

/*
 * What owner's spool holds, leaving out the file open as except_fd (-1:
 * none), whose growth the caller counts itself. A missing spool is empty.
 * Sizes are what stat says (st_size), so a sparse file counts in full.
 */
void	spool_usage(const char *data_dir, int64_t owner, int except_fd, struct spool_usage *);

/*
 * Remove owner's incoming files that no process holds, and those untouched
 * for max_age seconds at time now whoever holds them. "<id>.upload" files
 * belong to jobs and stay. Returns how many went.
 */
size_t	spool_sweep_user(const char *data_dir, int64_t owner, int64_t now, int max_age);

/* spool_sweep_user for every owner under DATA_DIR/spool. */
size_t	spool_sweep(const char *data_dir, int64_t now, int max_age);

/*
 * Remove owner's "<id>.upload" files that no process holds and that no item
 * waits for (waiting(owner, id, ctx) false): an importer killed between
 * moving its file there and its commit (storage/media.h
 * store_media_add_placed), or a worker killed between marking the item
 * ready and removing the file. A file its importer still holds is left
 * alone, so a commit about to happen is never raced. Returns how many went.
 */
size_t	spool_sweep_uploads_user(const char *data_dir, int64_t owner,
	    bool (*waiting)(int64_t owner, int64_t id, void *ctx), void *ctx);
/* spool_sweep_uploads_user for every owner under DATA_DIR/spool. */
size_t	spool_sweep_uploads(const char *data_dir,
	    bool (*waiting)(int64_t owner, int64_t id, void *ctx), void *ctx);
/* Whether the file open as fd was removed from the spool (swept, or its account deleted). */
bool	spool_file_gone(int fd);

#endif
