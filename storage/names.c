/*
 * What a username and a display name may be. Pure checks, no SQL: the sign-up
 * screen can ask before anything touches the database.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "common/utf8.h"
#include "storage/store-int.h"
#include "storage/store.h"

#define USERNAME_RULE \
	"usernames are 2 to 32 characters of a-z, 0-9, _ and -, starting with a letter"

/*
 * Names that would let someone pose as the service or its staff, or that
 * collide with words the interface or a future web page may use.
 */
static const char *const reserved[] = {
	"abuse", "admin", "administrator", "anonymous", "api", "daemon", "guest",
	"help", "info", "login", "mail", "me", "mod", "moderator", "new", "nobody",
	"null", "operator", "postmaster", "register", "root", "security", "settings",
	"signup", "sshbook", "staff", "support", "system", "www",
};

bool
username_reserved(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (strcasecmp(name, reserved[i]) == 0)
			return true;
	return false;
}

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_name_char(char c)
{
	return is_lower(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

int
username_check(const char *name, char *why, size_t whysz)
{
	char	 lower[USERNAME_MAX + 1];
	size_t	 len, i;
	bool	 upper = false;

	store_why_clear(why, whysz);
	if (name == NULL || name[0] == '\0') {
		store_why(why, whysz, "a username is required");
		return ERR_INVALID;
	}
	/* Bounded: a 10 KB name costs no more than a 33-byte one. */
	len = strnlen(name, USERNAME_MAX + 1);
	if (len < USERNAME_MIN || len > USERNAME_MAX) {
		store_why(why, whysz, "%s", USERNAME_RULE);
		return ERR_INVALID;
	}
	for (i = 0; i < len; i++) {
		if (is_upper(name[i])) {
			upper = true;
			lower[i] = (char)(name[i] - 'A' + 'a');
		} else if (is_name_char(name[i]))
			lower[i] = name[i];
		else {
			store_why(why, whysz, "%s", USERNAME_RULE);
			return ERR_INVALID;
		}
	}
	lower[len] = '\0';
	if (!is_lower(lower[0])) {
		store_why(why, whysz, "%s", USERNAME_RULE);
		return ERR_INVALID;
	}
	/* Only now is the name plain ASCII that is safe to quote back. */
	if (upper) {
		if (username_reserved(lower))
			store_why(why, whysz, "usernames are lower case, and '%s' is reserved",
			    lower);
		else
			store_why(why, whysz, "usernames are lower case (try '%s')", lower);
		return ERR_INVALID;
	}
	if (username_reserved(name)) {
		store_why(why, whysz, "'%s' is reserved", name);
		return ERR_INVALID;
	}
	return 0;
}

/*
 * Characters that draw as nothing: spaces, and the invisible marks the
 * sanitizer drops (bidi controls, zero-width characters) or that render
 * blank (Hangul fillers). A name made only of these looks empty.
 */
static bool
is_blank(uint32_t cp)
{
	return cp == 0x20 || cp == 0xA0 || cp == 0xAD || cp == 0x034F ||
	    cp == 0x061C || cp == 0x115F || cp == 0x1160 || cp == 0x1680 ||
	    cp == 0x180E || (cp >= 0x2000 && cp <= 0x200F) ||
	    (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x2064) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x3000 || cp == 0x3164 ||
	    cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

int
display_name_check(const char *name, char *why, size_t whysz)
{
	char		 reason[128];
	size_t		 len, i, n;
	uint32_t	 cp;

	store_why_clear(why, whysz);
	if (name == NULL) {
		store_why(why, whysz, "a display name is required");
		return ERR_INVALID;
	}
	if (text_check(name, 1, DISPLAY_NAME_MAX, TEXT_SINGLE_LINE, reason,
	    sizeof reason) != 0) {
		store_why(why, whysz, "display name: %s", reason);
		return ERR_INVALID;
	}
	/* text_check passed, so the string is valid UTF-8 and at most 64 code points. */
	len = strlen(name);
	for (i = 0; i < len; i += n) {
		n = utf8_decode(name + i, len - i, &cp);
		if (!is_blank(cp))
			return 0;
	}
	store_why(why, whysz, "display name: must not be blank");
	return ERR_INVALID;
}
