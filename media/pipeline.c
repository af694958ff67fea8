/*
 * The media pipeline over files. The parent side only looks at sizes and
 * magic bytes; every decoder runs in a sandbox child (common/sandbox.h)
 * that gets the file's bytes (images, read here under the size cap) or its
 * path (videos, which ffmpeg reads itself), and answers with a small fixed
 * struct. A child that crashes, loops or runs out of memory is an upload
 * refused with a sentence, never a dead worker.
 *
 * Writing: the child writes temporary files next to the targets (fsync'd);
 * the parent renames them into place and fsyncs the directory, and removes
 * them whatever happened to the child. A reader sees a whole file or none.
 */
#include "media/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "common/sandbox.h"
#include "common/xmalloc.h"
#include "media/video.h"

#define MIB			(1024 * 1024)
#define THUMB_JPEG_QUALITY	80
#define THUMB_FILE_MAX		(4u * MIB)	/* a 640 px JPEG is far smaller; anything bigger is not ours */
#define RENDER_PX_PER_CELL	8		/* decode a thumb no smaller than this per column */

/* A child's status for "could not write its files" (ERR_* are negative, 0 is success). */
#define CHILD_IO_FAILED		1

#define WHY_EMPTY	"the file is empty"
#define WHY_UNKNOWN	"not an image or a video (jpeg, png, gif, webp, mp4 or webm)"
#define WHY_NOTFILE	"not a regular file"

static const struct sandbox_limits decode_limits = {
	.cpu_seconds = 10,
	.wall_ms = 15000,
	.memory_bytes = (size_t)1 << 30,	/* a 40 MP RGBA picture alone is 160 MB */
};

/* What a child sends back: fixed size, well under SANDBOX_RESULT_MAX. */
struct job_result {
	int32_t	format;
	int32_t	width, height;
	int32_t	stored_format;
	int32_t	stored_w, stored_h;
	int64_t	stored_bytes;
	int64_t	duration_ms;
	char	why[256];
};

struct job {
	enum media_format	 fmt;
	const uint8_t		*data;		/* images: the whole file */
	size_t			 n;
	const char		*path;		/* videos: the file */
	const char		*out_tmp;	/* process: temporary names to write */
	const char		*thumb_tmp;
};

static void
set_why(char *why, size_t whysz, const char *s)
{
	if (why != NULL && whysz > 0)
		snprintf(why, whysz, "%s", s);
}

/* Size in MiB for people, rounded up to a tenth: 10 MiB and a byte is "10.1". */
static void
too_large(char *why, size_t whysz, uint64_t bytes, bool video)
{
	uint64_t tenths = (bytes * 10 + MIB - 1) / MIB;

	if (why != NULL && whysz > 0)
		snprintf(why, whysz, "file too large: %llu.%llu MiB; the limit for %s is %u MiB",
		    (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10),
		    video ? "videos" : "images", (video ? VIDEO_MAX_BYTES : IMAGE_MAX_BYTES) / MIB);
}

static ssize_t
read_some(int fd, void *p, size_t n)
{
	ssize_t r;

	do
		r = read(fd, p, n);
	while (r < 0 && errno == EINTR);
	return r;
}

/*
 * Read fd to its end, but never more than cap + 1 bytes: *np > cap then
 * means "too large", whatever st_size said (a file may grow, or lie).
 */
