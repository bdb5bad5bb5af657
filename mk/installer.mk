# The installer: a host program that puts stage 1 and stage 2 on a disk image
# or a block device (tools/, docs/installer.md).  build/smartboot-install
# finds build/mbr.bin and build/stage2.bin beside itself; an installed one
# (make install, below) in ../lib/smartboot.

INSTALLER_SRC := $(filter-out tools/pack.c tools/seal-ext.c,$(wildcard tools/*.c))   # those two: mk/loader.mk
INSTALLER_HDR := $(wildcard tools/*.h) boot/stage1.h stage2/layout.h stage2/entry/stub.h
# The partition table reader is stage 2's own (stage2/part/): one parser.
PART_SRC := $(wildcard stage2/part/*.c)
PART_HDR := $(wildcard stage2/part/*.h) stage2/blockdev.h lib/klib.h

.PHONY: installer
installer: $(BUILD)/smartboot-install

$(BUILD)/smartboot-install: $(INSTALLER_SRC) $(INSTALLER_HDR) $(PART_SRC) $(PART_HDR) mk/installer.mk | $(BUILD)
	$(Q)gcc -O2 -Wall -Wextra -Werror -std=gnu11 -Ilib -Iboot -Istage2 -o $@ $(INSTALLER_SRC) $(PART_SRC)

# --- Installing the installer as a system tool --------------------------------------
#   make install [PREFIX=/usr/local] [DESTDIR=/tmp/stage]
#   make uninstall (the same PREFIX and DESTDIR)
# The program goes to PREFIX/sbin, the stages it writes to PREFIX/lib/smartboot
# (where it looks for them: ../lib/smartboot from its own directory) with
# stage 2's extension (which the user copies to /boot/smartboot.ext:
# docs/extension.md), its manual page to PREFIX/share/man/man8 (man
# smartboot-install).  Nothing
# else of smartboot is installed: the loader lives on the disks.
PREFIX  ?= /usr/local
DESTDIR ?=
SBINDIR := $(PREFIX)/sbin
STAGEDIR := $(PREFIX)/lib/smartboot
MAN8DIR := $(PREFIX)/share/man/man8
INSTALLED := $(DESTDIR)$(SBINDIR)/smartboot-install $(DESTDIR)$(STAGEDIR)/mbr.bin \
	$(DESTDIR)$(STAGEDIR)/stage2.bin $(DESTDIR)$(STAGEDIR)/stage2.ext $(DESTDIR)$(MAN8DIR)/smartboot-install.8

.PHONY: install uninstall
install: $(BUILD)/smartboot-install $(BUILD)/mbr.bin $(BUILD)/stage2.bin $(BUILD)/stage2.ext tools/smartboot-install.8
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(STAGEDIR) $(DESTDIR)$(MAN8DIR)
	install -m 0755 $(BUILD)/smartboot-install $(DESTDIR)$(SBINDIR)/smartboot-install
	install -m 0644 $(BUILD)/mbr.bin $(BUILD)/stage2.bin $(BUILD)/stage2.ext $(DESTDIR)$(STAGEDIR)/
	install -m 0644 tools/smartboot-install.8 $(DESTDIR)$(MAN8DIR)/smartboot-install.8

uninstall:
	rm -f $(INSTALLED)
	-rmdir $(DESTDIR)$(STAGEDIR) 2>/dev/null
