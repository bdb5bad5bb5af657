#!/usr/bin/env bash
# fuzz-seeds.sh DIR: the seed images the filesystem fuzzer (tests/host/
# fuzz_ext2.c) starts from, made with mke2fs -d (no root, no mounts).
# (ext4-nocsum: without metadata_csum, mutations reach the parsers behind
# the checksums.)  Small (120 KiB: below 128 KiB, where the sanitizer's allocator turns every copy
# of an input into an mmap), so that most of each image is metadata worth
# mutating, and each has what the reader must walk: a block map with
# indirect blocks, extent trees with a block below the inode (a fragmented
# file), an htree directory, inline data, fast and slow symlinks, a loop,
# holes, checksums.
set -euo pipefail
out=$1
tree=$out.tree
rm -rf "$out" "$tree"; mkdir -p "$out" "$tree"
python3 - "$tree" <<'PY'
import os, random, sys
root = sys.argv[1]
rnd = random.Random(7)
def put(path, data):
    p = os.path.join(root, path); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, 'wb').write(data)
put('a/b/f', b'deep\n')
put('tiny', b'x')
put('small', bytes(rnd.getrandbits(8) for _ in range(100)))      # inline with inline_data
put('indirect', rnd.randbytes(14 << 10))                         # > 12 blocks of 1 KiB
with open(os.path.join(root, 'sparse'), 'wb') as f:               # holes, double indirect
    f.truncate(300 << 10); f.seek(290 << 10); f.write(b'end of a sparse file')
for i in range(60):                                               # 2 blocks: an htree
    put('dir/entry-with-a-name-%03d' % i, b'')
for i in range(20):                                               # freed to fragment /frag
    put('fill/%02d' % i, rnd.randbytes(1024))
os.makedirs(os.path.join(root, 'links'))
for name, target in {'fast': '../a/b/f', 'slow': '/' + './' * 40 + 'a/b', 'loop1': 'loop2',
                     'loop2': 'loop1', 'up': '..'}.items():
    os.symlink(target, os.path.join(root, 'links', name))
PY
head -c 10000 /dev/zero | tr '\0' 'F' > "$out.frag"
# NAME SIZE MKE2FS-ARGS...
seed() {
    local img=$out/$1.img size=$2; shift 2
    mke2fs -q -F -b 1024 -N 128 -d "$tree" -E root_owner=0:0 "$@" "$img" "$size"
    # Every other filler goes, and a file written into the holes they leave
    # is in pieces: an extent tree deeper than the inode, or indirect runs.
    for i in $(seq 1 2 19); do printf 'rm /fill/%02d\n' "$i"; done > "$out/cmds"
    echo "write $out.frag /frag" >> "$out/cmds"
    debugfs -w -f "$out/cmds" "$img" >/dev/null 2>&1
    e2fsck -fyD "$img" >/dev/null 2>&1 || [ $? -le 1 ]     # htree for /dir
}
seed ext2 120K -t ext2
seed ext4 120K -t ext4 -O ^has_journal
seed ext4-inline 120K -t ext4 -O ^has_journal,inline_data
seed ext4-metabg 120K -t ext4 -O ^has_journal,^resize_inode,meta_bg,^64bit
seed ext4-nocsum 120K -t ext4 -O ^has_journal,^metadata_csum   # damage past the checksums
rm -rf "$tree" "$out.frag" "$out/cmds"
