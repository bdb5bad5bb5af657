/*
 * bzimage.c - the decisions of the Linux boot protocol, without the I/O.
 *
 * Documentation/x86/boot.rst (linux-source-6.1) is the reference; section
 * names are given where a rule comes from.
 */
#include "proto/bzimage.h"

#define SECTOR_SIZE              512u
#define DEFAULT_SETUP_SECTS      4      /* "if setup_sects == 0 the real value is 4" */
#define INITRD_MAX_OLD           0x37ffffffu /* initrd_addr_max before protocol 2.03 */
#define CMDLINE_SIZE_OLD         255u   /* before 2.06 the limit was 255 bytes */
#define FOUR_GIB                 0x100000000ull

const char *bzimage_check(const struct setup_header *hdr, uint64_t file_size,
			  struct linux_plan *plan)
{
	uint32_t sects = hdr->setup_sects ? hdr->setup_sects : DEFAULT_SETUP_SECTS;

	if (hdr->boot_flag != BOOT_FLAG)
		return "not a Linux kernel (no 0xAA55 boot flag at 0x1fe)";
	if (hdr->header != HDRS_MAGIC)
		return "not a bzImage (no \"HdrS\" at 0x202): kernel too old or not a kernel";
	if (hdr->version < PROTOCOL_MIN)
		return "boot protocol older than 2.02; smartboot needs 2.02 or newer";
	if (!(hdr->loadflags & LOADED_HIGH))
		return "not a bzImage (zImage kernels load low; LOADED_HIGH not set)";

	plan->setup_size = (sects + 1) * SECTOR_SIZE;
	if (plan->setup_size > REAL_MODE_LIMIT)
		return "setup_sects too large: the real-mode part would pass 32 KiB";
	if (file_size <= plan->setup_size)
		return "setup_sects points past the end of the file (truncated kernel?)";
	if (file_size - plan->setup_size >= FOUR_GIB - KERNEL_LOAD_ADDR)
		return "kernel file too large";
	/* From 2.04 syssize is the protected-mode part's size in 16-byte
	 * units, padding included: a file shorter than that lost its tail. */
	if (hdr->version >= 0x0204 && file_size - plan->setup_size < hdr->syssize * 16ull)
		return "truncated: shorter than the size in its header (syssize)";
	/* The protected-mode part is the rest of the file: syssize can be
	 * stale or rounded, the file size cannot. */
	plan->kernel_size = (uint32_t)(file_size - plan->setup_size);
	plan->kernel_addr = KERNEL_LOAD_ADDR;

	/* While it decompresses, the kernel uses init_size bytes from where it
	 * runs: from the load address if it is relocatable, from pref_address
	 * (LOAD_PHYSICAL_ADDR, e.g. 16 MiB) if not.  Keep the initrd out of
	 * both ranges.  Before 2.10 there is no init_size: assume 4 x the file,
	 * the old rule of thumb for a decompressed kernel. */
	uint64_t need = hdr->version >= 0x020a ? hdr->init_size : 4ull * plan->kernel_size;
	uint64_t end = plan->kernel_addr + MAX(need, (uint64_t)plan->kernel_size);
	if (hdr->version >= 0x020a && hdr->pref_address + need > end)
		end = hdr->pref_address + need;
	plan->reserved_end = end;

	plan->cmdline_max = hdr->version >= 0x0206 ? hdr->cmdline_size : CMDLINE_SIZE_OLD;
	if (plan->cmdline_max > CMDLINE_AREA - 1)
		plan->cmdline_max = CMDLINE_AREA - 1;
	plan->initrd_addr = 0;
	return NULL;
}

uint32_t bzimage_place_initrd(const struct setup_header *hdr, const struct linux_plan *plan,
			      const struct e820_entry *map, int count, uint64_t size, uint64_t *room)
{
	uint64_t limit = (hdr->version >= 0x0203 ? hdr->initrd_addr_max : INITRD_MAX_OLD) + 1ull;
	uint64_t best = 0;

	*room = 0;
	if (limit > FOUR_GIB)
		limit = FOUR_GIB;
	for (int i = 0; i < count; i++) {
		uint64_t start = map[i].addr, end = map[i].addr + map[i].size;

		if (map[i].type != E820_USABLE)
			continue;
		if (end > limit)
			end = limit;
		/* Stay above the kernel and everything it unpacks into. */
		if (start < plan->reserved_end)
			start = plan->reserved_end;
		if (end <= start)
			continue;
		*room = MAX(*room, end - start);
		if (end - start < size)
			continue;
		uint64_t at = (end - size) & ~(uint64_t)(PAGE_SIZE - 1);
		if (at >= start && at > best)
			best = at;
	}
	return (uint32_t)best;
}

bool cmdline_has(const char *cmdline, const char *word, const char **value)
{
	size_t n = strlen(word);

	for (const char *p = cmdline; *p; ) {
		while (*p == ' ')
			p++;
		const char *start = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - start) < n || strncmp(start, word, n) != 0)
			continue;
		if (value && start[n] == '=') {
			*value = start + n + 1;
			return true;
		}
		if (!value && (size_t)(p - start) == n)
			return true;
	}
	return false;
}

/* vga=normal|ext|ask|<number>, as "Special Command Line Options" says. */
static uint16_t vid_mode_from(const char *cmdline)
{
	const char *v;
	uint32_t n = 0;
	unsigned base = 10;

	if (!cmdline_has(cmdline, "vga", &v))
		return VID_MODE_NORMAL;
	if (!strncmp(v, "ext", 3))
		return VID_MODE_EXT;
	if (!strncmp(v, "ask", 3))
		return VID_MODE_ASK;
	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		base = 16;
		v += 2;
	}
	for (; *v && *v != ' '; v++) {
		unsigned d = *v >= '0' && *v <= '9' ? (unsigned)(*v - '0') :
			     *v >= 'a' && *v <= 'f' ? (unsigned)(*v - 'a' + 10) :
			     *v >= 'A' && *v <= 'F' ? (unsigned)(*v - 'A' + 10) : 99;
		if (d >= base)
			return VID_MODE_NORMAL;       /* "normal" or garbage */
		n = n * base + d;
	}
	return (uint16_t)n;
}

void bzimage_fill_header(struct setup_header *hdr, const char *cmdline,
			 uint32_t cmdline_addr, uint32_t initrd_addr, uint32_t initrd_size)
{
	hdr->type_of_loader = LOADER_TYPE_UNKNOWN;
	/* Read-modify-write: the kernel owns the other bits. */
	hdr->loadflags |= CAN_USE_HEAP;
	if (cmdline_has(cmdline, "quiet", NULL))
		hdr->loadflags |= QUIET_FLAG;
	hdr->heap_end_ptr = HEAP_END - 0x200;   /* "heap_end - 0x200", boot.rst sample */
	hdr->vid_mode = vid_mode_from(cmdline);
	hdr->cmd_line_ptr = cmdline_addr;
	hdr->ramdisk_image = initrd_addr;
	hdr->ramdisk_size = initrd_size;
}
