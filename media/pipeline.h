/*
 * The media pipeline over files, used by the upload commands (validate) and
 * the background worker (process). Both steps run the decoders inside a
 * sandbox child (common/sandbox.h), so a hostile file can only kill that
 * child: the caller gets ERR_INVALID and a sentence for people.
 *
 * Files of one media item in DATA_DIR (see media_path):
 *   spool/<owner>/<id>.upload    the upload as received, until processed
 *   media/<id>.<ext>             the stored copy (re-encoded image, or the video)
 *   media/<id>.thumb.jpg         the preview source: at most 640 px, JPEG
 */
#ifndef SSHBOOK_PIPELINE_H
#define SSHBOOK_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "media/image.h"
#include "media/preview.h"

struct media_info {
	enum media_format	format;		/* of the upload, by content */
	int			width, height;	/* of the upload (upright) */
	int64_t			duration_ms;	/* videos */
	int64_t			bytes;		/* of the upload */
};

/*
 * Check an uploaded file: size (IMAGE_MAX_BYTES / VIDEO_MAX_BYTES by its
 * content type), type by magic bytes, header caps (IMAGE_MAX_PIXELS), then
 * a full decode (images) or the keyframe decode (videos) in a limited child.
 * 0 and *info; ERR_INVALID with why for people ("not an image or a video",
 * "file too large: 60.0 MiB; the limit for images is 10 MiB", "the image is
 * truncated or damaged", "the image could not be decoded within the limits",
 * "not a regular file" for a symbolic link or a device); ERR_NOTFOUND when
 * there is no such file; ERR_SYSTEM when it cannot be read. Blocks for up to
 * the sandbox's wall limit (15 s).
 */
int	media_validate_file(const char *path, struct media_info *info, char *why, size_t whysz);

struct media_processed {
	enum media_format	stored_format;	/* MF_JPEG / MF_PNG for images; the video's own */
	int			width, height;	/* of the stored copy (videos: of the stream) */
	int64_t			stored_bytes;
	int64_t			duration_ms;
};

/*
 * Make the stored copy and the preview source of a validated upload, in a
 * limited child. Images: decode, orient, scale to at most
 * IMAGE_STORED_MAX_SIDE, encode (image_pick_stored_format) into out_path,
 * metadata gone; videos: out_path is src remuxed by sshbook-video, the same
 * streams without metadata (media/video.h video_remux). Both: thumb_path
 * gets a JPEG of at most IMAGE_THUMB_MAX_SIDE.
 * Files are written to a temporary name (PATH.<pid>.tmp, fsync'd) and
 * renamed, so a reader never sees half a file; the temporaries are removed
 * whatever happened. fmt must be what media_validate_file found (the file is
 * sniffed again). 0, ERR_INVALID (why), ERR_SYSTEM (why: cannot write).
 */
int	media_process_file(const char *src, enum media_format fmt, const char *out_path,
	    const char *thumb_path, struct media_processed *res, char *why, size_t whysz);

/*
 * Render the preview source at thumb_path into cols x rows cells (decoding
 * the small JPEG in this process: it was made by media_process_file, not
 * by a user). 0, ERR_NOTFOUND (no file yet), ERR_INVALID, ERR_SYSTEM.
 */
int	media_render_thumb(const char *thumb_path, int cols, int rows, int colors, bool ascii,
	    struct cellgrid *out);
/* The thumb's pixel size, for preview_fit (reads the JPEG header only). */
int	media_thumb_size(const char *thumb_path, int *wp, int *hp);

enum media_file {
	MEDIA_FILE_UPLOAD,	/* spool/<owner>/<id>.upload */
	MEDIA_FILE_STORED,	/* media/<id>.<ext of fmt> */
	MEDIA_FILE_THUMB,	/* media/<id>.thumb.jpg */
};
/* The path of one file of a media item; malloc'd (caller frees). fmt matters for STORED only. */
char	*media_path(const char *data_dir, int64_t owner, int64_t id, enum media_file,
	    enum media_format fmt);

/*
 * Remove every file of a media item whose row is gone (the upload, the
 * stored copy in stored_fmt, or in any format when MF_NONE, the preview
 * source, a worker's half-written copy). Missing files are fine.
 */
void	media_remove_files(const char *data_dir, int64_t owner, int64_t id,
	    enum media_format stored_fmt);

#endif
