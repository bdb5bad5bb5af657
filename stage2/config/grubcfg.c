/*
 * grubcfg.c - read an existing /boot/grub/grub.cfg, as simple GRUB configs
 * (and smart-os's) write it:
 *
 *   set timeout=3                 set default=0   (0 = first, as in GRUB)
 *   menuentry "smart-os" {
 *       set root=(hd0,msdos1)     the partition (on the boot disk) to read
 *       linux /boot/bzImage root=/dev/sda1 console=ttyS0
 *       initrd /boot/initrd
 *   }
 *
 *   menuentry "other disk" {
 *       set root=(hd1)            a whole disk (or (hd0,msdos2): a partition)
 *       chainloader +1            its first sector, chainloaded (proto/chain.c)
 *   }
 *
 * `linux16`/`initrd16` select the 16-bit hand-off; `multiboot`/`multiboot2`
 * PATH ARGS with `module`/`module2` [--nounzip] PATH ARGS lines boot a
 * Multiboot kernel (--nounzip is accepted: smartboot never unzips);
 * `search` lines are
 * accepted (we read the boot disk anyway).  Anything else is reported with
 * its line number and skipped, so a config written for GRUB still boots.
 */
#include "config/config.h"

#define MAX_WORDS 64

struct words {
	int n;
	bool open_quote;         /* a quote that the line does not close */
	const char *w[MAX_WORDS];
	size_t len[MAX_WORDS];
};

