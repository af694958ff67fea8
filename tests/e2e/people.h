/*
 * People in the end-to-end tests: an account with a key, usually with a live
 * session, and the exec commands they run (the result of the last one in
 * `last`). One copy for every test file.
 */
#ifndef SSHBOOK_E2E_PEOPLE_H
#define SSHBOOK_E2E_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>

#include "tests/e2e/harness.h"

struct json_object;

struct person {
	char		 name[40];
	char		 display[80];
	ssh_key		 key;
	struct cred	 cred;
	struct term	*t;
};

/* The result of the last run_as / run_quiet, freed by the next one (and by each file's teardown). */
extern struct exec_result last;

/* Sign up with a key and a display name, and stay on Home with both counts (notif, msg) at 0. */
bool		 person_new(struct person *, const char *prefix, const char *display);
/* The same, then log out: for people who only act over exec, scp and sftp. */
bool		 person_new_offline(struct person *, const char *prefix, const char *display);
/* Another session of p, on Home; NULL when it did not get there. */
struct term	*person_login(struct person *);
/* Run a command as p over exec; true when it exited with want. */
bool		 run_as(struct person *, int want, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/* The same whatever its status; returns the status (-1: it did not run). */
int		 run_quiet(struct person *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* stderr of the last command is one non-empty line and stdout is empty. */
bool		 last_failed_cleanly(void);
/* a and b become friends over exec (a asks, b accepts: only a gets a notification). */
bool		 make_friends(struct person *a, struct person *b);
/* s quoted as one word for the exec command line (single quotes); a ring of 4 buffers. */
const char	*quote(const char *s);
/* Each line of out parsed as one JSON object into v (at most max); how many, -1 on a bad line. */
int		 json_lines(const char *out, struct json_object **v, int max);
void		 json_free_all(struct json_object **v, int n);
/* Print the screen of t with why; returns false. */
bool		 screen_fail(struct term *t, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Run cmd as p with inlen bytes of in on standard input; true when it exited with want. */
bool		 run_stdin(struct person *, int want, const char *cmd, const void *in, size_t inlen);
/* "@name " as a row shows it (the trailing blank keeps bob1 from matching bob12); a ring of 8. */
const char	*at(const struct person *);
/* The string member key of o ("" when absent or not a string). */
const char	*jstr(struct json_object *o, const char *key);
/* Wait until row y + dy (y: the first row holding text) contains also; prints the screen if not. */
bool		 wait_below_has(struct term *t, const char *text, int dy, const char *also);
/* Wait until the row holding text also holds also. */
bool		 wait_row_has(struct term *t, const char *text, const char *also);
/*
 * Open the chat with who from t's command line (`:dm NAME`, Enter) and wait
 * for its title ("Chat with DISPLAY @NAME") and for ready on the row above
 * the status line: ">" when the input has the keys, the request's keys
 * ("a accept  x decline") for a message request.
 */
bool		 chat_by_command(struct term *t, const struct person *who, const char *ready);
/* After the screen settled, text is not on it. */
bool		 absent(struct term *t, const char *text);
/* Whether id is among ids[0..n). */
bool		 has_id(const long long *ids, int n, long long id);

#endif
