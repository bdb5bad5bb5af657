#!/usr/bin/env bash
# Short fuzzing runs of the other parsers of untrusted input: smartboot.cfg,
# grub.cfg, the bzImage header checks with the initrd planner and the E820
# clean-up, the Multiboot planner, the partition tables (MBR, EBR chains,
# GPT) and the E820 loop against a simulated BIOS (tests/host/fuzz_config.c,
# fuzz_bzimage.c, fuzz_multiboot.c, fuzz_part.c, fuzz_e820.c; libFuzzer with
# ASan + UBSan, from the committed corpus in tests/fuzz/).  FUZZ_PARSERS_SMOKE
# seconds each (default 10) without a crash, a broken invariant, a leak or a
# hang.  `make fuzz-parsers` (and `make fuzz`) run them for longer.
# expect: 4 host
source "$(dirname "$0")/lib.sh"
W=$(mktemp -d "$BUILD/tests/fuzz-parsers.XXXXXX")
trap 'rm -rf "$W"' EXIT
secs=${FUZZ_PARSERS_SMOKE:-10}

if ! make -s -C "$TOP" fuzz-parsers-build >"$W/build.log" 2>&1; then
    fail "the parser fuzz targets build" "$(tail -5 "$W/build.log")"; exit 1
fi
pass "the parser fuzz targets build (clang -fsanitize=fuzzer,address,undefined)"

for t in fuzz-smartboot-cfg fuzz-grub-cfg fuzz-bzimage fuzz-multiboot fuzz-part fuzz-e820; do
    mkdir -p "$W/$t/corpus"
    seeds=$(ls "$TOP/tests/fuzz/$t" | wc -l)
    fuzz_run "$W/$t" "$BUILD/host/$t" "$secs" 16384 "$TOP/tests/fuzz/$t"
    if fuzz_ok 1000; then    # (they run thousands a second)
        pass "$t for $secs s from $seeds committed inputs: $fuzz_runs executions ($fuzz_rate/s, $fuzz_cov edges), no crash"
    else
        cp "$W/$t"/crash-* "$W/$t"/leak-* "$W/$t"/timeout-* "$TLOG/" 2>/dev/null
        cp "$W/$t/fuzz.log" "$TLOG/$t.log"
        fail "$t for $secs s" "exit $fuzz_rc, ${fuzz_runs:-no} executions, $fuzz_crashes crash files (copied to ${TLOG#"$TOP"/}/); $(grep -m3 -E 'ERROR|SUMMARY|fuzz_[a-z]+:' "$W/$t/fuzz.log")"
    fi
done
