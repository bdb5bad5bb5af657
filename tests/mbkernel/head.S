/*
 * head.S - the test kernel's Multiboot headers and its first instructions.
 *
 * One image carries both headers: a Multiboot 1 header (magic 0x1BADB002,
 * in the first 8192 bytes, 4-aligned) and a Multiboot 2 header (magic
 * 0xE85250D6, in the first 32768 bytes, 8-aligned).  `multiboot` uses the
 * first, `multiboot2` the second; EAX at entry tells the kernel which one.
 * Built with -DAOUT_KLUDGE, the Multiboot 1 header carries the address
 * fields (flag 16), the Multiboot 2 header the address and entry tags (2,
 * 3), and the image is a flat binary: a loader must then use those
 * addresses, as it would for an a.out kernel.  Built with -DEGA_TEXT
 * (mbk-text.elf), both headers ask for EGA text: Multiboot 1 flag 2 with
 * mode_type 1 (80x25, depth 0), Multiboot 2 a required framebuffer tag
 * (80x25, depth 0: text), and the required request adds the ELF sections.
 *
 * Nothing here may rely on the loader's stack: the spec leaves ESP
 * undefined.  The registers are saved to memory first, then we set our own
 * stack and call report() (report.c).
 */
#define MB1_MAGIC            0x1BADB002
#define MB1_PAGE_ALIGN       (1 << 0)   /* modules on 4 KiB boundaries */
#define MB1_MEMORY_INFO      (1 << 1)   /* mem_* (and the memory map) wanted */
#define MB1_VIDEO_MODE       (1 << 2)   /* mode_type..depth ask for a video mode */
#define MB1_ADDRESSES        (1 << 16)  /* the a.out kludge's address fields are valid */
#define MB1_MODE_EGA_TEXT    1          /* mode_type: EGA-standard text */
#ifdef AOUT_KLUDGE
#define MB1_FLAGS            (MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_ADDRESSES)
#elif defined(EGA_TEXT)
#define MB1_FLAGS            (MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_VIDEO_MODE)
#else
#define MB1_FLAGS            (MB1_PAGE_ALIGN | MB1_MEMORY_INFO)
#endif

#define MB2_MAGIC            0xE85250D6
#define MB2_ARCH_I386        0          /* 32-bit protected mode */
#define MB2_TAG_END          0
#define MB2_TAG_INFO_REQUEST 1
#define MB2_TAG_ADDRESS      2
#define MB2_TAG_ENTRY        3
#define MB2_TAG_FRAMEBUFFER  5
#define MB2_TAG_MODULE_ALIGN 6
#define MB2_TAG_OPTIONAL     1          /* flags bit 0: the loader may ignore the tag */
/* Information tag types we ask for (multiboot2.h's MULTIBOOT_TAG_TYPE_*). */
#define MB2_INFO_CMDLINE     1
#define MB2_INFO_MODULE      3
#define MB2_INFO_BASIC_MEM   4
#define MB2_INFO_MMAP        6
#define MB2_INFO_ELF         9
#define MB2_INFO_ACPI_OLD    14
#define MB2_INFO_ACPI_NEW    15

#define STACK_SIZE           16384

	.section .multiboot, "a"
	.align 4
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)        /* the three sum to 0 (mod 2^32) */
#ifdef AOUT_KLUDGE
	.long mb1_header                      /* header_addr: where this header is loaded */
	.long __load_start                    /* load_addr: the image's first byte */
	.long __load_end                      /* load_end_addr: end of the bytes in the file */
	.long __bss_end                       /* bss_end_addr: zeroed up to here */
	.long _start                          /* entry_addr */
#elif defined(EGA_TEXT)
	.long 0, 0, 0, 0, 0                   /* the address fields: not valid (no flag 16) */
	.long MB1_MODE_EGA_TEXT               /* mode_type */
	.long 80, 25                          /* width, height: characters */
	.long 0                               /* depth: 0 in a text mode */
#endif

	.align 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header     /* header_length */
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* Information request: these tags must be given (flags 0: not
	 * optional; a loader that cannot must refuse the kernel) ... */
	.align 8
1:	.short MB2_TAG_INFO_REQUEST, 0
	.long 2f - 1b
	.long MB2_INFO_CMDLINE, MB2_INFO_MODULE, MB2_INFO_BASIC_MEM, MB2_INFO_MMAP
#ifdef EGA_TEXT
	.long MB2_INFO_ELF
#endif
2:	.align 8
	/* ... and these if the loader can. */
1:	.short MB2_TAG_INFO_REQUEST, MB2_TAG_OPTIONAL
	.long 2f - 1b
	.long MB2_INFO_ELF, MB2_INFO_ACPI_OLD, MB2_INFO_ACPI_NEW
2:	.align 8
	/* Modules on page boundaries. */
	.short MB2_TAG_MODULE_ALIGN, 0
	.long 8
#ifdef EGA_TEXT
	/* A framebuffer, required: 80x25 characters, depth 0 (text). */
	.short MB2_TAG_FRAMEBUFFER, 0
	.long 20
	.long 80, 25, 0
	.align 8
#endif
#ifdef AOUT_KLUDGE
	/* Load by these addresses (the flat binary has no ELF header) ... */
	.short MB2_TAG_ADDRESS, 0
	.long 24
	.long mb2_header                      /* header_addr */
	.long __load_start                    /* load_addr */
	.long __load_end                      /* load_end_addr */
	.long __bss_end                       /* bss_end_addr */
	/* ... and enter here. */
	.short MB2_TAG_ENTRY, 0
	.long 12
	.long _start
	.align 8
#endif
	.short MB2_TAG_END, 0
	.long 8
mb2_header_end:

	.text
	.globl _start
	.code32
_start:
	/* Save what the loader gave us before touching anything. */
	movl %eax, entry_eax
	movl %ebx, entry_ebx
	movl %cr0, %eax
	movl %eax, entry_cr0
	movw %cs, entry_cs
	movw %ds, entry_ds
	movw %es, entry_es
	movw %fs, entry_fs
	movw %gs, entry_gs
	movw %ss, entry_ss
	/* EFLAGS needs a stack: ours, set now (ESP was undefined). */
	movl $stack_top, %esp
	pushfl
	popl entry_eflags
	cld
	call report                           /* never returns */
1:	cli
	hlt
	jmp 1b

	.bss
	.align 16
stack:
	.skip STACK_SIZE
stack_top:
