/*
 * Terminal-safe text for drawing. Storage validates on input; this is the
 * second wall, applied at draw time to everything that came from a user.
 */
#ifndef SSHBOOK_SANITIZE_H
#define SSHBOOK_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * Append a safe copy of s to out: invalid UTF-8 bytes become U+FFFD; ESC, the
 * other C0 controls, DEL and C1 controls become U+FFFD (so CSI/OSC/DCS
 * sequences lose their introducer and draw as plain text); bidi embedding,
 * override and isolate controls and zero-width characters are dropped.
 * Newlines are kept when keep_newlines, else replaced by a space; a tab
 * becomes a space.
 */
void	sanitize_append(struct buf *out, const char *s, bool keep_newlines);
/* The same into a new string the caller frees. */
char	*sanitize_dup(const char *s, bool keep_newlines);
/*
 * True for a code point sanitize_append does not copy as it is: C0 controls
 * (newline and tab included), DEL, C1 controls, bidi controls and zero-width
 * characters. The JSON writer (cli/json.c) escapes exactly these.
 */
bool	sanitize_cp_unsafe(uint32_t cp);
/* True when s would pass through sanitize_append unchanged. */
bool	sanitize_is_clean(const char *s);

#endif
