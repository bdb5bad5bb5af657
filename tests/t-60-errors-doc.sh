#!/usr/bin/env bash
# docs/errors.md lists every message smartboot can print: each printf/die/
# cfg_error format in stage2/, each string an error function returns for its
# caller to print, stage 1's msg_* strings and the installer's messages
# (scripts/messages.py extracts them; placeholders match any text).  A new
# message without its row in docs/errors.md fails here, naming file and line.
# expect: 16 docs
source "$(dirname "$0")/lib.sh"
out=$(python3 "$TOP/scripts/messages.py" --check "$TOP/docs/errors.md"); rc=$?
summary=$(tail -1 <<<"$out")
if [ $rc -eq 0 ]; then
    pass "docs/errors.md has every message in the code ($summary)"
else
    fail "docs/errors.md has every message in the code" "$summary: $(grep '^missing' <<<"$out" | head -20 | tr '\n' ';')"
fi
# The extraction itself: it must see messages from every source it reads,
# or a parsing slip would pass the check above vacuously.
list=$(python3 "$TOP/scripts/messages.py")
for src in boot/mbr.asm stage2/proto/linux.c stage2/bios/disk.c stage2/fs/ext2.c stage2/config/config.c stage2/config/grubcfg.c \
           stage2/proto/bzimage.c stage2/main.c tools/smartboot-install.c tools/backup.c; do
    n=$(grep -c "^$src:" <<<"$list")
    [ "$n" -gt 0 ] && pass "messages found in $src: $n" || fail "messages found in $src" "none: the extraction is broken"
done
for want in 'smartboot: read error ' 'disk: read error 0x... at LBA ... after ... tries' \
            'truncated: shorter than the size in its header (syssize)' \
            "default names no entry (there are ...); the first is used" \
            'stage 2 needs ... sectors but the gap before the first partition (LBA ...) has ...'; do
    grep -qF -- "$want" <<<"$list" && pass "extracted: '$want'" || fail "extracted: '$want'"
done
