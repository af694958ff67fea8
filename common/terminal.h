/*
 * What the user's terminal can show, from the environment the session was
 * given (TERM from the pty request). One answer for the TUI and for exec
 * commands that draw (media show), so a picture looks the same in both.
 */
#ifndef SSHBOOK_TERMINAL_H
#define SSHBOOK_TERMINAL_H

#include <stdbool.h>

/*
 * True when the terminal is known to lack glyphs beyond ASCII (the Linux
 * console, hardware-era types: TERM linux, vt*, dumb, ansi, cons*; or no
 * TERM), or the user asked for ASCII with SSHBOOK_ASCII=1: then emoji,
 * box drawing and block art give way to ASCII.
 */
bool	terminal_ascii_only(void);

#endif
