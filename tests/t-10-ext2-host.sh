#!/usr/bin/env bash
# Host tests of the ext2 reader (stage2/fs/ext2.c): the same source stage 2 runs,
# built for the host with the address and undefined-behaviour sanitizers,
# reading images that mke2fs -d makes from a tree of test files (no root, no
# mounts).  tests/host/ext2_test.c does the checking; this script makes the
# files and the images and says what to check on each.
# expect: 225 host
source "$(dirname "$0")/lib.sh"
W=$TLOG/ext2
bin=$BUILD/host/ext2_test
rm -rf "$W"; mkdir -p "$W"

source "$TOP/tests/fs-lib.sh"
fs_build_m32
build "ext2 host test builds (make host-tests)" host-tests

# ---- The files ----
# Deterministic content, so a failure can be reproduced byte for byte.
T=$W/tree
python3 - "$T" <<'EOF'
import os, random, sys
root = sys.argv[1]
rnd = random.Random(1234)
def data(n): return bytes(rnd.getrandbits(8) for _ in range(n)) if n < 4096 else rnd.randbytes(n)
def put(path, content):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f: f.write(content)
def sparse(path, size, chunks):
    # A file of `size` bytes, holes but for the chunks (offset, length).
    path = os.path.join(root, path)
    with open(path, 'wb') as f:
        f.truncate(size)
        for off, n in chunks:
            f.seek(off); f.write(data(n))

put('big', data(3 << 20))                       # double indirect with 1 KiB blocks
put('empty', b'')
sparse('sparse', 1 << 20, [(100 << 10, 5000), ((1 << 20) - 1, 1)])   # starts with a hole
sparse('sparse-tail', 300 << 10, [(0, 3000)])                          # ends with one
# Past 12 + 256 + 256^2 blocks of 1 KiB (64.3 MiB): triple indirect.
sparse('sparse-huge', 70 << 20, [(0, 5000), (13 << 10, 2000), (300 << 10, 70000),
                                 (10 << 20, 4096), (66 << 20, 100000), ((70 << 20) - 3000, 3000)])
for n in (1, 511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097, 12 << 10, (12 << 10) + 1,
          65537, 268 << 10, (268 << 10) + 1):
    put('sizes/s%d' % n, data(n))
put('a/b/c/d/e/deep.txt', b'deep down\n')
for i in range(400):                            # a directory of many blocks
    put('many/file-with-a-rather-long-name-number-%04d' % i, data(i % 97))
put('names/' + 'n' * 255, b'the longest name\n')
put('names/with space', b'spaces are fine\n')
os.makedirs(os.path.join(root, 'emptydir'))

links = {
    'fast-abs': '/a/b/c/d/e/deep.txt',          # < 60 bytes: in the inode
    'fast-rel': '../big',
    'slow-abs': '/a/b/c/d/e/../../../../../a/b/c/d/e/./././././././deep.txt',
    'slow-rel': '../a/./b/./c/./d/./e/./././././././././././././././././deep.txt',
    'dir': '../a/b',                            # a link to a directory
    'long-dir': '/' + './' * 40 + 'a/b',        # slow, to a directory
    'up': '..',
    'loop1': 'loop2', 'loop2': 'loop1', 'self': 'self',
    'dangling': 'nowhere',
    'chain8': '../big',                         # chain1 -> ... -> chain8: 8 links
    'chain0': 'chain1',                         # 9 links: one too many
}
for i in range(1, 8):
    links['chain%d' % i] = 'chain%d' % (i + 1)
os.makedirs(os.path.join(root, 'links'))
for name, target in links.items():
    os.symlink(target, os.path.join(root, 'links', name))
EOF
[ -d "$T/links" ] || { fail "test files made"; exit 1; }

