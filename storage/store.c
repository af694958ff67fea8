/*
 * The connection: open, pragmas, schema migrations, and the helpers every
 * storage module uses (the statement cache, stepping with error mapping,
 * transactions).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "storage/posts-int.h"
#include "storage/social-int.h"
#include "storage/store-int.h"
#include "storage/store.h"

/*
 * The schema, as an ordered list of steps. Step i takes the database from
 * user_version i to i + 1 in one transaction. Never edit a step that has
 * shipped: add a new one at the end. Tables are STRICT so a wrong type is an
 * error instead of a silent conversion; times are Unix seconds (UTC).
 */
static const struct migration {
	const char	*name;
	const char	*sql;
} migrations[] = {
	{ "accounts: users, keys, login failures, invites",
	/*
	 * Usernames are stored in lower case (username_check); NOCASE makes the
	 * UNIQUE index refuse "Bob" next to "bob" even if a bug let one through.
	 */
	"CREATE TABLE users ("
	"	id		INTEGER PRIMARY KEY,"
	"	username	TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"	display_name	TEXT NOT NULL,"
	"	password_hash	TEXT,"
	"	created_at	INTEGER NOT NULL"
	") STRICT;"
	/* Looked up by (user_id, fingerprint) at login: the UNIQUE index serves it. */
	"CREATE TABLE user_keys ("
	"	id		INTEGER PRIMARY KEY,"
	"	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	type		TEXT NOT NULL,"
	"	blob		TEXT NOT NULL,"
	"	comment		TEXT NOT NULL DEFAULT '',"
	"	fingerprint	TEXT NOT NULL,"
	"	created_at	INTEGER NOT NULL,"
	"	UNIQUE (user_id, fingerprint)"
	") STRICT;"
	"CREATE TABLE auth_failures ("
	"	scope	TEXT NOT NULL,"
	"	at	INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX auth_failures_scope_at ON auth_failures(scope, at);"
	/* Pruning deletes by age alone. */
	"CREATE INDEX auth_failures_at ON auth_failures(at);"
	/*
	 * creator is NULL for the administrator. Deleting the creator takes its
	 * codes with it; deleting the user who used a code keeps the code used
	 * (used_at stays set), so "unused" means used_at IS NULL.
	 */
	"CREATE TABLE invites ("
	"	code		TEXT PRIMARY KEY,"
	"	creator		INTEGER REFERENCES users(id) ON DELETE CASCADE,"
	"	created_at	INTEGER NOT NULL,"
	"	used_by		INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"	used_at		INTEGER"
	") STRICT;"
	"CREATE INDEX invites_creator ON invites(creator);"
	"CREATE INDEX invites_used_by ON invites(used_by);"
	},
	{ "social: profiles, tags, friendships, blocks, notifications, user search",
	/*
	 * Profile fields live on users: every read of a profile or a search hit
	 * needs the row anyway, and privacy decides per row who sees them.
	 */
	"ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN location TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN job TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN privacy INTEGER NOT NULL DEFAULT 0 "
	"	CHECK (privacy BETWEEN 0 AND 2);"
	/* Lower case (tags.c); the index finds the users who share a tag. */
	"CREATE TABLE user_tags ("
	"	user_id	INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	tag	TEXT NOT NULL,"
	"	PRIMARY KEY (user_id, tag)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX user_tags_tag ON user_tags(tag, user_id);"
	/*
	 * A pending request, from -> to. At most one direction exists at a
	 * time: asking someone who already asked you accepts instead.
	 */
	"CREATE TABLE friend_requests ("
	"	from_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	to_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	created_at	INTEGER NOT NULL,"
	"	PRIMARY KEY (from_id, to_id),"
	"	CHECK (from_id != to_id)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX friend_requests_to ON friend_requests(to_id, created_at);"
	"CREATE INDEX friend_requests_from ON friend_requests(from_id, created_at);"
	/*
	 * Two directed rows per friendship, (a, b) and (b, a), written and
	 * deleted together: "friends of X" is one range of the primary key, and
	 * mutual friends are a join of two such ranges. The second index serves
	 * the cascade when a user is deleted.
	 */
	"CREATE TABLE friendships ("
	"	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	friend_id	INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	since		INTEGER NOT NULL,"
	"	PRIMARY KEY (user_id, friend_id),"
	"	CHECK (user_id != friend_id)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX friendships_friend ON friendships(friend_id);"
	/* Checked in both directions: "did X block me" is the second index. */
	"CREATE TABLE blocks ("
	"	blocker_id	INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	blocked_id	INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	created_at	INTEGER NOT NULL,"
	"	PRIMARY KEY (blocker_id, blocked_id),"
	"	CHECK (blocker_id != blocked_id)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX blocks_blocked ON blocks(blocked_id, blocker_id);"
	/*
	 * AUTOINCREMENT: ids only grow, so a deleted newest notification's id is
	 * never handed to another one (ids are cursors and hub objects). actor_id
	 * is NULL for notifications nobody caused (reminders, later).
	 */
	"CREATE TABLE notifications ("
	"	id		INTEGER PRIMARY KEY AUTOINCREMENT,"
	"	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	type		INTEGER NOT NULL,"
	"	actor_id	INTEGER REFERENCES users(id) ON DELETE CASCADE,"
	"	object_id	INTEGER NOT NULL DEFAULT 0,"
	"	read		INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),"
	"	created_at	INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX notifications_user ON notifications(user_id, id);"
	/* The badge and the unread filter read only this, however long the history. */
	"CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read = 0;"
	/* Deleting or cancelling what one actor caused; also the cascade. */
	"CREATE INDEX notifications_actor ON notifications(actor_id, user_id, type);"
	/*
	 * User search. rowid = users.id. Kept in sync by the storage code in the
	 * same transaction as every change (search.c: store_user_index): the
	 * connection runs with trusted_schema off, which forbids triggers from
	 * writing to a virtual table. remove_diacritics 2 lets "jose" find
	 * "José"; the 1- to 4-character prefix indexes answer the short
	 * prefixes people type first from one index entry instead of merging
	 * every term that starts with them, so a block of matches streams (on
	 * 100,000 generated users: a one-letter query 0.2 ms instead of 7 ms;
	 * the index grows from 21 to 33 MB). Ranking is search.c's sshbook_rank.
	 */
	"CREATE VIRTUAL TABLE users_fts USING fts5("
	"	username, display_name, bio, tags, location, job,"
	"	tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4');"
	"INSERT INTO users_fts(rowid, username, display_name, bio, tags, location, job) "
	"	SELECT id, username, display_name, '', '', '', '' FROM users;"
	},
	{ "posts: posts, hashtags, mentions, reactions, comments, shares, post search",
	/* What the composer preselects (enum visibility). */
	"ALTER TABLE users ADD COLUMN default_visibility INTEGER NOT NULL DEFAULT 0 "
	"	CHECK (default_visibility BETWEEN 0 AND 2);"
	/*
	 * A share is a post with shared_from set; its text is the note. shared_from
	 * is a plain column, no foreign key: when the original is deleted the id
	 * stays and points at nothing, which is how a share knows to say "original
	 * post deleted". AUTOINCREMENT so that id is never reused (it would point
	 * a share at a stranger's post), and because ids are the feeds' cursors.
	 *
	 * The counts are kept by the triggers below in the same statement as the
	 * change (also when a cascade deletes the rows), so a feed reads them
	 * from the row instead of counting millions of reactions. engagement is
	 * the highest reactions + 2 comments + 3 shares the post has reached (it
	 * never goes down: For You's order over one cursor must not let a post
	 * sink below a page it was already on); active_at is the last time the
	 * post was written, reacted to, commented on or shared.
	 */
	"CREATE TABLE posts ("
	"	id		INTEGER PRIMARY KEY AUTOINCREMENT,"
	"	author_id	INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	text		TEXT NOT NULL,"
	"	visibility	INTEGER NOT NULL CHECK (visibility BETWEEN 0 AND 2),"
	"	created_at	INTEGER NOT NULL,"
	"	edited_at	INTEGER NOT NULL DEFAULT 0,"
	"	shared_from	INTEGER,"
	"	n_like		INTEGER NOT NULL DEFAULT 0,"
	"	n_love		INTEGER NOT NULL DEFAULT 0,"
	"	n_haha		INTEGER NOT NULL DEFAULT 0,"
	"	n_wow		INTEGER NOT NULL DEFAULT 0,"
	"	n_sad		INTEGER NOT NULL DEFAULT 0,"
	"	n_angry		INTEGER NOT NULL DEFAULT 0,"
	"	n_comments	INTEGER NOT NULL DEFAULT 0,"
	"	n_shares	INTEGER NOT NULL DEFAULT 0,"
	"	engagement	INTEGER NOT NULL DEFAULT 0,"
	"	active_at	INTEGER NOT NULL"
	") STRICT;"
	/*
	 * Timelines and Home walk one author's posts newest first; visibility is
	 * in the index so Home can drop private posts without reading the rows.
	 */
	"CREATE INDEX posts_author ON posts(author_id, id, visibility);"
	/* For You's second source: the posts people are busy with now. */
	"CREATE INDEX posts_active ON posts(active_at);"
	/* Hashtags, lower case (tag_normalize). The second index is the #tag search. */
	"CREATE TABLE post_tags ("
	"	post_id	INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"	tag	TEXT NOT NULL,"
	"	PRIMARY KEY (post_id, tag)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX post_tags_tag ON post_tags(tag, post_id);"
	/*
	 * Everyone who was ever notified of a mention in a post or its comments,
	 * so an edit or a later comment does not notify them again.
	 */
	"CREATE TABLE post_mentions ("
	"	post_id		INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	PRIMARY KEY (post_id, user_id)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX post_mentions_user ON post_mentions(user_id);"
	/* One reaction per user and post (enum reaction, REACT_LIKE..REACT_ANGRY). */
	"CREATE TABLE reactions ("
	"	post_id		INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	kind		INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6),"
	"	created_at	INTEGER NOT NULL,"
	"	PRIMARY KEY (post_id, user_id)"
	") STRICT, WITHOUT ROWID;"
	/* "Who reacted", newest first; and the cascade when a user goes. */
	"CREATE INDEX reactions_post_at ON reactions(post_id, created_at);"
	"CREATE INDEX reactions_user ON reactions(user_id);"
	"CREATE TABLE comments ("
	"	id		INTEGER PRIMARY KEY AUTOINCREMENT,"
	"	post_id		INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"	author_id	INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	text		TEXT NOT NULL,"
	"	created_at	INTEGER NOT NULL,"
	"	edited_at	INTEGER NOT NULL DEFAULT 0"
	") STRICT;"
	"CREATE INDEX comments_post ON comments(post_id, id);"
	"CREATE INDEX comments_author ON comments(author_id);"
	/* Deleting a post deletes the notifications about it (types 4-7: object = a post). */
	"CREATE INDEX notifications_object ON notifications(object_id) "
	"	WHERE type BETWEEN 4 AND 7;"
	/*
	 * The counters. Triggers that write ordinary tables are allowed with
	 * trusted_schema off; they also run for rows a cascade deletes (a user
	 * who goes takes their reactions out of every count).
	 */
	"CREATE TRIGGER reactions_insert AFTER INSERT ON reactions BEGIN"
	"	UPDATE posts SET n_like = n_like + (NEW.kind = 1), n_love = n_love + (NEW.kind = 2),"
	"	    n_haha = n_haha + (NEW.kind = 3), n_wow = n_wow + (NEW.kind = 4),"
	"	    n_sad = n_sad + (NEW.kind = 5), n_angry = n_angry + (NEW.kind = 6),"
	"	    engagement = max(engagement, n_like + n_love + n_haha + n_wow + n_sad +"
	"	    n_angry + 1 + 2 * n_comments + 3 * n_shares),"
	"	    active_at = max(active_at, NEW.created_at)"
	"	WHERE id = NEW.post_id;"
	"END;"
	"CREATE TRIGGER reactions_delete AFTER DELETE ON reactions BEGIN"
	"	UPDATE posts SET n_like = n_like - (OLD.kind = 1), n_love = n_love - (OLD.kind = 2),"
	"	    n_haha = n_haha - (OLD.kind = 3), n_wow = n_wow - (OLD.kind = 4),"
	"	    n_sad = n_sad - (OLD.kind = 5), n_angry = n_angry - (OLD.kind = 6)"
	"	WHERE id = OLD.post_id;"
	"END;"
	"CREATE TRIGGER reactions_update AFTER UPDATE OF kind ON reactions BEGIN"
	"	UPDATE posts SET"
	"	    n_like = n_like - (OLD.kind = 1) + (NEW.kind = 1),"
	"	    n_love = n_love - (OLD.kind = 2) + (NEW.kind = 2),"
	"	    n_haha = n_haha - (OLD.kind = 3) + (NEW.kind = 3),"
	"	    n_wow = n_wow - (OLD.kind = 4) + (NEW.kind = 4),"
	"	    n_sad = n_sad - (OLD.kind = 5) + (NEW.kind = 5),"
	"	    n_angry = n_angry - (OLD.kind = 6) + (NEW.kind = 6),"
	"	    active_at = max(active_at, NEW.created_at)"
	"	WHERE id = NEW.post_id;"
	"END;"
	"CREATE TRIGGER comments_insert AFTER INSERT ON comments BEGIN"
	"	UPDATE posts SET n_comments = n_comments + 1,"
	"	    engagement = max(engagement, n_like + n_love + n_haha + n_wow + n_sad +"
	"	    n_angry + 2 * (n_comments + 1) + 3 * n_shares),"
	"	    active_at = max(active_at, NEW.created_at)"
	"	WHERE id = NEW.post_id;"
	"END;"
	"CREATE TRIGGER comments_delete AFTER DELETE ON comments BEGIN"
	"	UPDATE posts SET n_comments = n_comments - 1 WHERE id = OLD.post_id;"
	"END;"
	"CREATE TRIGGER shares_insert AFTER INSERT ON posts WHEN NEW.shared_from IS NOT NULL BEGIN"
	"	UPDATE posts SET n_shares = n_shares + 1,"
	"	    engagement = max(engagement, n_like + n_love + n_haha + n_wow + n_sad +"
	"	    n_angry + 2 * n_comments + 3 * (n_shares + 1)),"
	"	    active_at = max(active_at, NEW.created_at)"
	"	WHERE id = NEW.shared_from;"
	"END;"
	"CREATE TRIGGER shares_delete AFTER DELETE ON posts WHEN OLD.shared_from IS NOT NULL BEGIN"
	"	UPDATE posts SET n_shares = n_shares - 1 WHERE id = OLD.shared_from;"
	"END;"
	/*
	 * Post search: external content (the text lives once, in posts), so
	 * the storage code writes the index rows itself in the same transaction
	 * as the post (post_text.c), with the old text when one goes: trusted_schema
	 * off forbids triggers from writing to a virtual table. 'rebuild' can
	 * always recreate it from posts. Every word of a query is a prefix
	 * ("linux"*), and FTS5 answers a prefix without its own prefix index by
	 * merging the whole doclist of every term that starts with it: on
	 * 1,000,000 generated posts "linux"* took 8-26 ms and "t"* 150 ms. With
	 * prefix indexes for 1 to 8 characters (most words people type) they
	 * stream: about 1 ms, and post search p99 fell from 12 to 5-8 ms; the
	 * index grows from 164 to 321 MB. Ranking is post_search.c's.
	 */
	"CREATE VIRTUAL TABLE posts_fts USING fts5(text, content = 'posts', content_rowid = 'id',"
	"	tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8');"
	},
	{ "messages: messages, conversations, message requests",
	/*
	 * One row per message, kept when deleted (text '', deleted 1) so both
	 * sides see "message deleted" in place. lo and hi name the pair whatever
	 * the direction, so a conversation is one range of messages_pair both
	 * ways. rev numbers the changes within a pair (a send, an edit, a
	 * delete): a live view asks for what changed after the last rev it saw
	 * (messages_pair_rev), edits of old messages included. AUTOINCREMENT:
	 * ids are cursors and hub objects, never handed out twice.
	 */
	"CREATE TABLE messages ("
	"	id		INTEGER PRIMARY KEY AUTOINCREMENT,"
	"	from_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	to_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	text		TEXT NOT NULL,"
	"	deleted		INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
	"	created_at	INTEGER NOT NULL,"
	"	edited_at	INTEGER NOT NULL DEFAULT 0,"
	"	read		INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),"
	"	rev		INTEGER NOT NULL,"
	"	lo		INTEGER NOT NULL GENERATED ALWAYS AS (min(from_id, to_id)) VIRTUAL,"
	"	hi		INTEGER NOT NULL GENERATED ALWAYS AS (max(from_id, to_id)) VIRTUAL,"
	"	CHECK (from_id != to_id)"
	") STRICT;"
	"CREATE INDEX messages_pair ON messages(lo, hi, id);"
	"CREATE INDEX messages_pair_rev ON messages(lo, hi, rev);"
	/* Unread counts: a range of (to_id, read = 0), by sender. Both also serve the cascades. */
	"CREATE INDEX messages_to ON messages(to_id, read, from_id);"
	"CREATE INDEX messages_from ON messages(from_id);"
	/*
	 * Two directed rows per conversation, (a, b) and (b, a), written by each
	 * send: "my conversations" is one range of the primary key, each row
	 * pointing at the newest message either way, instead of a scan of all
	 * my messages.
	 */
	"CREATE TABLE conversations ("
	"	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	other_id	INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	last_id		INTEGER NOT NULL,"
	"	PRIMARY KEY (user_id, other_id),"
	"	CHECK (user_id != other_id)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX conversations_other ON conversations(other_id);"
	/*
	 * May two people who are not friends write to each other: one row per
	 * pair (lo < hi), from_id the one who asked (wrote first); state 0
	 * pending, 1 accepted, 2 declined (messages.c). No row: never asked,
	 * or only ever written as friends.
	 */
	"CREATE TABLE message_requests ("
	"	lo		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	hi		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	from_id		INTEGER NOT NULL,"
	"	state		INTEGER NOT NULL CHECK (state BETWEEN 0 AND 2),"
	"	created_at	INTEGER NOT NULL,"
	"	PRIMARY KEY (lo, hi),"
	"	CHECK (lo < hi AND from_id IN (lo, hi))"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX message_requests_hi ON message_requests(hi);"
	},
	{ "media: media items, post attachments, profile images, previews, jobs",
	/*
	 * One row per upload (media.h). The files are named by id (media/pipeline.h),
	 * so AUTOINCREMENT: an id is never handed out twice, and a file or cached
	 * preview left behind by a deleted item can never stand for a new one.
	 * width, height: the upload's until ready, then the stored copy's.
	 */
	"CREATE TABLE media ("
	"	id		INTEGER PRIMARY KEY AUTOINCREMENT,"
	"	owner_id	INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"	kind		INTEGER NOT NULL CHECK (kind IN (0, 1)),"
	"	state		INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 2),"
	"	format		TEXT NOT NULL,"
	"	stored_format	TEXT NOT NULL DEFAULT '',"
	"	width		INTEGER NOT NULL,"
	"	height		INTEGER NOT NULL,"
	"	duration_ms	INTEGER NOT NULL DEFAULT 0,"
	"	orig_bytes	INTEGER NOT NULL,"
	"	stored_bytes	INTEGER NOT NULL DEFAULT 0,"
	"	created_at	INTEGER NOT NULL,"
	"	error		TEXT NOT NULL DEFAULT ''"
	") STRICT;"
	/* The gallery (newest first), the per-user cap's count and the cascade. */
	"CREATE INDEX media_owner ON media(owner_id, id);"
	/*
	 * A post's media in the order given: one range of the primary key per
	 * post load. The second index is "which posts show this item" (the
	 * privacy rule, the counts, the cascade) and refuses an item twice in
	 * one post.
	 */
	"CREATE TABLE post_media ("
	"	post_id		INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"	media_id	INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,"
	"	position	INTEGER NOT NULL CHECK (position BETWEEN 0 AND 3),"
	"	PRIMARY KEY (post_id, position)"
	") STRICT, WITHOUT ROWID;"
	"CREATE UNIQUE INDEX post_media_media ON post_media(media_id, post_id);"
	/*
	 * Profile images live on users like the other profile fields (read with
	 * the row). Deleting the item clears them; the partial indexes serve that
	 * SET NULL and store_media_failed without scanning every user.
	 */
	"ALTER TABLE users ADD COLUMN avatar_media INTEGER "
	"	REFERENCES media(id) ON DELETE SET NULL;"
	"ALTER TABLE users ADD COLUMN background_media INTEGER "
	"	REFERENCES media(id) ON DELETE SET NULL;"
	"CREATE INDEX users_avatar_media ON users(avatar_media) WHERE avatar_media IS NOT NULL;"
	"CREATE INDEX users_background_media ON users(background_media) "
	"	WHERE background_media IS NOT NULL;"
	/*
	 * Rendered previews (media/preview.h grids), a cache. A rowid table
	 * rather than WITHOUT ROWID: a grid is kilobytes, and WITHOUT ROWID keeps
	 * whole rows in the b-tree's interior pages, which suits small rows only.
	 */
	"CREATE TABLE media_previews ("
	"	media_id	INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,"
	"	cols		INTEGER NOT NULL,"
	"	rows		INTEGER NOT NULL,"
	"	color		INTEGER NOT NULL CHECK (color IN (0, 1)),"
	"	data		BLOB NOT NULL,"
	"	PRIMARY KEY (media_id, cols, rows, color)"
	") STRICT;"
	/*
	 * The background worker's queue (jobs.c). state 0 queued, 1 running, 2
	 * failed for good. While a job runs, run_after is its lease's end too,
	 * so "due" is one range of jobs_due for both a queued job and a running
	 * one whose worker died. AUTOINCREMENT: a late worker's "done" must not
	 * hit a newer job that got its id.
	 */
	"CREATE TABLE jobs ("
	"	id		INTEGER PRIMARY KEY AUTOINCREMENT,"
	"	kind		TEXT NOT NULL,"
	"	arg		INTEGER NOT NULL,"
	"	state		INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 2),"
	"	attempts	INTEGER NOT NULL DEFAULT 0,"
	"	run_after	INTEGER NOT NULL,"
	"	lease_until	INTEGER NOT NULL DEFAULT 0,"
	"	error		TEXT NOT NULL DEFAULT '',"
	"	created_at	INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX jobs_due ON jobs(state, run_after, id);"
	/* The jobs of one item, dropped with it (store_media_delete). */
	"CREATE INDEX jobs_arg ON jobs(kind, arg);"
	},
	{ "write rate limit",
	/*
	 * Each user's token bucket for writes others see (budget.c): tokens
	 * left as of at_ms. A row, not memory: every exec command is its own
	 * process, and a user may have several sessions.
	 */
	"CREATE TABLE write_budget ("
	"	user_id		INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
	"	tokens		REAL NOT NULL,"
	"	at_ms		INTEGER NOT NULL"
	") STRICT;"
	},
	{ "notifications: the comment a notification is about",
	/*
	 * The comment of a comment notification, or of a mention made in a
	 * comment (notifications.c), so opening it scrolls to that comment;
	 * 0 for every other kind and for rows from before this column. A
	 * plain column, no foreign key: a deleted comment leaves it pointing
	 * at nothing, which is how the row knows to say "comment deleted".
	 */
	"ALTER TABLE notifications ADD COLUMN detail_id INTEGER NOT NULL DEFAULT 0;"
	},
	{ "post_media rebuilt with its primary key first",
	/*
	 * A WITHOUT ROWID table stores its primary key columns first. The old
	 * post_media declared media_id between post_id and position, and
	 * SQLite 3.40's PRAGMA integrity_check then reads the wrong field of
	 * each row for its NOT NULL check and reports "NULL value in
	 * post_media.media_id" on a sound database, which would teach
	 * operators to ignore it. Declaring the key columns first makes the
	 * declared and stored orders agree. The usual rebuild: a new table, the
	 * rows copied, the old one dropped (nothing references post_media, so
	 * the foreign keys have nothing to say) and the new one renamed.
	 */
	"CREATE TABLE post_media_new ("
	"	post_id		INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"	position	INTEGER NOT NULL CHECK (position BETWEEN 0 AND 3),"
	"	media_id	INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,"
	"	PRIMARY KEY (post_id, position)"
	") STRICT, WITHOUT ROWID;"
	"INSERT INTO post_media_new (post_id, position, media_id) "
	"	SELECT post_id, position, media_id FROM post_media;"
	"DROP TABLE post_media;"
	"ALTER TABLE post_media_new RENAME TO post_media;"
	"CREATE UNIQUE INDEX post_media_media ON post_media(media_id, post_id);"
	},
	{ "jobs: the worker holding a running job",
	/*
	 * The process id of the worker that claimed a running job
	 * (store_job_claim_as), so the next worker can see that it died and
	 * take the job back at once instead of after its lease (jobs.c).
	 * 0: not recorded (claimed before this column, or without an owner).
	 */
	"ALTER TABLE jobs ADD COLUMN owner INTEGER NOT NULL DEFAULT 0;"
	},
	{ "media_previews keyed by the number of colours (0, 8, 16 or 256)",
	/*
	 * Pictures on 256-colour terminals are rendered in the xterm palette
	 * (media/preview.h), so the cache's key says how many colours a grid
	 * has rather than whether it has any. The table is a cache, and its old
	 * rows are grids of an older format that the reader refuses anyway, so
	 * it is made again empty rather than copied.
	 */
	"DROP TABLE media_previews;"
	"CREATE TABLE media_previews ("
	"	media_id	INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,"
	"	cols		INTEGER NOT NULL,"
	"	rows		INTEGER NOT NULL,"
	"	color		INTEGER NOT NULL CHECK (color IN (0, 8, 16, 256)),"
	"	data		BLOB NOT NULL,"
	"	PRIMARY KEY (media_id, cols, rows, color)"
	") STRICT;"
	},
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

int
store_schema_version(void)
{
	return (int)NMIGRATIONS;
}

int
store_sodium_init(void)
{
	/* Safe to call again and from several threads; 1 means already done. */
	if (sodium_init() < 0) {
		log_error("store: libsodium failed to initialise");
		return ERR_SYSTEM;
	}
	return 0;
}

int64_t
store_now(void)
{
	return (int64_t)time(NULL);
}

void
store_why(char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || whysz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whysz, fmt, ap);
	va_end(ap);
}

