# The host tests' programs (tests/host/, docs/testing.md): stage 2's
# host-testable sources built for this machine with the address and
# undefined-behaviour sanitizers, one rule each, so that the test scripts
# (tests/t-1*-*.sh) run what make built instead of compiling it themselves.
#
#   make host-tests   build/host/ext2_test, fsread, planner_test, config_test,
#                     unpack_test, pack-san (tools/pack.c, sanitized) and
#                     part_test (its rule: mk/part.mk), multiboot_test
#   make test-the-tests  plant each defect the tests must catch in a scratch
#                     copy of the tree and check that its test fails
#                     (scripts/test-the-tests.sh; about 10 minutes)
#
# HOST_CFLAGS is also what the fuzz targets build with (mk/fuzz.mk,
# mk/fuzz-parsers.mk, mk/fuzz-installer.mk: they add -fsanitize=fuzzer and
# use clang) and mk/part.mk's part_test.  The
# sources come from those fragments: FS_HOST_SRC (the ext2/3/4 reader),
# CONFIG_SRC, PLANNER_SRC.  tests/lib.sh sets the sanitizers' options when
# the programs run (stop at the first report, exit 86).

HOST_CFLAGS = -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all -Ilib -Istage2 -Itests/host
HOST_TESTS := ext2_test fsread planner_test config_test unpack_test pack-san part_test multiboot_test \
	e820_test edd_test

.PHONY: host-tests test-the-tests
# Built before the tests start: tests/run.sh runs two at a time, and two
# tests asking make for the same program at once would race.
test: host-tests
host-tests: $(addprefix $(BUILD)/host/,$(HOST_TESTS))
test-the-tests: all
	scripts/test-the-tests.sh

$(BUILD)/host/ext2_test: tests/host/ext2_test.c $(FS_HOST_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(HOST_CFLAGS) -o $@ $< $(FS_HOST_SRC)
# The same at -O2 without sanitizers, as stage 2 is optimised: a hang that
# the sanitizers' -O1 hides shows here (tests/t-17-ext2-crafted.sh).
$(BUILD)/host/ext2_test-o2: tests/host/ext2_test.c $(FS_HOST_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)gcc -std=gnu11 -O2 -Wall -Wextra -Werror -Ilib -Istage2 -Itests/host -o $@ $< $(FS_HOST_SRC)
$(BUILD)/host/planner_test: tests/host/planner_test.c tests/host/check.h $(PLANNER_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(HOST_CFLAGS) -o $@ $< $(PLANNER_SRC)
# -fno-builtin: the parsers' klib calls are the host's libc here, but gcc
# must not turn them into its own inline versions the sanitizers cannot see.
$(BUILD)/host/config_test: tests/host/config_test.c tests/host/check.h $(CONFIG_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(HOST_CFLAGS) -fno-builtin -DSMARTBOOT_CHAIN -o $@ $< $(CONFIG_SRC)
$(BUILD)/host/multiboot_test: tests/host/multiboot_test.c tests/host/check.h stage2/proto/multiboot.c \
		stage2/proto/multiboot.h lib/klib.h
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(HOST_CFLAGS) -o $@ $< stage2/proto/multiboot.c
# The E820 walk and the INT 13h read loop against simulated BIOSes
# (tests/t-17-e820-host.sh, tests/t-19-disk-host.sh).
$(BUILD)/host/e820_test: tests/host/e820_test.c stage2/bios/e820.c stage2/bios/e820.h lib/klib.h
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(HOST_CFLAGS) -o $@ $< stage2/bios/e820.c
$(BUILD)/host/edd_test: tests/host/edd_test.c stage2/bios/edd.c stage2/bios/edd.h lib/klib.h
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(HOST_CFLAGS) -o $@ $< stage2/bios/edd.c
UNPACK_DEP := stage2/entry/unpack.c stage2/entry/unpack.h stage2/entry/stub.h stage2/layout.h
$(BUILD)/host/unpack_test: tests/host/unpack_test.c tests/host/check.h $(UNPACK_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(HOST_CFLAGS) -o $@ $< stage2/entry/unpack.c
# The packer as mk/loader.mk builds it, but sanitized (tests/t-15-pack-host.sh).
$(BUILD)/host/pack-san: tools/pack.c $(UNPACK_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(HOST_CFLAGS) -o $@ tools/pack.c stage2/entry/unpack.c -lm
