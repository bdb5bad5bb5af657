/*
 * grubcfg.c - read an existing /boot/grub/grub.cfg, as simple GRUB configs
 * (and smart-os's) write it:
 *
 *   set timeout=3                 set default=0   (0 = first, as in GRUB)
 *   menuentry "smart-os" {
 *       set root=(hd0,msdos1)     the partition to read (hd1: the second BIOS disk)
 *       search --fs-uuid --set=root 0c1e...   or --label, --file: found at boot
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
 * `set root` and `search` outside a menuentry are the default of the
 * entries.  Anything else is reported with its line number and skipped, so
 * a config written for GRUB still boots.
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

/* "(hd0,msdos1)", "hd1,gpt2", also "UUID=...": an entry's root, else the
 * default of all entries (GRUB runs an entry's commands when it boots, with
 * the root the file set).  With chainloading (make CHAIN=1) a device is
 * also what a chainloader reads (e->drive, e->partition, else *dflt), a
 * whole disk "(hd1)" included: linux, initrd and module then refuse it
 * (check_root). */
#ifdef SMARTBOOT_CHAIN
typedef struct { int drive, partition; } device_t;
#else
typedef int device_t;                  /* no chainloading: root_spec only */
#endif

static void parse_root(struct config *cfg, struct boot_entry *e, device_t *dflt, const char *s, size_t n,
		       const char *name, int line)
{
	struct root_spec *r = e ? &e->root : &cfg->root;
	const char *err = cfg_root(r, s, n);
#ifdef SMARTBOOT_CHAIN
	device_t d = { 0, 0 };

	if (n && (s[0] == '(' || s[0] == 'h') && cfg_device(s, n, &d.drive, &d.partition) &&
	    d.partition == CFG_WHOLE_DISK) {
		free(r->key);                   /* a whole disk has no files to read */
		*r = (struct root_spec){ ROOT_BOOT, 0, 0, NULL };
		err = NULL;
	}
	if (e) {
		e->drive = d.drive;
		e->partition = d.partition;
	} else {
		*dflt = d;
	}
#else
	(void)dflt;
#endif
	if (err)
		cfg_error(cfg, name, line, "%s, not '%.*s'; ignored", err, (int)n, s);
}

#ifdef SMARTBOOT_CHAIN
/* linux, initrd and module read a partition's files, not a whole disk's. */
static void check_root(struct config *cfg, struct boot_entry *e, const char *name, int line)
{
	if (e->partition == CFG_WHOLE_DISK) {
		cfg_error(cfg, name, line, "root is a whole disk (hd%d), not a partition; ignored",
			  e->drive ? e->drive - CFG_BIOS_HD0 : 0);
		e->drive = 0;
		e->partition = 0;
	}
}
#else
#define check_root(cfg, e, name, line) ((void)0)
#endif

/* search [--fs-uuid|-u|--label|-l|--file|-f] [--set=root] [--no-floppy]
 * [--hint...] KEY: recorded, resolved at boot (root.c).  GRUB's default
 * is --file. */
static void search(struct config *cfg, struct boot_entry *e, const struct words *t,
		   const char *name, int line)
{
	static const char *const kinds[] = { "--fs-uuid", "-u", "--label", "-l", "--file", "-f" };
	int kind = ROOT_FILE, key = 0;

	for (int i = 1; i < t->n; i++) {
		for (int k = 0; k < (int)ARRAY_SIZE(kinds); k++)
			if (word(t, i, kinds[k]))
				kind = k < 4 ? ROOT_UUID + k / 2 : ROOT_FILE;
		if (t->len[i] > 6 && !strncmp(t->w[i], "--set=", 6) && !word(t, i, "--set=root")) {
			cfg_error(cfg, name, line, "search sets only root here; skipped");
			return;
		}
		if (t->len[i] && t->w[i][0] != '-')    /* an empty word ("") is no key */
			key = i;
	}
	if (!key)
		cfg_error(cfg, name, line, "search without what to look for; skipped");
	else
		cfg_root_key(e ? &e->root : &cfg->root, kind, t->w[key], t->len[key]);
}

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
			parse_root(cfg, e, NULL, s, (size_t)(close - s + 1), name, line);
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
		if (n > 2)
			parse_root(cfg, e, NULL, s, n - 2, name, line);
		if (e->root.kind > ROOT_NUMBER) {
			cfg_error(cfg, name, line, "chainloader reads a device ((hd1), (hd0,msdos2)), "
				  "not a root found by search or UUID=, LABEL=; skipped");
			return;
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
		parse_root(cfg, e, root, val, vlen, name, line);
		return true;
	}
	return false;
}

int grubcfg_parse(struct config *cfg, const char *text, size_t len, const char *name)
{
	const char *end = text + len;
	struct boot_entry *e = NULL;
	struct words *t = malloc(sizeof(*t));
	device_t root = { 0 };                  /* chain: the default device */
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
#ifdef SMARTBOOT_CHAIN
			if (e) {
				e->drive = root.drive;
				e->partition = root.partition;
			}
#endif
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
			search(cfg, e, t, name, line);
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