void
store_why_clear(char *why, size_t whysz)
{
	if (why != NULL && whysz > 0)
		why[0] = '\0';
}

int
store_db_error(struct store *st, const char *what)
{
	log_error("store: %s: %s (sqlite %d)", what, sqlite3_errmsg(st->db),
	    sqlite3_extended_errcode(st->db));
	return ERR_DB;
}

int
stmt_get(struct store *st, const char *sql, sqlite3_stmt **stmtp)
{
	struct store_stmt	*s;
	size_t			 i;

	*stmtp = NULL;
	/*
	 * A linear scan: a few dozen statements, compared by text so that two
	 * spellings of the same query share one statement and no caller can get
	 * another query's statement by passing a reused buffer.
	 */
	for (i = 0; i < st->nstmts; i++) {
		s = &st->stmts[i];
		if (strcmp(s->sql, sql) != 0)
			continue;
		/* Resetting a statement that a caller is iterating would end its loop. */
		if (sqlite3_stmt_busy(s->stmt)) {
			log_error("store: statement in use: %.60s", sql);
			return ERR_INTERNAL;
		}
		*stmtp = s->stmt;
		return 0;
	}
	if (st->nstmts == st->stmts_alloc) {
		st->stmts_alloc = st->stmts_alloc ? st->stmts_alloc * 2 : 32;
		st->stmts = xreallocarray(st->stmts, st->stmts_alloc, sizeof *st->stmts);
	}
	s = &st->stmts[st->nstmts];
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt,
	    NULL) != SQLITE_OK) {
		log_error("store: prepare \"%.60s\": %s", sql, sqlite3_errmsg(st->db));
		sqlite3_finalize(s->stmt);
		s->stmt = NULL;
		return ERR_DB;
	}
	s->sql = sql;
	st->nstmts++;
	*stmtp = s->stmt;
	return 0;
}

