/*
 * The server's host keys, and key fingerprints in OpenSSH's form.
 */
#ifndef SSHBOOK_SSHD_HOSTKEY_H
#define SSHBOOK_SSHD_HOSTKEY_H

#include <libssh/libssh.h>
#include <libssh/server.h>

struct config;

/*
 * Load the host keys into bind: the config's host_key paths, or else
 * DATA_DIR/hostkeys/ssh_host_ed25519_key, generated (mode 0600, with a .pub
 * beside it) when absent. Logs each key's type and SHA256 fingerprint.
 * Returns 0, or -1 after logging why (unreadable key, two keys of one type).
 */
int	hostkey_setup(ssh_bind bind, const struct config *c);

/* "SHA256:..." (unpadded base64) of a public or private key; caller frees; NULL on failure. */
char	*hostkey_fingerprint(ssh_key key);

#endif
