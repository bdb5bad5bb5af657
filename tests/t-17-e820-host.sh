#!/usr/bin/env bash
# Host tests of the E820 loop (stage2/bios/e820.c: e820_walk()) against a
# simulated BIOS, and of the memory-map clean-up's rule for unknown types:
# the same source stage 2 runs, built for the host with the address and
# undefined-behaviour sanitizers.  A hang (the loop not bounded) is a
# failure too: the test runs under a timeout.
source "$(dirname "$0")/lib.sh"
bin=$BUILD/host/e820_test          # mk/host.mk
if ! make -s -C "$TOP" "$bin" 2>&1; then
    fail "e820 host test builds"; exit 1
fi
out=$(timeout 20 "$bin"); rc=$?
echo "$out" | grep -E '^(PASS|FAIL):'
[ $rc -eq 124 ] && fail "the E820 loop ends" "killed after 20 s: a simulated BIOS hung it"
for want in "memory: E820: no SMAP at call 2; the map is not used" \
            "memory: E820: every entry says ignore; all are used" \
            "memory: E820: 256 calls; the map is cut there"; do
    if grep -qF "$want" <<<"$out"; then pass "message: $want"; else fail "message: $want"; fi
done
exit $rc
