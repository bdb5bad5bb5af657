#!/usr/bin/env bash
# Host tests of the INT 13h extensions' decisions (stage2/bios/edd.c): the
# read loop against simulated BIOSes that QEMU's SeaBIOS does not imitate
# (Phoenix's 127-sector limit, a partial transfer reported in the disk
# address packet, success with nothing transferred), and what AH=48h's
# disk size is worth (0 or a short answer: unknown, not fatal).  Built for
# the host with the address and undefined-behaviour sanitizers, under a
# timeout (a retry loop without a bound would hang it).
source "$(dirname "$0")/lib.sh"
bin=$BUILD/host/edd_test          # mk/host.mk
if ! make -s -C "$TOP" "$bin" 2>&1; then
    fail "edd host test builds"; exit 1
fi
out=$(timeout 20 "$bin"); rc=$?
echo "$out" | grep -E '^(PASS|FAIL):'
[ $rc -eq 124 ] && fail "the read loop ends" "killed after 20 s"
for want in "disk: read error 0x00 at LBA 0 after 3 tries" \
            "disk: read error 0x10 at LBA 300 after 3 tries"; do
    if grep -qF "$want" <<<"$out"; then pass "message: $want"; else fail "message: $want"; fi
done
exit $rc
