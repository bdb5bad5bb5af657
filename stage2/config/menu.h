/* menu.h - the boot menu, the command-line editor and the rescue prompt. */
#ifndef MENU_H
#define MENU_H

#include "config/config.h"
#include "bios/e820.h"
#include "fs/fs.h"

/*
 * Let the user choose (or, with timeout 0 and countdown on, take the
 * default at once).  Returns the entry to boot: one of cfg's, or a copy
 * with an edited command line, or one built at the prompt.  countdown off:
 * no automatic boot (after a failed boot, the user chooses again).
 */
const struct boot_entry *menu_run(const struct config *cfg, struct fs *fs,
				  const struct memory_map *mm, bool countdown);

/* Edit text (a NUL-terminated string in a buffer of size bytes) on one line
 * after prompt.  Returns true on Enter, false on Esc. */
bool edit_line(const char *prompt, char *text, size_t size);

#endif
