# The loader: stage 1 (boot/mbr.asm), stage 2 (stage2/, lib/, linker/), and
# build/disk.img = the smart-os disk with smartboot installed.
#
# Stage 2 is a stub and a payload (docs/packing.md).  Every build leaves
# build/stage2.elf (stub and payload at their run addresses, with symbols:
# for gdb), build/stage2.bin (the stub, then the payload packed by
# build/pack: the image the installer writes), build/stage2.lst (the
# listing of the ELF) and prints the sizes against their limits.  The
# limits are in stage2/layout.h; pack and the linker script enforce them.

CMDLINE       ?= root=/dev/sda1 console=tty0 console=ttyS0
# How stage 2 reads the disk when smartboot.cfg does not say (`disk` key):
# native (a DMA driver when one matches the BIOS drive) or bios (INT 13h).
DISK          ?= native
ifeq ($(DISK),bios)
DISK_FLAG     := -DSMARTBOOT_DISK=CFG_DISK_BIOS
else ifeq ($(DISK),native)
DISK_FLAG     := -DSMARTBOOT_DISK=CFG_DISK_NATIVE
else
$(error DISK must be native or bios, not '$(DISK)')
endif

# MAGIC=1: an `xchg bx, bx` at stage 1's entry, stage 2's main() and each
# hand-off, where Bochs's debugger stops (./run.sh --bochs --debug,
# docs/debugging.md).  A no-op on other machines; off by default.
MAGIC         ?= 0
ifeq ($(MAGIC),1)
MAGIC_FLAG    := -DMAGIC_BREAK
else ifneq ($(MAGIC),0)
$(error MAGIC must be 0 or 1, not '$(MAGIC)')
endif

# CHAIN=0 leaves chainloading out (stage2/proto/chain.c, smartboot.cfg's
# `chain` and grub.cfg's `chainloader`: refused by name then), MULTIBOOT=0
# Multiboot, which is in stage 2's extension (build/stage2.ext): neither is
# needed for room any more.
CHAIN         ?= 1
MULTIBOOT     ?= 1
PROTO_FLAGS   :=
ifeq ($(CHAIN),1)
PROTO_FLAGS   += -DSMARTBOOT_CHAIN
else ifneq ($(CHAIN),0)
$(error CHAIN must be 0 or 1, not '$(CHAIN)')
endif
ifeq ($(MULTIBOOT),0)
PROTO_FLAGS   += -DSMARTBOOT_NO_MULTIBOOT
else ifneq ($(MULTIBOOT),1)
$(error MULTIBOOT must be 0 or 1, not '$(MULTIBOOT)')
endif

# Sizes (docs/packing.md has the measurements): -Oz; -mrtd, the callee pops
# its arguments (a `ret N` instead of an `add esp` after every call); no
# IPA-SRA, no jump tables, no sibling calls (each makes more code here than it
# saves: a tail jump after -mrtd must first move the return address).  With
# -mrtd an asm routine that C calls and that returns must be declared
# __attribute__((cdecl)), like bios_int (bios/bios.h); varargs functions are
# cdecl anyway.
S2_CFLAGS := -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-builtin -mgeneral-regs-only -mpreferred-stack-boundary=2 \
	-Oz -mrtd -fno-ipa-sra -fno-jump-tables -fno-optimize-sibling-calls -g -std=gnu11 -Wall -Wextra -Werror -Ilib -Istage2 \
	-DSMARTBOOT_CMDLINE='"$(CMDLINE)"' $(MAGIC_FLAG) $(PROTO_FLAGS)
S2_ASFLAGS := -f elf32 -g -F dwarf -Istage2/ -I$(BUILD)/inc/ $(MAGIC_FLAG) $(PROTO_FLAGS)

