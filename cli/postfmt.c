/* The text and JSON forms of posts and comments, shared by show, feed, search and comments. */
#include "cli/postfmt.h"

#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "common/buf.h"
#include "common/sanitize.h"
#include "common/timefmt.h"
#include "media/markdown.h"

#define QUOTE_PREFIX	"| "	/* before each line of a shared post */

const char *
postfmt_original_state_name(enum original_state s)
{
	switch (s) {
	case ORIGINAL_DELETED: return "deleted";
	case ORIGINAL_HIDDEN: return "hidden";
	case ORIGINAL_SHOWN: break;
	}
	return "shown";
}

/* "#12  Alice @alice · 5m · public · edited · shared #9", sanitized. */
static void
header(struct buf *b, const struct post *p, int64_t now)
{
	char ago[32];

	time_ago(p->created_at, now, ago, sizeof ago);
	buf_addf(b, "#%lld  ", (long long)p->id);
	sanitize_append(b, p->author_display_name != NULL ? p->author_display_name : "", false);
	buf_adds(b, " @");
	sanitize_append(b, p->author_username != NULL ? p->author_username : "", false);
	buf_addf(b, " · %s · %s", ago, visibility_name(p->visibility));
	if (p->edited_at != 0)
		buf_adds(b, " · edited");
	if (p->shared_from != 0)
		buf_addf(b, " · shared #%lld", (long long)p->shared_from);
}

/* The markdown as plain lines, each after prefix (without its trailing blanks on an empty line). */
static void
body(FILE *out, const char *text, int cols, const char *prefix)
{
	struct md_doc	 d;
	size_t		 i, bare = strlen(prefix);
	char		*t;

	if (text == NULL || text[0] == '\0' || md_render(text, cols, &d) != 0)
		return;
	while (bare > 0 && prefix[bare - 1] == ' ')
		bare--;
	for (i = 0; i < d.n; i++) {
		t = md_line_text(&d.lines[i]);
		if (t[0] == '\0')
			fprintf(out, "%.*s\n", (int)bare, prefix);
		else
			fprintf(out, "%s%s\n", prefix, t);
		free(t);
	}
	md_doc_free(&d);
}

static void
counts(struct buf *b, const struct post *p)
{
	size_t	k, before = b->len;

	for (k = REACT_LIKE; k < REACT_COUNT; k++)
		if (p->reactions[k] > 0)
			buf_addf(b, "%s%s %zu", b->len > before ? ", " : "",
			    reaction_name((enum reaction)k), p->reactions[k]);
	if (b->len == before)
		buf_adds(b, "0 likes");
	buf_addf(b, " · %zu comment%s · %zu share%s", p->comments, p->comments == 1 ? "" : "s",
	    p->shares, p->shares == 1 ? "" : "s");
	if (p->my_reaction != REACT_NONE)
		buf_addf(b, " · you reacted %s", reaction_name(p->my_reaction));
}

/* "[image #42 1024x768]" lines: what a terminal reader of exec output learns of the pictures. */
static void
media_lines(FILE *out, const struct post *p, const char *prefix)
{
	size_t	i;

	for (i = 0; i < p->nmedia; i++) {
		const struct post_media *m = &p->media[i];

		if (m->kind == 1)
			fprintf(out, "%s[video #%lld %dx%d %lld:%02lld%s]\n", prefix, (long long)m->id,
			    m->width, m->height, (long long)(m->duration_ms / 60000),
			    (long long)(m->duration_ms / 1000 % 60), m->state == 0 ? ", processing" : "");
		else
			fprintf(out, "%s[image #%lld %dx%d%s]\n", prefix, (long long)m->id, m->width,
			    m->height, m->state == 0 ? ", processing" : m->state == 2 ? ", failed" : "");
	}
}

void
postfmt_text(FILE *out, const struct post *p, int64_t now)
{
	struct buf		 b = BUF_INIT;
	const struct post	*o = p->original;

	header(&b, p, now);
	fprintf(out, "%s\n", b.buf);
	body(out, p->text, POSTFMT_COLS, "");
	media_lines(out, p, "");
	if (p->shared_from != 0) {
		if (o != NULL) {
			buf_reset(&b);
			header(&b, o, now);
			fprintf(out, "%s%s\n", QUOTE_PREFIX, b.buf);
			body(out, o->text, POSTFMT_COLS - (int)strlen(QUOTE_PREFIX), QUOTE_PREFIX);
			media_lines(out, o, QUOTE_PREFIX);
		} else
			fprintf(out, "%s%s\n", QUOTE_PREFIX,
			    p->original_state == ORIGINAL_DELETED ? "original post deleted" :
			    "original post not available");
	}
	if (p->reason != NULL && p->reason[0] != '\0') {
		buf_reset(&b);
		sanitize_append(&b, p->reason, false);
		fprintf(out, "why: %s\n", b.buf);
	}
	buf_reset(&b);
	counts(&b, p);
	fprintf(out, "%s\n", b.buf);
	buf_release(&b);
}

