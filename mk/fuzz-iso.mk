# The ISO 9660 reader (stage2/fs/iso9660.c) as a libFuzzer target with ASan
# and UBSan (tests/host/fuzz_iso9660.c), from the committed seeds in
# tests/fuzz/fuzz-iso9660/ (small xorriso images: scripts/fuzz-iso-seeds.sh).
#
#   make fuzz-iso9660           FUZZ_ISO_TIME seconds (default 300); the corpus
#                               grows in build/fuzz-iso9660/corpus, crashes land
#                               there as crash-*
#   make fuzz                   runs it too
# make test runs it for a few seconds (tests/t-27-fuzz-iso.sh).
FUZZ_ISO_TIME ?= 300

.PHONY: fuzz-iso9660 fuzz-iso9660-build
host-tests: $(BUILD)/host/iso_test
ISO_HOST_DEP := stage2/fs/iso9660.c tests/host/capture.h tests/host/memdev.h stage2/fs/iso9660.h stage2/fs/fs.h stage2/blockdev.h lib/klib.h

# The host test's program (tests/t-25-iso-host.sh), as mk/host.mk builds the others.
$(BUILD)/host/iso_test: tests/host/iso_test.c $(ISO_HOST_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(HOST_CFLAGS) -o $@ $< stage2/fs/iso9660.c
fuzz: fuzz-iso9660
fuzz-iso9660-build: $(BUILD)/host/fuzz-iso9660

$(BUILD)/host/fuzz-iso9660: tests/host/fuzz_iso9660.c $(ISO_HOST_DEP) mk/fuzz-iso.mk
	$(Q)mkdir -p $(@D)
	$(Q)clang $(HOST_CFLAGS) -fsanitize=fuzzer -o $@ tests/host/fuzz_iso9660.c stage2/fs/iso9660.c

# -max_len: the seeds are at most 128 KiB.
fuzz-iso9660: fuzz-iso9660-build
	$(Q)mkdir -p $(BUILD)/fuzz-iso9660/corpus && cd $(BUILD)/fuzz-iso9660 && \
		../host/fuzz-iso9660 -max_total_time=$(FUZZ_ISO_TIME) -max_len=131072 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 corpus $(CURDIR)/tests/fuzz/fuzz-iso9660 \
		> fuzz.log 2>&1; rc=$$?; grep -E '^(stat::|Done|SUMMARY|==)' fuzz.log; \
		[ $$rc -eq 0 ] || { echo "fuzz-iso9660 failed: build/fuzz-iso9660/fuzz.log"; exit 1; }
