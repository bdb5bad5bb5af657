/*
 * menu.c - choose what to boot.
 *
 * The menu, the line editor and the prompt all draw with plain text, CR and
 * backspace, which a BIOS screen and a serial terminal understand alike.
 */
#include "bios/console.h"
#include "config/menu.h"

#define LINE_MAX     1024      /* an edited command line or a prompt line */
#define CAT_CHUNK    512

/* The entry returned after editing, or built at the prompt. */
static struct boot_entry custom;
static char custom_cmdline[LINE_MAX];

/* ---- The line editor ------------------------------------------------------ */

/* Redraw: CR, the prompt, the text, a blank over a deleted last character,
 * then backspaces to put the cursor where it belongs. */
static void redraw(const char *prompt, const char *text, size_t len, size_t cursor)
{
	printf("\r%s%s ", prompt, text);
	for (size_t i = cursor; i < len + 1; i++)
		printf("\b");
}

bool edit_line(const char *prompt, char *text, size_t size)
{
	size_t len = strlen(text), cursor = len;
	bool insert = true;

	for (;;) {
		redraw(prompt, text, len, cursor);
		int key = console_getkey(-1);

		switch (key) {
		case KEY_ENTER:
			printf("\n");
			return true;
		case KEY_ESC:
			printf("\n");
			return false;
		case KEY_LEFT:   if (cursor) cursor--; break;
		case KEY_RIGHT:  if (cursor < len) cursor++; break;
		case KEY_HOME:   cursor = 0; break;
		case KEY_END:    cursor = len; break;
		case KEY_INSERT: insert = !insert; break;
		case KEY_BACKSPACE:
			if (!cursor)
				break;
			cursor--;
			/* delete the character now under the cursor */
			__attribute__((fallthrough));
		case KEY_DELETE:
			if (cursor < len) {
				memmove(text + cursor, text + cursor + 1, len - cursor);
				len--;
			}
			break;
		default:
			if (key < ' ' || key > '~')
				break;
			if (insert || cursor == len) {
				if (len + 1 >= size)
					break;          /* full: the key is ignored */
				memmove(text + cursor + 1, text + cursor, len - cursor + 1);
				len++;
			}
			text[cursor++] = (char)key;
		}
	}
}

/* ---- The prompt ------------------------------------------------------------ */

static int ls_entry(const char *name, size_t len, uint8_t type, void *arg)
{
	(void)arg;
	printf("  %.*s%s\n", (int)len, name, type == FS_FT_DIR ? "/" : type == FS_FT_SYMLINK ? "@" : "");
	return 0;
}

static void cat(struct fs *fs, const char *path)
{
	struct fs_file f;
	char buf[CAT_CHUNK + 1];

	if (fs_open(fs, path, &f) < 0)
		return;
	if (FS_IS_DIR(&f)) {
		printf("cat: %s is a directory\n", path);
		return;
	}
	for (uint64_t off = 0; off < f.size; off += CAT_CHUNK) {
		uint32_t n = (uint32_t)MIN((uint64_t)CAT_CHUNK, f.size - off);

		if (fs_read(fs, &f, off, buf, n, NULL) < 0)
			return;
		buf[n] = '\0';
		printf("%s", buf);
	}
}

static const char prompt_help[] =
	"commands:\n"
	"  ls PATH              list a directory\n"
	"  cat PATH             print a file\n"
	"  initrd PATH          add an initrd for 'boot' (no PATH: none)\n"
	"  boot KERNEL [ARGS]   boot KERNEL with ARGS as its command line\n"
	"  e820                 the memory map\n"
	"  help                 this list\n"
	"  Esc on an empty line, or 'exit': back to the menu\n";

/* The word at *p (advancing past it and the spaces after). */
static char *next_word(char **p)
{
	char *w = *p;

	while (**p && **p != ' ')
		(*p)++;
	if (**p)
		*(*p)++ = '\0';
	while (**p == ' ')
		(*p)++;
	return w;
}

