#include "hub.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "common/sysutil.h"

int
hub_send(int fd, const struct hub_msg *m)
{
	ssize_t n;

	if (fd < 0)
		return -1;
	do
		n = send(fd, m, sizeof *m, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof *m ? 0 : -1;
}

int
hub_send_wait(int fd, const struct hub_msg *m, int timeout_ms)
{
	int64_t		deadline = mono_ms() + timeout_ms;
	struct pollfd	pfd;
	int64_t		left;
	ssize_t		n;

	if (fd < 0)
		return -1;
	for (;;) {
		n = send(fd, m, sizeof *m, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == (ssize_t)sizeof *m)
			return 0;
		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			return -1;
		if ((left = deadline - mono_ms()) <= 0)
			return -1;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return -1;
	}
}

int
hub_recv(int fd, struct hub_msg *m)
{
	ssize_t n;

	memset(m, 0, sizeof *m);
	do
		n = recv(fd, m, sizeof *m, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
	if (n == 0)
		return -1;
	return n == (ssize_t)sizeof *m ? 1 : 0;
}
