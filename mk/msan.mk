# The host tests and the fuzz targets again, under MemorySanitizer (clang
# -fsanitize=memory): the reads of uninitialised memory ASan and UBSan
# cannot see (an uninitialised error code, a cache slot never filled).
# MSan needs every byte that reaches the program initialised by
# instrumented code or by a libc call it intercepts; the reader and its
# drivers use nothing else (tests/t-26-msan.sh proves it on every run).
# Debian 12's clang 14 links libFuzzer with MSan (-fsanitize=fuzzer,memory).
#
#   make msan-build          build/host/msan/: ext2_test, fsread and the four
#                            fuzz targets (fuzz-ext2, fuzz-smartboot-cfg,
#                            fuzz-grub-cfg, fuzz-bzimage)
#   make fuzz-msan           each fuzz target under MSan for FUZZ_MSAN_TIME
#                            seconds (default 600) from its seeds or committed
#                            corpus; new inputs and crash-* files in
#                            build/fuzz-msan/TARGET/
#
# The ASan/UBSan builds of the same programs: mk/fuzz.mk, mk/fuzz-parsers.mk,
# tests/fs-lib.sh.  MSAN_OPTIONS=halt_on_error=1:exitcode=86 makes a report
# exit 86, which the tests look for.

MSAN := $(BUILD)/host/msan
MSAN_FLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror \
	-fsanitize=memory -fsanitize-memory-track-origins -Ilib -Istage2
FUZZ_MSAN_TIME ?= 600
MSAN_FUZZ_TARGETS := fuzz-ext2 fuzz-smartboot-cfg fuzz-grub-cfg fuzz-bzimage

.PHONY: msan-build fuzz-msan
msan-build: $(MSAN)/ext2_test $(MSAN)/fsread $(addprefix $(MSAN)/,$(MSAN_FUZZ_TARGETS))

$(MSAN)/ext2_test: tests/host/ext2_test.c $(FS_HOST_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(MSAN_FLAGS) -o $@ tests/host/ext2_test.c $(FS_HOST_SRC)
$(MSAN)/fsread: tests/host/fsread.c $(FS_HOST_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(MSAN_FLAGS) -Wl,--wrap=crc32c -o $@ tests/host/fsread.c $(FS_HOST_SRC)
$(MSAN)/fuzz-ext2: tests/host/fuzz_ext2.c $(FS_HOST_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(MSAN_FLAGS) -fsanitize=fuzzer -o $@ tests/host/fuzz_ext2.c $(FS_HOST_SRC)
$(MSAN)/fuzz-smartboot-cfg: tests/host/fuzz_config.c $(CONFIG_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(MSAN_FLAGS) -fsanitize=fuzzer -fno-builtin -DSMARTBOOT_CHAIN -o $@ tests/host/fuzz_config.c $(CONFIG_SRC)
$(MSAN)/fuzz-grub-cfg: tests/host/fuzz_config.c $(CONFIG_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(MSAN_FLAGS) -fsanitize=fuzzer -fno-builtin -DFUZZ_GRUB -DSMARTBOOT_CHAIN -o $@ tests/host/fuzz_config.c $(CONFIG_SRC)
$(MSAN)/fuzz-bzimage: tests/host/fuzz_bzimage.c $(PLANNER_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(MSAN_FLAGS) -fsanitize=fuzzer -fno-builtin -o $@ tests/host/fuzz_bzimage.c $(PLANNER_SRC)

# Limits as in mk/fuzz.mk and mk/fuzz-parsers.mk; one job each (MSan with
# origins runs at about a third of ASan's speed: docs/errors.md has figures).
fuzz-msan: msan-build $(BUILD)/fuzz/seeds.done
	$(Q)for t in $(MSAN_FUZZ_TARGETS); do \
		if [ $$t = fuzz-ext2 ]; then seeds=$(CURDIR)/$(BUILD)/fuzz/seeds; len=131072; \
		else seeds=$(CURDIR)/tests/fuzz/$$t; len=16384; fi; \
		mkdir -p $(BUILD)/fuzz-msan/$$t/new && cd $(BUILD)/fuzz-msan/$$t && \
		echo "fuzz-msan: $$t for $(FUZZ_MSAN_TIME) s" && \
		MSAN_OPTIONS=halt_on_error=1:exitcode=86 ../../host/msan/$$t \
			-max_total_time=$(FUZZ_MSAN_TIME) -max_len=$$len -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 new $$seeds > fuzz.log 2>&1; rc=$$?; \
		grep -E '^(stat::|Done|SUMMARY|==)' fuzz.log; \
		[ $$rc -eq 0 ] || { echo "fuzz-msan: $$t failed (exit $$rc): build/fuzz-msan/$$t/fuzz.log"; exit 1; }; \
		cd $(CURDIR); \
	done
