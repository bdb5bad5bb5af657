#!/usr/bin/env bash
# WITH_GCC=1: smart-os carries gcc, binutils, the glibc headers and crt
# files.  Boot build/smartos-gcc.img (make gcc-disk), write a C program in
# the guest, compile, link and run it there.
# expect: 4 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/smartos-lib.sh"
need "$BUILD/bzImage" "$BUILD/initrd" "$BUILD/smartos-gcc.img"

disk=$(disk_copy "$BUILD/smartos-gcc.img" t-24-disk)
direct "$disk"
token=$RANDOM
STEPS=(-t 120 -e 'smart-os: boot finished' -t 60 "${LOGIN[@]}" -s "$R_DEF" -e "$PROMPT"
       # The program, a line at a time (no quotes inside: the shell's echo
       # is enough).  It prints a number computed at run time, so the
       # output cannot come from the source text.
       -s "echo '#include <stdio.h>' > t.c\\n" -e "$PROMPT"
       -s "echo 'int main(void) { printf(\"gcc-works-%d\\\\n\", $token * 2); return 0; }' >> t.c\\n"
       -e "$PROMPT")
step VER   "gcc --version"
# Compiling under TCG takes a while: cc1, as and ld all run emulated.
STEPS+=(-t 180)
step CC    "gcc -Wall -O2 t.c -o t"
step RUN   "./t"
step FILE  "sh -c 'readelf -l t | grep interpreter'"
console t-24-gcc "${STEPS[@]}" -- "${QARGS[@]}" 2>"$TLOG/t-24.err" ||
    fail "the gcc session ran to the end" "$(head -c 600 "$TLOG/t-24.err")"

expect_line t-24-gcc "gcc runs inside smart-os" '^VER> gcc .*12\.[0-9]+\.[0-9]+'
expect_line t-24-gcc "gcc compiles and links hello (exit 0)" '^CC> rc=0'
expect_line t-24-gcc "the program runs and prints its result" "^RUN> gcc-works-$((token * 2))"
expect_line t-24-gcc "it is a dynamic glibc program" '^FILE> .*Requesting program interpreter: /lib64/ld-linux-x86-64.so.2'
