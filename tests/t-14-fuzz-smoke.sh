#!/usr/bin/env bash
# A short fuzzing run of the filesystem reader (tests/host/fuzz_ext2.c,
# libFuzzer with ASan + UBSan) from the seed images, in a fresh corpus:
# about a minute (FUZZ_SMOKE_TIME seconds) without a crash, a hang, a leak
# or a sanitizer report.  `make fuzz` runs the same target for longer.
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

cd "$W" || exit 1
"$BUILD/host/fuzz-ext2" -max_total_time="$secs" -max_len=131072 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 corpus "$BUILD/fuzz/seeds" >"$W/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$W/fuzz.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$W/fuzz.log")
cov=$(grep -o 'cov: [0-9]*' "$W/fuzz.log" | tail -1)
crashes=$(ls "$W" | grep -cE '^(crash|leak|timeout|oom)-')
if [ $rc -eq 0 ] && [ "$crashes" -eq 0 ] && [ -n "$runs" ]; then
    pass "fuzzing for ${secs} s: $runs executions ($rate/s, $cov edges), no crash, hang, leak or sanitizer report"
else
    cp "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$W/fuzz.log" "$TLOG/" 2>/dev/null
    fail "fuzzing for ${secs} s" "exit $rc, $crashes crash files (copied to build/tests/); $(grep -m3 -E 'ERROR|SUMMARY|Test unit written' "$W/fuzz.log")"
fi
