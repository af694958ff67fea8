/* Key names for the help screen, so help is generated from the key tables. */
#include <curses.h>
#include <stdio.h>

#include "common/utf8.h"
#include "tui/screen.h"

const char *
binding_key_name(int key, char *out, unsigned outsz)
{
	static const struct {
		int		 key;
		const char	*name;
	} names[] = {
		{ '\n', "Enter" }, { '\t', "Tab" }, { 27, "Esc" }, { ' ', "Space" },
		{ TK(KEY_BTAB), "Shift-Tab" }, { TK(KEY_UP), "Up" }, { TK(KEY_DOWN), "Down" },
		{ TK(KEY_LEFT), "Left" }, { TK(KEY_RIGHT), "Right" },
		{ TK(KEY_PPAGE), "PgUp" }, { TK(KEY_NPAGE), "PgDn" },
		{ TK(KEY_HOME), "Home" }, { TK(KEY_END), "End" },
		{ TK(KEY_BACKSPACE), "Backspace" }, { TK(KEY_DC), "Delete" },
		{ TK(KEY_F(1)), "F1" },
	};
	char	enc[5] = { 0 };
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == key) {
			snprintf(out, outsz, "%s", names[i].name);
			return out;
		}
	if (key & TK_FLAG)
		snprintf(out, outsz, "%s", keyname(key & ~TK_FLAG));
	else if (key > 0 && key < 32)
		snprintf(out, outsz, "Ctrl-%c", key + '@');
	else if (utf8_encode((uint32_t)key, enc) > 0)
		snprintf(out, outsz, "%s", enc);
	else
		snprintf(out, outsz, "?");
	return out;
}
