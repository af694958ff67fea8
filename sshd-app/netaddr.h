/*
 * Client addresses as the session caps count them: an IPv4 address or an
 * IPv6 network prefix, so that one IPv6 host (which owns a whole /64) counts
 * as one address, not as 2^64 of them. IPv4-mapped IPv6 addresses
 * (::ffff:1.2.3.4, what a dual-stack socket reports) are IPv4.
 */
#ifndef SSHBOOK_SSHD_NETADDR_H
#define SSHBOOK_SSHD_NETADDR_H

#include <stdbool.h>
#include <stdint.h>

#include <sys/socket.h>

struct netaddr {
	uint8_t	bytes[16];	/* IPv4 in the first 4 */
	bool	v4;
};

/* Fill *out from a socket address (AF_INET or AF_INET6; anything else is all zeros, IPv4). */
void	netaddr_from_sockaddr(const struct sockaddr_storage *, struct netaddr *out);

/*
 * True when a and b are in the same network: the first prefix4 bits for IPv4
 * (0..32) or prefix6 bits for IPv6 (0..128). An IPv4 and an IPv6 address are
 * never the same network.
 */
bool	netaddr_same_net(const struct netaddr *a, const struct netaddr *b,
	    int prefix4, int prefix6);

/* Parse "1.2.3.4" or "2001:db8::1" (for tests); returns false when it is neither. */
bool	netaddr_parse(const char *text, struct netaddr *out);

#endif