void
stmt_reset(sqlite3_stmt *stmt)
{
	if (stmt == NULL)
		return;
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

int
stmt_exec_ints(struct store *st, const char *what, const char *sql, int64_t *changesp, int n,
    ...)
{
	sqlite3_stmt	*stmt = NULL;
	va_list		 ap;
	int		 r;

	if (changesp != NULL)
		*changesp = 0;
	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	va_start(ap, n);
	for (int i = 1; i <= n; i++)
		sqlite3_bind_int64(stmt, i, va_arg(ap, int64_t));
	va_end(ap);
	if ((r = stmt_done(st, stmt, what)) == 0 && changesp != NULL)
		*changesp = sqlite3_changes(st->db);
	stmt_reset(stmt);
	return r;
}

int
stmt_done(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_DONE)
		return 0;
	switch (sqlite3_extended_errcode(st->db)) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return ERR_EXISTS;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return ERR_NOTFOUND;
	}
	if (rc == SQLITE_ROW) {
		log_error("store: %s: unexpected row", what);
		return ERR_INTERNAL;
	}
	return store_db_error(st, what);
}

int
stmt_row(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_db_error(st, what);
}

char *
col_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return xstrdup(s != NULL ? (const char *)s : "");
}

static int
exec_simple(struct store *st, const char *sql, const char *what)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	if (sqlite3_step(stmt) != SQLITE_DONE)
		r = store_db_error(st, what);
	stmt_reset(stmt);
	return r;
}