/* Split a line into words; '...' and "..." group (the quotes are dropped). */
static void tokenize(const char *s, size_t n, struct words *t)
{
	size_t i = 0;

	t->n = 0;
	t->open_quote = false;
	while (t->n < MAX_WORDS) {
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i == n || s[i] == '#')
			return;
		char q = (s[i] == '"' || s[i] == '\'') ? s[i++] : 0;
		size_t start = i;

		while (i < n && (q ? s[i] != q : (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')))
			i++;
		t->w[t->n] = s + start;
		t->len[t->n] = i - start;
		t->n++;
		if (q && i == n)
			t->open_quote = true;
		if (q && i < n)
			i++;
	}
}

static bool word(const struct words *t, int i, const char *s)
{
	return i < t->n && strlen(s) == t->len[i] && !strncmp(t->w[i], s, t->len[i]);
}

/* A device: "(hd0,msdos1)", "hd0,1", "(hd1)" (a whole disk).  Where it
 * lives is decided when the entry says what it boots (check_root): a
 * chainloader reads any disk, linux only the boot disk's partitions. */
#ifdef SMARTBOOT_CHAIN
typedef struct { int drive, partition; } device_t;
#define set_device(e, d) ((e)->drive = (d).drive, (e)->partition = (d).partition)
#else
typedef int device_t;                  /* the boot disk's partition, without chainloading */
#define set_device(e, d) ((e)->partition = (d))
#endif

#ifdef SMARTBOOT_CHAIN
static void parse_root(struct config *cfg, const char *s, size_t n, device_t *d,
		       const char *name, int line)
{
	if (!cfg_device(s, n, &d->drive, &d->partition) || (n && s[0] != '(' && s[0] != 'h')) {
		cfg_error(cfg, name, line, "root '%.*s' is not a disk or partition; ignored", (int)n, s);
		*d = (device_t){ 0 };
	}
}

/* linux and initrd read the boot disk's partitions only. */
static void check_root(struct config *cfg, struct boot_entry *e, const char *name, int line)
{
	if (e->drive || e->partition == CFG_WHOLE_DISK) {
		cfg_error(cfg, name, line, "root is not a partition of the boot disk (hd0); ignored");
		e->drive = 0;
		e->partition = 0;
	}
}
#else
/* Without chainloading (make CHAIN=0) a device is a partition of the boot
 * disk only: "(hd0,msdos1)", "hd0,1" give its number, anything else is
 * reported and the partition we booted from is used. */
static int parse_root_hd0(struct config *cfg, const char *s, size_t n, const char *name, int line)
{
	uint32_t part;
	size_t i = 0;

	if (n && s[0] == '(') {
		s++;
		n--;
	}
	if (n && s[n - 1] == ')')
		n--;
	if (n < 4 || strncmp(s, "hd0,", 4)) {
		cfg_error(cfg, name, line, "root '%.*s' is not a partition of the boot disk (hd0); ignored",
			  (int)n, s);
		return 0;
	}
	for (i = 4; i < n && (s[i] < '0' || s[i] > '9'); i++)
		;                          /* skip "msdos" */
	/* GRUB counts partitions from 1; 0 would mean "the one we booted from". */
	if (!cfg_number(s + i, n - i, CFG_MAX_PARTITION, &part) || !part) {
		cfg_error(cfg, name, line, "root '%.*s': the partition number must be 1 to %d; ignored",
			  (int)n, s, CFG_MAX_PARTITION);
		return 0;
	}
	return (int)part;
}
#define parse_root(cfg, s, n, d, name, line) (*(d) = parse_root_hd0(cfg, s, n, name, line))

#define check_root(cfg, e, name, line) ((void)0)
#endif

/* Join words from..n-1 with spaces: the kernel command line. */
static char *join(const struct words *t, int from)
{
	size_t len = 0;
	char *s, *p;

	for (int i = from; i < t->n; i++)
		len += t->len[i] + 1;
	s = p = malloc(len + 1);
	if (!s)
		return NULL;
	for (int i = from; i < t->n; i++) {
		memcpy(p, t->w[i], t->len[i]);
		p += t->len[i];
		if (i + 1 < t->n)
			*p++ = ' ';
	}
	*p = '\0';
	return s;
}

/* A path, without a "(hd0,msdos1)" device in front. */
static char *path(struct config *cfg, const struct words *t, int i, struct boot_entry *e,
		  const char *name, int line)
{
	const char *s = t->w[i];
	size_t n = t->len[i];

	if (n && s[0] == '(') {
		const char *close = s;

		while (close < s + n && *close != ')')
			close++;
		if (close < s + n) {
			device_t d;

			parse_root(cfg, s, (size_t)(close - s + 1), &d, name, line);
			set_device(e, d);
			n -= (size_t)(close + 1 - s);
			s = close + 1;
		}
	}
	return cfg_strndup(s, n);
}

#ifdef SMARTBOOT_CHAIN                  /* make CHAIN=1; the host tests define it too */
/* `chainloader [--force] [(DEVICE)]+1`: the first sector of root (or of
 * DEVICE).  A blocklist other than +1 or a file is not supported. */
static void chainloader(struct config *cfg, struct boot_entry *e, const struct words *t,
			const char *name, int line)
{
	int i = word(t, 1, "--force") ? 2 : 1;
	const char *s = i < t->n ? t->w[i] : "";
	size_t n = i < t->n ? t->len[i] : 0;

	if (n >= 2 && !strncmp(s + n - 2, "+1", 2)) {
		if (n > 2) {
			device_t d;

			parse_root(cfg, s, n - 2, &d, name, line);
			set_device(e, d);
		}
		e->protocol = BOOT_CHAIN;
	} else {
		cfg_error(cfg, name, line, "chainloader '%.*s': only '+1' (the first sector) is supported",
			  (int)n, s);
	}
}
#endif

/* `set NAME=VALUE` or a bare `NAME=VALUE`: returns true if understood. */
static bool assignment(struct config *cfg, struct boot_entry *e, const struct words *t,
		       device_t *root, const char *name, int line)
{
	int i = word(t, 0, "set") ? 1 : 0;
	const char *w = i < t->n ? t->w[i] : NULL;
	size_t n = i < t->n ? t->len[i] : 0;
	const char *eq = w ? memchr(w, '=', n) : NULL;
	uint32_t v;

	if (!eq)
		return false;
	size_t klen = (size_t)(eq - w);
	const char *val = eq + 1;
	size_t vlen = n - klen - 1;

	/* default="0" and root='hd0,msdos1': drop the quotes. */
	if (vlen >= 2 && (val[0] == '"' || val[0] == '\'') && val[vlen - 1] == val[0]) {
		val++;
		vlen -= 2;
	}
	if (klen == 7 && !strncmp(w, "timeout", 7)) {
		if (cfg_number(val, vlen, CFG_MAX_TIMEOUT, &v))
			cfg->timeout = (int)v;
		else
			cfg_error(cfg, name, line, "timeout wants a number of seconds (0 to %d); ignored",
				  CFG_MAX_TIMEOUT);
		return true;
	}
	if (klen == 7 && !strncmp(w, "default", 7)) {
		/* Past the entries (or past 2^32): reported by cfg_finish(). */
		cfg->default_entry = cfg_number(val, vlen, CFG_MAX_ENTRIES, &v) ? (int)v : CFG_MAX_ENTRIES;
		cfg->default_line = line;
		return true;
	}
	if (klen == 4 && !strncmp(w, "root", 4)) {
		device_t d;

		parse_root(cfg, val, vlen, &d, name, line);
		if (e) {
			set_device(e, d);
		} else {
			*root = d;
		}
		return true;
	}
	return false;
}

int grubcfg_parse(struct config *cfg, const char *text, size_t len, const char *name)
{
	const char *end = text + len;
	struct boot_entry *e = NULL;
	struct words *t = malloc(sizeof(*t));
	device_t root = { 0 };
	int line = 0;
	bool in_entry = false;                  /* between a menuentry and its '}' */

	if (!t)
		return 0;
	cfg->source = name;
	cfg->timeout = 5;                       /* GRUB's default */
	for (const char *p = text; p < end; p = p + 1) {
		const char *eol = p;

		while (eol < end && *eol != '\n')
			eol++;
		line++;
		tokenize(p, (size_t)(eol - p), t);
		p = eol;
		if (!t->n)
			continue;

		if (t->open_quote)
			cfg_error(cfg, name, line, "a quote is not closed on this line");
		if (word(t, 0, "menuentry") && t->n >= 2) {
			if (in_entry) {
				cfg_error(cfg, name, line, "menuentry inside a menuentry (a '}' missing?)");
				if (e)
					cfg_end_entry(cfg, name);
			}
			in_entry = true;
			e = cfg_new_entry(cfg, t->w[1], t->len[1], name, line);
			if (e) {
				set_device(e, root);
			}
			if (!word(t, t->n - 1, "{"))
				cfg_error(cfg, name, line, "menuentry without '{' on its line");
		} else if (word(t, 0, "}")) {
			if (e)
				cfg_end_entry(cfg, name);
			else if (!in_entry)
				cfg_error(cfg, name, line, "'}' without a menuentry");
			e = NULL;
			in_entry = false;
		} else if (in_entry && !e) {
			/* inside a menuentry past the 16th: dropped */
		} else if (assignment(cfg, e, t, &root, name, line)) {
			/* understood */
		} else if (word(t, 0, "search")) {
			/* accepted: the files are on the boot disk anyway */
		} else if (e && (word(t, 0, "linux") || word(t, 0, "linux16") || word(t, 0, "multiboot") ||
				 word(t, 0, "multiboot2")) && t->n >= 2) {
			free(e->kernel);
			free(e->cmdline);
			e->kernel = path(cfg, t, 1, e, name, line);
			e->cmdline = join(t, 2);     /* the words after the file (GRUB 2 too) */
			e->handoff = word(t, 0, "linux16") ? 16 : 0;
			e->protocol = word(t, 0, "multiboot") ? BOOT_MULTIBOOT1 :
				      word(t, 0, "multiboot2") ? BOOT_MULTIBOOT2 : BOOT_LINUX;
			check_root(cfg, e, name, line);
		} else if (e && (word(t, 0, "module") || word(t, 0, "module2")) && t->n >= 2) {
			int i = word(t, 1, "--nounzip") ? 2 : 1;

			/* "PATH ARGS", as the smartboot.cfg parser keeps it: the
			 * path without its device, then the words after.  Past
			 * the fourth, dropped as initrds are. */
			char *file = i < t->n && e->ninitrd < CFG_MAX_INITRDS ? path(cfg, t, i, e, name, line) : NULL;

			if (file) {
				t->w[i] = file;
				t->len[i] = strlen(file);
				e->initrd[e->ninitrd++] = join(t, i);
				free(file);
			}
			check_root(cfg, e, name, line);
		} else if (e && (word(t, 0, "initrd") || word(t, 0, "initrd16"))) {
			for (int i = 1; i < t->n && e->ninitrd < CFG_MAX_INITRDS; i++)
				e->initrd[e->ninitrd++] = path(cfg, t, i, e, name, line);
			check_root(cfg, e, name, line);
#ifdef SMARTBOOT_CHAIN
		} else if (e && word(t, 0, "chainloader")) {
			chainloader(cfg, e, t, name, line);
#endif
		} else {
			cfg_error(cfg, name, line, "'%.*s' not supported; skipped", (int)t->len[0], t->w[0]);
		}
	}
	if (e) {
		cfg_error(cfg, name, line, "menuentry '%s' not closed with '}'", e->title);
		cfg_end_entry(cfg, name);
	}
	free(t);
	return cfg_finish(cfg, name);
}
