# Debugging with gdb (debug.gdb, gdb/, docs/debugging.md).
#
#   make debug    build, start QEMU paused with its gdb stub and gdb with
#                 debug.gdb, in this terminal (./run.sh --debug --gdb); the
#                 guest's serial console goes to build/debug-serial.log
#   make docs-img the pictures in docs/img: the Graphviz ones from their .dot
#                 sources, the boot menu's screenshot from QEMU
#                 (scripts/screenshot-menu.py); commit them with the sources
#
# Two files gdb needs besides build/stage2.elf, built with everything else:
#
#   build/mbr.elf        stage 1 as an ELF with symbols and line numbers.  The
#                        same source, assembled for the ELF format and linked
#                        at 0x7C00; the build checks that its bytes are those
#                        of build/mbr.bin.  nasm refuses `org` outside the bin
#                        format, so --before turns it into a no-op.
#   build/stage2-gdb.elf build/stage2.elf without .debug_aranges.  nasm 2.16
#                        describes an asm file that spans two sections (entry.asm:
#                        .text16 at 0x8008, .text at pm_entry) with one address
#                        range that misses the second, and gdb then warns "pc in
#                        address map, but not in symtab" on every backtrace
#                        through pm_entry.  Without the table gdb finds each
#                        file's code from its own records, which are right.

.PHONY: debug docs-img
all: $(BUILD)/mbr.elf $(BUILD)/stage2-gdb.elf

debug: all
	./run.sh --debug --gdb

docs-img: all
	$(Q)for f in docs/img/*.dot; do dot -Tsvg "$$f" -o "$${f%.dot}.svg" || exit 1; done
	$(Q)scripts/screenshot-menu.py docs/img/boot-menu.png

$(BUILD)/mbr.elf: boot/mbr.asm boot/print.inc $(BUILD)/mbr.bin mk/debug.mk | $(BUILD)
	$(Q)mkdir -p $(BUILD)/obj/boot
	$(Q)nasm $(MAGIC_FLAG) -f elf32 -g -F dwarf -Iboot/ -I$(BUILD)/inc/ --before '%define org times 0 db' -o $(BUILD)/obj/boot/mbr.o $<
	$(Q)ld -m elf_i386 -Ttext=0x7c00 -e 0x7c00 -o $@.tmp $(BUILD)/obj/boot/mbr.o
	$(Q)objcopy -O binary $@.tmp $(BUILD)/obj/boot/mbr-elf.bin
	$(Q)cmp -s $(BUILD)/obj/boot/mbr-elf.bin $(BUILD)/mbr.bin || \
		{ echo "mk/debug.mk: build/mbr.elf differs from build/mbr.bin: its symbols would lie" >&2; rm -f $@.tmp; exit 1; }
	$(Q)mv $@.tmp $@

$(BUILD)/%-gdb.elf: $(BUILD)/%.elf mk/debug.mk
	$(Q)objcopy --remove-section .debug_aranges $< $@