int
store_begin(struct store *st)
{
	return exec_simple(st, "BEGIN IMMEDIATE", "begin");
}

int
store_commit(struct store *st)
{
	return exec_simple(st, "COMMIT", "commit");
}

void
store_rollback(struct store *st)
{
	/* Some errors (SQLITE_FULL, SQLITE_NOMEM ...) end the transaction by themselves. */
	if (sqlite3_get_autocommit(st->db))
		return;
	exec_simple(st, "ROLLBACK", "rollback");
}

/* A pragma that answers one row; its first column as an integer. */
static int
pragma_int(struct store *st, const char *sql, int64_t *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*out = 0;
	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	if ((r = stmt_row(st, stmt, sql)) == 1) {
		*out = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = store_db_error(st, sql);
	stmt_reset(stmt);
	return r;
}

/*
 * Apply the next migration the database lacks, in its own transaction; *donep
 * turns true once the schema is current. The version is read inside the write
 * transaction, so two processes opening a new database at once do not both
 * apply a step.
 */
int store_migrate_limit;

static int
migrate_step(struct store *st, bool *donep)
{
	char	 set[64];
	int64_t	 v;
	int	 r;

	*donep = false;
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = pragma_int(st, "PRAGMA user_version", &v)) != 0)
		goto out;
	if (v < 0 || v > (int64_t)NMIGRATIONS) {
		log_error("store: the database schema (version %lld) is newer than "
		    "this program (version %d)", (long long)v, (int)NMIGRATIONS);
		r = ERR_DB;
		goto out;
	}
	if (v == (int64_t)NMIGRATIONS || (store_migrate_limit > 0 && v >= store_migrate_limit)) {
		*donep = true;
		r = store_commit(st);
		goto out;
	}
	/*
	 * Constant scripts with no input, so sqlite3_exec is safe here; a
	 * pragma's value cannot be a bound parameter, and v is our own number.
	 */
	if (sqlite3_exec(st->db, migrations[v].sql, NULL, NULL, NULL) != SQLITE_OK) {
		r = store_db_error(st, migrations[v].name);
		goto out;
	}
	snprintf(set, sizeof set, "PRAGMA user_version = %lld", (long long)v + 1);
	if (sqlite3_exec(st->db, set, NULL, NULL, NULL) != SQLITE_OK) {
		r = store_db_error(st, "set user_version");
		goto out;
	}
	if ((r = store_commit(st)) != 0)
		goto out;
	log_info("store: schema migrated to version %lld (%s)", (long long)v + 1,
	    migrations[v].name);
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}

