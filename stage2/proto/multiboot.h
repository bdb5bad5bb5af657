/*
 * multiboot.h - the Multiboot 1 (0.6.96) and Multiboot 2 (2.0) boot
 * protocols: the kernel's header, the information structure the loader
 * builds, and the planner that decides (multiboot.c).  Plain C with no BIOS
 * calls: tests/host/multiboot_test.c and fuzz_multiboot.c run it on the host;
 * multiboot_boot.c does the reading and the jump.  docs/multiboot.md
 * explains every field on our test kernel (tests/mbkernel/).
 *
 * Offsets are the specifications' (Multiboot 0.6.96 sections 3.1 and 3.3,
 * Multiboot 2.0 sections 3.1 and 3.6).
 */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H

#include "bios/e820.h"
#include "klib.h"

/* ---- Multiboot 1 --------------------------------------------------------- */

#define MB1_HEADER_MAGIC   0x1BADB002u
#define MB1_BOOT_MAGIC     0x2BADB002u   /* EAX at the kernel's entry */
#define MB1_SEARCH         8192u         /* the header lies in the first 8 KiB ... */
#define MB1_HEADER_ALIGN   4u            /* ... on a 4-byte boundary */

/* Header flags.  Bits 0-15 are requirements: a loader that does not know
 * one must refuse the kernel.  Bits 16-31 are optional features. */
#define MB1_PAGE_ALIGN     (1u << 0)     /* modules on 4 KiB boundaries */
#define MB1_MEMORY_INFO    (1u << 1)     /* mem_lower/mem_upper (and the map) wanted */
#define MB1_VIDEO_MODE     (1u << 2)     /* the mode_type..depth fields ask for a video mode */
#define MB1_ADDRESSES      (1u << 16)    /* header_addr..entry_addr are valid: the a.out kludge */
#define MB1_REQUIRED_BITS  0xFFFFu
#define MB1_KNOWN          (MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_VIDEO_MODE)   /* 2: known, refused */
#define MB1_MODE_LINEAR    0             /* mode_type: a linear graphics mode */
#define MB1_MODE_EGA_TEXT  1             /* mode_type: EGA-standard text mode */

struct mb1_header {
	uint32_t magic;            /* 0x00 */
	uint32_t flags;            /* 0x04 */
	uint32_t checksum;         /* 0x08: magic + flags + checksum = 0 */
	uint32_t header_addr;      /* 0x0c: MB1_ADDRESSES: where this header is loaded */
	uint32_t load_addr;        /* 0x10: where the image's first loaded byte goes */
	uint32_t load_end_addr;    /* 0x14: end of the bytes from the file (0: to its end) */
	uint32_t bss_end_addr;     /* 0x18: zeroed up to here (0: no bss) */
	uint32_t entry_addr;       /* 0x1c */
	uint32_t mode_type;        /* 0x20: MB1_VIDEO_MODE */
	uint32_t width;            /* 0x24 */
	uint32_t height;           /* 0x28 */
	uint32_t depth;            /* 0x2c */
};
_Static_assert(sizeof(struct mb1_header) == 48, "Multiboot 1 header is 48 bytes");

/* Information flags: which fields of struct mb1_info are valid. */
#define MB1_INFO_MEMORY      (1u << 0)
#define MB1_INFO_BOOTDEV     (1u << 1)
#define MB1_INFO_CMDLINE     (1u << 2)
#define MB1_INFO_MODS        (1u << 3)
#define MB1_INFO_ELF_SHDR    (1u << 5)    /* shdr_*: the ELF section header table */
#define MB1_INFO_MMAP        (1u << 6)
#define MB1_INFO_LOADER_NAME (1u << 9)
#define MB1_INFO_FRAMEBUFFER (1u << 12)

