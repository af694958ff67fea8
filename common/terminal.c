/* What the user's terminal can show (common/terminal.h). */
#include "common/terminal.h"

#include <stdlib.h>
#include <string.h>

bool
terminal_ascii_only(void)
{
	const char *t = getenv("TERM"), *force = getenv("SSHBOOK_ASCII");

	if (force != NULL && strcmp(force, "1") == 0)
		return true;
	if (t == NULL)
		return true;
	return strcmp(t, "linux") == 0 || strncmp(t, "vt", 2) == 0 || strcmp(t, "dumb") == 0 ||
	    strcmp(t, "ansi") == 0 || strncmp(t, "cons", 4) == 0;
}
