# shellcheck shell=bash
# labs/lib.sh - what every lab's check.sh uses (sourced; labs/check.sh sets
# LAB_DIR, the student's folder, and BUILD, the build the answers are about).
#
# answers.txt holds one answer a line, `key = value`; `#` starts a comment.
# Numbers may be written in decimal or 0x hex; case does not matter.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
lab_failures=0
lab_missing=0

ok()      { echo "PASS: $1"; }
wrong()   { echo "FAIL: $1${2:+: $2}"; lab_failures=$((lab_failures + 1)); }
missing() { echo "MISSING: $1${2:+: $2}"; lab_missing=$((lab_missing + 1)); }

# answer KEY: the student's value for KEY ('' if absent or still '?').
answer() {
    local f=$LAB_DIR/answers.txt v
    [ -f "$f" ] || return 0
    v=$(sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\\([^#]*\\).*/\\1/p" "$f" | tail -1)
    v=$(echo "$v" | sed 's/[[:space:]]*$//')
    [ "$v" = "?" ] || echo "$v"
}

# num VALUE: VALUE as a decimal number ('' if it is none).
num() {
    local v=${1,,}
    v=${v//_/}
    if [[ $v =~ ^0x[0-9a-f]+$ ]]; then echo $((v));
    elif [[ $v =~ ^[0-9]+$ ]]; then echo $((10#$v)); fi
}

# expect_num KEY WANT WHAT: the answer to KEY must be the number WANT.
expect_num() {
    local got; got=$(answer "$1")
    if [ -z "$got" ]; then wrong "$3 ($1)" "no answer in answers.txt"
    elif [ "$(num "$got")" = "$(num "$2")" ]; then ok "$3 ($1 = $got)"
    else wrong "$3 ($1)" "your answer '$got' is not right"; fi
}

# expect_word KEY WANT WHAT: the answer to KEY must be the word WANT (any case).
expect_word() {
    local got; got=$(answer "$1")
    if [ -z "$got" ]; then wrong "$3 ($1)" "no answer in answers.txt"
    elif [ "${got,,}" = "${2,,}" ]; then ok "$3 ($1 = $got)"
    else wrong "$3 ($1)" "your answer '$got' is not right"; fi
}

# symbol ELF NAME: the address of NAME in ELF, as 0x… ('' if absent).
symbol() { nm "$1" 2>/dev/null | awk -v s="$2" '$3 == s { print "0x" $1; exit }'; }

# need FILE WHAT: the build must have FILE (make first).
need() { [ -e "$1" ] || { echo "MISSING: $2: $1 does not exist (run make first)"; exit 2; }; }

# chain_loader DIR: "STAGE1 STAGE2", a loader that can chainload: the
# build's if it has chain_enter (the default), else one made in DIR with
# CHAIN=1 (a build made with CHAIN=0: mk/loader.mk).
chain_loader() {
    if nm "$BUILD/stage2.elf" 2>/dev/null | grep -q ' chain_enter$'; then
        echo "$BUILD/mbr.bin $BUILD/stage2.bin"
    elif make -s -C "$TOP" BUILD="$1" CHAIN=1 "$1/mbr.bin" "$1/stage2.bin" >"$1.log" 2>&1; then
        echo "$1/mbr.bin $1/stage2.bin"
    fi
}

# lab_qemu ARGS...: a headless QEMU as tests/lib.sh runs it (TCG, never KVM).
lab_qemu() {
    qemu-system-x86_64 -accel tcg -m 256M -display none -serial stdio -monitor none -no-reboot "$@"
}

# lab_end: the verdict.  0 all right, 1 something wrong, 2 something
# could not be checked (said above why).
lab_end() {
    if [ "$lab_failures" -gt 0 ]; then echo "lab $LAB: $lab_failures wrong"; exit 1; fi
    if [ "$lab_missing" -gt 0 ]; then echo "lab $LAB: all checked answers right, $lab_missing not checkable here"; exit 2; fi
    echo "lab $LAB: all right"; exit 0
}