static int
migrate(struct store *st)
{
	bool	done = false;
	int	r = 0;

	while (!done && r == 0)
		r = migrate_step(st, &done);
	return r;
}

static int
configure(struct store *st, bool memory)
{
	sqlite3_stmt		*stmt = NULL;
	const unsigned char	*mode;
	int64_t			 fk;
	int			 r;

	/* Other processes hold the write lock briefly; wait rather than fail. */
	sqlite3_busy_timeout(st->db, 5000);
	/* Refuse writes to the schema through SQL tricks, and functions from the schema. */
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (!memory) {
		/* Readers never block the writer, and the app's processes read a lot. */
		if ((r = stmt_get(st, "PRAGMA journal_mode = WAL", &stmt)) != 0)
			return r;
		if ((r = stmt_row(st, stmt, "journal_mode")) == 1) {
			mode = sqlite3_column_text(stmt, 0);
			if (mode == NULL || strcmp((const char *)mode, "wal") != 0)
				log_warn("store: WAL unavailable, journal mode is %s",
				    mode != NULL ? (const char *)mode : "unknown");
			r = 0;
		} else if (r == 0)
			r = store_db_error(st, "journal_mode");
		stmt_reset(stmt);
		if (r != 0)
			return r;
		/* In WAL mode NORMAL is durable against crashes of the process, not of the OS. */
		if ((r = exec_simple(st, "PRAGMA synchronous = NORMAL", "synchronous")) != 0)
			return r;
	}
	if ((r = exec_simple(st, "PRAGMA foreign_keys = ON", "foreign_keys")) != 0)
		return r;
	/* ON DELETE CASCADE is how accounts go away: make sure it is really on. */
	if ((r = pragma_int(st, "PRAGMA foreign_keys", &fk)) != 0)
		return r;
	if (fk != 1) {
		log_error("store: this SQLite cannot enforce foreign keys");
		return ERR_DB;
	}
	return 0;
}

