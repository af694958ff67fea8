#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd-app/config.h"
#include "sshd-app/hostkey.h"

/*
 * libssh keeps one host key per family (RSA, ECDSA, Ed25519) in a bind and
 * takes ownership of what SSH_BIND_OPTIONS_IMPORT_KEY hands it. The keys are
 * loaded once in the listener, before any fork, so every session child
 * inherits them without touching the files again.
 */

#define HOSTKEY_DEFAULT	"ssh_host_ed25519_key"

char *
hostkey_fingerprint(ssh_key key)
{
	unsigned char	*hash = NULL;
	size_t		 hlen = 0;
	char		*fp, *out;

	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != SSH_OK)
		return NULL;
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	ssh_clean_pubkey_hash(&hash);
	if (fp == NULL)
		return NULL;
	out = xstrdup(fp);
	ssh_string_free_char(fp);
	return out;
}

/* Which libssh slot a key type goes into, or NULL for a type a server cannot use. */
static const char *
key_family(enum ssh_keytypes_e t)
{
	switch (t) {
	case SSH_KEYTYPE_RSA:
		return "rsa";
	case SSH_KEYTYPE_ECDSA_P256:
	case SSH_KEYTYPE_ECDSA_P384:
	case SSH_KEYTYPE_ECDSA_P521:
		return "ecdsa";
	case SSH_KEYTYPE_ED25519:
		return "ed25519";
	default:
		return NULL;
	}
}

/* Write data to path atomically (temporary file, fsync, rename) with the given mode. */
static int
write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	char	*tmp;
	int	 fd, r = -1;
	ssize_t	 n;
	size_t	 off = 0;

	tmp = xasprintf("%s.tmp", path);
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) < 0) {
		log_error("cannot create '%s': %s", tmp, strerror(errno));
		goto out;
	}
	while (off < len) {
		n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_error("cannot write '%s': %s", tmp, strerror(errno));
			close(fd);
			(void)unlink(tmp);
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		log_error("cannot write '%s': %s", tmp, strerror(errno));
		(void)unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) != 0) {
		log_error("cannot rename '%s' to '%s': %s", tmp, path,
		    strerror(errno));
		(void)unlink(tmp);
		goto out;
	}
	r = 0;
 out:
	free(tmp);
	return r;
}

/* Make a new Ed25519 key at path (0600) and its public half at path.pub. */
static int
generate(const char *path, ssh_key *keyp)
{
	ssh_key	 key = NULL;
	char	*priv = NULL, *pub = NULL, *line = NULL, *pubpath = NULL;
	int	 r = -1;

	*keyp = NULL;
	if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
		log_error("cannot generate an ed25519 host key");
		goto out;
	}
	if (ssh_pki_export_privkey_base64(key, NULL, NULL, NULL, &priv) != SSH_OK ||
	    ssh_pki_export_pubkey_base64(key, &pub) != SSH_OK) {
		log_error("cannot export the new host key");
		goto out;
	}
	if (write_file(path, priv, strlen(priv), 0600) != 0)
		goto out;
	line = xasprintf("ssh-ed25519 %s sshbook-host-key\n", pub);
	pubpath = xasprintf("%s.pub", path);
	if (write_file(pubpath, line, strlen(line), 0644) != 0)
		goto out;
	log_info("generated host key '%s'", path);
	*keyp = key;
	key = NULL;
	r = 0;
 out:
	if (priv != NULL) {
		explicit_bzero(priv, strlen(priv));
		ssh_string_free_char(priv);
	}
	ssh_string_free_char(pub);
	free(line);
	free(pubpath);
	ssh_key_free(key);
	return r;
}

static int
load(const char *path, ssh_key *keyp)
{
	struct stat st;

	*keyp = NULL;
	if (stat(path, &st) != 0) {
		log_error("cannot read host key '%s': %s", path, strerror(errno));
		return -1;
	}
	if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, keyp) != SSH_OK) {
		log_error("cannot load host key '%s' (unreadable, not a private "
		    "key, or protected by a passphrase)", path);
		return -1;
	}
	if (st.st_mode & 077)
		log_warn("host key '%s' is readable by other users: "
		    "chmod 600 it", path);
	return 0;
}

/* Hand key to the bind (which then owns it) after checking its family is new. */
static int
install(ssh_bind bind, ssh_key key, const char *path, const char **families,
    size_t *nfam)
{
	const char	*fam = key_family(ssh_key_type(key));
	char		*fp;
	size_t		 i;

	if (fam == NULL) {
		log_error("host key '%s': type %s cannot be a host key", path,
		    ssh_key_type_to_char(ssh_key_type(key)));
		ssh_key_free(key);
		return -1;
	}
	for (i = 0; i < *nfam; i++) {
		if (strcmp(families[i], fam) == 0) {
			log_error("host key '%s': a second %s key (one per type)",
			    path, fam);
			ssh_key_free(key);
			return -1;
		}
	}
	families[(*nfam)++] = fam;
	fp = hostkey_fingerprint(key);
	log_info("host key %s %s (%s)", ssh_key_type_to_char(ssh_key_type(key)),
	    fp ? fp : "?", path);
	free(fp);
	if (ssh_bind_options_set(bind, SSH_BIND_OPTIONS_IMPORT_KEY, key) != SSH_OK) {
		log_error("host key '%s': libssh refused it: %s", path,
		    ssh_get_error(bind));
		ssh_key_free(key);
		return -1;
	}
	return 0;
}

int
hostkey_setup(ssh_bind bind, const struct config *c)
{
	const char	*families[CONFIG_MAX_HOST_KEYS + 1];
	size_t		 nfam = 0, i;
	ssh_key		 key;
	char		*path;
	int		 r;

	if (c->n_host_keys > 0) {
		for (i = 0; i < c->n_host_keys; i++) {
			if (load(c->host_keys[i], &key) != 0)
				return -1;
			if (install(bind, key, c->host_keys[i], families,
			    &nfam) != 0)
				return -1;
		}
		return 0;
	}

	path = xasprintf("%s/hostkeys/%s", c->data_dir, HOSTKEY_DEFAULT);
	if (access(path, F_OK) == 0)
		r = load(path, &key);
	else
		r = generate(path, &key);
	if (r == 0)
		r = install(bind, key, path, families, &nfam);
	free(path);
	return r;
}
