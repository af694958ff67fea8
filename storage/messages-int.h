/*
 * storage internals shared by the message modules (messages.c: writes,
 * conversations.c: reads) and by friends.c, which tells them when two people
 * become friends. Nothing outside storage/ includes this file (the unit
 * tests may).
 */
#ifndef SSHBOOK_MESSAGES_INT_H
#define SSHBOOK_MESSAGES_INT_H

#include <stdint.h>

#include <sqlite3.h>

#include "storage/messages.h"
#include "storage/store-int.h"

/* message_requests.state */
enum msg_req_state {
	MSG_REQ_PENDING = 0,
	MSG_REQ_ACCEPTED = 1,
	MSG_REQ_DECLINED = 2,
};

/* The columns message_fill reads, for a messages row aliased m, in its order. */
#define SQL_MESSAGE_COLUMNS \
	"m.id, m.from_id, m.to_id, m.text, m.deleted, m.created_at, m.edited_at, m.read, m.rev"
#define MESSAGE_NCOLS	9

/* Fill msg (cleared first) from the SQL_MESSAGE_COLUMNS starting at col. */
void	message_fill(sqlite3_stmt *, int col, struct message *);
void	message_free(struct message *);

/* The pair key of messages and message_requests: (lo, hi) whatever the direction. */
static inline int64_t
msg_lo(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static inline int64_t
msg_hi(int64_t a, int64_t b)
{
	return a < b ? b : a;
}

/*
 * a and b just became friends (friends.c, inside its transaction): a message
 * request between them, whatever its state, is accepted from now on, so a
 * decline no longer stands and a later unfriending does not turn their
 * conversation back into a request. 0 or ERR_DB.
 */
int	message_pair_befriended(struct store *, int64_t a, int64_t b);

#endif
