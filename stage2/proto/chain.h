/* chain.h - chainload another boot sector, as a BIOS would start it. */
#ifndef CHAIN_H
#define CHAIN_H

#include "bios/disk.h"
#include "config/config.h"

/* Load the first sector of the partition or disk entry names (its drive,
 * else boot_disk; its partition, else boot_partition, the one we booted
 * from; CFG_WHOLE_DISK: the MBR) at CHAIN_LOAD_ADDR and jump to it in real
 * mode.  Returns only on failure, after printing what failed (nothing has
 * changed then: the menu may come back). */
int chain_boot(struct disk *boot_disk, int boot_partition, const struct boot_entry *entry);

/* The jump (handoff.asm): real mode, CS:IP = 0000:ip, SS:SP = 0000:ip,
 * DS = ES = 0, DL = drive, SI = BP = si, interrupts on. */
__attribute__((noreturn)) void chain_enter(uint32_t drive, uint32_t si, uint32_t ip);

#endif