# main.c holds the build-time choices, so it is compiled once per hand-off:
# build/stage2-entry16.* and build/stage2-entry32.* both exist, the tests use
# both, and build/stage2.* is the one ENTRY selects.
# The stub (entry.asm, and the C files linker/stage2.ld.S places by name)
# runs before the payload exists, so it may use nothing outside itself but
# main() and the linker script's symbols (__*): the link checks, and
# -fno-tree-loop-distribute-patterns keeps gcc from turning its copy loop
# into a call to the payload's memcpy.
S2_STUB_C   := stage2/entry/stub.c stage2/entry/unpack.c
S2_STUB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(S2_STUB_C))
# (stage2/fs/iso9660.c is linked into build/stage2-iso.bin only: mk/smartos-iso.mk.)
S2_C   := $(filter-out stage2/main.c stage2/fs/iso9660.c,$(wildcard stage2/*.c stage2/*/*.c)) $(wildcard lib/*.c)
ifeq ($(CHAIN),0)
S2_C   := $(filter-out stage2/proto/chain.c,$(S2_C))
endif
# Stage 2's extension (stage2/ext/ext.h, docs/extension.md): Multiboot, and
# the header of the file.  It is not in stage 2; stage 2 has ext.c, which
# reads it.  MULTIBOOT=0: neither.
EXT_C  := stage2/ext/header.c $(wildcard stage2/proto/multiboot*.c)
S2_C   := $(filter-out $(EXT_C),$(S2_C))
ifeq ($(MULTIBOOT),0)
S2_C   := $(filter-out stage2/ext/ext.c,$(S2_C))
endif
EXT_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(EXT_C))
S2_ASM := $(wildcard stage2/*/*.asm)
S2_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(S2_C)) $(patsubst %.asm,$(BUILD)/obj/%.o,$(S2_ASM))
S2_LDS := $(BUILD)/obj/stage2.ld
$(S2_STUB_OBJ): S2_CFLAGS += -fno-tree-loop-distribute-patterns

.PHONY: loader disk sizes doc-figures
ifeq ($(MULTIBOOT),1)
DISK_EXT   := $(BUILD)/stage2.ext
LOADER_EXT := $(DISK_EXT) $(BUILD)/stage2-entry16.ext
endif
loader: $(BUILD)/mbr.bin $(BUILD)/stage2.bin $(BUILD)/stage2-entry16.bin $(LOADER_EXT) sizes

.SECONDARY: $(S2_OBJ) $(EXT_OBJ)
.PRECIOUS: $(BUILD)/stage2-entry%.elf $(BUILD)/stage2-entry%.bin $(BUILD)/obj/main-entry%.o \
	$(BUILD)/obj/stage2-entry%.unpacked
# The numbers the asm shares with C, as nasm includes made from the C
# headers that define them (one definition of each fixed fact).
ASM_INC := $(BUILD)/inc/stage1.inc $(BUILD)/inc/layout.inc $(BUILD)/inc/stub.inc
$(BUILD)/inc/stage1.inc: boot/stage1.h scripts/h2inc
$(BUILD)/inc/layout.inc: stage2/layout.h scripts/h2inc
$(BUILD)/inc/stub.inc: stage2/entry/stub.h scripts/h2inc
$(ASM_INC):
	$(Q)mkdir -p $(dir $@)
	$(Q)scripts/h2inc $< > $@.tmp && mv $@.tmp $@

$(BUILD)/mbr.bin: boot/mbr.asm boot/print.inc $(ASM_INC) $(BUILD)/loader-options | $(BUILD)
	$(Q)nasm $(MAGIC_FLAG) -f bin -Iboot/ -I$(BUILD)/inc/ -l $(BUILD)/mbr.lst -o $@ $<

# Rebuild stage 2 when the build-time choices change.
$(BUILD)/loader-options: FORCE | $(BUILD)
	$(Q)echo 'ENTRY=$(ENTRY) CMDLINE=$(CMDLINE) DISK=$(DISK) MAGIC=$(MAGIC) CHAIN=$(CHAIN) MULTIBOOT=$(MULTIBOOT)' | cmp -s - $@ || \
		echo 'ENTRY=$(ENTRY) CMDLINE=$(CMDLINE) DISK=$(DISK) MAGIC=$(MAGIC) CHAIN=$(CHAIN) MULTIBOOT=$(MULTIBOOT)' > $@