static int
read_capped(int fd, size_t cap, size_t hint, uint8_t **pp, size_t *np)
{
	uint8_t	*p;
	size_t	 alloc = hint < cap ? hint + 1 : cap + 1, n = 0;
	ssize_t	 r;

	*pp = NULL;
	*np = 0;
	if (alloc < 4096)
		alloc = 4096;
	p = xmalloc(alloc);
	for (;;) {
		if (n == alloc) {
			if (alloc > cap) {
				break;	/* read cap + 1: enough to know */
			}
			alloc = alloc * 2 > cap + 1 ? cap + 1 : alloc * 2;
			p = xreallocarray(p, alloc, 1);
		}
		r = read_some(fd, p + n, alloc - n);
		if (r < 0) {
			free(p);
			return ERR_SYSTEM;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*pp = p;
	*np = n;
	return 0;
}

/* Open a file that must be a regular one; *stp filled. -1 with errno, or -2 for "not a file". */
static int
open_regular(const char *path, struct stat *stp, bool nofollow)
{
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0)
		return nofollow && errno == ELOOP ? -2 : -1;	/* ELOOP: a symbolic link */
	if (fstat(fd, stp) != 0) {
		close(fd);
		return -1;
	}
	if (!S_ISREG(stp->st_mode)) {
		close(fd);
		return -2;
	}
	return fd;
}

/* ---- children ------------------------------------------------------------- */

/* An ERR_SYSTEM from the decoders is their allocation failing: report it as such. */
static int
child_status(int r)
{
	return r == ERR_SYSTEM ? SANDBOX_FN_NOMEM : r;
}

/* The upload's upright size: the header's, turned by the EXIF orientation. */
static int
upright_size(const struct job *j, struct job_result *res)
{
	enum media_format	fmt;
	int			w, h, t, r;

	r = image_probe(j->data, j->n, &fmt, &w, &h, res->why, sizeof res->why);
	if (r != 0)
		return r;
	if (fmt == MF_JPEG && exif_orientation(j->data, j->n) >= 5) {
		t = w;
		w = h;
		h = t;
	}
	res->format = fmt;
	res->width = w;
	res->height = h;
	return 0;
}

static int
validate_child(void *arg, void *out, size_t outsz, size_t *outn)
{
	const struct job	*j = arg;
	struct job_result	 res;
	struct video_info	 vi;
	struct image		 im;
	int			 r;

	(void)outsz;
	memset(&res, 0, sizeof res);
	memset(&im, 0, sizeof im);
	if (media_format_is_video(j->fmt)) {
		r = video_probe(j->path, &vi, &im, res.why, sizeof res.why);
		/* ERR_SYSTEM from videos: the helper could not run, the server's fault, not the file's. */
		if (r == ERR_SYSTEM)
			r = CHILD_IO_FAILED;
		if (r == 0) {
			res.format = vi.format;
			res.width = vi.width;
			res.height = vi.height;
			res.duration_ms = vi.duration_ms;
		}
	} else if ((r = upright_size(j, &res)) == 0) {
		/*
		 * At the smallest DCT scale (1/8 for JPEG): every byte is still
		 * entropy-decoded, so damage shows, for half the time of a
		 * 2048 px decode. Other formats decode whole regardless.
		 */
		r = image_decode(j->data, j->n, 1, &im, res.why, sizeof res.why);
	}
	image_free(&im);
	memcpy(out, &res, sizeof res);
	*outn = sizeof res;
	return child_status(r);
}

static int
write_file(const char *path, const uint8_t *p, size_t n)
{
	ssize_t	w;
	int	fd, r = ERR_SYSTEM;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return ERR_SYSTEM;
	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto out;
		p += w;
		n -= (size_t)w;
	}
	if (fsync(fd) != 0)
		goto out;
	r = 0;
 out:
	if (close(fd) != 0)
		r = ERR_SYSTEM;
	return r;
}

static int
encode_and_write(const struct image *im, enum media_format fmt, int quality, const char *path,
    int64_t *bytesp)
{
	uint8_t	*p;
	size_t	 n;
	int	 r;

	if ((r = image_encode(im, fmt, quality, &p, &n)) != 0)
		return r;
	if (write_file(path, p, n) != 0)
		r = CHILD_IO_FAILED;
	free(p);
	if (r == 0 && bytesp != NULL)
		*bytesp = (int64_t)n;
	return r;
}

/* Make a file another program wrote durable, and give its size. */
static int
file_size(const char *path, int64_t *bytesp)
{
	struct stat	st;
	int		fd, r = ERR_SYSTEM;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return ERR_SYSTEM;
	if (fsync(fd) == 0 && fstat(fd, &st) == 0 && st.st_size > 0) {
		*bytesp = (int64_t)st.st_size;
		r = 0;
	}
	close(fd);
	return r;
}

static int
process_image(const struct job *j, struct job_result *res)
{
	struct image		 full, stored, thumb;
	enum media_format	 sf;
	int			 r;

	memset(&full, 0, sizeof full);
	memset(&stored, 0, sizeof stored);
	memset(&thumb, 0, sizeof thumb);
	if ((r = upright_size(j, res)) != 0)
		goto out;
	if (res->format != (int32_t)j->fmt) {
		set_why(res->why, sizeof res->why, "the file changed type since it was checked");
		r = ERR_INVALID;
		goto out;
	}
	if ((r = image_decode(j->data, j->n, IMAGE_STORED_MAX_SIDE, &full, res->why,
	    sizeof res->why)) != 0)
		goto out;
	/* Chosen on the decoded pixels: scaling would blend new colours into a flat graphic. */
	sf = image_pick_stored_format(j->fmt, &full);
	r = ERR_SYSTEM;
	if (image_fit(&full, IMAGE_STORED_MAX_SIDE, IMAGE_STORED_MAX_SIDE, &stored) != 0)
		goto out;
	image_free(&full);
	if (image_fit(&stored, IMAGE_THUMB_MAX_SIDE, IMAGE_THUMB_MAX_SIDE, &thumb) != 0)
		goto out;
	if ((r = encode_and_write(&stored, sf, IMAGE_JPEG_QUALITY, j->out_tmp,
	    &res->stored_bytes)) != 0 ||
	    (r = encode_and_write(&thumb, MF_JPEG, THUMB_JPEG_QUALITY, j->thumb_tmp, NULL)) != 0) {
		if (r == CHILD_IO_FAILED)
			set_why(res->why, sizeof res->why, "cannot write the stored copy");
		goto out;
	}
	res->stored_format = sf;
	res->stored_w = stored.w;
	res->stored_h = stored.h;
	r = 0;
 out:
	image_free(&full);
	image_free(&stored);
	image_free(&thumb);
	return r;
}

