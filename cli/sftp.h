/*
 * An upload-only SFTP server (protocol version 3, draft-ietf-secsh-filexfer-02)
 * on two file descriptors: what `scp file host:` (OpenSSH 9+, which speaks
 * SFTP) and `sftp host` need to put files, and nothing more. sshbookd runs
 * the app with --sftp on pipes for the "sftp" subsystem; the app calls
 * sftp_serve with hooks that spool and import each file.
 *
 * The client sees one directory, "/", which is always empty: every file
 * written there becomes a media item when closed. Reading, listing,
 * removing, renaming and links answer SSH_FX_PERMISSION_DENIED or
 * SSH_FX_OP_UNSUPPORTED with a message; realpath and stat work as scp needs.
 */
#ifndef SSHBOOK_SFTP_H
#define SSHBOOK_SFTP_H

#include <stddef.h>
#include <stdint.h>

#define SFTP_PACKET_MAX		(256 * 1024)	/* larger packets end the session */
#define SFTP_OPEN_FILES_MAX	8

struct sftp_hooks {
	/*
	 * The client opens name (a file name, path stripped: "cat.jpg"; valid
	 * UTF-8 without control characters, 1..255 bytes, never "." or "..")
	 * for writing. Return an fd the server writes the data to (pwrite at
	 * the client's offsets, so it must be seekable) and later hands to
	 * close or abort, or -1 with a sentence in why, which the person sees
	 * as "NAME: why".
	 */
	int	(*open)(void *arg, const char *name, char *why, size_t whysz);
	/*
	 * The client closed the file; bytes is the size written (the end of
	 * the furthest write). Import it; return 0 (why may hold a line for the
	 * user: "cat.jpg: media 42") or an ERR_* with why ("cat.jpg: not an
	 * image"). why is a whole line, shown as is, so it names the file. The
	 * fd is the hook's to close either way.
	 */
	int	(*close)(void *arg, const char *name, int fd, int64_t bytes, char *why,
		    size_t whysz);
	/*
	 * The file will not be imported (over max_bytes, a failed write, or
	 * the client left): drop it and close fd. Each fd from open goes to
	 * exactly one of close and abort.
	 */
	void	(*abort)(void *arg, const char *name, int fd);
	/*
	 * A write would make the file end bytes long (more than it has, and
	 * within max_bytes). Return 0 to let it, or an ERR_* with a sentence in
	 * why: the write fails with SSH_FX_FAILURE and "NAME: why" (SFTP v3 has
	 * no quota status) and the file is aborted. May be NULL.
	 */
	int	(*grow)(void *arg, const char *name, int fd, int64_t end, char *why,
		    size_t whysz);
	void	*arg;
	/*
	 * Per file: a write ending past this fails with "NAME: file too large:
	 * the limit is 50 MiB" and aborts the file. 0 or less refuses every byte.
	 */
	int64_t	 max_bytes;
	/*
	 * Lines for the person (results and refusals, one line each without a
	 * newline), e.g. the session's stderr: scp and sftp show only generic
	 * status words themselves. May be NULL.
	 */
	void	(*say)(void *arg, const char *line);
};

/*
 * Serve until the client closes its end (0; also when it leaves in the middle
 * of a packet or stops reading replies), sends something that is not SFTP
 * (ERR_INVALID, after logging: a packet shorter than 5 or longer than
 * SFTP_PACKET_MAX bytes, a field running past its packet, a request before
 * INIT or a second INIT), or a read or write fails (ERR_SYSTEM, logged). Open
 * files left at the end are aborted. The fds are blocking pipes or sockets
 * (non-blocking ones work too, through poll) and are not closed. The caller
 * ignores SIGPIPE, so a client that goes away while a reply is written ends
 * the loop instead of the process.
 */
int	sftp_serve(int in_fd, int out_fd, const struct sftp_hooks *);

#endif
