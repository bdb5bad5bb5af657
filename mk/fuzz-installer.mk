# The installer's whole-disk filesystem recognition (tools/fsdetect.c) under
# libFuzzer with ASan and UBSan (tests/host/fuzz_fsdetect.c): it reads the
# first 68 KiB of any disk it is pointed at, so it must survive any bytes.
#   make fuzz-fsdetect        FUZZ_FSDETECT_TIME seconds (default 300) from
#                             the seeds tests/t-05-installer.sh makes with
#                             the real mkfs tools, or from nothing
# tests/t-05-installer.sh runs it for FUZZ_FSDETECT_SMOKE seconds (10).

FUZZ_FSDETECT_TIME ?= 300

.PHONY: fuzz-fsdetect fuzz-fsdetect-build
fuzz: fuzz-fsdetect
fuzz-fsdetect-build: $(BUILD)/host/fuzz-fsdetect

$(BUILD)/host/fuzz-fsdetect: tests/host/fuzz_fsdetect.c tools/fsdetect.c tools/fsdetect.h mk/fuzz-installer.mk
	$(Q)mkdir -p $(@D)
	$(Q)clang $(HOST_CFLAGS) -fsanitize=fuzzer -Itools -o $@ tests/host/fuzz_fsdetect.c tools/fsdetect.c

# -max_len: fsdetect looks at FSDETECT_BYTES (69,632) at most.
fuzz-fsdetect: fuzz-fsdetect-build
	$(Q)mkdir -p $(BUILD)/fuzz-fsdetect/corpus && cd $(BUILD)/fuzz-fsdetect && \
		../host/fuzz-fsdetect -max_total_time=$(FUZZ_FSDETECT_TIME) -max_len=69632 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 corpus > fuzz.log 2>&1; rc=$$?; \
		grep -E '^(stat::|Done|SUMMARY|==)' fuzz.log; \
		[ $$rc -eq 0 ] || { echo "fuzz-fsdetect failed: build/fuzz-fsdetect/fuzz.log"; exit 1; }
