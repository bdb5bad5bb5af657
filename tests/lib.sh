# Helpers for the test scripts (sourced).  A test script reports each check
# with `pass NAME` or `fail NAME WHY`; tests/run.sh counts them.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$TOP/build
TLOG=$BUILD/tests            # per-test logs (serial output of each boot)
mkdir -p "$TLOG"
# The serial console of the guest, and the smart-os command line that says so.
CONSOLE="console=tty0 console=ttyS0"

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+: $2}"; }
skip() { echo "SKIP: $1${2:+: $2}"; }
# check NAME COMMAND...: pass if the command succeeds.
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n" "'$*' failed"; fi; }

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
