#!/usr/bin/env bash
# A short fuzzing run of the filesystem reader (tests/host/fuzz_ext2.c,
# libFuzzer with ASan + UBSan) from the seed images, in a fresh corpus:
# about a minute (FUZZ_SMOKE_TIME seconds) without a crash, a hang, a leak
# or a sanitizer report.  `make fuzz` runs the same target for longer.
# expect: 2 host
source "$(dirname "$0")/lib.sh"
# A directory of its own (several developers may run the tests in one tree).
W=$(mktemp -d "$BUILD/tests/fuzz-smoke.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/corpus"
secs=${FUZZ_SMOKE_TIME:-60}

if ! make -s -C "$TOP" fuzz-build >"$W/build.log" 2>&1; then
    fail "the fuzz target and its seeds build" "$(tail -5 "$W/build.log")"; exit 1
fi
pass "the fuzz target builds (clang -fsanitize=fuzzer,address,undefined) with $(ls "$BUILD/fuzz/seeds" | wc -l) seed images"

fuzz_run "$W" "$BUILD/host/fuzz-ext2" "$secs" 131072 "$BUILD/fuzz/seeds"
# At least 1,000 executions: on a busy machine the reader runs some
# hundreds a second, so a minute gives tens of thousands.
if fuzz_ok 1000; then
    pass "fuzzing for ${secs} s: $fuzz_runs executions ($fuzz_rate/s, $fuzz_cov edges), no crash, hang, leak or sanitizer report"
else
    cp "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$W/fuzz.log" "$TLOG/" 2>/dev/null
    fail "fuzzing for ${secs} s" "exit $fuzz_rc, ${fuzz_runs:-no} executions, $fuzz_crashes crash files (copied to ${TLOG#"$TOP"/}/); $(grep -m3 -E 'ERROR|SUMMARY|Test unit written' "$W/fuzz.log")"
fi