static struct json_object *
string_or_null(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/* The `media` array of a post: what each attached item is (media show ID has the rest). */
static struct json_object *
media_json(const struct post *p)
{
	static const char *const kinds[] = { "image", "video" };
	static const char *const states[] = { "processing", "ready", "failed" };
	struct json_object	*a = json_object_new_array(), *m;
	size_t			 i;

	for (i = 0; i < p->nmedia; i++) {
		const struct post_media *pm = &p->media[i];

		m = json_object_new_object();
		json_object_object_add(m, "id", json_object_new_int64(pm->id));
		json_object_object_add(m, "kind", json_object_new_string(kinds[pm->kind == 1]));
		json_object_object_add(m, "state", json_object_new_string(
		    states[pm->state >= 0 && pm->state <= 2 ? pm->state : 2]));
		json_object_object_add(m, "width", json_object_new_int(pm->width));
		json_object_object_add(m, "height", json_object_new_int(pm->height));
		json_object_object_add(m, "duration_ms", pm->kind == 1 ?
		    json_object_new_int64(pm->duration_ms) : NULL);
		json_object_array_add(a, m);
	}
	return a;
}

struct json_object *
postfmt_json(const struct post *p)
{
	struct json_object	*o = json_object_new_object(), *rx = json_object_new_object();
	size_t			 k;

	json_object_object_add(o, "id", json_object_new_int64(p->id));
	json_object_object_add(o, "author", string_or_null(p->author_username));
	json_object_object_add(o, "author_display_name", string_or_null(p->author_display_name));
	json_object_object_add(o, "text", json_object_new_string(p->text != NULL ? p->text : ""));
	json_object_object_add(o, "visibility", json_object_new_string(visibility_name(p->visibility)));
	json_object_object_add(o, "created_at", json_time(p->created_at));
	json_object_object_add(o, "edited_at", p->edited_at != 0 ? json_time(p->edited_at) : NULL);
	json_object_object_add(o, "likes", json_object_new_int64((int64_t)p->reactions[REACT_LIKE]));
	for (k = REACT_LIKE; k < REACT_COUNT; k++)
		if (p->reactions[k] > 0)
			json_object_object_add(rx, reaction_name((enum reaction)k),
			    json_object_new_int64((int64_t)p->reactions[k]));
	json_object_object_add(o, "reactions", rx);
	json_object_object_add(o, "my_reaction", p->my_reaction != REACT_NONE ?
	    json_object_new_string(reaction_name(p->my_reaction)) : NULL);
	json_object_object_add(o, "comments", json_object_new_int64((int64_t)p->comments));
	json_object_object_add(o, "shares", json_object_new_int64((int64_t)p->shares));
	json_object_object_add(o, "media", media_json(p));
	json_object_object_add(o, "shared_from",
	    p->shared_from != 0 ? json_object_new_int64(p->shared_from) : NULL);
	json_object_object_add(o, "original",
	    p->shared_from != 0 && p->original != NULL ? postfmt_json(p->original) : NULL);
	json_object_object_add(o, "original_state", p->shared_from != 0 ?
	    json_object_new_string(postfmt_original_state_name(p->original != NULL ?
	    ORIGINAL_SHOWN : p->original_state == ORIGINAL_SHOWN ? ORIGINAL_HIDDEN :
	    p->original_state)) : NULL);
	if (p->reason != NULL)
		json_object_object_add(o, "reason", json_object_new_string(p->reason));
	return o;
}

void
postfmt_comment_text(FILE *out, const struct comment *c, int64_t now)
{
	struct buf	 b = BUF_INIT;
	char		 ago[32], *text, *line, *next;

	time_ago(c->created_at, now, ago, sizeof ago);
	buf_addf(&b, "comment #%lld  ", (long long)c->id);
	sanitize_append(&b, c->author_display_name != NULL ? c->author_display_name : "", false);
	buf_adds(&b, " @");
	sanitize_append(&b, c->author_username != NULL ? c->author_username : "", false);
	buf_addf(&b, " · %s%s", ago, c->edited_at != 0 ? " · edited" : "");
	fprintf(out, "%s\n", b.buf);
	buf_release(&b);
	/* Comments are plain text (as the TUI shows them): each line indented. */
	text = sanitize_dup(c->text != NULL ? c->text : "", true);
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (line[0] != '\0')
			fprintf(out, "  %s\n", line);
		else if (next != NULL)
			fputc('\n', out);
	}
	free(text);
}

struct json_object *
postfmt_comment_json(const struct comment *c)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(c->id));
	json_object_object_add(o, "post", json_object_new_int64(c->post_id));
	json_object_object_add(o, "author", string_or_null(c->author_username));
	json_object_object_add(o, "author_display_name", string_or_null(c->author_display_name));
	json_object_object_add(o, "text", json_object_new_string(c->text != NULL ? c->text : ""));
	json_object_object_add(o, "created_at", json_time(c->created_at));
	json_object_object_add(o, "edited_at", c->edited_at != 0 ? json_time(c->edited_at) : NULL);
	return o;
}