struct mb1_info {
	uint32_t flags;              /* 0x00 */
	uint32_t mem_lower;          /* 0x04: KiB from 0 (at most 640) */
	uint32_t mem_upper;          /* 0x08: KiB from 1 MiB to the first hole */
	uint32_t boot_device;        /* 0x0c: drive, part1, part2, part3 (0xFF: none) */
	uint32_t cmdline;            /* 0x10: address of a C string */
	uint32_t mods_count;         /* 0x14 */
	uint32_t mods_addr;          /* 0x18: struct mb1_module[mods_count] */
	uint32_t shdr_num;           /* 0x1c: ELF section headers: how many, */
	uint32_t shdr_size;          /* 0x20: each this size, */
	uint32_t shdr_addr;          /* 0x24: here, */
	uint32_t shdr_shndx;         /* 0x28: the names' section */
	uint32_t mmap_length;        /* 0x2c: bytes */
	uint32_t mmap_addr;          /* 0x30: struct mb1_mmap_entry[] */
	uint32_t drives_length;      /* 0x34 */
	uint32_t drives_addr;        /* 0x38 */
	uint32_t config_table;       /* 0x3c */
	uint32_t boot_loader_name;   /* 0x40 */
	uint32_t apm_table;          /* 0x44 */
	uint32_t vbe_control_info;   /* 0x48 */
	uint32_t vbe_mode_info;      /* 0x4c */
	uint16_t vbe_mode;           /* 0x50 */
	uint16_t vbe_interface_seg;  /* 0x52 */
	uint16_t vbe_interface_off;  /* 0x54 */
	uint16_t vbe_interface_len;  /* 0x56 */
	uint64_t framebuffer_addr;   /* 0x58 */
	uint32_t framebuffer_pitch;  /* 0x60 */
	uint32_t framebuffer_width;  /* 0x64 */
	uint32_t framebuffer_height; /* 0x68 */
	uint8_t framebuffer_bpp;     /* 0x6c */
	uint8_t framebuffer_type;    /* 0x6d: MB_FB_EGA_TEXT */
	uint8_t color_info[6];       /* 0x6e */
} __attribute__((packed));
_Static_assert(sizeof(struct mb1_info) == 116, "Multiboot 1 information is 116 bytes");
_Static_assert(offsetof(struct mb1_info, mmap_length) == 0x2c, "mmap_length at 44");
_Static_assert(offsetof(struct mb1_info, boot_loader_name) == 0x40, "boot_loader_name at 64");
_Static_assert(offsetof(struct mb1_info, framebuffer_addr) == 0x58, "framebuffer_addr at 88");

struct mb1_module {
	uint32_t mod_start;          /* 0x00 */
	uint32_t mod_end;            /* 0x04: first byte past the module */
	uint32_t string;             /* 0x08 */
	uint32_t reserved;           /* 0x0c: 0 */
};

/* A memory map entry: size counts the bytes after itself (20). */
struct mb1_mmap_entry {
	uint32_t size;               /* 0x00 */
	uint64_t base_addr;          /* 0x04 */
	uint64_t length;             /* 0x0c */
	uint32_t type;               /* 0x14: E820 types */
} __attribute__((packed));
_Static_assert(sizeof(struct mb1_mmap_entry) == 24, "Multiboot 1 mmap entry is 24 bytes");

/* ---- Multiboot 2 --------------------------------------------------------- */

#define MB2_HEADER_MAGIC   0xE85250D6u
#define MB2_BOOT_MAGIC     0x36D76289u   /* EAX at the kernel's entry */
#define MB2_SEARCH         32768u        /* the header lies in the first 32 KiB ... */
#define MB2_ALIGN          8u            /* ... on an 8-byte boundary; so do tags */
#define MB2_ARCH_I386      0             /* 32-bit protected mode */

struct mb2_header {
	uint32_t magic;              /* 0x00 */
	uint32_t architecture;       /* 0x04 */
	uint32_t header_length;      /* 0x08: with the tags */
	uint32_t checksum;           /* 0x0c: the four sum to 0 */
};

struct mb2_header_tag {
	uint16_t type;               /* 0x00: MB2_HTAG_* */
	uint16_t flags;              /* 0x02: MB2_HTAG_OPTIONAL */
	uint32_t size;               /* 0x04: with this head */
};
#define MB2_HTAG_OPTIONAL      1
#define MB2_HTAG_END           0
#define MB2_HTAG_INFO_REQUEST  1         /* u32 tag types[] */
#define MB2_HTAG_ADDRESS       2         /* header, load, load_end, bss_end addresses */
#define MB2_HTAG_ENTRY         3         /* entry_addr */
#define MB2_HTAG_CONSOLE       4         /* console_flags: */
#define MB2_CONSOLE_REQUIRED   (1u << 0) /*   a console the kernel supports must be described */
#define MB2_CONSOLE_EGA_TEXT   (1u << 1) /*   the kernel supports EGA text */
#define MB2_HTAG_FRAMEBUFFER   5         /* width, height, depth */
#define MB2_HTAG_MODULE_ALIGN  6
#define MB2_HTAG_EFI_BS        7
#define MB2_HTAG_ENTRY_EFI32   8
#define MB2_HTAG_ENTRY_EFI64   9
#define MB2_HTAG_RELOCATABLE   10
/* Header tags smartboot honours by doing nothing, required or not: EGA text
 * is there (a console tag that rules it out is refused first); modules are
 * always page-aligned; the EFI tags mean nothing on a BIOS; a relocatable
 * kernel is loaded at its preferred address.  (1-5 are read by
 * check_mb2(); 0 ends the list.) */
