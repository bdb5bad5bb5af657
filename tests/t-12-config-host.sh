#!/usr/bin/env bash
# Host tests of the configuration parsers (stage2/config/config.c, grubcfg.c),
# built for the host with the sanitizers; the error messages must name the
# file and the line.
# expect: 54 host
source "$(dirname "$0")/lib.sh"
bin=$BUILD/host/config_test
build "config host test builds (make host-tests)" host-tests
out=$(host_run config_test 1 "$bin"); rc=$?
echo "$out" | grep -E '^(PASS|FAIL):'
msgs=$(echo "$out" | grep -vE '^(PASS|FAIL):')
for want in "smartboot.cfg:14: unknown key 'kernal'" \
            "smartboot.cfg:16: handoff wants 16, 32 or 64 'handoff'" \
            "smartboot.cfg:17: entry 'no kernel' has no kernel; skipped" \
            "grub.cfg:3: 'insmod' not supported; skipped" \
            "grub.cfg:13: 'load_video' not supported; skipped" \
            "grub.cfg:19: menuentry 'open' not closed with '}'" \
            "chain.cfg:10: chain wants a partition (2), a disk (hd1) or both (hd1,2) 'chain'" \
            "chain-grub.cfg:12: chainloader '/efi/boot.efi': only '+1' (the first sector) is supported" \
            "chain-root.cfg:3: root is a whole disk (hd1), not a partition; ignored" \
            "chain-root.cfg:7: chainloader reads a device ((hd1), (hd0,msdos2)), not a root found by search or UUID=, LABEL=; skipped" \
            "smartboot.cfg:18: root wants UUID=, LABEL=, PARTUUID= or hdN,M (M: 1 to 128) 'root'" \
            "grub.cfg:18: search sets only root here; skipped"; do
    if grep -qF "$want" <<<"$msgs"; then pass "message: $want"; else fail "message: $want" "got: $(echo $msgs | head -c 300)"; fi
done
exit $rc
