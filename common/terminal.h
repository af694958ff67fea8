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
 * box drawing and block art give way to ASCII. The client's locale is not
 * known (sshbookd refuses env requests, so LANG and LC_* never arrive):
 * every other TERM is taken to be UTF-8.
 */
bool	terminal_ascii_only(void);

/*
 * s (UTF-8, already sanitized) for a terminal that shows ASCII only: every
 * code point past ASCII becomes ASCII from one table of the glyphs the
 * interface draws (box lines and corners "-|+", bars and blocks "|#",
 * bullets "*o", middle dot ".", ellipsis "...", triangles ">", quotes,
 * dashes), Latin-1 letters lose their accents ("é" is "e"), and anything
 * else is one '?' per column it would take, so widths stay as they were
 * (only the ellipsis grows, to three dots). Returns a malloc'd string.
 */
char	*terminal_ascii_dup(const char *s);

#endif