static int
process_video(const struct job *j, struct job_result *res)
{
	struct video_info	vi;
	struct image		thumb;
	int			r;

	if ((r = video_probe(j->path, &vi, &thumb, res->why, sizeof res->why)) != 0)
		return r == ERR_SYSTEM ? CHILD_IO_FAILED : r;
	if (vi.format != j->fmt) {
		image_free(&thumb);
		set_why(res->why, sizeof res->why, "the file changed type since it was checked");
		return ERR_INVALID;
	}
	res->format = vi.format;
	res->width = res->stored_w = vi.width;
	res->height = res->stored_h = vi.height;
	res->duration_ms = vi.duration_ms;
	res->stored_format = vi.format;
	r = encode_and_write(&thumb, MF_JPEG, THUMB_JPEG_QUALITY, j->thumb_tmp, NULL);
	image_free(&thumb);
	if (r != 0) {
		set_why(res->why, sizeof res->why, "cannot write the preview");
		return r;
	}
	/* Not a copy: the upload's metadata (where, when, which phone) must not be kept. */
	if ((r = video_remux(j->path, j->out_tmp, res->why, sizeof res->why)) != 0)
		return r == ERR_SYSTEM ? CHILD_IO_FAILED : r;
	if (file_size(j->out_tmp, &res->stored_bytes) != 0) {
		set_why(res->why, sizeof res->why, "cannot write the stored copy");
		return CHILD_IO_FAILED;
	}
	return 0;
}

static int
process_child(void *arg, void *out, size_t outsz, size_t *outn)
{
	const struct job	*j = arg;
	struct job_result	 res;
	int			 r;

	(void)outsz;
	memset(&res, 0, sizeof res);
	if (media_format_is_video(j->fmt))
		r = process_video(j, &res);
	else
		r = process_image(j, &res);
	memcpy(out, &res, sizeof res);
	*outn = sizeof res;
	return child_status(r);
}

/* ---- the parent's side ------------------------------------------------------ */

/* Run fn on j in the sandbox; 0 with *res, or an error with why. */
static int
run_job(sandbox_fn fn, struct job *j, struct job_result *res, char *why, size_t whysz)
{
	enum sandbox_outcome	o;
	size_t			n;
	int			status;
	bool			video = media_format_is_video(j->fmt);

	memset(res, 0, sizeof *res);
	o = sandbox_run(&decode_limits, fn, j, &status, res, sizeof *res, &n);
	switch (o) {
	case SANDBOX_OK:
		if (n != sizeof *res) {
			set_why(why, whysz, "internal error: a short answer from the decoder");
			return ERR_INTERNAL;
		}
		res->why[sizeof res->why - 1] = '\0';
		if (status == 0)
			return 0;
		if (status == CHILD_IO_FAILED) {
			log_error("media: %s", res->why);
			set_why(why, whysz, res->why);
			return ERR_SYSTEM;
		}
		set_why(why, whysz, res->why[0] != '\0' ? res->why : "the file cannot be decoded");
		return status == ERR_INVALID ? ERR_INVALID : ERR_SYSTEM;
	case SANDBOX_KILLED:
	case SANDBOX_NOMEM:
		set_why(why, whysz, video ? "the video could not be decoded within the limits" :
		    "the image could not be decoded within the limits");
		return ERR_INVALID;
	default:
		set_why(why, whysz, "cannot start the decoder");
		return ERR_SYSTEM;
	}
}

/*
 * The common front of validate and process: open, sniff, size caps, and
 * for images the bytes. *datap is malloc'd (images) or NULL (videos).
 */
