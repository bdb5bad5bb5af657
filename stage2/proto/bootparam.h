/*
 * bootparam.h - the Linux x86 boot protocol's structures.
 *
 * From Documentation/x86/boot.rst and zero-page.rst (linux-source-6.1).
 * Offsets are from the start of the kernel image / zero page.
 */
#ifndef BOOTPARAM_H
#define BOOTPARAM_H

#include "bios/e820.h"

#define SETUP_HEADER_OFFSET   0x1f1
#define BOOT_FLAG             0xaa55
#define HDRS_MAGIC            0x53726448   /* "HdrS" */
#define PROTOCOL_MIN          0x0202       /* cmd_line_ptr; we need no older */

/* loadflags */
#define LOADED_HIGH           0x01         /* protected-mode code at 0x100000 */
#define KASLR_FLAG            0x02
#define QUIET_FLAG            0x20         /* "quiet": no early messages */
#define KEEP_SEGMENTS         0x40
#define CAN_USE_HEAP          0x80         /* heap_end_ptr is valid */

#define LOADER_TYPE_UNKNOWN   0xff         /* no registered loader ID */
#define VID_MODE_NORMAL       0xffff
#define VID_MODE_EXT          0xfffe
#define VID_MODE_ASK          0xfffd

struct setup_header {
	uint8_t  setup_sects;           /* 0x1f1 */
	uint16_t root_flags;            /* 0x1f2 */
	uint32_t syssize;               /* 0x1f4: in 16-byte paragraphs: finds a truncated file */
	uint16_t ram_size;              /* 0x1f8 */
	uint16_t vid_mode;              /* 0x1fa */
	uint16_t root_dev;              /* 0x1fc */
	uint16_t boot_flag;             /* 0x1fe: 0xAA55 */
	uint16_t jump;                  /* 0x200: byte 0x201 = header length - 0x202 */
	uint32_t header;                /* 0x202: "HdrS" */
	uint16_t version;               /* 0x206: protocol version */
	uint32_t realmode_swtch;        /* 0x208 */
	uint16_t start_sys_seg;         /* 0x20c */
	uint16_t kernel_version;        /* 0x20e */
	uint8_t  type_of_loader;        /* 0x210 */
	uint8_t  loadflags;             /* 0x211 */
	uint16_t setup_move_size;       /* 0x212 */
	uint32_t code32_start;          /* 0x214 */
	uint32_t ramdisk_image;         /* 0x218 */
	uint32_t ramdisk_size;          /* 0x21c */
	uint32_t bootsect_kludge;       /* 0x220 */
	uint16_t heap_end_ptr;          /* 0x224 */
	uint8_t  ext_loader_ver;        /* 0x226 */
	uint8_t  ext_loader_type;       /* 0x227 */
	uint32_t cmd_line_ptr;          /* 0x228 */
	uint32_t initrd_addr_max;       /* 0x22c: protocol 2.03+ */
	uint32_t kernel_alignment;      /* 0x230: 2.05+ */
	uint8_t  relocatable_kernel;    /* 0x234 */
	uint8_t  min_alignment;         /* 0x235 */
	uint16_t xloadflags;            /* 0x236 */
	uint32_t cmdline_size;          /* 0x238: 2.06+ */
	uint32_t hardware_subarch;      /* 0x23c */
	uint64_t hardware_subarch_data; /* 0x240 */
	uint32_t payload_offset;        /* 0x248 */
	uint32_t payload_length;        /* 0x24c */
	uint64_t setup_data;            /* 0x250 */
	uint64_t pref_address;          /* 0x258: 2.10+ */
	uint32_t init_size;             /* 0x260: 2.10+ */
	uint32_t handover_offset;       /* 0x264 */
	uint32_t kernel_info_offset;    /* 0x268 */
} __attribute__((packed));

#define HDR_OFFSET(f) (SETUP_HEADER_OFFSET + __builtin_offsetof(struct setup_header, f))
_Static_assert(HDR_OFFSET(boot_flag) == 0x1fe, "setup header layout");
_Static_assert(HDR_OFFSET(header) == 0x202, "setup header layout");
_Static_assert(HDR_OFFSET(code32_start) == 0x214, "setup header layout");
_Static_assert(HDR_OFFSET(cmd_line_ptr) == 0x228, "setup header layout");
_Static_assert(HDR_OFFSET(cmdline_size) == 0x238, "setup header layout");
_Static_assert(HDR_OFFSET(pref_address) == 0x258, "setup header layout");
_Static_assert(HDR_OFFSET(init_size) == 0x260, "setup header layout");

/* The part of struct screen_info the VGA text console reads. */
struct screen_info {
	uint8_t  orig_x;                /* 0x00: cursor column */
	uint8_t  orig_y;                /* 0x01: cursor row */
	uint16_t ext_mem_k;             /* 0x02: AH=88h's KiB above 1 MiB */
	uint16_t orig_video_page;       /* 0x04 */
	uint8_t  orig_video_mode;       /* 0x06 */
	uint8_t  orig_video_cols;       /* 0x07 */
	uint8_t  flags;                 /* 0x08 */
	uint8_t  unused2;               /* 0x09 */
	uint16_t orig_video_ega_bx;     /* 0x0a */
	uint16_t unused3;               /* 0x0c */
	uint8_t  orig_video_lines;      /* 0x0e */
	uint8_t  orig_video_isVGA;      /* 0x0f: 1 = VGA text mode */
	uint16_t orig_video_points;     /* 0x10: character height */
	uint8_t  rest[0x40 - 0x12];
} __attribute__((packed));
_Static_assert(sizeof(struct screen_info) == 0x40, "screen_info is 64 bytes");

/* The zero page: struct boot_params, 4 KiB. */
struct boot_params {
	struct screen_info screen_info;         /* 0x000 */
	uint8_t  pad1[0x1e0 - 0x040];
	uint32_t alt_mem_k;                     /* 0x1e0: E801h's KiB above 1 MiB */
	uint8_t  pad1b[0x1e8 - 0x1e4];
	uint8_t  e820_entries;                  /* 0x1e8 */
	uint8_t  pad2[SETUP_HEADER_OFFSET - 0x1e9];
	struct setup_header hdr;                /* 0x1f1 */
	uint8_t  pad3[0x2d0 - 0x26c];
	struct e820_entry e820_table[E820_MAX]; /* 0x2d0 */
	uint8_t  pad4[0x1000 - 0x2d0 - E820_MAX * 20];
} __attribute__((packed));
_Static_assert(sizeof(struct boot_params) == 4096, "the zero page is 4 KiB");
_Static_assert(__builtin_offsetof(struct boot_params, alt_mem_k) == 0x1e0, "zero page layout");
_Static_assert(__builtin_offsetof(struct boot_params, e820_entries) == 0x1e8, "zero page layout");
_Static_assert(__builtin_offsetof(struct boot_params, hdr) == 0x1f1, "zero page layout");
_Static_assert(__builtin_offsetof(struct boot_params, e820_table) == 0x2d0, "zero page layout");

#endif
