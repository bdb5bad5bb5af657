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
