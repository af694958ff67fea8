/*
 * video_probe through the helper program `sshbook-video` (tools/sshbook-video.c),
 * so that only it links the ffmpeg libraries (see media/video.h). Called
 * inside a sandbox child: the helper inherits its limits, and dies with it.
 *
 * The helper's answer on stdout:
 *   "ok FORMAT WIDTH HEIGHT DURATION_MS THUMB_W THUMB_H\n" then THUMB_W * THUMB_H * 4
 *   bytes of RGBA (0 0 and none when no thumbnail was asked for), or
 *   "invalid REASON\n" (exit 1) / "error REASON\n" (exit 2).
 * For --remux SRC DST the answer is "ok\n" or the same refusals.
 */
#include "media/video.h"

#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"

#define HEADER_MAX	512

static char	helper[PATH_MAX + 32];

const char *
video_helper_path(void)
{
	const char	*env = getenv("SSHBOOK_VIDEO_HELPER");
	char		 exe[PATH_MAX], *slash;
	ssize_t		 n;

	if (env != NULL && env[0] != '\0')
		return env;
	if (helper[0] != '\0')
		return helper;
	/* Room for the longer suffix below, so no path is ever cut short. */
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 32)) <= 0)
		return "sshbook-video";
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	snprintf(helper, sizeof helper, "%s/sshbook-video", exe);
	if (access(helper, X_OK) != 0)
		snprintf(helper, sizeof helper, "%s/../../sshbook-video", exe);
	return helper;
}

static void
set_why(char *why, size_t whysz, const char *s)
{
	if (why != NULL && whysz > 0)
		snprintf(why, whysz, "%s", s);
}

/* Read up to n bytes (less only at EOF); -1 on an error. */
static ssize_t
read_full(int fd, void *p, size_t n)
{
	size_t	got = 0;
	ssize_t	r;

	while (got < n) {
		r = read(fd, (char *)p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* One line (without its newline) into line; 0, or -1 when there is none. */
static int
read_line(int fd, char *line, size_t sz)
{
	size_t	i = 0;
	char	c;

	while (i + 1 < sz) {
		if (read_full(fd, &c, 1) != 1)
			return -1;
		if (c == '\n') {
			line[i] = '\0';
			return 0;
		}
		line[i++] = c;
	}
	return -1;
}

static int
parse_answer(int fd, struct video_info *info, struct image *thumb, char *why, size_t whysz)
{
	char		 line[HEADER_MAX], fmt[16];
	long long	 dur;
	int		 w, h, tw, th;
	size_t		 bytes;

	if (read_line(fd, line, sizeof line) != 0) {
		set_why(why, whysz, "the video could not be read within the limits");
		return ERR_INVALID;
	}
	if (strncmp(line, "invalid ", 8) == 0) {
		set_why(why, whysz, line + 8);
		return ERR_INVALID;
	}
	/* The helper ran and failed inside (memory, most likely): the file's doing, within limits. */
	if (strncmp(line, "error ", 6) == 0) {
		set_why(why, whysz, "the video could not be decoded within the limits");
		return ERR_INVALID;
	}
	if (sscanf(line, "ok %15s %d %d %lld %d %d", fmt, &w, &h, &dur, &tw, &th) != 6 ||
	    w <= 0 || h <= 0 || dur < 0 || tw < 0 || th < 0 ||
	    tw > IMAGE_THUMB_MAX_SIDE || th > IMAGE_THUMB_MAX_SIDE) {
		set_why(why, whysz, "the video helper gave an answer that makes no sense");
		return ERR_SYSTEM;
	}
	info->format = media_format_parse(fmt);
	info->width = w;
	info->height = h;
	info->duration_ms = dur;
	if (thumb == NULL)
		return 0;
	if (tw == 0 || th == 0) {
		set_why(why, whysz, "cannot decode the video");
		return ERR_INVALID;
	}
	bytes = (size_t)tw * (size_t)th * 4;
	if ((thumb->rgba = malloc(bytes)) == NULL) {
		set_why(why, whysz, "out of memory");
		return ERR_SYSTEM;
	}
	thumb->w = tw;
	thumb->h = th;
	thumb->has_alpha = false;
	if (read_full(fd, thumb->rgba, bytes) != (ssize_t)bytes) {
		image_free(thumb);
		set_why(why, whysz, "the video helper stopped half way");
		return ERR_SYSTEM;
	}
	return 0;
}

/* Start the helper with these arguments (NULL-terminated after mode), its stdout on *fdp. */
static pid_t
start_helper(const char *mode, const char *a1, const char *a2, int *fdp, char *why, size_t whysz)
{
	const char	*prog = video_helper_path();
	pid_t		 pid, parent = getpid();
	int		 p[2];

	*fdp = -1;
	if (pipe2(p, O_CLOEXEC) != 0 || (pid = fork()) < 0) {
		set_why(why, whysz, "cannot start the video helper");
		return -1;
	}
	if (pid == 0) {
		/* Our limits hold for it too (rlimits survive exec); our death is its. */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent || dup2(p[1], STDOUT_FILENO) < 0)
			_exit(2);
		execl(prog, prog, mode, a1, a2, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	*fdp = p[0];
	return pid;
}

static int
reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

int
video_remux(const char *src, const char *dst, char *why, size_t whysz)
{
	char	line[HEADER_MAX];
	pid_t	pid;
	int	fd, st, r = 0;

	if ((pid = start_helper("--remux", src, dst, &fd, why, whysz)) < 0)
		return ERR_SYSTEM;
	if (read_line(fd, line, sizeof line) != 0) {
		set_why(why, whysz, "the video could not be stored within the limits");
		r = ERR_INVALID;
	} else if (strncmp(line, "invalid ", 8) == 0) {
		set_why(why, whysz, line + 8);
		r = ERR_INVALID;
	} else if (strcmp(line, "ok") != 0) {
		set_why(why, whysz, "the video could not be stored within the limits");
		r = ERR_INVALID;
	}
	close(fd);
	st = reap(pid);
	if (r == 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
		set_why(why, whysz, "the video could not be stored within the limits");
		r = ERR_INVALID;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		set_why(why, whysz, "the video helper (sshbook-video) is missing");
		r = ERR_SYSTEM;
	}
	return r;
}

int
video_probe(const char *path, struct video_info *info, struct image *thumb, char *why,
    size_t whysz)
{
	pid_t	pid;
	int	fd, st, r;

	memset(info, 0, sizeof *info);
	if (thumb != NULL)
		memset(thumb, 0, sizeof *thumb);
	if ((pid = start_helper(thumb != NULL ? "--thumb" : "--probe", path, NULL, &fd, why,
	    whysz)) < 0)
		return ERR_SYSTEM;
	r = parse_answer(fd, info, thumb, why, whysz);
	close(fd);
	st = reap(pid);
	if (r == 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
		if (thumb != NULL)
			image_free(thumb);
		set_why(why, whysz, "the video could not be read within the limits");
		r = ERR_INVALID;
	}
	if (r != 0 && WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		set_why(why, whysz, "the video helper (sshbook-video) is missing");
		r = ERR_SYSTEM;
	}
	return r;
}