/* Returns an entry to boot, or NULL to go back to the menu. */
static const struct boot_entry *prompt(struct fs *fs, const struct memory_map *mm)
{
	static char line[LINE_MAX];

	memset(&custom, 0, sizeof(custom));
	custom.title = "prompt";
	printf("smartboot prompt: 'help' lists the commands\n");
	for (;;) {
		line[0] = '\0';
		if (!edit_line("smartboot> ", line, sizeof(line)) || !strcmp(line, "exit"))
			return NULL;
		char *rest = line;
		while (*rest == ' ')
			rest++;
		char *cmd = next_word(&rest);

		if (!*cmd)
			continue;
		if (!strcmp(cmd, "help"))
			printf("%s", prompt_help);
		else if (!strcmp(cmd, "ls"))
			fs_list(fs, *rest ? rest : "/", ls_entry, NULL);
		else if (!strcmp(cmd, "cat") && *rest)
			cat(fs, rest);
		else if (!strcmp(cmd, "e820"))
			e820_print(mm);
		else if (!strcmp(cmd, "initrd")) {
			if (!*rest)
				custom.ninitrd = 0;
			else if (custom.ninitrd < CFG_MAX_INITRDS)
				custom.initrd[custom.ninitrd++] = cfg_strndup(rest, strlen(rest));
			else
				printf("initrd: at most %d\n", CFG_MAX_INITRDS);
		} else if (!strcmp(cmd, "boot") && *rest) {
			char *kernel = next_word(&rest);

			custom.kernel = cfg_strndup(kernel, strlen(kernel));
			memcpy(custom_cmdline, rest, strlen(rest) + 1);
			custom.cmdline = custom_cmdline;
			return &custom;
		} else
			printf("%s: unknown command or missing argument; try 'help'\n", cmd);
	}
}

/* ---- The menu -------------------------------------------------------------- */

static void draw(const struct config *cfg, int sel)
{
	console_clear();
	printf("smartboot - %s\n\n", cfg->source);
	for (int i = 0; i < cfg->count; i++)
		printf("%c %d. %s\n", i == sel ? '>' : ' ', i + 1, cfg->entries[i].title);
	printf("\nUp/Down or 1-%d: choose, Enter: boot, e: edit the command line, c: prompt\n",
	       cfg->count);
}

const struct boot_entry *menu_run(const struct config *cfg, struct fs *fs,
				  const struct memory_map *mm, bool countdown)
{
	int sel = cfg->default_entry;
	int left = countdown ? cfg->timeout : CFG_TIMEOUT_NEVER;

	if (left == 0)
		return &cfg->entries[sel];
	draw(cfg, sel);
	for (;;) {
		int key;

		if (left > 0) {
			printf("\rbooting '%s' in %d s (any key stops the countdown) ",
			       cfg->entries[sel].title, left);
			key = console_getkey(TICKS_PER_SECOND);
			if (key == KEY_NONE) {
				if (--left == 0) {
					printf("\n");
					return &cfg->entries[sel];
				}
				continue;
			}
			left = CFG_TIMEOUT_NEVER;
			printf("\n");
		} else {
			key = console_getkey(-1);
		}

		if (key == KEY_UP && sel > 0)
			sel--;
		else if (key == KEY_DOWN && sel + 1 < cfg->count)
			sel++;
		else if (key >= '1' && key <= '9' && key - '1' < cfg->count)
			sel = key - '1';
		else if (key == KEY_ENTER)
			return &cfg->entries[sel];
		else if (key == 'e') {
			const struct boot_entry *e = &cfg->entries[sel];

			snprintf(custom_cmdline, sizeof(custom_cmdline), "%s", e->cmdline ? e->cmdline : "");
			printf("\nEdit the command line of '%s' (Enter boots, Esc cancels):\n", e->title);
			if (edit_line("> ", custom_cmdline, sizeof(custom_cmdline))) {
				custom = *e;
				custom.cmdline = custom_cmdline;
				return &custom;
			}
		} else if (key == 'c') {
			printf("\n");
			const struct boot_entry *e = prompt(fs, mm);
			if (e)
				return e;
		}
		draw(cfg, sel);
	}
}
