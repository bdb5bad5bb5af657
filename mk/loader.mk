# The loader: stage 1 (boot/mbr.asm), stage 2 (stage2/, lib/, linker/), and
# build/disk.img = the smart-os disk with smartboot installed.
#
# Every build leaves build/stage2.elf (symbols, for gdb), build/stage2.bin
# (the flat image the installer writes), build/stage2.lst (the listing) and
# prints both stages' sizes against their budgets.

STAGE2_BUDGET := 31744
CMDLINE       ?= root=/dev/sda1 console=tty0 console=ttyS0

S2_CFLAGS := -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-builtin -mgeneral-regs-only -mpreferred-stack-boundary=2 \
	-Os -g -std=gnu11 -Wall -Wextra -Werror -Ilib -Istage2 \
	-DSMARTBOOT_CMDLINE='"$(CMDLINE)"'
S2_ASFLAGS := -f elf32 -g -F dwarf -Istage2/

# main.c holds the build-time choices, so it is compiled once per hand-off:
# build/stage2-entry16.* and build/stage2-entry32.* both exist, the tests use
# both, and build/stage2.* is the one ENTRY selects.
S2_C   := $(filter-out stage2/main.c,$(wildcard stage2/*.c)) $(wildcard lib/*.c)
S2_ASM := $(wildcard stage2/*.asm)
S2_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(S2_C)) $(patsubst %.asm,$(BUILD)/obj/%.o,$(S2_ASM))

.PHONY: loader disk sizes
loader: $(BUILD)/mbr.bin $(BUILD)/stage2.bin $(BUILD)/stage2-entry16.bin sizes

.SECONDARY: $(S2_OBJ)
.PRECIOUS: $(BUILD)/stage2-entry%.elf $(BUILD)/stage2-entry%.bin $(BUILD)/obj/main-entry%.o
$(BUILD)/mbr.bin: boot/mbr.asm | $(BUILD)
	$(Q)nasm -f bin -l $(BUILD)/mbr.lst -o $@ $<

# Rebuild stage 2 when the build-time choices change.
$(BUILD)/loader-options: FORCE | $(BUILD)
	$(Q)echo 'ENTRY=$(ENTRY) CMDLINE=$(CMDLINE)' | cmp -s - $@ || echo 'ENTRY=$(ENTRY) CMDLINE=$(CMDLINE)' > $@

$(BUILD)/obj/%.o: %.c
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc $(S2_CFLAGS) -MMD -c -o $@ $<

$(BUILD)/obj/main-entry%.o: stage2/main.c $(BUILD)/loader-options
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc $(S2_CFLAGS) -DSMARTBOOT_ENTRY=$* -MMD -c -o $@ $<

$(BUILD)/obj/%.o: %.asm stage2/modeswitch.inc
	$(Q)mkdir -p $(dir $@)
	$(Q)nasm $(S2_ASFLAGS) -o $@ $<

$(BUILD)/stage2-entry%.elf: $(S2_OBJ) $(BUILD)/obj/main-entry%.o linker/stage2.ld
	$(Q)ld -m elf_i386 -nostdlib -z noexecstack --no-warn-rwx-segments -T linker/stage2.ld -Map $(BUILD)/stage2-entry$*.map -o $@ \
		$(S2_OBJ) $(BUILD)/obj/main-entry$*.o

$(BUILD)/stage2-entry%.bin: $(BUILD)/stage2-entry%.elf
	$(Q)objcopy -O binary $< $@
	$(Q)objdump -d -S -M i386 $< > $(BUILD)/stage2-entry$*.lst

$(BUILD)/stage2.elf: $(BUILD)/stage2-entry$(ENTRY).elf $(BUILD)/loader-options
	$(Q)cp $< $@
$(BUILD)/stage2.bin: $(BUILD)/stage2-entry$(ENTRY).bin $(BUILD)/stage2.elf
	$(Q)cp $< $@
	$(Q)cp $(BUILD)/stage2-entry$(ENTRY).lst $(BUILD)/stage2.lst

# The smart-os disk (mk/smartos.mk) with smartboot installed on a copy.
disk: $(BUILD)/disk.img
$(BUILD)/disk.img: $(BUILD)/smartos.img $(BUILD)/mbr.bin $(BUILD)/stage2.bin $(BUILD)/smartboot-install
	$(Q)rm -f $@.tmp $@.tmp.backup
	$(Q)cp --sparse=always $(BUILD)/smartos.img $@.tmp
	$(Q)$(BUILD)/smartboot-install --stage1 $(BUILD)/mbr.bin --stage2 $(BUILD)/stage2.bin \
		--backup $@.tmp.backup $@.tmp
	$(Q)rm -f $@.tmp.backup
	$(Q)mv $@.tmp $@
	$(Q)scripts/sizes.sh $(BUILD)

sizes: $(BUILD)/mbr.bin $(BUILD)/stage2.bin
	@scripts/sizes.sh $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
