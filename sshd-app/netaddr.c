#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "sshd-app/netaddr.h"

static const uint8_t v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

void
netaddr_from_sockaddr(const struct sockaddr_storage *ss, struct netaddr *out)
{
	const struct sockaddr_in	*s4;
	const struct sockaddr_in6	*s6;

	memset(out, 0, sizeof *out);
	out->v4 = true;
	if (ss->ss_family == AF_INET) {
		s4 = (const struct sockaddr_in *)(const void *)ss;
		memcpy(out->bytes, &s4->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)(const void *)ss;
		if (memcmp(s6->sin6_addr.s6_addr, v4_mapped, sizeof v4_mapped) == 0)
			memcpy(out->bytes, s6->sin6_addr.s6_addr + 12, 4);
		else {
			memcpy(out->bytes, s6->sin6_addr.s6_addr, 16);
			out->v4 = false;
		}
	}
}

bool
netaddr_same_net(const struct netaddr *a, const struct netaddr *b, int prefix4,
    int prefix6)
{
	int	bits, max;
	size_t	whole;
	uint8_t	mask;

	if (a->v4 != b->v4)
		return false;
	max = a->v4 ? 32 : 128;
	bits = a->v4 ? prefix4 : prefix6;
	if (bits < 0)
		bits = 0;
	if (bits > max)
		bits = max;
	whole = (size_t)bits / 8;
	if (memcmp(a->bytes, b->bytes, whole) != 0)
		return false;
	if (bits % 8 == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - bits % 8));
	return (a->bytes[whole] & mask) == (b->bytes[whole] & mask);
}

bool
netaddr_parse(const char *text, struct netaddr *out)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*s4 = (struct sockaddr_in *)(void *)&ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)(void *)&ss;

	memset(&ss, 0, sizeof ss);
	if (inet_pton(AF_INET, text, &s4->sin_addr) == 1)
		ss.ss_family = AF_INET;
	else if (inet_pton(AF_INET6, text, &s6->sin6_addr) == 1)
		ss.ss_family = AF_INET6;
	else {
		memset(out, 0, sizeof *out);
		return false;
	}
	netaddr_from_sockaddr(&ss, out);
	return true;
}