static int
load_upload(const char *path, enum media_format *fmtp, int64_t *sizep, uint8_t **datap,
    size_t *np, char *why, size_t whysz)
{
	struct stat	 st;
	uint8_t		 head[16];
	ssize_t		 hn;
	size_t		 cap;
	bool		 video;
	int		 fd, r;

	*fmtp = MF_NONE;
	*sizep = 0;
	*datap = NULL;
	*np = 0;
	if ((fd = open_regular(path, &st, true)) == -2) {
		set_why(why, whysz, WHY_NOTFILE);
		return ERR_INVALID;
	}
	if (fd < 0) {
		set_why(why, whysz, errno == ENOENT ? "no such file" : "cannot read the file");
		return errno == ENOENT ? ERR_NOTFOUND : ERR_SYSTEM;
	}
	if ((hn = read_some(fd, head, sizeof head)) < 0) {
		set_why(why, whysz, "cannot read the file");
		r = ERR_SYSTEM;
		goto out;
	}
	if (hn == 0) {
		set_why(why, whysz, WHY_EMPTY);
		r = ERR_INVALID;
		goto out;
	}
	if ((*fmtp = media_sniff(head, (size_t)hn)) == MF_NONE) {
		set_why(why, whysz, WHY_UNKNOWN);
		r = ERR_INVALID;
		goto out;
	}
	video = media_format_is_video(*fmtp);
	cap = video ? VIDEO_MAX_BYTES : IMAGE_MAX_BYTES;
	*sizep = st.st_size;
	/* Refused by its size before a byte more is read (a sparse 60 GiB file costs nothing). */
	if ((uint64_t)st.st_size > cap) {
		too_large(why, whysz, (uint64_t)st.st_size, video);
		r = ERR_INVALID;
		goto out;
	}
	if (video) {
		r = 0;
		goto out;
	}
	if (lseek(fd, 0, SEEK_SET) != 0 ||
	    read_capped(fd, cap, (size_t)st.st_size, datap, np) != 0) {
		set_why(why, whysz, "cannot read the file");
		r = ERR_SYSTEM;
		goto out;
	}
	if (*np > cap) {
		too_large(why, whysz, *np, false);
		r = ERR_INVALID;
		goto out;
	}
	*sizep = (int64_t)*np;
	r = 0;
 out:
	if (r != 0) {
		free(*datap);
		*datap = NULL;
		*np = 0;
	}
	close(fd);
	return r;
}

int
media_validate_file(const char *path, struct media_info *info, char *why, size_t whysz)
{
	struct job_result	res;
	struct job		j;
	uint8_t			*data;
	size_t			n;
	int64_t			size;
	int			r;

	memset(info, 0, sizeof *info);
	set_why(why, whysz, "");
	if ((r = load_upload(path, &j.fmt, &size, &data, &n, why, whysz)) != 0)
		return r;
	j.data = data;
	j.n = n;
	j.path = path;
	j.out_tmp = j.thumb_tmp = NULL;
	r = run_job(validate_child, &j, &res, why, whysz);
	free(data);
	if (r != 0)
		return r;
	info->format = (enum media_format)res.format;
	info->width = res.width;
	info->height = res.height;
	info->duration_ms = res.duration_ms;
	info->bytes = size;
	return 0;
}

