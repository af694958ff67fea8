/*
 * The upload spool (media/spool.h). Liveness is a lock, not an age: a
 * process killed with SIGKILL cannot clean up, but the kernel drops its
 * flock the moment it dies, so its half-received file can go as soon as
 * anyone looks, not an hour later. The age rule stays for a process that is
 * alive but stuck.
 */
#include "media/spool.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"

#define INCOMING	"incoming-"
#define INCOMING_LEN	(sizeof INCOMING - 1)
#define CREATE_TRIES	8

static int
mkdir_if_missing(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	log_error("spool: mkdir %s: %s", path, strerror(errno));
	return ERR_SYSTEM;
}

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int
spool_create(const char *data_dir, int64_t owner, int *fdp, char **pathp)
{
	struct stat	 byfd, byname;
	char		*spool, *dir, *path = NULL;
	int		 fd = -1, r, i;

	*fdp = -1;
	*pathp = NULL;
	spool = xasprintf("%s/spool", data_dir);
	dir = xasprintf("%s/%lld", spool, (long long)owner);
	r = mkdir_if_missing(spool);
	if (r == 0)
		r = mkdir_if_missing(dir);
	free(spool);
	for (i = 0; r == 0 && i < CREATE_TRIES; i++) {
		path = xasprintf("%s/" INCOMING "XXXXXX", dir);
		if ((fd = mkostemp(path, O_CLOEXEC)) < 0) {
			log_error("spool: mkostemp in %s: %s", dir, strerror(errno));
			r = ERR_SYSTEM;
			break;
		}
		/*
		 * Between mkostemp and flock the file is unlocked, so a sweep
		 * may take it for a dead one and remove it. It holds the lock
		 * while it removes, so once ours is granted the name tells:
		 * still ours, or gone (then make another).
		 */
		if (flock(fd, LOCK_EX) == 0 && fstat(fd, &byfd) == 0 &&
		    lstat(path, &byname) == 0 && same_file(&byfd, &byname)) {
			*fdp = fd;
			*pathp = path;
			free(dir);
			return 0;
		}
		close(fd);
		fd = -1;
		free(path);
		path = NULL;
	}
	if (r == 0) {
		log_error("spool: cannot keep a new file in %s", dir);
		r = ERR_SYSTEM;
	}
	free(dir);
	return r;
}

void
spool_usage(const char *data_dir, int64_t owner, int except_fd, struct spool_usage *u)
{
	struct stat	 self, sb;
	struct dirent	*e;
	char		*dir;
	DIR		*d;
	bool		 have_self;

	memset(u, 0, sizeof *u);
	have_self = except_fd >= 0 && fstat(except_fd, &self) == 0;
	dir = xasprintf("%s/spool/%lld", data_dir, (long long)owner);
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(sb.st_mode) || (have_self && same_file(&sb, &self)))
			continue;
		u->bytes += (int64_t)sb.st_size;
		if (strncmp(e->d_name, INCOMING, INCOMING_LEN) == 0)
			u->incoming++;
	}
	closedir(d);
	free(dir);
}

/*
 * One incoming file: remove it when nobody holds it, or when it is older
 * than max_age. The lock is taken before the unlink and the name checked
 * against what was locked, so a file renamed away for the worker meanwhile
 * (its importer held it) is never the one removed.
 */
static bool
sweep_one(int dirfd_, const char *name, int64_t now, int max_age)
{
	struct stat	 byfd, byname;
	bool		 removed = false, held;
	int		 fd;

	fd = openat(dirfd_, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	held = flock(fd, LOCK_EX | LOCK_NB) != 0;
	if (fstat(fd, &byfd) == 0 && S_ISREG(byfd.st_mode) &&
	    fstatat(dirfd_, name, &byname, AT_SYMLINK_NOFOLLOW) == 0 &&
	    same_file(&byfd, &byname) &&
	    (!held || now - (int64_t)byfd.st_mtime >= max_age))
		removed = unlinkat(dirfd_, name, 0) == 0;
	close(fd);
	return removed;
}

size_t
spool_sweep_user(const char *data_dir, int64_t owner, int64_t now, int max_age)
{
	struct dirent	*e;
	char		*dir;
	DIR		*d;
	size_t		 removed = 0;

	dir = xasprintf("%s/spool/%lld", data_dir, (long long)owner);
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL)
			if (strncmp(e->d_name, INCOMING, INCOMING_LEN) == 0 &&
			    sweep_one(dirfd(d), e->d_name, now, max_age))
				removed++;
		closedir(d);
	}
	if (removed > 0)
		log_info("spool: removed %zu abandoned uploads of user %lld", removed,
		    (long long)owner);
	free(dir);
	return removed;
}

