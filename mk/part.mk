# The partition table reader (stage2/part/) on the host: its test program
# (tests/t-16-part-host.sh) and its libFuzzer target fuzz-part (listed in
# mk/fuzz-parsers.mk, run by tests/t-67-fuzz-parsers.sh), both built from
# the sources stage 2 and the installer use.  PART_SRC: mk/installer.mk.

# HOST_CFLAGS: mk/host.mk, the sanitized host build's flags, defined once.
PART_HOST_FLAGS = $(HOST_CFLAGS)

.PHONY: part-host
part-host: $(BUILD)/host/part_test

$(BUILD)/host/part_test: tests/host/part_test.c $(PART_SRC) $(PART_HDR) mk/part.mk
	$(Q)mkdir -p $(@D)
	$(Q)gcc $(PART_HOST_FLAGS) -o $@ tests/host/part_test.c $(PART_SRC)

$(BUILD)/host/fuzz-part: tests/host/fuzz_part.c $(PART_SRC) $(PART_HDR) mk/part.mk
	$(Q)mkdir -p $(@D)
	$(Q)clang $(FUZZ_PARSER_FLAGS) -o $@ tests/host/fuzz_part.c $(PART_SRC)
