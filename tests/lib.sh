# Helpers for the test scripts (sourced).  A test script reports each check
# with `pass NAME` or `fail NAME WHY`; tests/run.sh counts them.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$TOP/build
# Each test's own directory for its logs (the serial output of each boot)
# and scratch files: build/tests/t-NN-name/.  Tests run in parallel
# (tests/run.sh -j), so nothing a test writes is shared with another.
TNAME=$(basename "$0" .sh)
TLOG=$BUILD/tests/$TNAME
mkdir -p "$TLOG"
# The serial console of the guest, and the smart-os command line that says so.
CONSOLE="console=tty0 console=ttyS0"

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+: $2}"; }
skip() { echo "SKIP: $1${2:+: $2}"; }
# check NAME COMMAND...: pass if the command succeeds.
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n" "'$*' failed"; fi; }

# Every host binary runs with its sanitizers set to stop at the first report
# and exit with SANITIZER_EXIT, a status no test program uses: by default
# ASan and UBSan exit with 1, which the host tests also use for "a check
# failed (and said so)", so a report could pass for an ordinary FAIL, or,
# with the rest of the checks missing, for nothing at all.  (LSan and MSan
# have their own exit codes; the same one for all.)
SANITIZER_EXIT=86
export ASAN_OPTIONS="halt_on_error=1:exitcode=$SANITIZER_EXIT:abort_on_error=0:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:exitcode=$SANITIZER_EXIT:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="exitcode=$SANITIZER_EXIT${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export MSAN_OPTIONS="halt_on_error=1:exitcode=$SANITIZER_EXIT${MSAN_OPTIONS:+:$MSAN_OPTIONS}"
# What a sanitizer prints when it stops a program.
SANITIZER_REPORT='^==[0-9]+==(ERROR|WARNING): [A-Za-z]+Sanitizer|^SUMMARY: [A-Za-z]+Sanitizer|runtime error: '

# host_run LABEL MAX COMMAND...: run a host test program (its PASS:/FAIL:
# lines pass through); FAIL "LABEL" when it exits with more than MAX (the
# host tests exit 1 after a FAIL line of their own) or a sanitizer
# reported anything.  Its stderr is copied to ours.  Returns its status.
host_run() {
    local label=$1 max=$2 err rc; shift 2
    err=$(mktemp "${TMPDIR:-/tmp}/host_run.XXXXXX")
    "$@" 2>"$err"; rc=$?
    cat "$err" >&2
    if [ $rc -eq $SANITIZER_EXIT ] || grep -qE "$SANITIZER_REPORT" "$err"; then
        fail "$label: no sanitizer report" "exit $rc: $(grep -m2 -E "$SANITIZER_REPORT" "$err" | tr '\n' ' ' | head -c 400)"
        [ $rc -ne 0 ] || rc=$SANITIZER_EXIT
    elif [ $rc -gt "$max" ]; then
        fail "$label: exits normally" "exit $rc (a crash, a timeout or a usage error): $(tail -3 "$err" | tr '\n' ' ' | head -c 400)"
    fi
    rm -f "$err"
    return $rc
}

# build CHECK TARGET...: make the programs a test runs (mk/host.mk: make
# host-tests, build/host/*); when that fails, FAIL CHECK with make's last
# lines and end the test.  (tests/run.sh makes them once before running
# tests in parallel, so that two tests never build the same file at once.)
build() {
    local what=$1 log; shift
    log=$(make -s -C "$TOP" "$@" 2>&1) || { fail "$what" "$(echo "$log" | tail -5)"; exit 1; }
}

# fuzz_run DIR FUZZER SECS MAX_LEN CORPUS...: a libFuzzer target in DIR for
# SECS seconds (new inputs in DIR/corpus, log in DIR/fuzz.log), then what
# its final stats say: fuzz_rc, fuzz_runs, fuzz_rate, fuzz_cov and
# fuzz_crashes (crash-, leak-, timeout- and oom- files left in DIR).
fuzz_run() {
    local dir=$1 bin=$2 secs=$3 max_len=$4; shift 4
    (cd "$dir" && "$bin" -max_total_time="$secs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 corpus "$@" >"$dir/fuzz.log" 2>&1)
    fuzz_rc=$?
    fuzz_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log")
    fuzz_rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/fuzz.log")
    fuzz_cov=$(grep -o 'cov: [0-9]*' "$dir/fuzz.log" | tail -1)
    fuzz_crashes=$(ls "$dir" | grep -cE '^(crash|leak|timeout|oom)-')
}
# fuzz_ok MIN: the last fuzz_run exited 0, left no crash file and executed
# at least MIN inputs: a target that runs nothing (a bad option, a corpus
# it cannot read, a time of 0) finds nothing, and must not pass for clean.
fuzz_ok() { [ "$fuzz_rc" -eq 0 ] && [ "$fuzz_crashes" -eq 0 ] && [ "${fuzz_runs:-0}" -ge "$1" ]; }

# qemu_cmd ARGS...: the QEMU command line every boot test uses: software
# emulation (KVM hangs on our machines), no display, serial on stdio, and
# QEMU exits instead of rebooting so a reboot loop cannot hang a test.
qemu_cmd() {
    echo qemu-system-x86_64 -accel tcg -m 256M -display none -serial stdio \
        -monitor none -no-reboot "$@"
}

# console LOGNAME STEPS... -- QEMU-ARGS...: run tests/console.py with the
# serial output saved to $TLOG/LOGNAME.log.
console() {
    local name=$1; shift
    local steps=() ; while [ "$1" != -- ]; do steps+=("$1"); shift; done; shift
    python3 "$TOP/tests/console.py" -l "$TLOG/$name.log" "${steps[@]}" -- $(qemu_cmd) "$@"
}
