#!/usr/bin/env bash
# expect: 51 host
# The filesystem reader and the parsers under MemorySanitizer (mk/msan.mk):
# the reads of uninitialised memory that ASan and UBSan cannot see (issue
# 13: an extent index at block 0 returned an error code nobody had set).
#   1. ext2_test, built with clang -fsanitize=memory, over a representative
#      part of t-13's matrix (ext2, ext3, ext4 with 1, 4 and 64 KiB blocks,
#      metadata_csum, inline data, bigalloc, meta_bg, htrees): every file and
#      listing compared with the tree, every device read failed in turn,
#      the metadata corrupted at random; fsread agrees with the tree too.
#   2. A short run of each fuzz target under MSan (libFuzzer links with
#      MSan in Debian 12's clang 14) from its seeds or committed corpus.
# Any MSan report fails (MSAN_OPTIONS exitcode=86, checked).  About a
# minute; MSAN_SMOKE_TIME sets the seconds of each fuzz run (default 10).
source "$(dirname "$0")/lib.sh"
W=$(mktemp -d "$BUILD/tests/msan.XXXXXX")
trap 'rm -rf "$W"' EXIT
export MSAN_OPTIONS=halt_on_error=1:exitcode=86
MSAN_EXIT=86
secs=${MSAN_SMOKE_TIME:-10}

if ! make -s -C "$TOP" msan-build build/fuzz/seeds.done >"$W/build.log" 2>&1; then
    fail "the MSan builds" "$(tail -5 "$W/build.log")"; exit 1
fi
M=$BUILD/host/msan
pass "ext2_test, fsread and 4 fuzz targets build with clang -fsanitize=memory -fsanitize-memory-track-origins"

# verdict NAME RC LOG: exit 0 or 1 (checks passed or failed, each said so);
# 86 is an MSan report, anything else a crash or the timeout.
verdict() {
    case $2 in
    0|1) return 0 ;;
    "$MSAN_EXIT") fail "$1" "MemorySanitizer: $(grep -m1 SUMMARY "$3")" ;;
    124) fail "$1" "timed out" ;;
    *) fail "$1" "crashed (exit $2): $(grep -m1 -E 'ERROR|SUMMARY' "$3")" ;;
    esac
    cp "$3" "$TLOG/$(echo "$1" | tr '/ ' '__').msan.log"
    return 1
}

# ---- 1. The reader over the images ----
T=$W/tree
python3 - "$T" <<'EOF'
import os, random, sys
root = sys.argv[1]
rnd = random.Random(1616)
def put(path, data):
    p = os.path.join(root, path); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, 'wb').write(data)
put('big', rnd.randbytes(300 << 10))            # indirect blocks / an extent or two
for n in (1, 60, 61, 1023, 1025, 4097):
    put('sizes/s%d' % n, rnd.randbytes(n))      # inline, one block, one more byte
with open(os.path.join(root, 'sparse'), 'wb') as f:
    f.truncate(1 << 20); f.seek(500 << 10); f.write(rnd.randbytes(5000))
    # Data at the end: mke2fs 1.47.0 -d with inline_data cuts a file that
    # ends in a hole after its last data (debugfs agrees: its bug, not ours).
    f.seek((1 << 20) - 10); f.write(b'the end\n\n\n')
for i in range(300):                            # an htree after e2fsck -D
    put('many/entry-with-a-long-name-%03d' % i, b'')
put('a/b/c', b'c\n')
os.makedirs(os.path.join(root, 'small'))
put('small/x', b'x')
os.makedirs(os.path.join(root, 'links'))
for name, target in {'fast': '../a/b/c', 'slow': '/' + './' * 40 + 'a/b/c', 'loop': 'loop'}.items():
    os.symlink(target, os.path.join(root, 'links', name))
EOF
images=0
msan_image() {   # NAME MKE2FS-ARGS...
    local name=$1 img=$W/$1.img rc; shift
    mke2fs -q -F -d "$T" -E root_owner=0:0 "$@" "$img" 16M >"$W/$name.mke2fs" 2>&1 ||
        { fail "$name: mke2fs $*" "$(tail -1 "$W/$name.mke2fs")"; return; }
    e2fsck -fyD "$img" >>"$W/$name.mke2fs" 2>&1     # (htree indexes; exit 1: it made them)
    [ $? -le 1 ] || { fail "$name: e2fsck -fyD" "$(tail -1 "$W/$name.mke2fs")"; return; }
    printf 'tree %s\nfaults /big\nfaults /links/slow\nfuzz 30 %d\n' "$T" $((images + 16)) |
        timeout 120 "$M/ext2_test" "msan/$name" "$img" 2>"$W/$name.err"; rc=$?
    verdict "msan/$name: ext2_test" $rc "$W/$name.err" || return
    timeout 60 "$M/fsread" "$img" /big 2>"$W/$name.fsread.err" | cmp -s - "$T/big"
    rc=${PIPESTATUS[0]}
    verdict "msan/$name: fsread" $rc "$W/$name.fsread.err" || return
    [ $rc -eq 0 ] && pass "msan/$name: fsread reads /big as written" || fail "msan/$name: fsread /big" "exit $rc"
    images=$((images + 1))
}
start=$SECONDS
msan_image ext2-1k -t ext2 -b 1024
msan_image ext2-4k -t ext2 -b 4096
msan_image ext3-1k -t ext3 -b 1024
msan_image ext4-1k -t ext4 -b 1024                      # metadata_csum, 64bit
msan_image ext4-4k-no64bit -t ext4 -b 4096 -O ^64bit
msan_image ext4-1k-inline -t ext4 -b 1024 -O inline_data
msan_image ext4-1k-metabg -t ext4 -b 1024 -O meta_bg,^resize_inode -g 1024
msan_image ext4-1k-bigalloc -t ext4 -b 1024 -O bigalloc -C 16384
msan_image ext4-64k -t ext4 -b 65536 -N 2048
pass "the reader under MSan: $images images in $((SECONDS - start)) s"

# ---- 2. The fuzz targets from their seeds, under MSan ----
# fuzz_run (tests/lib.sh) runs in a fresh corpus directory; the seeds are
# read, not written.
for t in fuzz-ext2 fuzz-smartboot-cfg fuzz-grub-cfg fuzz-bzimage; do
    if [ $t = fuzz-ext2 ]; then seeds=$BUILD/fuzz/seeds len=131072; else seeds=$TOP/tests/fuzz/$t len=16384; fi
    mkdir -p "$W/$t/corpus"
    fuzz_run "$W/$t" "$M/$t" "$secs" $len "$seeds"
    if [ $fuzz_rc -eq 0 ] && [ "$fuzz_crashes" -eq 0 ] && [ -n "$fuzz_runs" ]; then
        pass "msan/$t for $secs s from $(ls "$seeds" | wc -l) inputs: $fuzz_runs executions ($fuzz_rate/s, $fuzz_cov edges), no report"
    else
        cp "$W/$t"/crash-* "$W/$t/fuzz.log" "$TLOG/" 2>/dev/null
        fail "msan/$t for $secs s" "exit $fuzz_rc$([ $fuzz_rc = $MSAN_EXIT ] && echo ' (MSan)'), $fuzz_crashes crash files; $(grep -m2 -E 'SUMMARY|ERROR' "$W/$t/fuzz.log")"
    fi
done
