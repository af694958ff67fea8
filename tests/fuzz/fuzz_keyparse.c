/* authorized_keys lines pasted by users into Settings or `keys add`. */
#include <stdlib.h>
#include <string.h>

#include "storage/store.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBOrKnNnGvjNezjoRxVw531xTrFjG6Zzda/xd7C0IE one@test",
	"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== x",
	"command=\"rm -rf /\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBOrKnNnGvjNezjoRxVw531xTrFjG6Zzda/xd7C0IE",
	"ecdsa-sha2-nistp256 AAAA", "ssh-ed25519", "", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct user_key	 k = { 0 };
	char		*s = malloc(size + 1), why[160];

	memcpy(s, data, size);
	s[size] = '\0';
	if (key_parse(s, &k, why, sizeof why) == 0) {
		if (strncmp(k.fingerprint, "SHA256:", 7) != 0 || k.type == NULL || k.blob == NULL)
			__builtin_trap();
	}
	user_key_free(&k);
	free(s);
	return 0;
}
