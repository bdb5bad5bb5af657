# Fuzzing the parsers of untrusted input other than the filesystem (that one
# is mk/fuzz.mk): the smartboot.cfg and grub.cfg parsers, the bzImage
# header checks / placement planner, the Multiboot planner, the partition
# tables (MBR, EBR, GPT; its rule is in mk/part.mk) and the E820 loop
# against a simulated BIOS, as libFuzzer targets built from the same sources
# as stage 2 with clang, ASan and UBSan (tests/host/fuzz_*.c).
#
#   make fuzz-parsers                  each target for FUZZ_PARSERS_TIME seconds
#                                      (default 600), new inputs kept in
#                                      build/fuzz-parsers/TARGET/; crashes land
#                                      there as crash-*
#   make fuzz                          runs these too (mk/fuzz.mk's target)
#   make fuzz-parsers-corpus           merge what the runs found into the
#                                      committed corpus (tests/fuzz/TARGET/,
#                                      minimised), to commit
#
# make test runs each target for a few seconds from the committed corpus
# (tests/t-67-fuzz-parsers.sh).

FUZZ_PARSERS_TIME ?= 600
FUZZ_PARSER_TARGETS := fuzz-smartboot-cfg fuzz-grub-cfg fuzz-bzimage fuzz-multiboot fuzz-part fuzz-e820
# HOST_CFLAGS: mk/host.mk (read after this fragment, hence `=`).
FUZZ_PARSER_FLAGS = $(HOST_CFLAGS) -fsanitize=fuzzer -fno-builtin
CONFIG_SRC := stage2/config/config.c stage2/config/grubcfg.c
CONFIG_DEP := $(CONFIG_SRC) stage2/config/config.h lib/klib.h
PLANNER_SRC := stage2/proto/bzimage.c stage2/bios/e820.c
PLANNER_DEP := $(PLANNER_SRC) stage2/proto/bzimage.h stage2/proto/bootparam.h stage2/bios/e820.h stage2/layout.h lib/klib.h
MULTIBOOT_DEP := stage2/proto/multiboot.c stage2/proto/multiboot.h stage2/bios/e820.h lib/klib.h

.PHONY: fuzz-parsers fuzz-parsers-build fuzz-parsers-corpus
fuzz: fuzz-parsers
fuzz-parsers-build: $(addprefix $(BUILD)/host/,$(FUZZ_PARSER_TARGETS))

$(BUILD)/host/fuzz-smartboot-cfg: tests/host/fuzz_config.c $(CONFIG_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(FUZZ_PARSER_FLAGS) -DSMARTBOOT_CHAIN -o $@ tests/host/fuzz_config.c $(CONFIG_SRC)
$(BUILD)/host/fuzz-grub-cfg: tests/host/fuzz_config.c $(CONFIG_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(FUZZ_PARSER_FLAGS) -DFUZZ_GRUB -DSMARTBOOT_CHAIN -o $@ tests/host/fuzz_config.c $(CONFIG_SRC)
$(BUILD)/host/fuzz-bzimage: tests/host/fuzz_bzimage.c $(PLANNER_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(FUZZ_PARSER_FLAGS) -o $@ tests/host/fuzz_bzimage.c $(PLANNER_SRC)
$(BUILD)/host/fuzz-multiboot: tests/host/fuzz_multiboot.c $(MULTIBOOT_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(FUZZ_PARSER_FLAGS) -o $@ tests/host/fuzz_multiboot.c stage2/proto/multiboot.c
$(BUILD)/host/fuzz-e820: tests/host/fuzz_e820.c stage2/bios/e820.c stage2/bios/e820.h lib/klib.h
	$(Q)mkdir -p $(@D)
	$(Q)clang $(FUZZ_PARSER_FLAGS) -o $@ tests/host/fuzz_e820.c stage2/bios/e820.c

# -max_len: a configuration file is read up to 64 KiB, but 16 KiB of it is
# enough to reach every state; the planner's input is 1 KiB of header, a
# map of up to 128 entries and a command line; the E820 BIOS's answers,
# 30 bytes each (16 KiB: 546 of them).  -timeout: a run takes
# microseconds, so 10 s is a hang.
fuzz-parsers: fuzz-parsers-build
	$(Q)for t in $(FUZZ_PARSER_TARGETS); do \
		mkdir -p $(BUILD)/fuzz-parsers/$$t/new && cd $(BUILD)/fuzz-parsers/$$t && \
		echo "fuzz-parsers: $$t for $(FUZZ_PARSERS_TIME) s" && \
		../../host/$$t -max_total_time=$(FUZZ_PARSERS_TIME) -max_len=16384 -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 new $(CURDIR)/tests/fuzz/$$t \
			> fuzz.log 2>&1; rc=$$?; grep -E '^(stat::|Done|SUMMARY|==)' fuzz.log; \
		[ $$rc -eq 0 ] || { echo "fuzz-parsers: $$t failed: build/fuzz-parsers/$$t/fuzz.log"; exit 1; }; \
		cd $(CURDIR); \
	done

fuzz-parsers-corpus: fuzz-parsers-build
	$(Q)for t in $(FUZZ_PARSER_TARGETS); do \
		mkdir -p tests/fuzz/$$t $(BUILD)/fuzz-parsers/$$t/new && \
		$(BUILD)/host/$$t -merge=1 tests/fuzz/$$t $(BUILD)/fuzz-parsers/$$t/new 2>&1 | tail -1 || exit 1; \
	done