# mkimg NAME SIZE MKE2FS-ARGS...: an image of the tree.
mkimg() {
    local name=$1 size=$2; shift 2
    mke2fs -q -F -d "$T" -E root_owner=0:0 "$@" "$W/$name.img" "$size" >"$W/$name.mke2fs" 2>&1 ||
        { fail "$name: mke2fs $*" "$(tail -1 "$W/$name.mke2fs")"; return 1; }
}
# poke IMAGE OFFSET HEX: overwrite bytes (HEX like 3412 for the word 0x1234).
poke() { printf "$(echo "$3" | sed 's/../\\x&/g')" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
# run NAME IMAGE: the checks on stdin, against an image.
# (ext2_test exits 1 when a check failed, and has said so; anything else, a
# sanitizer report above all, is a FAIL of its own: lib.sh's host_run.)
run() { host_run "$1: ext2_test" 1 timeout 600 "$bin" "$1" "$W/$2.img"; }

# Rounds of corruption per image; EXT2_FUZZ=20 tests/run.sh ... for a long run.
FUZZ=${EXT2_FUZZ:-1}

# What every good image must pass.  The messages start with what the
# reader calls the filesystem: checks [ext2|ext3|ext4].
checks() {
    local P=${1:-ext2}
    cat <<EOF
tree $T
file /big $T/big
file /links/fast-abs $T/a/b/c/d/e/deep.txt
same /links/fast-abs /a/b/c/d/e/deep.txt
same /links/fast-rel /big
same /links/slow-abs /a/b/c/d/e/deep.txt
same /links/slow-rel /a/b/c/d/e/deep.txt
same /links/dir/c/d/e/deep.txt /a/b/c/d/e/deep.txt
same /links/long-dir/c /a/b/c
same /links/up/links/up/big /big
same /links/chain1 /big
same //a//b/./c/../c/d/ /a/b/c/d
same a/b /a/b
same / /..
fails /boot/bzImage ENOENT $P: /boot/bzImage: no such file
fails /a/b/nothing/x ENOENT ('nothing' not found)
fails /big/x ENOTDIR $P: /big/x: big is not a directory
fails /big/ ENOTDIR big is not a directory
fails /links/fast-rel/x ENOTDIR big is not a directory
fails /links/loop1 ELOOP $P: too many symlinks resolving /links/loop1
fails /links/self ELOOP too many symlinks
fails /links/chain0 ELOOP too many symlinks
fails /links/dangling ENOENT ('nowhere' not found)
listfails /big ENOTDIR $P: /big: not a directory
listfails /nowhere ENOENT no such file
EOF
}

mkimg ext2-1k 24M -t ext2 -b 1024 && {
    checks
    echo "file /sparse-huge $T/sparse-huge"   # triple indirect (also in the tree)
    echo "reads /big 200"          # 3072 blocks, but runs of them
    echo "faults /links/slow-rel"
    echo "faults /sparse-huge"
    echo "fuzz $((150 * FUZZ)) 1"
} | run ext2-1k ext2-1k

mkimg ext2-2k 24M -t ext2 -b 2048 && { checks; echo "fuzz $((50 * FUZZ)) 2"; } | run ext2-2k ext2-2k

mkimg ext2-4k 32M -t ext2 -b 4096 -L t10-label -U 0f5e7a2c-1b3d-4e6f-8a9b-0c1d2e3f4a5b && {
    checks
    echo "interface 0f5e7a2c-1b3d-4e6f-8a9b-0c1d2e3f4a5b t10-label /big"
    echo "reads /big 32"           # 768 blocks
    echo "faults /big"
    echo "fuzz $((150 * FUZZ)) 4"
} | run ext2-4k ext2-4k

mkimg ext2-64k 96M -t ext2 -b 65536 && { checks; echo "fuzz $((40 * FUZZ)) 64"; } | run ext2-64k ext2-64k

# Revision 0: 128-byte inodes, no features, directory entries without types.
mkimg rev0 24M -t ext2 -r 0 -b 1024 && { checks; echo "fuzz $((60 * FUZZ)) 0"; } | run rev0 rev0

# flex_bg moves the inode tables; the descriptors still say where.
# (flex_bg is an ext4 feature: the messages say ext4.)
mkimg flexbg 24M -t ext2 -b 4096 -O flex_bg && checks ext4 | run flexbg flexbg

# ext3: the journal is an inode we never look at.
mkimg ext3 32M -t ext3 -b 4096 && {
    checks ext3
} | run ext3 ext3
# ... and one that needs recovery still reads, with a warning.
cp "$W/ext3.img" "$W/ext3-recover.img"
debugfs -w -R "feature needs_recovery" "$W/ext3-recover.img" >/dev/null 2>&1
{ echo "mountsays ext3: warning: the journal needs recovery; files may be stale"; echo "file /big $T/big"; } |
    run ext3-recover ext3-recover

# ext4 reads too (tests/t-13-ext4-host.sh has the whole matrix); an
# external journal is refused by name.
# (A label of all 16 bytes has no NUL on disk: struct fs's label ends anyway.)
mkimg ext4 32M -t ext4 -L sixteen-chars-xy -U 5a4f5351-0000-4000-8000-736d6172746f && {
    checks ext4; echo "reads /big 32"
    echo "interface 5a4f5351-0000-4000-8000-736d6172746f sixteen-chars-xy /a/b/c/d/e/deep.txt"
} | run ext4 ext4
mke2fs -q -F -O journal_dev -b 4096 "$W/jdev.img" 4M >/dev/null 2>&1 &&
    echo "mountfails EUNSUPPORTED unsupported incompatible feature 'journal_dev' (0x8)" | run jdev jdev

# ---- Damaged images: an error and a message, never a crash ----
bad() { cp "$W/ext2-1k.img" "$W/$1.img"; }
bad bad-magic; poke "$W/bad-magic.img" $((1024 + 0x38)) 3412
echo "mountfails ECORRUPT ext2: bad superblock magic 0x1234 (want 0xEF53)" | run bad-magic bad-magic

bad bad-blocksize; poke "$W/bad-blocksize.img" $((1024 + 0x18)) 09000000
echo "mountfails ECORRUPT bad block size" | run bad-blocksize bad-blocksize

bad bad-inodes; poke "$W/bad-inodes.img" $((1024 + 0x00)) ffff0000
echo "mountfails ECORRUPT inodes, but" | run bad-inodes bad-inodes

bad bad-size; truncate -s 16M "$W/bad-size.img"           # the end of the partition is lost
echo "mountfails ECORRUPT ext2: the filesystem (24576 blocks of 1024 bytes) is larger than the image" |
    run bad-size bad-size

# A directory entry whose rec_len runs past its block.
bad bad-reclen
blk=$(debugfs -R "bmap /a/b 0" "$W/bad-reclen.img" 2>/dev/null)
poke "$W/bad-reclen.img" $((blk * 1024 + 4)) f00f
{
    echo "fails /a/b/c ECORRUPT bad entry at byte 0 (rec_len 4080"
    echo "listfails /a/b ECORRUPT bad entry"
    echo "same /big /links/fast-rel"
} | run bad-reclen bad-reclen

# An indirect block pointer outside the filesystem.
bad bad-indirect
debugfs -w -R "sif /big block[IND] 0x7fffffff" "$W/bad-indirect.img" >/dev/null 2>&1
ino=$(debugfs -R "stat /big" "$W/bad-indirect.img" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p')
{
    echo "readfails /big ECORRUPT ext2: inode $ino: block 2147483647 outside the filesystem"
    echo "file /sparse $T/sparse"
} | run bad-indirect bad-indirect
