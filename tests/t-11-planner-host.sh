#!/usr/bin/env bash
# Host tests of the boot-protocol planner (stage2/proto/bzimage.c) and the memory
# map clean-up (stage2/bios/e820.c): the same source stage 2 runs, built for the
# host with the address and undefined-behaviour sanitizers.
source "$(dirname "$0")/lib.sh"
bin=$BUILD/tests/planner_test
if ! gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
        -fno-sanitize-recover=all -I"$TOP/lib" -I"$TOP/stage2" -o "$bin" \
        "$TOP/tests/host/planner_test.c" "$TOP/stage2/proto/bzimage.c" "$TOP/stage2/bios/e820.c" 2>&1; then
    fail "planner host test builds"; exit 1
fi
"$bin"
