#!/usr/bin/env bash
# expect: 2 host
# A short fuzzing run of the ISO 9660 reader (tests/host/fuzz_iso9660.c,
# libFuzzer with ASan + UBSan) from the committed seeds in
# tests/fuzz/fuzz-iso9660/: FUZZ_ISO_SMOKE seconds (default 10) without a
# crash, a broken invariant, a leak or a hang.  `make fuzz-iso9660` runs it
# for longer.
source "$(dirname "$0")/lib.sh"
W=$(mktemp -d "$BUILD/tests/fuzz-iso.XXXXXX")
trap 'rm -rf "$W"' EXIT
secs=${FUZZ_ISO_SMOKE:-10}
t=fuzz-iso9660

if ! make -s -C "$TOP" fuzz-iso9660-build >"$W/build.log" 2>&1; then
    fail "the ISO 9660 fuzz target builds" "$(tail -5 "$W/build.log")"; exit 1
fi
pass "the ISO 9660 fuzz target builds (clang -fsanitize=fuzzer,address,undefined)"
mkdir -p "$W/corpus"
seeds=$(ls "$TOP/tests/fuzz/$t" | wc -l)
fuzz_run "$W" "$BUILD/host/$t" "$secs" 131072 "$TOP/tests/fuzz/$t"
if [ $fuzz_rc -eq 0 ] && [ "$fuzz_crashes" -eq 0 ] && [ -n "$fuzz_runs" ]; then
    pass "$t for $secs s from $seeds committed images: $fuzz_runs executions ($fuzz_rate/s, $fuzz_cov edges), no crash"
else
    cp "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$TLOG/" 2>/dev/null
    cp "$W/fuzz.log" "$TLOG/$t.log"
    fail "$t for $secs s" "exit $fuzz_rc, $fuzz_crashes crash files (copied to build/tests/); $(grep -m3 -E 'ERROR|SUMMARY' "$W/fuzz.log")"
fi
