#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/hub.h"
#include "common/log.h"
#include "common/sysutil.h"
#include "common/xmalloc.h"
#include "sshd-app/children.h"

/*
 * A dense array: removal moves the last entry into the hole, so walking the
 * table is one linear pass. At a thousand sessions that is cheaper than any
 * index would be to keep right, and a fan-out is a pass anyway.
 */

struct child {
	pid_t		 pid;
	int		 hub_fd;	/* -1 once the other end has gone */
	int64_t		 user_id;	/* from HUB_HELLO or an accepted LOGIN; 0 before */
	int64_t		 started;	/* CLOCK_MONOTONIC seconds */
	bool		 worker;
	struct netaddr	 net;
	char		 addr[64];
};

struct children {
	struct child	*v;
	size_t		 n;
	size_t		 cap;
	struct session_limits limits;
	size_t		*pollmap;	/* pollfd index -> entry, from children_pollfds */
	size_t		 npoll;
};

/* Datagrams per child per wake-up: one chatty app must not starve the rest. */
#define HUB_BURST	64

static int64_t
now_seconds(void)
{
	return mono_ms() / 1000;
}

struct children *
children_new(size_t cap, const struct session_limits *limits)
{
	struct children *cs = xcalloc(1, sizeof *cs);

	cs->cap = cap;
	cs->limits = *limits;
	cs->v = xcalloc(cap ? cap : 1, sizeof *cs->v);
	cs->pollmap = xcalloc(cap ? cap : 1, sizeof *cs->pollmap);
	return cs;
}

void
children_free(struct children *cs)
{
	if (cs == NULL)
		return;
	children_close_fds(cs);
	free(cs->v);
	free(cs->pollmap);
	free(cs);
}

size_t
children_count(const struct children *cs)
{
	return cs->n;
}

void
children_tally(const struct children *cs, const struct netaddr *net,
    struct children_tally *out)
{
	const struct child	*c;
	bool			 near;
	size_t			 i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < cs->n; i++) {
		c = &cs->v[i];
		if (c->worker)
			continue;
		near = net != NULL && netaddr_same_net(&c->net, net,
		    cs->limits.prefix4, cs->limits.prefix6);
		if (c->user_id > 0) {
			out->sessions++;
			out->sessions_net += near;
		} else {
			out->startups++;
			out->startups_net += near;
		}
	}
}

int
children_add(struct children *cs, pid_t pid, int hub_fd, const char *addr,
    const struct netaddr *net)
{
	struct child *c;

	if (cs->n == cs->cap)
		return -1;
	c = &cs->v[cs->n++];
	memset(c, 0, sizeof *c);
	c->pid = pid;
	c->hub_fd = hub_fd;
	c->started = now_seconds();
	c->worker = net == NULL;
	if (net != NULL)
		c->net = *net;
	snprintf(c->addr, sizeof c->addr, "%s", addr);
	cs->npoll = 0;	/* the poll map is stale now */
	return 0;
}

bool
children_remove(struct children *cs, pid_t pid, char *addr, size_t addrsz,
    int64_t *secondsp)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		if (cs->v[i].pid != pid)
			continue;
		snprintf(addr, addrsz, "%s", cs->v[i].addr);
		*secondsp = now_seconds() - cs->v[i].started;
		if (cs->v[i].hub_fd >= 0)
			close(cs->v[i].hub_fd);
		cs->v[i] = cs->v[--cs->n];
		cs->npoll = 0;
		return true;
	}
	return false;
}

size_t
children_pollfds(struct children *cs, struct pollfd *pfd, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < cs->n && n < max; i++) {
		if (cs->v[i].hub_fd < 0)
			continue;
		pfd[n].fd = cs->v[i].hub_fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		cs->pollmap[n++] = i;
	}
	cs->npoll = n;
	return n;
}

