/*
 * Moving bytes between one SSH channel and the app behind it: the pty
 * master (one fd both ways), or three pipes (stdin, stdout, stderr).
 *
 * Nothing here blocks and nothing here is called from a libssh callback
 * except relay_take_input and relay_input_eof, which only queue. The
 * session's main loop calls relay_pump after every poll, and registers the
 * fds relay_fds asks for. Backpressure both ways: the app's output is read
 * only while the client's window has room, and client data beyond a bounded
 * queue is left to libssh, which then stops growing the client's window.
 */
#ifndef SSHBOOK_SSHD_RELAY_H
#define SSHBOOK_SSHD_RELAY_H

#include <stdbool.h>
#include <stddef.h>

#include <libssh/libssh.h>

#include "common/buf.h"

struct relay_queue {
	struct buf	b;
	size_t		off;	/* bytes of b already sent */
};

struct relay {
	ssh_channel		 ch;
	bool			 pty;		/* in_fd == out_fd: the pty master */
	int			 in_fd;		/* the app's stdin; -1 when closed */
	int			 out_fd;	/* the app's stdout; -1 at EOF (EIO on a pty) */
	int			 err_fd;	/* the app's stderr; -1 at EOF or with a pty */
	bool			 attached;	/* the app side is set up */
	bool			 in_open;	/* client data is still wanted */
	bool			 in_eof;	/* the client sent EOF */
	bool			 in_backlog;	/* libssh holds data we had no room for */
	bool			 ch_broken;	/* a channel write failed: discard */
	struct relay_queue	 in;		/* client -> app */
	struct relay_queue	 out;		/* app stdout -> channel */
	struct relay_queue	 err;		/* app stderr -> channel stderr */
};

/* A relay for ch with no app yet: client data is queued until relay_attach. */
void	relay_init(struct relay *r, ssh_channel ch);
/*
 * Connect the app's side. With pty, in_fd and out_fd are the same master
 * and err_fd is -1. The relay owns the fds from now on.
 */
void	relay_attach(struct relay *r, bool pty, int in_fd, int out_fd, int err_fd);

/*
 * Client data from the channel data callback. Returns how many bytes were
 * taken; the rest stays with libssh and is fetched by relay_pump once the
 * queue drains. Data nobody wants any more is taken and dropped.
 */
size_t	relay_take_input(struct relay *r, const void *data, size_t len);
/* The client sent EOF: close the app's stdin once the queue is written (pipes only). */
void	relay_input_eof(struct relay *r);

/* Queue text for the client after what the app wrote (to stderr if to_stderr). */
void	relay_say(struct relay *r, bool to_stderr, const char *text);

/* Do every transfer possible right now, without blocking. */
void	relay_pump(struct relay *r);

/*
 * The fds to poll and their events, for at most 3 entries (a pty gives one).
 * Returns the count; fds needing nothing are left out.
 */
size_t	relay_fds(const struct relay *r, int fds[3], short events[3]);

/* True when the app's output side is finished: stdout and stderr at EOF. */
bool	relay_app_done(const struct relay *r);
/* Stop reading the app now (it exited but something still holds its output open). */
void	relay_close_app(struct relay *r);
/* True when nothing is left to send to the client (or the channel is broken). */
bool	relay_flushed(const struct relay *r);
/* Close every fd and free the queues. */
void	relay_free(struct relay *r);

#endif
