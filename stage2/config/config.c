/*
 * config.c - the smartboot.cfg format (documented in docs/config.md).
 *
 *   # a comment
 *   timeout 5            seconds; 0 boots at once, -1 waits for a key
 *   default 2            the entry booted when the countdown ends (1 = first),
 *                        or its title
 *   serial 0x3f8 115200  the serial console: COM1-COM4 as 0-3 or by their port
 *                        (0x3f8, 0x2f8, 0x3e8, 0x2e8), a speed (50 to 115200)
 *   verbose on           the teaching trace (on/off); inside an entry: only
 *                        when that entry boots
 *   disk native          read the disk with a native driver when one matches
 *                        the BIOS drive (default), or `bios`: INT 13h only
 *   root LABEL=smart-os  where the entries' files are (UUID=, LABEL=, PARTUUID=,
 *                        hd1,gpt2): the default for entries without their own
 *
 *   entry smart-os       starts an entry; the rest of the line is its title
 *     kernel /boot/bzImage
 *     initrd /boot/first.img     (up to 4 lines: concatenated in memory)
 *     initrd /boot/initrd
 *     cmdline root=/dev/sda1 console=ttyS0
 *     handoff 32                 16, 32 or 64
 *     verbose on                 the trace for this entry only
 *     root UUID=0c1e...          this entry's partition
 *
 *   entry my-kernel      a Multiboot kernel (docs/multiboot.md)
 *     multiboot /boot/kernel.elf ARGS    (or multiboot2): the kernel and its command line
 *     module /boot/disk.img ARGS         (up to 4): each module and its string
 *
 *   entry other system
 *     chain 2                    the boot sector of partition 2 (of the boot
 *                                disk); `chain hd1` the MBR of BIOS disk
 *                                0x81, `chain hd1,2` its partition 2
 *
 * One key per line; indentation is free.  An error names the file and line
 * and skips that line only; a number out of its key's range is an error.
 */
#include "config/config.h"

/* COM1-COM4 at their standard I/O ports.  `serial` takes nothing else: the
 * UART set-up writes to port+0..port+7, and any other port could be a
 * device's registers (0xcf8 is PCI configuration space, 0x60 the keyboard
 * controller). */
static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
#define COM_PORTS ARRAY_SIZE(com_ports)

static bool com_port(uint32_t port)
{
	for (size_t i = 0; i < COM_PORTS; i++)
		if (com_ports[i] == port)
			return true;
	return false;
}

char *cfg_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

