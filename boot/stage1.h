/*
 * boot/stage1.h - the fixed facts of stage 1's sector (boot/mbr.asm), for
 * the installer (tools/mbr.h) and for mbr.asm itself, which includes them
 * as build/inc/stage1.inc (scripts/h2inc: plain numbers and comments only).
 *
 * Stage 1 is the MBR: its code and data, then the patch fields the
 * installer fills in, then the disk's signature and partition table, which
 * are never ours (docs/layout.md).
 */
#ifndef STAGE1_H
#define STAGE1_H

#define STAGE1_CODE_START      0x05A   /* after jmp short + nop and a dummy BPB (0x03-0x59) */
#define STAGE1_CODE_END        0x1B0   /* stage 1's code and data end here */
#define STAGE1_STAGE2_LBA      0x1B0   /* dd: the first LBA of stage 2 */
#define STAGE1_STAGE2_SECTORS  0x1B4   /* dw: how many sectors to load */
#define STAGE1_STAGE2_CHECKSUM 0x1B6   /* dw: the 16-bit sum of their words */
#define STAGE1_PATCH_END       0x1B8   /* the disk signature follows: not ours */

/* Stage 2 starts in the sector after the MBR. */
#define STAGE2_LBA             1

#endif
