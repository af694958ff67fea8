/*
 * Videos through the ffmpeg libraries (5.1 APIs: send_packet/receive_frame).
 *
 * The demuxer is chosen from the magic bytes, never probed: ffmpeg's probing
 * would also try playlists and concat scripts, which open other files and
 * URLs named inside the upload. So the format, the protocol ("file" only)
 * and the demuxers are all pinned before a byte is parsed, and the path is
 * passed as "file:PATH" so that no colon in it can select a protocol.
 */
#include "media/video.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include "common/err.h"

#define MAX_PACKETS	5000	/* read this many without a picture: give up */
#define DEMUXERS	"mov,mp4,m4a,3gp,3g2,mj2,matroska,webm"

static void
set_why(char *why, size_t whysz, const char *s)
{
	if (why != NULL && whysz > 0)
		snprintf(why, whysz, "%s", s);
}

static enum media_format
sniff_path(const char *path)
{
	uint8_t	b[16];
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return MF_NONE;
	do
		n = read(fd, b, sizeof b);
	while (n < 0 && errno == EINTR);
	close(fd);
	return n > 0 ? media_sniff(b, (size_t)n) : MF_NONE;
}

/* Degrees to turn the picture clockwise for display, as 0, 90, 180 or 270. */
static int
stream_rotation(const AVStream *st)
{
	const uint8_t	*sd;
	size_t		 size = 0;
	double		 deg;
	int		 q;

	sd = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
	if (sd == NULL || size < 9 * sizeof(int32_t))
		return 0;
	/* av_display_rotation_get is counter-clockwise; NaN for a degenerate matrix. */
	deg = -av_display_rotation_get((const int32_t *)(const void *)sd);
	if (isnan(deg))
		return 0;
	q = (int)lround(deg / 90.0) % 4;
	if (q < 0)
		q += 4;
	return q * 90;
}

static int
rotation_orientation(int rot)
{
	switch (rot) {
	case 90:
		return 6;
	case 180:
		return 3;
	case 270:
		return 8;
	default:
		return 1;
	}
}

/* The first picture from the first keyframe on: 0, ERR_INVALID or ERR_SYSTEM (no memory). */
static int
first_picture(AVFormatContext *fc, AVCodecContext *cc, int idx, AVFrame *frame)
{
	AVPacket	*pkt;
	bool		 started = false, flushed = false;
	int		 i, r;

	if ((pkt = av_packet_alloc()) == NULL)
		return ERR_SYSTEM;
	for (i = 0; i < MAX_PACKETS; i++) {
		if (!flushed) {
			r = av_read_frame(fc, pkt);
			if (r == AVERROR(ENOMEM))
				goto out;
			if (r < 0) {
				/* The end: drain what the decoder still holds. */
				flushed = true;
				r = avcodec_send_packet(cc, NULL);
			} else if (pkt->stream_index != idx ||
			    (!started && !(pkt->flags & AV_PKT_FLAG_KEY))) {
				av_packet_unref(pkt);
				continue;
			} else {
				started = true;
				r = avcodec_send_packet(cc, pkt);
				av_packet_unref(pkt);
			}
			if (r == AVERROR(ENOMEM))
				goto out;
			if (r < 0 && r != AVERROR(EAGAIN) && r != AVERROR_EOF) {
				r = ERR_INVALID;
				goto out;
			}
		}
		r = avcodec_receive_frame(cc, frame);
		if (r == 0)
			goto out;
		if (r == AVERROR(ENOMEM))
			goto out;
		if (r != AVERROR(EAGAIN)) {
			r = ERR_INVALID;	/* AVERROR_EOF after the drain: no picture at all */
			goto out;
		}
		if (flushed) {
			r = ERR_INVALID;
			goto out;
		}
	}
	r = ERR_INVALID;
 out:
	if (r == AVERROR(ENOMEM))
		r = ERR_SYSTEM;
	av_packet_free(&pkt);
	return r;
}

/* frame to RGBA, longest displayed side at most IMAGE_THUMB_MAX_SIDE. */
static int
frame_to_thumb(const AVFrame *frame, AVRational sar, struct image *thumb)
{
	struct SwsContext	*sws;
	uint8_t			*dst[4] = { NULL };
	int			 stride[4] = { 0 };
	double			 dw, s;
	int			 tw, th, r;
	size_t			 i, n;

	if (frame->width <= 0 || frame->height <= 0 ||
	    (uint64_t)frame->width * (uint64_t)frame->height > IMAGE_MAX_PIXELS)
		return ERR_INVALID;
	/* Anamorphic video: pixels are not square, the display width differs. */
	dw = frame->width;
	if (sar.num > 0 && sar.den > 0)
		dw = dw * sar.num / sar.den;
	s = 1.0;
	if (dw > IMAGE_THUMB_MAX_SIDE || frame->height > IMAGE_THUMB_MAX_SIDE)
		s = IMAGE_THUMB_MAX_SIDE / (dw > frame->height ? dw : frame->height);
	tw = (int)lround(dw * s);
	th = (int)lround(frame->height * s);
	tw = tw < 1 ? 1 : tw > IMAGE_THUMB_MAX_SIDE ? IMAGE_THUMB_MAX_SIDE : tw;
	th = th < 1 ? 1 : th > IMAGE_THUMB_MAX_SIDE ? IMAGE_THUMB_MAX_SIDE : th;

	sws = sws_getContext(frame->width, frame->height, frame->format, tw, th,
	    AV_PIX_FMT_RGBA, SWS_AREA, NULL, NULL, NULL);
	if (sws == NULL)
		return ERR_INVALID;	/* an odd pixel format */
	if ((thumb->rgba = malloc((size_t)tw * (size_t)th * 4)) == NULL) {
		sws_freeContext(sws);
		return ERR_SYSTEM;
	}
	dst[0] = thumb->rgba;
	stride[0] = tw * 4;
	r = sws_scale(sws, (const uint8_t *const *)frame->data, frame->linesize, 0,
	    frame->height, dst, stride);
	sws_freeContext(sws);
	if (r != th) {
		image_free(thumb);
		return ERR_INVALID;
	}
	thumb->w = tw;
	thumb->h = th;
	thumb->has_alpha = false;
	for (i = 0, n = (size_t)tw * (size_t)th; i < n; i++)
		if (thumb->rgba[i * 4 + 3] != 0xff) {
			thumb->has_alpha = true;
			break;
		}
	return 0;
}

/*
 * Open path as the mp4 or matroska/webm its magic bytes say, with the
 * demuxer, protocol and demuxer list pinned (see the top of this file).
 * 0 with *fcp and *fmtp, or ERR_INVALID / ERR_SYSTEM with why.
 */
static int
open_input(const char *path, AVFormatContext **fcp, enum media_format *fmtp, char *why,
    size_t whysz)
{
	AVFormatContext		*fc = NULL;
	AVDictionary		*opts = NULL;
	const AVInputFormat	*ifmt;
	char			*url;
	int			 r;

	*fcp = NULL;
	*fmtp = sniff_path(path);
	if (!media_format_is_video(*fmtp)) {
		set_why(why, whysz, "not a video");
		return ERR_INVALID;
	}
	if ((ifmt = av_find_input_format(*fmtp == MF_MP4 ? "mp4" : "matroska")) == NULL) {
		set_why(why, whysz, "cannot decode the video");
		return ERR_INVALID;
	}
	if ((url = malloc(strlen(path) + 6)) == NULL) {
		set_why(why, whysz, "out of memory");
		return ERR_SYSTEM;
	}
	snprintf(url, strlen(path) + 6, "file:%s", path);
	av_dict_set(&opts, "protocol_whitelist", "file", 0);
	av_dict_set(&opts, "format_whitelist", DEMUXERS, 0);
	r = avformat_open_input(&fc, url, ifmt, &opts);
	av_dict_free(&opts);
	free(url);
	if (r < 0) {
		set_why(why, whysz, r == AVERROR(ENOMEM) ? "out of memory" : "not a video");
		return r == AVERROR(ENOMEM) ? ERR_SYSTEM : ERR_INVALID;
	}
	if (strstr(fc->iformat->name, "mp4") == NULL && strstr(fc->iformat->name, "mov") == NULL &&
	    strstr(fc->iformat->name, "matroska") == NULL && strstr(fc->iformat->name, "webm") == NULL) {
		avformat_close_input(&fc);
		set_why(why, whysz, "not a video");
		return ERR_INVALID;
	}
	*fcp = fc;
	return 0;
}