bool cfg_number(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	uint32_t v = 0, base = 10;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		n -= 2;
	}
	if (!n)
		return false;
	for (; n; n--, s++) {
		uint32_t d = *s >= '0' && *s <= '9' ? (uint32_t)(*s - '0') :
			     (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f' ? (uint32_t)((*s | 0x20) - 'a' + 10) : 99;
		if (d >= base)
			return false;
		/* Checked before it is computed: "timeout 4294967297" must not
		 * wrap to 1 second, nor any number past max pass as another. */
		if (v > (max - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

#ifdef SMARTBOOT_CHAIN                  /* make CHAIN=1; grubcfg.c and K_CHAIN use it */
bool cfg_device(const char *s, size_t n, int *drive, int *partition)
{
	uint32_t disk = 0, part = 0;
	size_t i = 0, comma;

	if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
		s++;
		n -= 2;
	}
	if (n >= 2 && !strncmp(s, "hd", 2)) {
		for (comma = 2; comma < n && s[comma] != ','; comma++)
			;
		if (!cfg_number(s + 2, comma - 2, CFG_MAX_DISKS - 1, &disk))
			return false;
		if (comma == n) {
			*drive = disk ? CFG_BIOS_HD0 + (int)disk : 0;
			*partition = CFG_WHOLE_DISK;
			return true;
		}
		i = comma + 1;
		while (i < n && s[i] >= 'a' && s[i] <= 'z')
			i++;               /* GRUB's "msdos" or "gpt" in front of the number */
	}
	if (!cfg_number(s + i, n - i, CFG_MAX_PARTITION, &part) || part < 1)
		return false;
	*drive = disk ? CFG_BIOS_HD0 + (int)disk : 0;
	*partition = (int)part;
	return true;
}
#endif

static struct boot_entry *current(struct config *cfg)
{
	return cfg->count ? &cfg->entries[cfg->count - 1] : NULL;
}

void cfg_error(struct config *cfg, const char *name, int line, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	/* A 10,000-line file of junk must not scroll for minutes on a BIOS
	 * screen: the first CFG_MAX_REPORTED errors are shown, the rest counted. */
	if (cfg->errors++ >= CFG_MAX_REPORTED)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%s:%d: %s\n", name, line, msg);
}

struct boot_entry *cfg_new_entry(struct config *cfg, const char *title, size_t n,
				 const char *name, int line)
{
	if (cfg->count == CFG_MAX_ENTRIES) {
		/* Said once; the lines of this and later entries are dropped
		 * (not added to the last entry that fitted). */
		if (!cfg->skipping)
			cfg_error(cfg, name, line, "more than %d entries; the rest are ignored",
				  CFG_MAX_ENTRIES);
		cfg->skipping = true;
		return NULL;
	}
	struct boot_entry *e = &cfg->entries[cfg->count++];
	memset(e, 0, sizeof(*e));
	e->title = cfg_strndup(title, n);
	e->line = line;
	return e;
}

void cfg_end_entry(struct config *cfg, const char *name)
{
	struct boot_entry *e = current(cfg);

#ifdef SMARTBOOT_CHAIN
	if (e && !e->kernel && e->protocol != BOOT_CHAIN && !cfg->skipping) {
#else
	if (e && !e->kernel && !cfg->skipping) {
#endif
		cfg_error(cfg, name, e->line, "entry '%s' has no kernel; skipped", e->title);
		cfg->count--;
		free(e->title);
		free(e->cmdline);
		free(e->root.key);
		for (int i = 0; i < e->ninitrd; i++)
			free(e->initrd[i]);
	}
}

void cfg_root_key(struct root_spec *r, int kind, const char *s, size_t n)
{
	free(r->key);                           /* the last root line wins */
	r->kind = (uint8_t)kind;
	r->key = cfg_strndup(s, n);
	/* blkid prints UUIDs in lower case, users copy them in either. */
	for (char *p = r->key; p && *p && kind != ROOT_LABEL && kind != ROOT_FILE; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p |= 0x20;
}

const char *const cfg_root_prefixes[] = {
	[ROOT_UUID] = "UUID=", [ROOT_LABEL] = "LABEL=", [ROOT_PARTUUID] = "PARTUUID=",
	[ROOT_FILE] = "file ", [ROOT_BOOT] = "", [ROOT_NUMBER] = "",
};

const char *cfg_root(struct root_spec *r, const char *s, size_t n)
{
	uint32_t disk, part;
	size_t c, i;

	if (n && s[0] == '(') {
		s++;
		n--;
	}
	if (n && s[n - 1] == ')')
		n--;
	for (int k = ROOT_UUID; k <= ROOT_PARTUUID; k++) {
		size_t len = strlen(cfg_root_prefixes[k]);

		if (n > len && !strncmp(s, cfg_root_prefixes[k], len)) {
			cfg_root_key(r, k, s + len, n - len);
			return NULL;
		}
	}
	/* hdN,M (hd0-hd15, as chain's devices); GRUB writes the table's kind
	 * before M: hd0,msdos5, hd1,gpt2. */
	for (c = 2; c < n && s[c] != ','; c++)
		;
	for (i = c; i < n && (s[i] < '0' || s[i] > '9'); i++)
		;
	if (n < 4 || strncmp(s, "hd", 2) || !cfg_number(s + 2, c - 2, ROOT_MAX_DISK, &disk) ||
	    !cfg_number(s + i, n - i, CFG_MAX_PARTITION, &part) || !part)
		return "root wants UUID=, LABEL=, PARTUUID= or hdN,M (M: 1 to 128)";
	cfg_root_key(r, ROOT_NUMBER, s, n);     /* the key names it in messages */
	r->disk = (uint8_t)disk;
	r->partition = (uint8_t)part;
	return NULL;
}

int cfg_finish(struct config *cfg, const char *name)
{
	for (int i = 0; i < cfg->count; i++)
		if (!cfg->entries[i].root.kind)
			cfg->entries[i].root = cfg->root;
	/* Said even past CFG_MAX_REPORTED: it changes what the countdown boots. */
	if ((unsigned)cfg->default_entry >= (unsigned)cfg->count) {
		if (cfg->count)
			printf("%s:%d: default names no entry (there are %d); the first is used\n",
			       name, cfg->default_line, cfg->count);
		cfg->default_entry = 0;
	}
	if (cfg->errors > CFG_MAX_REPORTED)
		printf("%s: %d more errors not shown\n", name, cfg->errors - CFG_MAX_REPORTED);
	return cfg->count;
}

/* Split a line into its key and the rest (both trimmed).  A '#' after a
 * space or a tab starts a comment (docs/config.md's example has them):
 * without this rule "initrd /boot/a.img  # first" would name a file
 * called "/boot/a.img  # first". */
static void split(const char *s, size_t n, const char **key, size_t *klen,
		  const char **val, size_t *vlen)
{
	size_t i = 0;

	for (size_t j = 1; j < n; j++)
		if (s[j] == '#' && (s[j - 1] == ' ' || s[j - 1] == '\t'))
			n = j;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*key = s + i;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	*klen = (size_t)(s + i - *key);
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*val = s + i;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	*vlen = n > i ? n - i : 0;
}

static bool is(const char *key, size_t klen, const char *word)
{
	return strlen(word) == klen && !strncmp(key, word, klen);
}

/* The keys, global ones first; from K_KERNEL on they belong to an entry. */
enum { K_ENTRY, K_TIMEOUT, K_DEFAULT, K_VERBOSE, K_DISK, K_SERIAL, K_ROOT,
       K_KERNEL, K_INITRD, K_CMDLINE, K_HANDOFF, K_MULTIBOOT, K_MULTIBOOT2, K_MODULE,
#ifdef SMARTBOOT_CHAIN                  /* make CHAIN=1; the host tests define it too */
       K_CHAIN,
#endif
       K_COUNT };
static const char *const keys[K_COUNT] = {
	"entry", "timeout", "default", "verbose", "disk", "serial", "root",
	"kernel", "initrd", "cmdline", "handoff", "multiboot", "multiboot2", "module",
#ifdef SMARTBOOT_CHAIN
	"chain",
#endif
};

/* Returns an error message, or NULL when the line was understood. */
static const char *parse_line(struct config *cfg, const char *key, size_t klen,
			      const char *val, size_t vlen, const char *name, int line,
			      char **default_title)
{
	struct boot_entry *e = current(cfg);
	uint32_t n;
	int k = 0;

	while (k < K_COUNT && !is(key, klen, keys[k]))
		k++;
	if (k == K_COUNT)
		return "unknown key";
	if (!vlen && k != K_CMDLINE)           /* an empty command line is one */
		return "no value for";
	if (k >= K_KERNEL) {
		if (cfg->skipping)
			return NULL;                /* an entry past the 16th */
		if (!e)
			return "this key belongs in an entry (after an 'entry' line)";
	}
	switch (k) {
	case K_ENTRY:
		cfg_end_entry(cfg, name);
		cfg_new_entry(cfg, val, vlen, name, line);
		break;
	case K_TIMEOUT:
		if (is(val, vlen, "-1"))
			cfg->timeout = CFG_TIMEOUT_NEVER;
		else if (cfg_number(val, vlen, CFG_MAX_TIMEOUT, &n))
			cfg->timeout = (int)n;
		else
			return "timeout wants a number of seconds (0 to 32767) or -1";
		break;
	case K_DEFAULT:                         /* resolved at the end of the file */
		free(*default_title);
		*default_title = cfg_strndup(val, vlen);
		cfg->default_line = line;
		break;
	case K_VERBOSE:
		if (!is(val, vlen, "on") && !is(val, vlen, "off"))
			return "verbose wants on or off";
		if (e && !cfg->skipping)        /* inside an entry: that entry's boot */
			e->verbose = vlen == 2;
		else if (!e)
			cfg->verbose = vlen == 2;
		break;
	case K_DISK:
		if (is(val, vlen, "bios"))
			cfg->disk = CFG_DISK_BIOS;
		else if (is(val, vlen, "native"))
			cfg->disk = CFG_DISK_NATIVE;
		else
			return "disk wants bios or native";
		break;
	case K_SERIAL: {
		const char *speed = val;
		size_t plen = 0;
		uint32_t baud = CFG_MAX_BAUD;

		while (plen < vlen && val[plen] != ' ')
			plen++;
		for (speed = val + plen; speed < val + vlen && *speed == ' '; speed++)
			;
		if (!cfg_number(val, plen, 0xffff, &n) || !(n < COM_PORTS || com_port(n)))
			return "serial wants a COM port (0-3, or 0x3f8, 0x2f8, 0x3e8, 0x2e8) and a speed";
		if (speed < val + vlen && (!cfg_number(speed, (size_t)(val + vlen - speed),
						       CFG_MAX_BAUD, &baud) || baud < CFG_MIN_BAUD))
			return "serial speed must be 50 to 115200";
		cfg->serial_port = n < COM_PORTS ? com_ports[n] : (uint16_t)n;
		cfg->serial_baud = baud;
		break;
	}
	case K_ROOT:                            /* an entry's, or everyone's */
		if (!(e && cfg->skipping))
			return cfg_root(e ? &e->root : &cfg->root, val, vlen);
		break;
	case K_KERNEL:
		free(e->kernel);
		e->kernel = cfg_strndup(val, vlen);
		e->protocol = BOOT_LINUX;
		break;
	case K_MULTIBOOT:
	case K_MULTIBOOT2: {
		/* "PATH ARGS": the kernel, then its command line (split() cuts
		 * a line the same way into its key and the rest). */
		const char *path, *args;
		size_t plen, alen;

		split(val, vlen, &path, &plen, &args, &alen);
		free(e->kernel);
		free(e->cmdline);
		e->kernel = cfg_strndup(path, plen);
		e->cmdline = cfg_strndup(args, alen);
		e->protocol = k == K_MULTIBOOT ? BOOT_MULTIBOOT1 : BOOT_MULTIBOOT2;
		break;
	}
	case K_INITRD:
	case K_MODULE:
		/* A module is "PATH ARGS", kept whole: multiboot_boot.c splits it. */
		if (e->ninitrd == CFG_MAX_INITRDS)
			return "too many lines (at most 4) of";
		e->initrd[e->ninitrd++] = cfg_strndup(val, vlen);
		break;
	case K_CMDLINE:
		free(e->cmdline);
		e->cmdline = cfg_strndup(val, vlen);
		break;
#ifdef SMARTBOOT_CHAIN
	case K_CHAIN:
		if (!cfg_device(val, vlen, &e->drive, &e->partition))
			return "chain wants a partition (2), a disk (hd1) or both (hd1,2)";
		e->protocol = BOOT_CHAIN;
		break;
#endif
	default:
		if (!cfg_number(val, vlen, 64, &n) || (n != 16 && n != 32 && n != 64))
			return "handoff wants 16, 32 or 64";
		e->handoff = (int)n;
	}
	return NULL;
}

int config_parse(struct config *cfg, const char *text, size_t len, const char *name)
{
	const char *end = text + len;
	char *default_title = NULL;
	int line = 0;
	uint32_t n;

	cfg->source = name;
	for (const char *p = text; p < end; ) {
		const char *eol = p;
		const char *key, *val;
		size_t klen, vlen;
		const char *err;

		while (eol < end && *eol != '\n')
			eol++;
		line++;
		split(p, (size_t)(eol - p), &key, &klen, &val, &vlen);
		if (klen && key[0] != '#' &&
		    (err = parse_line(cfg, key, klen, val, vlen, name, line, &default_title)))
			cfg_error(cfg, name, line, "%s '%.*s'", err, (int)klen, key);
		p = eol + 1;
	}
	cfg_end_entry(cfg, name);

	/* `default`: an entry's number (1 = first), else its title. */
	if (default_title) {
		cfg->default_entry = CFG_MAX_ENTRIES;         /* none, until found */
		if (cfg_number(default_title, strlen(default_title), CFG_MAX_ENTRIES, &n) && n >= 1)
			cfg->default_entry = (int)n - 1;
		for (int i = 0; i < cfg->count; i++)
			if (!strcmp(cfg->entries[i].title, default_title))
				cfg->default_entry = i;
		free(default_title);
	}
	return cfg_finish(cfg, name);
}

void config_defaults(struct config *cfg, const char *kernel, const char *initrd,
		     const char *cmdline)
{
	struct boot_entry *e = &cfg->entries[0];

	cfg->source = "built-in defaults";
	cfg->count = 1;
	e->title = "smart-os";
	e->protocol = BOOT_LINUX;
	e->kernel = (char *)kernel;
	e->initrd[0] = (char *)initrd;
	e->ninitrd = 1;
	e->cmdline = (char *)cmdline;
}
