# The filesystem reader (stage2/fs/ext2.c, crc32c.c) built for the host, as
# tools and as a libFuzzer target (tests/host/, docs/ext4.md).
#
#   make fsread              build/host/fsread IMAGE PATH > out (ASan + UBSan)
#   make fuzz-fs             fuzz the reader for FUZZ_TIME seconds (default 1800)
#                            on both cores, keeping the corpus in build/fuzz/corpus;
#                            crashes land in build/fuzz/ as crash-*
#   make fuzz                the same, and the other parsers (mk/fuzz-parsers.mk)
#   make fuzz-fs FUZZ_TIME=60  about what make test runs (tests/t-14-fuzz-smoke.sh)

# The reader's sources: the same files stage 2 links (tests/fs-lib.sh lists
# them for the shell tests).
FS_HOST_SRC := stage2/fs/fs.c stage2/fs/ext2.c stage2/fs/crc32c.c
FS_HOST_DEP := $(FS_HOST_SRC) tests/host/capture.h tests/host/memdev.h stage2/fs/ext2.h stage2/fs/ext2fs.h stage2/fs/fs.h stage2/blockdev.h stage2/fs/crc32c.h lib/klib.h
# (HOST_CFLAGS: mk/host.mk, the one set of flags of every sanitized host
# build; `=`, because that fragment is read after this one.)
FS_HOST_FLAGS = $(HOST_CFLAGS)
FUZZ_TIME ?= 1800
FUZZ_JOBS ?= 2

.PHONY: fsread fuzz fuzz-fs fuzz-build
fsread: $(BUILD)/host/fsread
fuzz-build: $(BUILD)/host/fuzz-ext2 $(BUILD)/fuzz/seeds.done

# -Wl,--wrap=crc32c: fsread -s counts the bytes checksummed.
$(BUILD)/host/fsread: tests/host/fsread.c $(FS_HOST_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(FS_HOST_FLAGS) -Wl,--wrap=crc32c -o $@ tests/host/fsread.c $(FS_HOST_SRC)

# crc32c.c without coverage feedback: a branch-free loop over every byte
# checksummed, where the fuzzer's comparison hooks cost a third of the time
# and steer nothing.
$(BUILD)/host/fuzz-ext2: tests/host/fuzz_ext2.c $(FS_HOST_DEP)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(FS_HOST_FLAGS) -c -o $(BUILD)/host/crc32c-fuzz.o stage2/fs/crc32c.c
	$(Q)clang $(FS_HOST_FLAGS) -fsanitize=fuzzer -o $@ tests/host/fuzz_ext2.c \
		$(filter-out stage2/fs/crc32c.c,$(FS_HOST_SRC)) $(BUILD)/host/crc32c-fuzz.o

$(BUILD)/fuzz/seeds.done: scripts/fuzz-seeds.sh
	$(Q)scripts/fuzz-seeds.sh $(BUILD)/fuzz/seeds >/dev/null
	$(Q)touch $@

# -max_len: the seeds are 120 KiB; -timeout: a run takes
# milliseconds, so 10 s means a hang.
fuzz: fuzz-fs
fuzz-fs: fuzz-build
	$(Q)mkdir -p $(BUILD)/fuzz/corpus
	$(Q)cd $(BUILD)/fuzz && ../host/fuzz-ext2 -max_total_time=$(FUZZ_TIME) -max_len=131072 \
		-timeout=10 -rss_limit_mb=2048 -jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS) \
		-print_final_stats=1 corpus seeds

# make crc32c-bench: the checksum's speed, three ways, at -Os (64-bit: this
# machine runs no 32-bit programs; stage 2's i686 code does the same work per byte).
.PHONY: crc32c-bench
crc32c-bench: $(BUILD)/host/crc32c-bench
	$(Q)$<
$(BUILD)/host/crc32c-bench: tests/host/crc32c_bench.c stage2/fs/crc32c.c stage2/fs/crc32c.h
	$(Q)mkdir -p $(@D)
	$(Q)gcc -Os -std=gnu11 -Wall -Wextra -Werror -Ilib -Istage2 -o $@ \
		tests/host/crc32c_bench.c stage2/fs/crc32c.c
