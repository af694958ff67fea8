#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libssh/libssh.h>
#include <libssh/server.h>
#include <sodium.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd-app/auth.h"
#include "sshd-app/config.h"
#include "sshd-app/hostkey.h"
#include "sshd-app/pwslots.h"
#include "storage/store.h"

/*
 * Everything here runs inside libssh's packet handling (the auth callbacks
 * and the message callback), so it only decides and replies; the session's
 * main loop notices auth_done() and moves on.
 */

#define AUTH_MAX_FAILURES	6	/* wrong passwords or keys per connection */
#define AUTH_MAX_REQUESTS	60	/* auth requests of any kind per connection */
#define SIGNUP_ROUNDS		3	/* keyboard-interactive tries to choose a password */

enum who {
	WHO_UNSET,	/* no user name seen yet (or the database was down) */
	WHO_KNOWN,	/* an existing account */
	WHO_FREE,	/* a free name that may sign up */
	WHO_REFUSED,	/* anything else: every method fails */
};

enum kbd {
	KBD_NONE,
	KBD_LOGIN,	/* asked for the password of a known user */
	KBD_SIGNUP,	/* asked a free name to choose a password */
};

struct auth {
	const struct config	*cfg;
	const volatile sig_atomic_t *grace_over;	/* the session's alarm flag */
	char			 addr[64];
	struct store		*st;
	enum who		 who;
	char			 name[USERNAME_MAX + 1];
	char			 shown[48];	/* the name as logs may print it */
	int64_t			 user_id;
	int			 requests;
	int			 failures;
	bool			 give_up;
	bool			 done;
	bool			 limit_logged;
	bool			 key_refused;	/* a key was offered for a known name and is not its */
	bool			 rename_logged;
	enum kbd		 kbd;
	int			 round;
	char			*key_line;
	char			*pwhash;
	char			*login_key;	/* the fingerprint a known user logged in with */
};

struct auth *
auth_new(const struct config *c, const char *addr,
    const volatile sig_atomic_t *grace_over)
{
	struct auth *a = xcalloc(1, sizeof *a);

	a->cfg = c;
	a->grace_over = grace_over;
	snprintf(a->addr, sizeof a->addr, "%s", addr);
	return a;
}

static void
close_store(struct auth *a)
{
	if (a->st != NULL)
		store_close(a->st);
	a->st = NULL;
}

void
auth_free(struct auth *a)
{
	if (a == NULL)
		return;
	close_store(a);
	free(a->key_line);
	free(a->login_key);
	if (a->pwhash != NULL) {
		sodium_memzero(a->pwhash, strlen(a->pwhash));
		free(a->pwhash);
	}
	free(a);
}

bool
auth_done(const struct auth *a)
{
	return a->done;
}

bool
auth_give_up(const struct auth *a)
{
	return a->give_up;
}

void
auth_take_result(struct auth *a, struct auth_result *out)
{
	memset(out, 0, sizeof *out);
	if (!a->done)
		return;
	out->user = xstrdup(a->name);
	out->user_id = a->who == WHO_KNOWN ? a->user_id : 0;
	out->signup = a->who == WHO_FREE;
	out->key_line = a->key_line;
	out->pwhash = a->pwhash;
	out->login_key = a->login_key;
	a->key_line = a->pwhash = a->login_key = NULL;
	close_store(a);
}

void
auth_result_free(struct auth_result *r)
{
	free(r->user);
	free(r->key_line);
	free(r->login_key);
	if (r->pwhash != NULL) {
		sodium_memzero(r->pwhash, strlen(r->pwhash));
		free(r->pwhash);
	}
	memset(r, 0, sizeof *r);
}

