# (Named to come after mk/loader.mk, whose S2_OBJ it uses, in the Makefile's sorted include.)
# build/smartos.iso: a live smart-os on a hybrid image that boots from a CD
# (El Torito, no emulation: boot/cd.asm loads stage 2) and as a disk or USB
# stick (boot/mbr.asm in the system area).  scripts/mkiso.sh makes it,
# docs/iso.md explains it, ./run.sh --iso boots it, tests/t-38-iso.sh tests it.
#
#   make iso          build/smartos.iso
#
# Its stage 2 is a variant, build/stage2-iso.bin: the ISO 9660 reader
# (stage2/fs/iso9660.c, first in fs.c's table) in place of Multiboot
# (SMARTBOOT_ISO9660 in fs.c and main.c).  Both together do not fit the
# 31,744 bytes of the gap before a partition at sector 63, which the hybrid
# image's system area has too; the disk's build/stage2.bin stays as it was.
.PHONY: iso
iso: $(BUILD)/smartos.iso
test: iso

# The files that say #ifdef SMARTBOOT_ISO9660, compiled again for it, and
# the reader, all in build/obj-iso/ (build/obj/ holds the disk's stage 2:
# tests/t-01-loader-build.sh links what is there).
# Chainloading is left out too (the configuration parsers compiled again
# without SMARTBOOT_CHAIN, so `chain` entries are refused by name): with it
# this stage 2 is over the budget.  root.c, compiled for it, reads only the
# disc it booted from.
S2_ISO_C   := stage2/fs/fs.c stage2/bios/disk.c stage2/fs/iso9660.c stage2/root.c \
	stage2/config/config.c stage2/config/grubcfg.c
S2_ISO_OBJ = $(filter-out $(patsubst %.c,$(BUILD)/obj/%.o,$(S2_ISO_C)) $(BUILD)/obj/stage2/ext/ext.o \
		$(BUILD)/obj/stage2/proto/chain.o,$(S2_OBJ)) \
	$(patsubst %.c,$(BUILD)/obj-iso/%.o,$(S2_ISO_C))
S2_ISO_CFLAGS = $(filter-out -DSMARTBOOT_CHAIN,$(S2_CFLAGS)) -DSMARTBOOT_ISO9660
.PRECIOUS: $(BUILD)/stage2-iso.elf $(BUILD)/obj-iso/main.o $(patsubst %.c,$(BUILD)/obj-iso/%.o,$(S2_ISO_C))

$(BUILD)/obj-iso/%.o: %.c $(BUILD)/s2-cflags
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc $(S2_ISO_CFLAGS) -MMD -c -o $@ $<
$(BUILD)/obj-iso/main.o: stage2/main.c $(BUILD)/loader-options
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc $(S2_ISO_CFLAGS) -DSMARTBOOT_ENTRY=$(ENTRY) $(DISK_FLAG) -MMD -c -o $@ $<
-include $(patsubst %.c,$(BUILD)/obj-iso/%.d,$(S2_ISO_C)) $(BUILD)/obj-iso/main.d

$(BUILD)/stage2-iso.elf: $(S2_ISO_OBJ) $(BUILD)/obj-iso/main.o $(S2_LDS)
	$(Q)ld -m elf_i386 -nostdlib -z noexecstack --no-warn-rwx-segments -T $(S2_LDS) -Map $(BUILD)/stage2-iso.map \
		-o $@ $(S2_ISO_OBJ) $(BUILD)/obj-iso/main.o
$(BUILD)/obj-iso/stage2-iso.unpacked: $(BUILD)/stage2-iso.elf
	$(Q)objcopy -O binary $< $@
$(BUILD)/stage2-iso.bin: $(BUILD)/obj-iso/stage2-iso.unpacked $(BUILD)/pack
	$(Q)$(BUILD)/pack $< $@
	$(Q)objdump -d -S -M i386 $(BUILD)/stage2-iso.elf > $(BUILD)/stage2-iso.lst

$(BUILD)/cd.bin: boot/cd.asm boot/print.inc $(ASM_INC) $(BUILD)/loader-options | $(BUILD)
	$(Q)nasm $(MAGIC_FLAG) -f bin -Iboot/ -I$(BUILD)/inc/ -l $(BUILD)/cd.lst -o $@ $<

$(BUILD)/smartos.iso: scripts/mkiso.sh boot/smartboot-iso.cfg rootfs/initrd/init $(BUILD)/rootfs.manifest \
		$(BUILD)/mbr.bin $(BUILD)/cd.bin $(BUILD)/stage2-iso.bin
	$(Q)scripts/mkiso.sh $@
