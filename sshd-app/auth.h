/*
 * Who is this connection? The login and sign-up rules of PRODUCT.md
 * ("Accounts and login"), called from the libssh auth callbacks of one
 * session child. One struct auth per connection.
 *
 * - A known user gets in with any of the account's keys, or the password
 *   (password method, or keyboard-interactive with one "Password: " prompt).
 * - A free, valid name with registration open or invite gets in with any
 *   key (sign-up with that key), or through keyboard-interactive by choosing
 *   a password twice (sign-up with its hash). The password method fails.
 * - Anything else fails like a wrong password; the log says why, once.
 * - Failures are counted in the database per address and per account; past
 *   auth_max_failures_per_addr every method fails for that address, past
 *   auth_max_failures_per_user the password methods fail for that account
 *   (keys still work, so nobody can lock the owner out by guessing).
 * - The first user name a client sends is the only one it may use.
 */
#ifndef SSHBOOK_SSHD_AUTH_H
#define SSHBOOK_SSHD_AUTH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

struct config;
struct auth;

struct auth_result {
	char	*user;		/* the account, or the free name to sign up */
	int64_t	 user_id;	/* 0 for a sign-up */
	bool	 signup;
	char	*key_line;	/* sign-up with a key: "TYPE BASE64"; else NULL */
	char	*pwhash;	/* sign-up with a password: its Argon2id hash; else NULL */
	char	*login_key;	/* a known user by key: its fingerprint ("SHA256:..."); else NULL */
};

/*
 * State for one connection from addr; the database is opened on first
 * use. A password check waits for a free Argon2id slot (sshd-app/pwslots.h)
 * until *grace_over turns nonzero (the login grace time is over).
 */
struct auth	*auth_new(const struct config *c, const char *addr,
		    const volatile sig_atomic_t *grace_over);
/* Close the database and free a (NULL is fine). */
void		 auth_free(struct auth *a);

/*
 * The publickey method. state is SSH_PUBLICKEY_STATE_NONE for a probe
 * (answered with SSH_AUTH_SUCCESS when the key would do, which libssh turns
 * into PK_OK) or SSH_PUBLICKEY_STATE_VALID once the signature is checked:
 * only then is the identity bound. Returns SSH_AUTH_SUCCESS or SSH_AUTH_DENIED.
 */
int	auth_pubkey(struct auth *a, const char *user, ssh_key key, char state);
/* The password method. Returns SSH_AUTH_SUCCESS or SSH_AUTH_DENIED. */
int	auth_password(struct auth *a, const char *user, const char *password);
/*
 * A keyboard-interactive message, either the client's request or its
 * answers: sends the prompts, a success or a failure for it.
 */
void	auth_kbdint(struct auth *a, ssh_session session, ssh_message msg);
/* Any other method ("none" ...): counted, and always a failure. */
void	auth_other(struct auth *a, const char *user);

/*
 * The client sent a publickey request whose signature does not verify
 * (libssh drops it without telling the callbacks): counted as a failure.
 */
void	auth_bad_signature(struct auth *a);

/* True once a method succeeded. */
bool	auth_done(const struct auth *a);
/* True when the client has used up its attempts: drop the connection. */
bool	auth_give_up(const struct auth *a);
/*
 * After auth_done: move the identity into *out (free with
 * auth_result_free) and close the database, which the session no longer needs.
 */
void	auth_take_result(struct auth *a, struct auth_result *out);
void	auth_result_free(struct auth_result *r);

#endif
