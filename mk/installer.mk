# The installer: a host program that puts stage 1 and stage 2 on a disk image
# or a block device (tools/, docs/installer.md).  build/smartboot-install
# finds build/mbr.bin and build/stage2.bin beside itself.

INSTALLER_SRC := $(filter-out tools/pack.c,$(wildcard tools/*.c))   # pack.c: mk/loader.mk
INSTALLER_HDR := $(wildcard tools/*.h)

.PHONY: installer
installer: $(BUILD)/smartboot-install

$(BUILD)/smartboot-install: $(INSTALLER_SRC) $(INSTALLER_HDR) mk/installer.mk | $(BUILD)
	$(Q)gcc -O2 -Wall -Wextra -Werror -std=gnu11 -o $@ $(INSTALLER_SRC)
