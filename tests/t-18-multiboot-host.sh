#!/usr/bin/env bash
# Host tests of the Multiboot planner (stage2/proto/multiboot.c): header
# checks and refusals, ELF32/ELF64/a.out-kludge load plans, placement, and
# the information of both versions read back.  The same source stage 2
# runs, with the address and undefined-behaviour sanitizers.
source "$(dirname "$0")/lib.sh"
bin=$BUILD/tests/multiboot_test
if ! gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
        -fno-sanitize-recover=all -I"$TOP/lib" -I"$TOP/stage2" -o "$bin" \
        "$TOP/tests/host/multiboot_test.c" "$TOP/stage2/proto/multiboot.c" 2>&1; then
    fail "multiboot host test builds"; exit 1
fi
"$bin"