static void
fan_out(struct children *cs, const struct hub_msg *m)
{
	size_t	i, sent = 0, dropped = 0;

	for (i = 0; i < cs->n; i++) {
		if (cs->v[i].user_id != m->user_id || cs->v[i].hub_fd < 0)
			continue;
		if (hub_send(cs->v[i].hub_fd, m) == 0)
			sent++;
		else
			dropped++;
	}
	if (dropped > 0)
		log_debug("hub: hint for user %lld: %zu sent, %zu dropped",
		    (long long)m->user_id, sent, dropped);
}

/*
 * A session child asks whether user_id may log in: the caps are checked
 * here, where every session is known, and the answer goes straight back.
 * An accepted child counts as a session of user_id from now on.
 */
static void
answer_login(struct children *cs, struct child *c, int64_t user_id)
{
	const struct session_limits	*lim = &cs->limits;
	struct children_tally		 t;
	struct hub_msg			 a;
	size_t				 i, mine = 0;

	memset(&a, 0, sizeof a);
	a.kind = HUB_LOGIN_REFUSED;
	children_tally(cs, &c->net, &t);
	for (i = 0; i < cs->n; i++)
		if (cs->v[i].user_id == user_id)
			mine++;
	if (lim->max_sessions > 0 && t.sessions >= lim->max_sessions) {
		a.topic = HUB_FULL;
		a.object_id = (int64_t)lim->max_sessions;
	} else if (lim->max_per_addr > 0 && t.sessions_net >= lim->max_per_addr) {
		a.topic = HUB_FULL_ADDR;
		a.object_id = (int64_t)lim->max_per_addr;
	} else if (lim->max_per_user > 0 && mine >= lim->max_per_user) {
		a.topic = HUB_FULL_USER;
		a.object_id = (int64_t)lim->max_per_user;
	} else {
		a.kind = HUB_LOGIN_OK;
		c->user_id = user_id;
	}
	a.user_id = user_id;
	if (hub_send(c->hub_fd, &a) != 0)
		log_debug("hub: login answer to pid %ld not sent", (long)c->pid);
}

static void
read_child(struct children *cs, struct child *c)
{
	struct hub_msg	m;
	int		i, r;

	for (i = 0; i < HUB_BURST; i++) {
		r = hub_recv(c->hub_fd, &m);
		if (r == 0)
			return;
		if (r < 0) {
			/* Both the session child and its app have closed their ends. */
			close(c->hub_fd);
			c->hub_fd = -1;
			return;
		}
		switch (m.kind) {
		case HUB_HELLO:
			if (m.user_id > 0 || m.user_id == HUB_WORKER_ID) {
				c->user_id = m.user_id;
				log_debug("hub: pid %ld is user %lld",
				    (long)c->pid, (long long)m.user_id);
			}
			break;
		case HUB_LOGIN:
			if (m.user_id > 0 && c->user_id == 0 && !c->worker)
				answer_login(cs, c, m.user_id);
			break;
		case HUB_HINT:
			if (m.user_id > 0 || m.user_id == HUB_WORKER_ID)
				fan_out(cs, &m);
			break;
		default:
			log_debug("hub: pid %ld sent unknown kind %u",
			    (long)c->pid, m.kind);
			break;
		}
	}
}

void
children_dispatch(struct children *cs, const struct pollfd *pfd, size_t n)
{
	size_t		 k;
	struct child	*c;

	if (n > cs->npoll)
		n = cs->npoll;
	for (k = 0; k < n; k++) {
		if (pfd[k].revents == 0)
			continue;
		c = &cs->v[cs->pollmap[k]];
		if (c->hub_fd != pfd[k].fd)
			continue;	/* cannot happen while the map is fresh */
		if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
			read_child(cs, c);
	}
}

void
children_broadcast(struct children *cs, const struct hub_msg *msg)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (cs->v[i].hub_fd >= 0)
			(void)hub_send(cs->v[i].hub_fd, msg);
}

void
children_signal(struct children *cs, int sig)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		(void)kill(cs->v[i].pid, sig);
}

void
children_close_fds(struct children *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		if (cs->v[i].hub_fd >= 0)
			close(cs->v[i].hub_fd);
		cs->v[i].hub_fd = -1;
	}
}
