/*
 * config.c - the smartboot.cfg format (documented in docs/config.md).
 *
 *   # a comment
 *   timeout 5            seconds; 0 boots at once, -1 waits for a key
 *   default 2            the entry booted when the countdown ends (1 = first),
 *                        or its title
 *   serial 0x3f8 115200  the serial console: a port (or 0-3 for COM1-COM4), a speed
 *   verbose on           the teaching trace (on/off)
 *   disk native          read the disk with a native driver when one matches
 *                        the BIOS drive (default), or `bios`: INT 13h only
 *
 *   entry smart-os       starts an entry; the rest of the line is its title
 *     kernel /boot/bzImage
 *     initrd /boot/first.img     (up to 4 lines: concatenated in memory)
 *     initrd /boot/initrd
 *     cmdline root=/dev/sda1 console=ttyS0
 *     handoff 32                 16, 32 or 64
 *
 * One key per line; indentation is free.  An error names the file and line
 * and skips that line only.
 */
#include "config.h"

static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };

char *cfg_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

bool cfg_number(const char *s, size_t n, uint32_t *out)
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
		v = v * base + d;
	}
	*out = v;
	return true;
}

static struct boot_entry *current(struct config *cfg)
{
	return cfg->count ? &cfg->entries[cfg->count - 1] : NULL;
}

struct boot_entry *cfg_new_entry(struct config *cfg, const char *title, size_t n,
				 const char *name, int line)
{
	if (cfg->count == CFG_MAX_ENTRIES) {
		printf("%s:%d: more than %d entries; the rest are ignored\n", name, line, CFG_MAX_ENTRIES);
		cfg->errors++;
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

	if (e && !e->kernel) {
		printf("%s:%d: entry '%s' has no kernel; skipped\n", name, e->line, e->title);
		cfg->errors++;
		cfg->count--;
		free(e->title);
		free(e->cmdline);
		for (int i = 0; i < e->ninitrd; i++)
			free(e->initrd[i]);
	}
}

/* Split a line into its key and the rest (both trimmed). */
static void split(const char *s, size_t n, const char **key, size_t *klen,
		  const char **val, size_t *vlen)
{
	size_t i = 0;

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

/* Returns an error message, or NULL when the line was understood. */
static const char *parse_line(struct config *cfg, const char *key, size_t klen,
			      const char *val, size_t vlen, const char *name, int line,
			      char **default_title)
{
	struct boot_entry *e = current(cfg);
	uint32_t n;

	if (is(key, klen, "entry")) {
		cfg_end_entry(cfg, name);
		cfg_new_entry(cfg, val, vlen, name, line);
		return NULL;
	}
	if (is(key, klen, "timeout")) {
		if (vlen == 2 && !strncmp(val, "-1", 2))
			cfg->timeout = CFG_TIMEOUT_NEVER;
		else if (cfg_number(val, vlen, &n))
			cfg->timeout = (int)n;
		else
			return "timeout wants a number of seconds or -1";
		return NULL;
	}
	if (is(key, klen, "default")) {
		if (cfg_number(val, vlen, &n) && n >= 1)
			cfg->default_entry = (int)n - 1;
		else
			*default_title = cfg_strndup(val, vlen);
		return NULL;
	}
	if (is(key, klen, "verbose")) {
		if (vlen == 2 && !strncmp(val, "on", 2))
			cfg->verbose = true;
		else if (vlen == 3 && !strncmp(val, "off", 3))
			cfg->verbose = false;
		else
			return "verbose wants on or off";
		return NULL;
	}
	if (is(key, klen, "disk")) {
		if (vlen == 4 && !strncmp(val, "bios", 4))
			cfg->disk = CFG_DISK_BIOS;
		else if (vlen == 6 && !strncmp(val, "native", 6))
			cfg->disk = CFG_DISK_NATIVE;
		else
			return "disk wants bios or native";
		return NULL;
	}
	if (is(key, klen, "serial")) {
		const char *speed = val;
		size_t plen = 0;

		while (plen < vlen && val[plen] != ' ')
			plen++;
		for (speed = val + plen; speed < val + vlen && *speed == ' '; speed++)
			;
		if (!cfg_number(val, plen, &n))
			return "serial wants a port (0x3f8, or 0-3) and a speed";
		cfg->serial_port = n < 4 ? com_ports[n] : (uint16_t)n;
		cfg->serial_baud = 115200;
		if (speed < val + vlen && (!cfg_number(speed, (size_t)(val + vlen - speed), &n) ||
					   n < 50 || n > 115200))
			return "serial speed must be 50 to 115200";
		if (speed < val + vlen)
			cfg->serial_baud = n;
		return NULL;
	}
	if (!is(key, klen, "kernel") && !is(key, klen, "initrd") &&
	    !is(key, klen, "cmdline") && !is(key, klen, "handoff"))
		return "unknown key";
	if (!e)
		return "this key belongs in an entry (after an 'entry' line)";
	if (is(key, klen, "kernel")) {
		e->kernel = cfg_strndup(val, vlen);
	} else if (is(key, klen, "initrd")) {
		if (e->ninitrd == CFG_MAX_INITRDS)
			return "too many initrd lines (at most 4)";
		e->initrd[e->ninitrd++] = cfg_strndup(val, vlen);
	} else if (is(key, klen, "cmdline")) {
		e->cmdline = cfg_strndup(val, vlen);
	} else {
		if (!cfg_number(val, vlen, &n) || (n != 16 && n != 32 && n != 64))
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
		    (err = parse_line(cfg, key, klen, val, vlen, name, line, &default_title))) {
			printf("%s:%d: %s '%.*s'\n", name, line, err, (int)klen, key);
			cfg->errors++;
		}
		p = eol + 1;
	}
	cfg_end_entry(cfg, name);

	if (default_title) {
		for (int i = 0; i < cfg->count; i++)
			if (!strcmp(cfg->entries[i].title, default_title))
				cfg->default_entry = i;
		free(default_title);
	}
	if (cfg->default_entry >= cfg->count)
		cfg->default_entry = 0;
	return cfg->count;
}

void config_defaults(struct config *cfg, const char *kernel, const char *initrd,
		     const char *cmdline)
{
	struct boot_entry *e = &cfg->entries[0];

	cfg->source = "built-in defaults";
	cfg->count = 1;
	e->title = "smart-os";
	e->kernel = (char *)kernel;
	e->initrd[0] = (char *)initrd;
	e->ninitrd = 1;
	e->cmdline = (char *)cmdline;
}