int
video_probe_here(const char *path, struct video_info *info, struct image *thumb, char *why,
    size_t whysz)
{
	AVFormatContext		*fc = NULL;
	AVCodecContext		*cc = NULL;
	AVFrame			*frame = NULL;
	const AVCodec		*dec = NULL;
	AVStream		*st;
	enum media_format	 fmt;
	int			 idx, r, rot, w, h;

	memset(info, 0, sizeof *info);
	if (thumb != NULL)
		memset(thumb, 0, sizeof *thumb);
	set_why(why, whysz, "");
	av_log_set_level(AV_LOG_QUIET);

	if ((r = open_input(path, &fc, &fmt, why, whysz)) != 0)
		goto out;
	if ((r = avformat_find_stream_info(fc, NULL)) < 0) {
		set_why(why, whysz, r == AVERROR(ENOMEM) ? "out of memory" : "cannot decode the video");
		r = r == AVERROR(ENOMEM) ? ERR_SYSTEM : ERR_INVALID;
		goto out;
	}
	idx = av_find_best_stream(fc, AVMEDIA_TYPE_VIDEO, -1, -1, &dec, 0);
	if (idx < 0 || dec == NULL) {
		set_why(why, whysz, idx == AVERROR_STREAM_NOT_FOUND ? "no video stream" :
		    "cannot decode the video");
		r = ERR_INVALID;
		goto out;
	}
	st = fc->streams[idx];
	w = st->codecpar->width;
	h = st->codecpar->height;
	if (w <= 0 || h <= 0) {
		set_why(why, whysz, "cannot decode the video");
		r = ERR_INVALID;
		goto out;
	}
	if ((uint64_t)w * (uint64_t)h > IMAGE_MAX_PIXELS) {
		set_why(why, whysz, "the video's frames are too large");
		r = ERR_INVALID;
		goto out;
	}
	rot = stream_rotation(st);
	info->format = fmt;
	info->width = rot == 90 || rot == 270 ? h : w;
	info->height = rot == 90 || rot == 270 ? w : h;
	if (fc->duration != AV_NOPTS_VALUE && fc->duration > 0)
		info->duration_ms = av_rescale(fc->duration, 1000, AV_TIME_BASE);
	else if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
		info->duration_ms = av_rescale_q(st->duration, st->time_base, (AVRational){ 1, 1000 });
	if (thumb == NULL) {
		r = 0;
		goto out;
	}

	r = ERR_SYSTEM;
	if ((cc = avcodec_alloc_context3(dec)) == NULL || (frame = av_frame_alloc()) == NULL) {
		set_why(why, whysz, "out of memory");
		goto out;
	}
	if (avcodec_parameters_to_context(cc, st->codecpar) < 0) {
		set_why(why, whysz, "out of memory");
		goto out;
	}
	/* One picture needs no threads, and each thread's malloc arena eats the memory limit. */
	cc->thread_count = 1;
	if ((r = avcodec_open2(cc, dec, NULL)) < 0) {
		set_why(why, whysz, r == AVERROR(ENOMEM) ? "out of memory" : "cannot decode the video");
		r = r == AVERROR(ENOMEM) ? ERR_SYSTEM : ERR_INVALID;
		goto out;
	}
	if ((r = first_picture(fc, cc, idx, frame)) != 0 ||
	    (r = frame_to_thumb(frame, frame->sample_aspect_ratio.num > 0 ?
	    frame->sample_aspect_ratio : st->sample_aspect_ratio, thumb)) != 0) {
		set_why(why, whysz, r == ERR_SYSTEM ? "out of memory" : "cannot decode the video");
		goto out;
	}
	if ((r = image_orient(thumb, rotation_orientation(rot))) != 0) {
		set_why(why, whysz, "out of memory");
		goto out;
	}
	r = 0;
 out:
	if (r != 0) {
		memset(info, 0, sizeof *info);
		if (thumb != NULL)
			image_free(thumb);
	}
	av_frame_free(&frame);
	avcodec_free_context(&cc);
	avformat_close_input(&fc);
	return r;
}