int
store_open(const char *path, struct store **out)
{
	struct store	*st;
	bool		 memory = strcmp(path, ":memory:") == 0;
	int		 r;

	*out = NULL;
	if ((r = store_sodium_init()) != 0)
		return r;
	st = xcalloc(1, sizeof *st);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (st->db != NULL)
			log_error("store: open %s: %s", path, sqlite3_errmsg(st->db));
		else
			log_error("store: open %s: out of memory", path);
		r = ERR_DB;
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if ((r = configure(st, memory)) != 0)
		goto out;
	if ((r = migrate(st)) != 0)
		goto out;
	if ((r = search_register(st)) != 0)
		goto out;
	if ((r = post_search_register(st)) != 0)
		goto out;
	*out = st;
	st = NULL;
 out:
	store_close(st);
	return r;
}

void
store_close(struct store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nstmts; i++)
		sqlite3_finalize(st->stmts[i].stmt);
	free(st->stmts);
	/* sqlite3_close_v2 tolerates a NULL handle and closes once all statements are gone. */
	if (sqlite3_close_v2(st->db) != SQLITE_OK)
		log_error("store: close: %s", sqlite3_errmsg(st->db));
	free(st);
}

int
store_data_version(struct store *st, int64_t *out)
{
	return pragma_int(st, "PRAGMA data_version", out);
}
