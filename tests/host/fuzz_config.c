/*
 * fuzz_config.c - a libFuzzer target for the configuration parsers
 * (stage2/config/config.c for smartboot.cfg, stage2/config/grubcfg.c for grub.cfg, built
 * unchanged with clang and the address and undefined-behaviour sanitizers by
 * mk/fuzz-parsers.mk; -DFUZZ_GRUB selects grub.cfg).
 *
 * The input is a whole configuration file.  Besides any crash, sanitizer
 * report or leak, a run fails (abort) when the result breaks what the
 * menu relies on: at most CFG_MAX_ENTRIES entries, each with a title and a
 * kernel and at most CFG_MAX_INITRDS initrds, a default that is one of
 * them, a hand-off of 0, 16, 32 or 64, and an error count no lower than the
 * number of error lines printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

#ifdef FUZZ_GRUB
#define PARSE grubcfg_parse
#define NAME  "grub.cfg"
#else
#define PARSE config_parse
#define NAME  "smartboot.cfg"
#endif

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_config: %s\n", what);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The parsers report each mistake with printf: keep the speed. */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	char *text = malloc(size + 1);      /* exactly size bytes: ASan sees an overread */
	int n;

	if (!text)
		return 0;
	memcpy(text, data, size);
	memset(&cfg, 0, sizeof(cfg));
	n = PARSE(&cfg, text, size, NAME);

	check(n == cfg.count, "the return value is not the entry count");
	check(n >= 0 && n <= CFG_MAX_ENTRIES, "entry count out of range");
	check(n == 0 ? cfg.default_entry == 0 : cfg.default_entry >= 0 && cfg.default_entry < n,
	      "the default is not an entry");
	check(cfg.errors >= 0, "negative error count");
	for (int i = 0; i < n; i++) {
		struct boot_entry *e = &cfg.entries[i];

		check(e->title && (e->kernel || e->protocol == BOOT_CHAIN),
		      "an entry without a title or a kernel (or a chain line)");
		check(e->protocol != BOOT_CHAIN || e->partition == CFG_WHOLE_DISK ||
		      (e->partition >= 0 && e->partition <= CFG_MAX_PARTITION),
		      "a chain entry's partition out of range");
		check(e->drive == 0 || (e->drive > CFG_BIOS_HD0 && e->drive < CFG_BIOS_HD0 + CFG_MAX_DISKS),
		      "a drive that is no hdN");
		check(e->ninitrd >= 0 && e->ninitrd <= CFG_MAX_INITRDS, "initrd count out of range");
		check(e->handoff == 0 || e->handoff == 16 || e->handoff == 32 || e->handoff == 64,
		      "a hand-off that is not 16, 32 or 64");
		for (int j = 0; j < e->ninitrd; j++)
			check(e->initrd[j] != NULL, "a NULL initrd path");
		check(e->root.kind <= ROOT_FILE, "a root of no known kind");
		check(e->root.kind != ROOT_NUMBER ||
		      (e->root.disk <= ROOT_MAX_DISK && e->root.partition >= 1 &&
		       e->root.partition <= CFG_MAX_PARTITION), "a root hdN,M out of range");
		check(e->root.kind != ROOT_BOOT || !e->root.key, "a key with no root kind");
		if (e->root.key != cfg.root.key)    /* the global root is shared */
			free(e->root.key);
		free(e->title);
		free(e->kernel);
		free(e->cmdline);
		for (int j = 0; j < e->ninitrd; j++)
			free(e->initrd[j]);
	}
	free(cfg.root.key);
	free(text);
	return 0;
}