#define MB2_HTAG_HARMLESS ((1u << MB2_HTAG_INFO_REQUEST) | (1u << MB2_HTAG_ENTRY) | \
	(1u << MB2_HTAG_CONSOLE) | (1u << MB2_HTAG_MODULE_ALIGN) | (1u << MB2_HTAG_EFI_BS) | \
	(1u << MB2_HTAG_ENTRY_EFI32) | (1u << MB2_HTAG_ENTRY_EFI64) | (1u << MB2_HTAG_RELOCATABLE))

/* Information tags: u32 type, u32 size, then the fields. */
#define MB2_TAG_END            0
#define MB2_TAG_CMDLINE        1
#define MB2_TAG_LOADER_NAME    2
#define MB2_TAG_MODULE         3         /* mod_start, mod_end, string */
#define MB2_TAG_BASIC_MEMINFO  4         /* mem_lower, mem_upper */
#define MB2_TAG_BOOTDEV        5         /* biosdev, partition, sub_partition */
#define MB2_TAG_MMAP           6         /* entry_size, entry_version, entries */
#define MB2_TAG_FRAMEBUFFER    8
#define MB2_TAG_ELF_SECTIONS   9         /* u32 num, entsize, shndx, then the section headers */
#define MB2_TAG_ACPI_OLD       14        /* a copy of the RSDP, ACPI 1.0 */
#define MB2_TAG_ACPI_NEW       15        /* a copy of the XSDP, ACPI 2.0+ (all its length) */
#define MB2_TAG_LOAD_BASE      21        /* load_base_addr */
#define MB2_MMAP_ENTRY_SIZE    24        /* base u64, length u64, type u32, reserved u32 */
/* The information tags smartboot can give (an info request for another
 * one, not marked optional, is refused). */
#define MB2_CAN_GIVE ((1u << MB2_TAG_CMDLINE) | (1u << MB2_TAG_LOADER_NAME) | \
	(1u << MB2_TAG_MODULE) | (1u << MB2_TAG_BASIC_MEMINFO) | (1u << MB2_TAG_BOOTDEV) | \
	(1u << MB2_TAG_MMAP) | (1u << MB2_TAG_FRAMEBUFFER) | (1u << MB2_TAG_ELF_SECTIONS) | \
	(1u << MB2_TAG_ACPI_OLD) | (1u << MB2_TAG_ACPI_NEW) | (1u << MB2_TAG_LOAD_BASE))

/* ACPI's Root System Description Pointer (ACPI 6.5, 5.2.5.3): "RSD PTR ",
 * checksum, OEM, revision (0: ACPI 1.0, 2: 2.0 and later), RSDT address:
 * 20 bytes, summing to 0 (tag 14).  From revision 2 on (the XSDP) follow
 * length (u32 at 20: the whole structure, 36 today), the XSDT's address
 * and an extended checksum over all of length (tag 15). */
#define MB_RSDP_LEN        20
#define MB_RSDP_REVISION   15            /* offset of the revision byte */
#define MB_XSDP_LENGTH     20            /* offset of the u32 length */
#define MB_XSDP_MIN        36            /* ACPI 2.0's size */
#define MB_XSDP_MAX        64            /* a bound against a garbage length: no ACPI has more than 36 */

/* How long the XSDP at p is (revision >= 2, a length from MB_XSDP_MIN to
 * MB_XSDP_MAX, every byte of it summing to 0), 0 if it is none.  p: a good
 * RSDP (its 20 bytes checked) with MB_XSDP_MAX bytes readable. */
uint32_t mb_xsdp_len(const uint8_t *p);

/* Framebuffer information, both versions: EGA text is all we offer. */
#define MB_FB_EGA_TEXT     2
#define MB_EGA_TEXT_ADDR   0xB8000u
#define MB_EGA_COLS        80
#define MB_EGA_ROWS        25

/* ---- The planner ----------------------------------------------------------- */

#define MB_MAX_SEGMENTS    16
#define MB_PAGE            4096u
#define MB_LOW_LIMIT       0x100000u     /* below 1 MiB: the BIOS and smartboot itself */
#define MB_MAX_MODULES     4             /* config.h's CFG_MAX_INITRDS */
#define MB_MAX_SECTIONS    256           /* ELF section headers smartboot passes on */
#define MB_MAX_SHENTSIZE   128           /* bytes per section header (ELF64's are 64) */

/* One piece of the file to copy to memory, then zero up to memsz. */
struct mb_segment {
	uint32_t offset;             /* in the file */
	uint32_t addr;               /* physical */
	uint32_t filesz, memsz;
};

/*
 * The ELF section header table (MB1 info flag 5, MB2 tag 9): the kernel
 * gets a copy of it, and every section the program headers did not load
 * (sh_addr 0: the symbol and string tables, debug information) is loaded
 * too, and its sh_addr set to where it went, as GRUB does (MB1 3.3: "all
 * sections are loaded").  mb_check() finds the table in the ELF header,
 * mb_sections() checks it once read and lays the sections out in one area
 * (mb_place() puts it after the kernel), mb_section_addrs() writes their
 * addresses, mb_section() says where each comes from and goes.
 */