/* A client-chosen string made fit for one log line: printable ASCII, short. */
static void
printable(const char *s, char *out, size_t outsz)
{
	size_t i, n = 0;

	for (i = 0; s[i] != '\0' && n + 4 < outsz; i++)
		out[n++] = (s[i] > ' ' && s[i] < 0x7f) ? s[i] : '?';
	if (s[i] != '\0' && n + 3 < outsz) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

static int
open_store(struct auth *a)
{
	char	*path;
	int	 r;

	if (a->st != NULL)
		return 0;
	path = xasprintf("%s/sshbook.db", a->cfg->data_dir);
	r = store_open(path, &a->st);
	free(path);
	if (r != 0) {
		log_error("cannot open the database: %s", err_str(r));
		a->st = NULL;
	}
	return r;
}

/* Decide once what the name is: an account, a free name, or a refusal. */
static bool
resolve(struct auth *a, const char *user)
{
	struct user	u;
	char		why[128];
	int		r;

	if (user == NULL)
		return false;
	if (a->who != WHO_UNSET) {
		/* A refused name stays refused whatever comes next. */
		if (a->who == WHO_REFUSED || strcmp(user, a->name) == 0)
			return true;
		if (!a->rename_logged) {
			printable(user, why, 48);
			log_info("client switched user name from '%s' to '%s': "
			    "refused", a->shown, why);
			a->rename_logged = true;
		}
		return false;
	}
	if (open_store(a) != 0)
		return false;
	printable(user, a->shown, sizeof a->shown);
	log_set_context(a->addr, a->shown);
	if (strlen(user) > USERNAME_MAX) {
		/* Remember a prefix: a later request must repeat the same name. */
		snprintf(a->name, sizeof a->name, "%.*s", USERNAME_MAX, user);
		a->who = WHO_REFUSED;
		log_info("refusing '%s': name longer than %d characters",
		    a->shown, USERNAME_MAX);
		return true;
	}
	snprintf(a->name, sizeof a->name, "%s", user);
	r = store_user_by_name(a->st, user, &u);
	if (r == 0) {
		a->who = WHO_KNOWN;
		a->user_id = u.id;
		user_free(&u);
		return true;
	}
	if (r != ERR_NOTFOUND) {
		a->name[0] = '\0';
		return false;	/* logged by storage; try again next request */
	}
	if (username_check(user, why, sizeof why) != 0) {
		a->who = WHO_REFUSED;
		log_info("refusing '%s': %s", a->shown, why);
	} else if (a->cfg->registration == REG_CLOSED) {
		a->who = WHO_REFUSED;
		log_info("refusing '%s': no such user, and registration is "
		    "closed", a->shown);
	} else
		a->who = WHO_FREE;
	return true;
}

/* Every auth request starts here: counts it and resolves the name. */
static bool
begin(struct auth *a, const char *user)
{
	if (a->done || a->give_up)
		return false;
	if (++a->requests > AUTH_MAX_REQUESTS) {
		log_info("%d authentication requests: dropping the connection",
		    AUTH_MAX_REQUESTS);
		a->give_up = true;
		return false;
	}
	return resolve(a, user);
}

/*
 * The scopes failures are counted under. An account is counted by its id,
 * never by the name as typed: login folds case, so "Bob" and "bob" are the
 * same account and must share one count (else each spelling is a fresh
 * set of guesses).
 */
static void
addr_scope(const struct auth *a, char *scope, size_t scopesz)
{
	snprintf(scope, scopesz, "addr:%s", a->addr);
}

static void
user_scope(const struct auth *a, char *scope, size_t scopesz)
{
	snprintf(scope, scopesz, "user:#%lld", (long long)a->user_id);
}

/*
 * Past a limit? Counted across all processes in the database. When the
 * database cannot count, nothing is limited: the login itself still needs
 * the database and fails on its own.
 */
static bool
limited(struct auth *a, bool password)
{
	char	scope[128];
	int64_t	since = (int64_t)time(NULL) - a->cfg->auth_failure_window;
	int	n;

	if (a->st == NULL)
		return false;
	if (a->cfg->auth_max_failures_per_addr > 0) {
		addr_scope(a, scope, sizeof scope);
		if (store_auth_failure_count(a->st, scope, since, &n) == 0 &&
		    n >= a->cfg->auth_max_failures_per_addr) {
			if (!a->limit_logged)
				log_warn("%d failed logins from %s in %d s: "
				    "refusing every attempt", n, a->addr,
				    a->cfg->auth_failure_window);
			a->limit_logged = true;
			return true;
		}
	}
	if (password && a->who == WHO_KNOWN &&
	    a->cfg->auth_max_failures_per_user > 0) {
		user_scope(a, scope, sizeof scope);
		if (store_auth_failure_count(a->st, scope, since, &n) == 0 &&
		    n >= a->cfg->auth_max_failures_per_user) {
			if (!a->limit_logged)
				log_warn("%d failed logins for '%s' in %d s: "
				    "refusing passwords", n, a->name,
				    a->cfg->auth_failure_window);
			a->limit_logged = true;
			return true;
		}
	}
	return false;
}

static void
failed(struct auth *a, const char *method)
{
	char	scope[128];
	int64_t	now = (int64_t)time(NULL);

	if (a->st != NULL) {
		addr_scope(a, scope, sizeof scope);
		(void)store_auth_failure_add(a->st, scope, now);
		if (a->who == WHO_KNOWN) {
			user_scope(a, scope, sizeof scope);
			(void)store_auth_failure_add(a->st, scope, now);
		}
	}
	log_info("failed %s for '%s'", method, a->shown);
	if (++a->failures >= AUTH_MAX_FAILURES) {
		log_info("%d failed attempts: dropping the connection",
		    a->failures);
		a->give_up = true;
	}
}

static void
succeeded(struct auth *a, const char *method, const char *detail)
{
	a->done = true;
	log_set_context(a->addr, a->name);
	if (a->who == WHO_FREE)
		log_info("sign-up of '%s' by %s%s%s", a->name, method,
		    detail ? " " : "", detail ? detail : "");
	else
		log_info("accepted %s%s%s for '%s'", method, detail ? " " : "",
		    detail ? detail : "", a->name);
}

int
auth_pubkey(struct auth *a, const char *user, ssh_key key, char state)
{
	const char	*type;
	char		*b64 = NULL, *fp = NULL;
	int		 rc = SSH_AUTH_DENIED;

	if (!begin(a, user))
		return SSH_AUTH_DENIED;
	if (a->who == WHO_REFUSED || limited(a, false))
		return SSH_AUTH_DENIED;
	if (state != SSH_PUBLICKEY_STATE_NONE &&
	    state != SSH_PUBLICKEY_STATE_VALID) {
		failed(a, "publickey (bad signature)");
		return SSH_AUTH_DENIED;
	}
	type = ssh_key_type_to_char(ssh_key_type(key));
	if (type == NULL || strstr(type, "-cert-") != NULL) {
		log_debug("publickey of type %s refused: certificates are not "
		    "accounts", type ? type : "?");
		return SSH_AUTH_DENIED;
	}
	if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
		return SSH_AUTH_DENIED;

	if (a->who == WHO_KNOWN) {
		if (store_key_match(a->st, a->user_id, type, b64) != 0) {
			a->key_refused = true;
			if (state == SSH_PUBLICKEY_STATE_VALID)
				failed(a, "publickey");
			goto out;
		}
	} else if (a->who != WHO_FREE)
		goto out;

	rc = SSH_AUTH_SUCCESS;	/* a probe: "this key would do" */
	if (state == SSH_PUBLICKEY_STATE_VALID) {
		fp = hostkey_fingerprint(key);
		if (a->who == WHO_FREE)
			a->key_line = xasprintf("%s %s", type, b64);
		else if (fp != NULL)
			a->login_key = xstrdup(fp);
		succeeded(a, "publickey", fp);
	}
 out:
	free(fp);
	ssh_string_free_char(b64);
	return rc;
}

/* Wait for an Argon2id slot: the fd to give back, or -1 (no slot: fail the attempt). */
static int
take_slot(struct auth *a)
{
	char	*dir = xasprintf("%s/run", a->cfg->data_dir);
	int	 fd;

	fd = pwslot_take(dir, a->cfg->password_check_slots,
	    a->cfg->login_grace_time * 1000, a->grace_over);
	free(dir);
	return fd;
}

/* Check a known user's password; true when it is right. */
static bool
check_password(struct auth *a, const char *pw, const char *method)
{
	int r, slot;

	if (limited(a, true))
		return false;
	if (strnlen(pw, PASSWORD_MAX + 1) > PASSWORD_MAX) {
		failed(a, method);
		return false;
	}
	if ((slot = take_slot(a)) < 0)
		return false;
	r = store_password_verify(a->st, a->user_id, pw);
	pwslot_give(slot);
	if (r == 0) {
		succeeded(a, method, NULL);
		return true;
	}
	if (r == ERR_DENIED || r == ERR_NOTFOUND || r == ERR_INVALID)
		failed(a, method);
	else
		log_warn("cannot check the password of '%s': %s", a->name,
		    err_str(r));
	return false;
}

int
auth_password(struct auth *a, const char *user, const char *password)
{
	if (!begin(a, user))
		return SSH_AUTH_DENIED;
	if (a->who == WHO_FREE) {
		log_info("password method for the free name '%s': refused "
		    "(sign up with a key or keyboard-interactive)", a->name);
		failed(a, "password");
		return SSH_AUTH_DENIED;
	}
	if (a->who == WHO_REFUSED) {
		failed(a, "password");
		return SSH_AUTH_DENIED;
	}
	if (a->who != WHO_KNOWN || password == NULL)
		return SSH_AUTH_DENIED;
	return check_password(a, password, "password") ? SSH_AUTH_SUCCESS :
	    SSH_AUTH_DENIED;
}

void
auth_bad_signature(struct auth *a)
{
	failed(a, "publickey (bad signature)");
}

void
auth_other(struct auth *a, const char *user)
{
	(void)begin(a, user);
}

/*
 * The password of a known name. When the client's keys were not the
 * account's, say so: someone who meant to sign up would otherwise face
 * "Password:" three times with no word of why. (Names are public on a
 * social network, so this tells a stranger nothing new.)
 */
static int
ask_login(struct auth *a, ssh_message msg)
{
	const char	*prompts[] = { "Password: " };
	char		 echo[] = { 0 }, instruction[200] = "";

	if (a->key_refused)
		snprintf(instruction, sizeof instruction, "'%s' is taken, and your "
		    "key is not one of its keys: type its password, or connect "
		    "with another name to sign up.", a->name);
	return ssh_message_auth_interactive_request(msg, "", instruction, 1,
	    prompts, echo);
}

static int
ask_signup(struct auth *a, ssh_message msg, const char *instruction)
{
	char		 p1[96];
	const char	*prompts[2];
	char		 echo[] = { 0, 0 };

	snprintf(p1, sizeof p1, "Choose a password for %s: ", a->name);
	prompts[0] = p1;
	prompts[1] = "Repeat the password: ";
	return ssh_message_auth_interactive_request(msg, "", instruction, 2,
	    prompts, echo);
}

/* The answers to the sign-up prompts: true when the account can go ahead. */
static bool
signup_answers(struct auth *a, ssh_session session, ssh_message msg)
{
	const char	*p1, *p2;
	char		 why[160], instruction[200], hash[256];
	int		 slot, r;

	if (ssh_userauth_kbdint_getnanswers(session) != 2 ||
	    (p1 = ssh_userauth_kbdint_getanswer(session, 0)) == NULL ||
	    (p2 = ssh_userauth_kbdint_getanswer(session, 1)) == NULL)
		return false;
	if (strcmp(p1, p2) != 0)
		snprintf(why, sizeof why, "the passwords do not match");
	else if (password_check(p1, why, sizeof why) == 0) {
		if ((slot = take_slot(a)) < 0)
			return false;
		r = password_hash(p1, hash, sizeof hash);
		pwslot_give(slot);
		if (r != 0) {
			log_error("cannot hash the new password");
			return false;
		}
		a->pwhash = xstrdup(hash);
		sodium_memzero(hash, sizeof hash);
		succeeded(a, "keyboard-interactive", "(new password)");
		ssh_message_auth_reply_success(msg, 0);
		return true;
	}
	if (a->round >= SIGNUP_ROUNDS) {
		log_info("sign-up of '%s': no acceptable password in %d tries",
		    a->name, SIGNUP_ROUNDS);
		return false;
	}
	a->round++;
	snprintf(instruction, sizeof instruction, "%s: try again.", why);
	if (ask_signup(a, msg, instruction) != SSH_OK)
		return false;
	a->kbd = KBD_SIGNUP;
	return true;
}

void
auth_kbdint(struct auth *a, ssh_session session, ssh_message msg)
{
	const char	*pw;
	char		 instruction[160];
	enum kbd	 kind;

	if (!ssh_message_auth_kbdint_is_response(msg)) {
		a->kbd = KBD_NONE;
		if (!begin(a, ssh_message_auth_user(msg)) || limited(a, false))
			goto fail;
		if (a->who == WHO_KNOWN) {
			if (limited(a, true) || ask_login(a, msg) != SSH_OK)
				goto fail;
			a->kbd = KBD_LOGIN;
			return;
		}
		if (a->who == WHO_FREE) {
			snprintf(instruction, sizeof instruction,
			    "'%s' is free: choose a password to create the "
			    "account.", a->name);
			a->round = 1;
			if (ask_signup(a, msg, instruction) != SSH_OK)
				goto fail;
			a->kbd = KBD_SIGNUP;
			return;
		}
		goto fail;
	}

	/* The answers to what we asked. */
	kind = a->kbd;
	a->kbd = KBD_NONE;
	if (a->done || a->give_up)
		goto fail;
	if (kind == KBD_LOGIN) {
		if (ssh_userauth_kbdint_getnanswers(session) != 1 ||
		    (pw = ssh_userauth_kbdint_getanswer(session, 0)) == NULL) {
			failed(a, "keyboard-interactive");
			goto fail;
		}
		if (check_password(a, pw, "keyboard-interactive")) {
			ssh_message_auth_reply_success(msg, 0);
			return;
		}
		goto fail;
	}
	if (kind == KBD_SIGNUP && signup_answers(a, session, msg))
		return;
 fail:
	ssh_message_reply_default(msg);
}
