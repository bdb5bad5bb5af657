# smartboot: a small BIOS bootloader for the smart-os disk.
#
#   make            build everything: kernel, rootfs, initrd, loader, build/disk.img
#   make run        the same, then boot it in QEMU (./run.sh)
#   make test       build, then run every test; ends with "N passed, N failed"
#   make deps       install the Debian packages the build needs (also done on demand)
#   make debug      boot paused under QEMU's gdb stub and attach gdb (debug.gdb)
#   make clean      remove build/ except the kernel tree cache
#
# Variables: FS=ext2|ext3|ext4 (the root filesystem, default ext2), WITH_GCC=1
# (put gcc in smart-os), ENTRY=32|16 (the kernel hand-off), CONFIG=FILE (the
# smartboot.cfg on build/disk.img; default boot/smartboot.cfg, empty: none),
# V=1 (show commands).
#
# Each concern has its own fragment in mk/: kernel.mk, smartos.mk (rootfs,
# initrd, disk), loader.mk (stage 1, stage 2, build/disk.img), installer.mk,
# debug.mk (make debug), fuzz.mk (the filesystem reader on the host and its
# fuzzer), fuzz-parsers.mk (the other parsers' fuzzers), bench.mk (make bench).

BUILD   := build
FS      ?= ext2
ENTRY   ?= 32
export FS ENTRY WITH_GCC

ifeq ($(V),1)
Q :=
else
Q := @
endif

.DEFAULT_GOAL := all
# No built-in rules: they would try to "link" our .d dependency files.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:
.PHONY: all run test deps debug clean distclean lab-check FORCE

all: deps-check disk loader

# Install missing Debian packages before anything else; a clear message, not
# a cryptic "command not found" from the middle of a build.
deps-check:
	$(Q)scripts/deps.sh --check 2>/dev/null || scripts/deps.sh
deps:
	scripts/deps.sh

$(BUILD):
	$(Q)mkdir -p $@

include $(sort $(wildcard mk/*.mk))

run: all
	./run.sh

test: all
	tests/run.sh

# The lab kit (labs/README.md): make lab-check LAB=N [DIR=the student's work]
lab-check: all
	@test -n "$(LAB)" || { echo "make lab-check LAB=N (1-6; labs/README.md)"; exit 2; }
	labs/check.sh $(LAB) $(DIR)

clean:
	find $(BUILD) -mindepth 1 -maxdepth 1 ! -name 'kernel*' ! -name 'linux-source-*' -exec rm -rf {} +

distclean:
	rm -rf $(BUILD)