/* fsync the directory holding path, so a rename in it survives a crash. */
static void
sync_dir_of(const char *path)
{
	char	*copy = xstrdup(path);
	int	 fd;

	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int
media_process_file(const char *src, enum media_format fmt, const char *out_path,
    const char *thumb_path, struct media_processed *res, char *why, size_t whysz)
{
	struct job_result	 jr;
	struct job		 j;
	enum media_format	 sniffed;
	uint8_t			*data = NULL;
	char			*out_tmp, *thumb_tmp;
	size_t			 n;
	int64_t			 size;
	int			 r;

	memset(res, 0, sizeof *res);
	set_why(why, whysz, "");
	if ((r = load_upload(src, &sniffed, &size, &data, &n, why, whysz)) != 0)
		return r;
	if (sniffed != fmt) {
		free(data);
		set_why(why, whysz, "the file changed type since it was checked");
		return ERR_INVALID;
	}
	/* The pid keeps two workers on the same item (never meant to happen) apart. */
	out_tmp = xasprintf("%s.%ld.tmp", out_path, (long)getpid());
	thumb_tmp = xasprintf("%s.%ld.tmp", thumb_path, (long)getpid());
	j.fmt = fmt;
	j.data = data;
	j.n = n;
	j.path = src;
	j.out_tmp = out_tmp;
	j.thumb_tmp = thumb_tmp;
	r = run_job(process_child, &j, &jr, why, whysz);
	free(data);
	if (r == 0) {
		if (rename(out_tmp, out_path) != 0 || rename(thumb_tmp, thumb_path) != 0) {
			log_error("media: rename into %s: %s", out_path, strerror(errno));
			set_why(why, whysz, "cannot write the stored copy");
			r = ERR_SYSTEM;
		} else {
			sync_dir_of(out_path);
			sync_dir_of(thumb_path);
		}
	}
	/* After a success these are gone already; after a failure, whatever the child left. */
	unlink(out_tmp);
	unlink(thumb_tmp);
	free(out_tmp);
	free(thumb_tmp);
	if (r != 0)
		return r;
	res->stored_format = (enum media_format)jr.stored_format;
	res->width = jr.stored_w;
	res->height = jr.stored_h;
	res->stored_bytes = jr.stored_bytes;
	res->duration_ms = jr.duration_ms;
	return 0;
}

/* A thumb file (ours, small) into memory: 0, ERR_NOTFOUND, ERR_INVALID or ERR_SYSTEM. */
static int
read_thumb(const char *path, uint8_t **pp, size_t *np)
{
	struct stat	st;
	int		fd, r;

	*pp = NULL;
	*np = 0;
	if ((fd = open_regular(path, &st, false)) == -2)
		return ERR_INVALID;
	if (fd < 0)
		return errno == ENOENT ? ERR_NOTFOUND : ERR_SYSTEM;
	r = read_capped(fd, THUMB_FILE_MAX, (size_t)st.st_size, pp, np);
	close(fd);
	if (r == 0 && *np > THUMB_FILE_MAX) {
		free(*pp);
		*pp = NULL;
		*np = 0;
		r = ERR_INVALID;
	}
	return r;
}

int
media_render_thumb(const char *thumb_path, int cols, int rows, int colors, bool ascii,
    struct cellgrid *out)
{
	struct image	 im;
	uint8_t		*p;
	size_t		 n;
	int		 r, min_side;
	char		 why[128];

	memset(out, 0, sizeof *out);
	if ((r = read_thumb(thumb_path, &p, &n)) != 0)
		return r;
	/* Decode no bigger than the grid can show: DCT scaling makes small grids cheap. */
	min_side = cols > rows * CELL_ASPECT ? cols : rows * CELL_ASPECT;
	r = image_decode(p, n, min_side * RENDER_PX_PER_CELL, &im, why, sizeof why);
	free(p);
	if (r != 0)
		return r;
	r = preview_render(&im, cols, rows, colors, ascii, out);
	image_free(&im);
	return r;
}

int
media_thumb_size(const char *thumb_path, int *wp, int *hp)
{
	enum media_format	 fmt;
	uint8_t			*p;
	size_t			 n;
	int			 r;
	char			 why[128];

	*wp = *hp = 0;
	if ((r = read_thumb(thumb_path, &p, &n)) != 0)
		return r;
	r = image_probe(p, n, &fmt, wp, hp, why, sizeof why);
	free(p);
	return r;
}

void
media_remove_files(const char *data_dir, int64_t owner, int64_t id, enum media_format stored_fmt)
{
	static const enum media_format any[] = { MF_JPEG, MF_PNG, MF_MP4, MF_WEBM };
	char	*path;
	size_t	 i;

	path = media_path(data_dir, owner, id, MEDIA_FILE_UPLOAD, MF_NONE);
	(void)unlink(path);
	free(path);
	path = media_path(data_dir, owner, id, MEDIA_FILE_THUMB, MF_NONE);
	(void)unlink(path);
	free(path);
	path = xasprintf("%s/media/%lld.new", data_dir, (long long)id);
	(void)unlink(path);
	free(path);
	for (i = 0; i < sizeof any / sizeof any[0]; i++) {
		if (stored_fmt != MF_NONE && stored_fmt != any[i])
			continue;
		path = media_path(data_dir, owner, id, MEDIA_FILE_STORED, any[i]);
		(void)unlink(path);
		free(path);
	}
}

char *
media_path(const char *data_dir, int64_t owner, int64_t id, enum media_file which,
    enum media_format fmt)
{
	switch (which) {
	case MEDIA_FILE_UPLOAD:
		return xasprintf("%s/spool/%lld/%lld.upload", data_dir, (long long)owner,
		    (long long)id);
	case MEDIA_FILE_STORED:
		return xasprintf("%s/media/%lld.%s", data_dir, (long long)id, media_format_ext(fmt));
	case MEDIA_FILE_THUMB:
	default:
		return xasprintf("%s/media/%lld.thumb.jpg", data_dir, (long long)id);
	}
}
