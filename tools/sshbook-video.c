/*
 * sshbook-video: the one program that links the ffmpeg libraries. The app
 * runs it (media/video_exec.c) inside its sandbox child to read a video's
 * size and duration and decode its first keyframe:
 *
 *   sshbook-video --probe FILE     size and duration only
 *   sshbook-video --thumb FILE     and the thumbnail as RGBA after the line
 *   sshbook-video --remux SRC DST  DST: the same streams without metadata
 *
 * The answer's format is described in media/video_exec.c.
 */
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "media/video.h"

int
main(int argc, char **argv)
{
	struct video_info	info;
	struct image		thumb = { 0 };
	char			why[200] = "";
	bool			want_thumb;
	int			r;

	if (argc == 4 && strcmp(argv[1], "--remux") == 0) {
		if ((r = video_remux_here(argv[2], argv[3], why, sizeof why)) == 0) {
			printf("ok\n");
			return fflush(stdout) == 0 ? 0 : 2;
		}
		why[strcspn(why, "\n")] = '\0';
		printf("%s %s\n", r == ERR_INVALID ? "invalid" : "error",
		    why[0] ? why : "cannot store the video");
		return r == ERR_INVALID ? 1 : 2;
	}
	if (argc != 3 || (strcmp(argv[1], "--probe") != 0 && strcmp(argv[1], "--thumb") != 0)) {
		fprintf(stderr, "usage: sshbook-video --probe|--thumb FILE | --remux SRC DST\n");
		return 2;
	}
	want_thumb = strcmp(argv[1], "--thumb") == 0;
	r = video_probe_here(argv[2], &info, want_thumb ? &thumb : NULL, why, sizeof why);
	if (r != 0) {
		/* One line: the reason must not break the protocol. */
		why[strcspn(why, "\n")] = '\0';
		printf("%s %s\n", r == ERR_INVALID ? "invalid" : "error",
		    why[0] ? why : "cannot read the video");
		return r == ERR_INVALID ? 1 : 2;
	}
	printf("ok %s %d %d %lld %d %d\n", media_format_name(info.format), info.width,
	    info.height, (long long)info.duration_ms, thumb.w, thumb.h);
	if (want_thumb && fwrite(thumb.rgba, 4, (size_t)thumb.w * (size_t)thumb.h, stdout) !=
	    (size_t)thumb.w * (size_t)thumb.h)
		return 2;
	image_free(&thumb);
	return fflush(stdout) == 0 ? 0 : 2;
}
