/*
 * Videos (mp4, webm): duration and a thumbnail from an early keyframe,
 * read with the ffmpeg libraries (libavformat, libavcodec, libswscale).
 * Meant to run inside a sandbox child (common/sandbox.h): a hostile file
 * is only ever opened there.
 */
#ifndef SSHBOOK_VIDEO_H
#define SSHBOOK_VIDEO_H

#include <stdint.h>

#include "media/image.h"

struct video_info {
	enum media_format	format;		/* MF_MP4 or MF_WEBM, by content */
	int			width, height;	/* of the video stream, upright (display rotation applied) */
	int64_t			duration_ms;	/* 0 when the container does not say */
};

/*
 * Open path, check it is an mp4 or webm with a video stream of at most
 * IMAGE_MAX_PIXELS per frame, and decode the first keyframe into *thumb
 * (RGBA, scaled so its longest side is at most IMAGE_THUMB_MAX_SIDE, square
 * pixels, turned upright by the stream's display matrix as phones write it).
 * thumb may be NULL to skip decoding. The demuxer is chosen by the magic
 * bytes and only the "file" protocol is allowed. 0, ERR_INVALID with a
 * reason for people in why ("not a video", "no video stream", "cannot decode
 * the video"), or ERR_SYSTEM ("out of memory").
 */
int	video_probe(const char *path, struct video_info *info, struct image *thumb,
	    char *why, size_t whysz);

/*
 * The same, in this process, with the ffmpeg libraries linked in (media/video.c).
 * video_probe (media/video_exec.c) runs the helper program `sshbook-video`,
 * which calls this: linking libavcodec and its hundred libraries costs every
 * process that has them about 30 ms at start, and the app starts for every
 * session and every exec command, while videos are rare. Only the helper
 * and the tests link this.
 */
int	video_probe_here(const char *path, struct video_info *info, struct image *thumb,
	    char *why, size_t whysz);

/*
 * Write the video at src to dst (a new file) with its video and audio
 * streams copied as they are and no metadata at all (no place, device or
 * time tags); the display rotation is kept. mp4 stays mp4, webm/matroska
 * becomes matroska. video_remux runs the helper, video_remux_here does it.
 * 0, ERR_INVALID (why), ERR_SYSTEM.
 */
int	video_remux(const char *src, const char *dst, char *why, size_t whysz);
int	video_remux_here(const char *src, const char *dst, char *why, size_t whysz);

/* The helper's path: $SSHBOOK_VIDEO_HELPER, else next to this program, else two levels up (tests). */
const char	*video_helper_path(void);

#endif