int
video_remux_here(const char *src, const char *dst, char *why, size_t whysz)
{
	AVFormatContext		*in = NULL, *out = NULL;
	AVPacket		*pkt = NULL;
	enum media_format	 fmt;
	int			*map = NULL, r, n = 0;
	unsigned		 i;

	set_why(why, whysz, "");
	av_log_set_level(AV_LOG_QUIET);
	if ((r = open_input(src, &in, &fmt, why, whysz)) != 0)
		return r;
	r = ERR_INVALID;
	if (avformat_find_stream_info(in, NULL) < 0) {
		set_why(why, whysz, "cannot decode the video");
		goto out;
	}
	/* Matroska for every EBML upload: webm is its subset, and it takes any codec. */
	if (avformat_alloc_output_context2(&out, NULL, fmt == MF_MP4 ? "mp4" : "matroska",
	    NULL) < 0 || (map = calloc(in->nb_streams, sizeof *map)) == NULL ||
	    (pkt = av_packet_alloc()) == NULL) {
		set_why(why, whysz, "out of memory");
		r = ERR_SYSTEM;
		goto out;
	}
	/* Pictures and sound only, and no metadata: titles, places, devices stay behind. */
	for (i = 0; i < in->nb_streams; i++) {
		AVStream	*is = in->streams[i], *os;
		enum AVMediaType t = is->codecpar->codec_type;
		size_t		 sdsz;
		uint8_t		*sd, *nsd;

		map[i] = -1;
		if (t != AVMEDIA_TYPE_VIDEO && t != AVMEDIA_TYPE_AUDIO)
			continue;
		if ((os = avformat_new_stream(out, NULL)) == NULL ||
		    avcodec_parameters_copy(os->codecpar, is->codecpar) < 0) {
			set_why(why, whysz, "out of memory");
			r = ERR_SYSTEM;
			goto out;
		}
		os->codecpar->codec_tag = 0;
		os->time_base = is->time_base;
		/* The display matrix says which way is up: without it phone videos lie on their side. */
		sd = av_stream_get_side_data(is, AV_PKT_DATA_DISPLAYMATRIX, &sdsz);
		if (sd != NULL && (nsd = av_stream_new_side_data(os, AV_PKT_DATA_DISPLAYMATRIX,
		    sdsz)) != NULL)
			memcpy(nsd, sd, sdsz);
		map[i] = n++;
	}
	if (n == 0) {
		set_why(why, whysz, "no video stream");
		goto out;
	}
	{
		/* "file:" so that no colon in the path can choose a protocol. */
		char *url = malloc(strlen(dst) + 6);

		if (url != NULL)
			snprintf(url, strlen(dst) + 6, "file:%s", dst);
		r = url != NULL ? avio_open(&out->pb, url, AVIO_FLAG_WRITE) : -1;
		free(url);
	}
	if (r < 0) {
		set_why(why, whysz, "cannot write the stored copy");
		r = ERR_SYSTEM;
		goto out;
	}
	if (avformat_write_header(out, NULL) < 0) {
		set_why(why, whysz, "cannot store this video");
		goto out;
	}
	while (av_read_frame(in, pkt) >= 0) {
		int si = pkt->stream_index;

		if (si < 0 || (unsigned)si >= in->nb_streams || map[si] < 0) {
			av_packet_unref(pkt);
			continue;
		}
		av_packet_rescale_ts(pkt, in->streams[si]->time_base,
		    out->streams[map[si]]->time_base);
		pkt->stream_index = map[si];
		pkt->pos = -1;
		if (av_interleaved_write_frame(out, pkt) < 0) {
			set_why(why, whysz, "cannot store this video");
			goto out;
		}
	}
	if (av_write_trailer(out) < 0) {
		set_why(why, whysz, "cannot store this video");
		goto out;
	}
	r = 0;
 out:
	av_packet_free(&pkt);
	free(map);
	if (out != NULL) {
		if (out->pb != NULL)
			avio_closep(&out->pb);
		avformat_free_context(out);
	}
	avformat_close_input(&in);
	return r;
}