# Every object is compiled again when the flags change (CHAIN=0 changes
# struct boot_entry: objects of two builds must never meet in one link).
# (Written when make reads this file: the flags hold quotes a shell line
# would have to escape.)
ifneq ($(strip $(file <$(BUILD)/s2-cflags)),$(strip $(S2_CFLAGS)))
$(shell mkdir -p $(BUILD))
$(file >$(BUILD)/s2-cflags,$(strip $(S2_CFLAGS)))
endif

$(BUILD)/obj/%.o: %.c $(BUILD)/s2-cflags
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc $(S2_CFLAGS) -MMD -c -o $@ $<

$(BUILD)/obj/main-entry%.o: stage2/main.c $(BUILD)/loader-options
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc $(S2_CFLAGS) -DSMARTBOOT_ENTRY=$* $(DISK_FLAG) -MMD -c -o $@ $<

$(BUILD)/obj/%.o: %.asm stage2/cpu/modeswitch.inc $(ASM_INC) $(BUILD)/loader-options
	$(Q)mkdir -p $(dir $@)
	$(Q)nasm $(S2_ASFLAGS) -o $@ $<

# The linker script, with stage2/layout.h's numbers put in.
$(S2_LDS): linker/stage2.ld.S stage2/layout.h
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc -E -P -undef -x c -Istage2 -MMD -MT $@ -o $@ $<

$(BUILD)/stage2-entry%.elf: $(S2_OBJ) $(BUILD)/obj/main-entry%.o $(S2_LDS)
	$(Q)ld -m elf_i386 -r -z noexecstack -o $(BUILD)/obj/stub-check-entry$*.r $(BUILD)/obj/stage2/entry/entry.o $(S2_STUB_OBJ)
	$(Q)undef=$$(nm -u $(BUILD)/obj/stub-check-entry$*.r | awk '$$2 != "main" && $$2 !~ /^__/ { print $$2 }'); \
		[ -z "$$undef" ] || { echo "stage 2's stub uses the payload's" $$undef >&2; exit 1; }
	$(Q)ld -m elf_i386 -nostdlib -z noexecstack --no-warn-rwx-segments -T $(S2_LDS) -Map $(BUILD)/stage2-entry$*.map -o $@ \
		$(S2_OBJ) $(BUILD)/obj/main-entry$*.o

# The image as linked (stub, then payload, unpacked); then packed.
$(BUILD)/obj/stage2-entry%.unpacked: $(BUILD)/stage2-entry%.elf
	$(Q)objcopy -O binary $< $@
$(BUILD)/stage2-entry%.bin: $(BUILD)/obj/stage2-entry%.unpacked $(BUILD)/pack
	$(Q)$(BUILD)/pack $< $@
	$(Q)objdump -d -S -M i386 $(BUILD)/stage2-entry$*.elf > $(BUILD)/stage2-entry$*.lst

# The packer: a host program, with the stub's decompressor linked in to
# check every image it writes.
$(BUILD)/pack: tools/pack.c stage2/entry/unpack.c stage2/entry/unpack.h stage2/entry/stub.h stage2/layout.h | $(BUILD)
	$(Q)gcc -O2 -Wall -Wextra -Werror -std=gnu11 -Istage2 -o $@ tools/pack.c stage2/entry/unpack.c -lm

# The extension of each stage 2: linked against its symbols (--just-symbols),
# then sealed with its payload's CRC (tools/seal-ext.c).
EXT_LDS := $(BUILD)/obj/ext.ld
.PRECIOUS: $(BUILD)/stage2-entry%.ext $(BUILD)/stage2-entry%.ext.elf
$(EXT_LDS): linker/ext.ld.S stage2/layout.h
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc -E -P -undef -x c -Istage2 -MMD -MT $@ -o $@ $<
$(BUILD)/stage2-entry%.ext.elf: $(EXT_OBJ) $(BUILD)/stage2-entry%.elf $(EXT_LDS)
	$(Q)ld -m elf_i386 -nostdlib -z noexecstack --no-warn-rwx-segments -T $(EXT_LDS) \
		--just-symbols=$(BUILD)/stage2-entry$*.elf -Map $(BUILD)/stage2-entry$*.ext.map -o $@ $(EXT_OBJ)