struct mb_sections {
	uint32_t offset;             /* e_shoff: the table in the file */
	uint32_t num, entsize, shndx;    /* e_shnum, e_shentsize, e_shstrndx */
	uint32_t size;               /* num * entsize */
	uint32_t area;               /* bytes of the sections smartboot loads, laid out from a page */
	uint8_t ours[MB_MAX_SECTIONS / 8];   /* bit i: section i is one of them */
};

struct mb_kernel {
	int version;                 /* 1 or 2 */
	bool is64;                   /* ELF64 (section headers of 64 bytes) */
	uint32_t header_offset;      /* where the header is in the file */
	uint32_t entry;              /* physical */
	uint32_t load_start, load_end;   /* [start, end): every segment, bss included */
	int nseg;
	struct mb_segment seg[MB_MAX_SEGMENTS];
	bool ega_text;               /* describe the EGA text screen (always, once accepted) */
	uint32_t need;               /* MB2: info tag types required (bit n: type n) */
	struct mb_sections sh;       /* num 0: none (not ELF, or no table) */
};

/*
 * Check a kernel file for the Multiboot version asked (1 or 2) and plan its
 * load.  head: the file's first head_len bytes (at least min(file_size,
 * MB2_SEARCH), and the ELF program headers).  Returns NULL when the kernel
 * can be booted as it asks, else what is wrong, in words.
 */
const char *mb_check(const uint8_t *head, uint32_t head_len, uint64_t file_size, int version,
		     struct mb_kernel *k);

/*
 * The section header table read from the file (k->sh.size bytes at
 * k->sh.offset): check every header of a section smartboot will load (in
 * the file, 4 GiB-clean, aligned to at most a page), choose them (sh_addr
 * 0 and sh_size not 0, as GRUB) and lay them out: k->sh.area.  Returns
 * NULL, or what is wrong.
 */
const char *mb_sections(struct mb_kernel *k, const uint8_t *table, uint64_t file_size);
/* Set the sh_addr of each section mb_sections() chose, its area at base. */
void mb_section_addrs(const struct mb_kernel *k, uint8_t *table, uint32_t base);
/* Is section i one to load (after mb_section_addrs())?  Then *s says from
 * where in the file (filesz 0: SHT_NOBITS, zeroed), to where, how much. */
bool mb_section(const struct mb_kernel *k, const uint8_t *table, uint32_t i, struct mb_segment *s);

/* Where each piece goes: the kernel where it asked, then its sections'
 * area, each module on a page after it, then the information area. */
struct mb_layout {
	uint32_t sections_addr;      /* page-aligned (k->sh.area 0: unused) */
	uint32_t mod_addr[MB_MAX_MODULES];
	uint32_t info_addr;          /* page-aligned */
	uint32_t end;                /* past the information area */
};

/*
 * Place the kernel's sections (k->sh.area bytes), nmods (at most
 * MB_MAX_MODULES) modules of the sizes given and info_size bytes of
 * information after the kernel, everything page-aligned and inside usable
 * RAM of the map, the kernel too.  Returns NULL, or why not.
 */
const char *mb_place(const struct mb_kernel *k, const struct e820_entry *map, int count,
		     const uint32_t *mod_size, int nmods, uint32_t info_size, struct mb_layout *out);


/* What the information says, gathered by the I/O half. */
struct mb_module_in { uint32_t start, end; const char *string; };   /* start, end: as MB2's tag */
struct mb_boot_info {
	const char *cmdline;
	const char *loader_name;
	const struct mb_module_in *mods;
	int nmods;
	const struct e820_entry *map;
	int count;
	uint32_t mem_lower, mem_upper;   /* KiB (together: MB2's tag 4) */
	uint8_t drive, partition;        /* BIOS drive; partition 0-based, 0xFF: whole disk */
	const uint8_t *rsdp_old;         /* 20 bytes, or NULL */
	const uint8_t *rsdp_new;         /* the XSDP, rsdp_new_len bytes, or NULL */
	uint32_t rsdp_new_len;
	const uint8_t *shdr;             /* the section header table (k->sh), addresses set, or NULL */
	uint32_t load_base;
};

/*
 * Build the Multiboot information for k (struct mb1_info and what it points
 * to, or the MB2 tag list) into buf, which will be at physical address phys.
 * buf NULL: only count.  Returns the bytes used (or needed), 0 if size is
 * too small.
 */
uint32_t mb_build_info(const struct mb_kernel *k, const struct mb_boot_info *in, uint8_t *buf,
		       uint32_t size, uint32_t phys);

#endif