/*
 * Call each(data_dir, owner, ctx) for every user directory of the spool
 * (named by the owner's id; anything else is not ours) and add up what it
 * returns. The two sweeps differ only in what they do inside one.
 */
static size_t
each_user_dir(const char *data_dir, size_t (*each)(const char *, int64_t, void *),
    void *ctx)
{
	struct dirent	*u;
	char		*spool = xasprintf("%s/spool", data_dir), *end;
	DIR		*top;
	size_t		 removed = 0;
	long long	 owner;

	if ((top = opendir(spool)) != NULL) {
		while ((u = readdir(top)) != NULL) {
			errno = 0;
			owner = strtoll(u->d_name, &end, 10);
			if (u->d_name[0] == '.' || *end != '\0' || errno != 0 || owner <= 0)
				continue;
			removed += each(data_dir, owner, ctx);
		}
		closedir(top);
	}
	free(spool);
	return removed;
}

struct sweep_args {
	int64_t	now;
	int	max_age;
};

static size_t
sweep_one_user(const char *data_dir, int64_t owner, void *ctx)
{
	const struct sweep_args *a = ctx;

	return spool_sweep_user(data_dir, owner, a->now, a->max_age);
}

size_t
spool_sweep(const char *data_dir, int64_t now, int max_age)
{
	struct sweep_args a = { now, max_age };

	return each_user_dir(data_dir, sweep_one_user, &a);
}

/* One "<id>.upload": removed when nobody holds it and no item waits for it. */
static bool
sweep_upload(int dirfd_, const char *name, int64_t owner, int64_t id,
    bool (*waiting)(int64_t, int64_t, void *), void *ctx)
{
	struct stat	 byfd, byname;
	bool		 removed = false;
	int		 fd;

	fd = openat(dirfd_, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	/* held: its importer is between the rename and the commit, or just past it */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &byfd) == 0 &&
	    S_ISREG(byfd.st_mode) && fstatat(dirfd_, name, &byname, AT_SYMLINK_NOFOLLOW) == 0 &&
	    same_file(&byfd, &byname) && !waiting(owner, id, ctx))
		removed = unlinkat(dirfd_, name, 0) == 0;
	close(fd);
	return removed;
}

size_t
spool_sweep_uploads_user(const char *data_dir, int64_t owner,
    bool (*waiting)(int64_t owner, int64_t id, void *ctx), void *ctx)
{
	struct dirent	*e;
	char		*dir, *end;
	DIR		*d;
	size_t		 removed = 0;
	long long	 id;

	dir = xasprintf("%s/spool/%lld", data_dir, (long long)owner);
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			errno = 0;
			id = strtoll(e->d_name, &end, 10);
			if (e->d_name[0] < '1' || e->d_name[0] > '9' || errno != 0 || id <= 0 ||
			    strcmp(end, ".upload") != 0)
				continue;
			if (sweep_upload(dirfd(d), e->d_name, owner, id, waiting, ctx))
				removed++;
		}
		closedir(d);
	}
	if (removed > 0)
		log_info("spool: removed %zu uploads of user %lld that no item waits for", removed,
		    (long long)owner);
	free(dir);
	return removed;
}

struct uploads_args {
	bool	(*waiting)(int64_t owner, int64_t id, void *ctx);
	void	*ctx;
};

static size_t
sweep_uploads_one_user(const char *data_dir, int64_t owner, void *ctx)
{
	const struct uploads_args *a = ctx;

	return spool_sweep_uploads_user(data_dir, owner, a->waiting, a->ctx);
}

size_t
spool_sweep_uploads(const char *data_dir, bool (*waiting)(int64_t owner, int64_t id, void *ctx),
    void *ctx)
{
	struct uploads_args a = { waiting, ctx };

	return each_user_dir(data_dir, sweep_uploads_one_user, &a);
}

bool
spool_file_gone(int fd)
{
	struct stat sb;

	return fstat(fd, &sb) == 0 && sb.st_nlink == 0;
}