$(BUILD)/stage2-entry%.ext: $(BUILD)/stage2-entry%.ext.elf $(BUILD)/stage2-entry%.bin $(BUILD)/seal-ext
	$(Q)objcopy -O binary $< $@.raw
	$(Q)$(BUILD)/seal-ext $(BUILD)/stage2-entry$*.bin $@.raw $@
	$(Q)rm -f $@.raw
$(BUILD)/seal-ext: tools/seal-ext.c stage2/entry/unpack.c stage2/entry/unpack.h stage2/entry/stub.h \
		stage2/ext/ext.h stage2/layout.h | $(BUILD)
	$(Q)gcc -O2 -Wall -Wextra -Werror -std=gnu11 -Istage2 -o $@ tools/seal-ext.c stage2/entry/unpack.c
$(BUILD)/stage2.ext: $(BUILD)/stage2-entry$(ENTRY).ext $(BUILD)/stage2.bin
	$(Q)cp $< $@
	$(Q)cp $(BUILD)/stage2-entry$(ENTRY).ext.elf $(BUILD)/stage2.ext.elf

$(BUILD)/stage2.elf: $(BUILD)/stage2-entry$(ENTRY).elf $(BUILD)/loader-options
	$(Q)cp $< $@
$(BUILD)/stage2.bin: $(BUILD)/stage2-entry$(ENTRY).bin $(BUILD)/stage2.elf
	$(Q)cp $< $@
	$(Q)cp $(BUILD)/stage2-entry$(ENTRY).lst $(BUILD)/stage2.lst

# The menu of build/disk.img: CONFIG is written as its /boot/smartboot.cfg
# (default boot/smartboot.cfg: a 3-second countdown and smart-os's
# entries); `make CONFIG=` writes none, and the built-in entry boots at
# once.  Only build/disk.img has it: the tests install smartboot on copies
# of build/smartos.img, which has no smartboot.cfg, so they boot at once.
CONFIG ?= boot/smartboot.cfg
$(BUILD)/config-options: FORCE | $(BUILD)
	$(Q)echo 'CONFIG=$(CONFIG)' | cmp -s - $@ || echo 'CONFIG=$(CONFIG)' > $@

# The smart-os disk (mk/smartos.mk) with smartboot installed on a copy, the
# menu, and stage 2's extension as /boot/smartboot.ext.
disk: $(BUILD)/disk.img
$(BUILD)/disk.img: $(BUILD)/smartos.img $(BUILD)/mbr.bin $(BUILD)/stage2.bin $(BUILD)/smartboot-install \
		$(BUILD)/config-options $(CONFIG) scripts/put-config.sh $(DISK_EXT)
	$(Q)rm -f $@.tmp $@.tmp.backup
	$(Q)cp --sparse=always $(BUILD)/smartos.img $@.tmp
	$(Q)$(BUILD)/smartboot-install --stage1 $(BUILD)/mbr.bin --stage2 $(BUILD)/stage2.bin \
		--backup $@.tmp.backup $@.tmp
	$(Q)rm -f $@.tmp.backup
	$(Q)scripts/put-config.sh $@.tmp $(CONFIG)
	$(Q)scripts/put-config.sh --as /boot/smartboot.ext $@.tmp $(DISK_EXT)
	$(Q)mv $@.tmp $@
	$(Q)scripts/sizes.sh $(BUILD)

sizes: $(BUILD)/mbr.bin $(BUILD)/stage2.bin
	@scripts/sizes.sh $(BUILD)

# The docs quote some of these figures (the installer's messages, the
# packing ratio, listing lines): rewrite the quotes from this build.
# tests/t-41-docs.sh fails when they differ.
doc-figures: $(BUILD)/mbr.bin $(BUILD)/stage2-entry32.bin
	scripts/doc-figures.py --update $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
