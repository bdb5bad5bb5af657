# The Multiboot test kernel (tests/mbkernel/): what tests/t-36-multiboot.sh
# boots with smartboot, QEMU's -kernel and GRUB, and docs/multiboot.md reads.
#
#   build/mbkernel/mbk.elf     ELF32 at 1 MiB, both headers (Multiboot 1 and 2)
#   build/mbkernel/mbk64.elf   the same code in an ELF64 container (loaded by its
#                              program headers' physical addresses)
#   build/mbkernel/mbk-aout.bin  a flat binary whose Multiboot 1 header has the
#                              address fields (the "a.out kludge"), its Multiboot 2
#                              header the address and entry tags
#   build/mbkernel/mbk-text.elf  ELF32 whose headers ask for EGA text (MB1 flag 2
#                              mode_type 1, MB2 a required 80x25x0 framebuffer tag)
#                              and (MB2) require the ELF section headers
.PHONY: mbkernel
MBK_CFLAGS := -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -mgeneral-regs-only -O1 -g -std=gnu11 -Wall -Wextra -Werror
MBK_SRC := tests/mbkernel/head.S tests/mbkernel/report.c tests/mbkernel/kernel.ld
MBK_LD := ld -m elf_i386 -nostdlib -z noexecstack -z max-page-size=0x1000 --no-warn-rwx-segments \
	-T tests/mbkernel/kernel.ld
mbkernel: $(BUILD)/mbkernel/mbk.elf $(BUILD)/mbkernel/mbk64.elf $(BUILD)/mbkernel/mbk-aout.bin \
	$(BUILD)/mbkernel/mbk-text.elf

$(BUILD)/mbkernel/mbk.elf: $(MBK_SRC)
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(MBK_CFLAGS) -c -o $(@D)/head.o tests/mbkernel/head.S
	$(Q)gcc $(MBK_CFLAGS) -c -o $(@D)/report.o tests/mbkernel/report.c
	$(Q)$(MBK_LD) -o $@ $(@D)/head.o $(@D)/report.o
$(BUILD)/mbkernel/mbk64.elf: $(BUILD)/mbkernel/mbk.elf
	$(Q)objcopy -O elf64-x86-64 $< $@
$(BUILD)/mbkernel/mbk-aout.bin: $(MBK_SRC)
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(MBK_CFLAGS) -DAOUT_KLUDGE -c -o $(@D)/head-aout.o tests/mbkernel/head.S
	$(Q)gcc $(MBK_CFLAGS) -c -o $(@D)/report.o tests/mbkernel/report.c
	$(Q)$(MBK_LD) -o $(@D)/mbk-aout.elf $(@D)/head-aout.o $(@D)/report.o
	$(Q)objcopy -O binary $(@D)/mbk-aout.elf $@
$(BUILD)/mbkernel/mbk-text.elf: $(MBK_SRC)
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(MBK_CFLAGS) -DEGA_TEXT -c -o $(@D)/head-text.o tests/mbkernel/head.S
	$(Q)gcc $(MBK_CFLAGS) -c -o $(@D)/report.o tests/mbkernel/report.c
	$(Q)$(MBK_LD) -o $@ $(@D)/head-text.o $(@D)/report.o
