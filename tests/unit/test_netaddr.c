/* sshd-app/netaddr: what the per-network caps count as one address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sshd-app/netaddr.h"

static bool
same(const char *a, const char *b, int p4, int p6)
{
	struct netaddr x, y;

	assert_true(netaddr_parse(a, &x));
	assert_true(netaddr_parse(b, &y));
	return netaddr_same_net(&x, &y, p4, p6);
}

/* Every address of one IPv6 /64 is one network; the next /64 is another. */
static void
test_ipv6_prefix(void **state)
{
	(void)state;
	assert_true(same("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", 32, 64));
	assert_false(same("2001:db8:1:2::1", "2001:db8:1:3::1", 32, 64));
	assert_true(same("2001:db8:1:2::1", "2001:db8:1:3::1", 32, 48));
	assert_false(same("2001:db8::1", "2001:db8::2", 32, 128));
	/* a prefix that is not a whole number of bytes */
	assert_true(same("2001:db8:0:ff00::", "2001:db8:0:ff80::", 32, 56));
	assert_false(same("2001:db8:0:ff00::", "2001:db8:0:fe00::", 32, 56));
	assert_true(same("2001:db8:0:fe00::", "2001:db8:0:ff00::", 32, 55));
}

/* IPv4 counts per address by default; a shorter prefix groups a block. */
static void
test_ipv4_prefix(void **state)
{
	(void)state;
	assert_false(same("192.0.2.1", "192.0.2.2", 32, 64));
	assert_true(same("192.0.2.1", "192.0.2.254", 24, 64));
	assert_false(same("192.0.2.1", "192.0.3.1", 24, 64));
	assert_true(same("192.0.2.1", "192.0.2.1", 32, 64));
}

/* An IPv4-mapped IPv6 address (a dual-stack socket) is the IPv4 address; v4 and v6 never match. */
static void
test_mapped_and_families(void **state)
{
	(void)state;
	assert_true(same("::ffff:192.0.2.1", "192.0.2.1", 32, 64));
	assert_false(same("::1", "127.0.0.1", 32, 0));
	assert_true(same("::1", "::2", 32, 0));
}

static void
test_parse_refuses(void **state)
{
	struct netaddr x;

	(void)state;
	assert_false(netaddr_parse("not an address", &x));
	assert_false(netaddr_parse("192.0.2.1/24", &x));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv6_prefix),
		cmocka_unit_test(test_ipv4_prefix),
		cmocka_unit_test(test_mapped_and_families),
		cmocka_unit_test(test_parse_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
