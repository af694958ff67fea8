#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/e2e/rawconn.h"

static int
raw_connect(const struct server *srv, const char *src)
{
	struct sockaddr_in	a;
	int			fd;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	if (inet_pton(AF_INET, src, &a.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
		goto fail;
	a.sin_port = htons((uint16_t)srv->port);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
		goto fail;
	return fd;
 fail:
	close(fd);
	return -1;
}

int
raw_hold(struct rawset *set, const struct server *srv, const char *src, int n,
    bool banner)
{
	static const char line[] = "SSH-2.0-stalled_client\r\n";
	int i, fd, ok = 0;

	for (i = 0; i < n; i++) {
		if ((fd = raw_connect(srv, src)) < 0)
			continue;
		if (set->n == set->cap) {
			set->cap = set->cap ? set->cap * 2 : 64;
			if ((set->fd = realloc(set->fd, (size_t)set->cap * sizeof *set->fd)) == NULL)
				abort();
		}
		set->fd[set->n++] = fd;
		if (banner && write(fd, line, sizeof line - 1) != (ssize_t)(sizeof line - 1))
			continue;
		ok++;
	}
	return ok;
}

int
raw_fd(const struct rawset *set, int i)
{
	if (i < 0)
		i += set->n;
	return i >= 0 && i < set->n ? set->fd[i] : -1;
}

bool
raw_closed_by_server(int fd, int ms)
{
	struct pollfd	p = { .fd = fd, .events = POLLIN };
	char		buf[512];
	long long	deadline = harness_now_ms() + ms;
	ssize_t		n;

	while (harness_now_ms() < deadline) {
		if (poll(&p, 1, 50) <= 0)
			continue;
		n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN))
			return true;
	}
	return false;
}

bool
raw_still_open(int fd)
{
	char	c;
	ssize_t	n = recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);

	return n > 0 || (n < 0 && errno == EAGAIN);
}

void
raw_close_all(struct rawset *set)
{
	while (set->n > 0)
		close(set->fd[--set->n]);
	free(set->fd);
	set->fd = NULL;
	set->cap = 0;
}

int
server_fd_count(const struct server *srv)
{
	char		 path[64];
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	snprintf(path, sizeof path, "/proc/%ld/fd", (long)srv->pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

bool
server_wait_fds(const struct server *srv, int n)
{
	long long deadline = harness_now_ms() + harness_timeout_ms();

	while (harness_now_ms() < deadline) {
		if (server_fd_count(srv) >= n)
			return true;
		(void)poll(NULL, 0, 20);
	}
	fprintf(stderr, "rawconn: sshbookd holds %d fds, expected %d\n",
	    server_fd_count(srv), n);
	return false;
}

bool
server_wait_sessions(const struct server *srv, int n)
{
	long long deadline = harness_now_ms() + harness_timeout_ms();

	while (harness_now_ms() < deadline) {
		if (server_descendants(srv, NULL, 0) >= n)
			return true;
		(void)poll(NULL, 0, 20);
	}
	fprintf(stderr, "rawconn: %d session processes, expected %d\n",
	    server_descendants(srv, NULL, 0), n);
	return false;
}
