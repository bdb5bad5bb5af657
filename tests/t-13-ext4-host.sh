#!/usr/bin/env bash
# The reader (stage2/fs/ext2.c) against the filesystems today's mke2fs makes:
# ext2, ext3 and ext4 with 1, 2 and 4 KiB blocks, and ext4 with each of the
# feature sets users meet (Debian's defaults, ^64bit, ^extent, inline_data,
# metadata_csum_seed, large_dir, meta_bg, ^has_journal).  Every image holds
# the same tree (tests/host/ext2_test.c compares every byte of every file
# with it, and every directory listing); debugfs, an independent reader,
# spot-checks a few files through build/host/fsread.  Then: triple-indirect
# and extent-mapped 72 MB files, checksums that do not match, features that
# must be refused, damaged extent trees.  No root, no mounts.
# expect: 787 host
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs-lib.sh"
# A directory of its own (several developers may run the tests in one tree).
W=$(mktemp -d "$BUILD/tests/ext4.XXXXXX")
trap 'rm -rf "$W"' EXIT
bin=$BUILD/host/ext2_test fsread=$BUILD/host/fsread
build "ext2 host test and fsread build (make host-tests)" host-tests
echo crc32c | host_run "checksum: ext2_test" 1 "$bin" checksum /dev/null

# ---- The files ----
T=$W/tree
python3 - "$T" "$W" <<'EOF'
import os, random, sys
root, work = sys.argv[1], sys.argv[2]
rnd = random.Random(4242)
def data(n): return rnd.randbytes(n)
def put(path, content):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f: f.write(content)

put('big', data(3 << 20))
put('empty', b'')
for n in (1, 59, 60, 61, 100, 150, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097, 12 << 10,
          (12 << 10) + 1, 70000):
    put('sizes/s%d' % n, data(n))                  # one block exactly, one more byte, inline sizes
with open(os.path.join(root, 'sparse'), 'wb') as f: # holes before, between and after data
    f.truncate(2 << 20)
    for off, n in ((300 << 10, 5000), (1 << 20, 10000), ((2 << 20) - 100, 100)):
        f.seek(off); f.write(data(n))
put('names/' + 'n' * 255, b'the longest name\n')
deep = '/'.join('level-%02d' % i for i in range(1, 41))
put('deep/' + deep + '/deep.txt', b'forty levels down\n')
for i in range(5000):       # (in $W/bigdir) an htree (e2fsck -D), 2 levels with 1 KiB blocks
    p = os.path.join(work, 'bigdir/dir5000/file-with-a-long-name-%04d' % i)
    os.makedirs(os.path.dirname(p), exist_ok=True); open(p, 'w').close()
put('hl/a', b'one inode, three names\n')
os.makedirs(os.path.join(root, 'hl/sub'))
os.link(os.path.join(root, 'hl/a'), os.path.join(root, 'hl/b'))
os.link(os.path.join(root, 'hl/a'), os.path.join(root, 'hl/sub/c'))
for d in ('small/one', 'small/two', 'small/empty'):   # inline directories with inline_data
    os.makedirs(os.path.join(root, d))
put('small/one/x', b'x')
put('small/two/' + 'y' * 40, b'a name that fills the inode\n')
put('small/two/z', data(120))
put('a/b/c/file', b'a/b/c\n')
links = {
    'fast-abs': '/a/b/c/file', 'fast-rel': '../big',
    'slow-abs': '/' + './' * 40 + 'a/b/c/file', 'slow-rel': '../a/' + './' * 40 + 'b/c/file',
    'dir': '../a/b', 'deep': '../deep/' + deep, 'up': '..',
    'loop1': 'loop2', 'loop2': 'loop1', 'self': 'self', 'dangling': 'nowhere',
}
os.makedirs(os.path.join(root, 'links'))
for name, target in links.items():
    os.symlink(target, os.path.join(root, 'links', name))
# Written into the image later, into the holes left by deleting every other
# filler: a file in 60 pieces (an extent tree below the inode).
for i in range(120):
    put('fill/%03d' % i, data(3000))
with open(os.path.join(work, 'frag'), 'wb') as f: f.write(data(60 * 3000))
with open(os.path.join(work, 'huge'), 'wb') as f: f.write(data(72 << 20))
EOF
[ -d "$T/links" ] || { fail "test files made"; exit 1; }
deep=$(cd "$T/deep" && find . -name deep.txt | sed 's|^\.||')
# What the images hold in the end: the tree, less the fillers deleted to
# fragment /frag, plus /frag (hard links: no copies).  TB and CB: the same
# with a directory of 5,000 entries, for the images where the htree matters
# (mke2fs -d takes seconds to make it).
C=$W/contents TB=$W/tree-big CB=$W/contents-big
cp -al "$T" "$C" && rm -f "$C"/fill/*[13579] && ln "$W/frag" "$C/frag"
cp -al "$T" "$TB" && cp -al "$W/bigdir/dir5000" "$TB/"
cp -al "$C" "$CB" && cp -al "$W/bigdir/dir5000" "$CB/"

# poke IMAGE OFFSET HEX: overwrite bytes (HEX like 3412 for the word 0x1234).
poke() { printf "$(echo "$3" | sed 's/../\\x&/g')" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
# The byte offset of PATH's inode in IMAGE, from debugfs.
inode_pos() {
    local b o
    read -r b o < <(debugfs -R "imap $2" "$1" 2>/dev/null | sed -n 's/.*located at block \([0-9]*\), offset \(0x[0-9a-f]*\).*/\1 \2/p')
    echo $(( b * $3 + o ))
}
# run NAME: the checks on stdin, against $W/NAME.img.
# (ext2_test exits 1 after a FAIL line of its own; anything else, a sanitizer
# report above all, is a FAIL: lib.sh's host_run.)
run() { host_run "$1: ext2_test" 1 timeout 600 "$bin" "$1" "$W/$1.img"; }

# mkimg NAME BLOCKSIZE MKE2FS-ARGS...: an image of the tree ($TB if BIG=1), then
#   - every other filler removed and /frag written into the holes (debugfs);
#   - on extent-mapped filesystems, /sparse's first hole allocated
#     uninitialised (fallocate: it must still read as zeros);
#   - e2fsck -fD: htree indexes for the large directories, and a check that
#     the image is clean.
mkimg() {
    local name=$1 bs=$2 img=$W/$1.img; shift 2
    local tree=$T; [ "${BIG:-}" = 1 ] && tree=$TB && set -- -N 8192 "$@"
    mke2fs -q -F -b "$bs" -d "$tree" -E root_owner=0:0 "$@" "$img" 24M >"$W/$name.log" 2>&1 ||
        { fail "$name: mke2fs -b $bs $*" "$(tail -1 "$W/$name.log")"; return 1; }
    for i in $(seq 1 2 119); do printf 'rm /fill/%03d\n' "$i"; done > "$W/$name.cmds"
    echo "write $W/frag /frag" >> "$W/$name.cmds"
    echo "fallocate /sparse 0 $(( (200 << 10) / bs ))" >> "$W/$name.cmds"
    debugfs -w -f "$W/$name.cmds" "$img" >>"$W/$name.log" 2>&1
    e2fsck -fyD "$img" >>"$W/$name.log" 2>&1; local rc=$?
    if [ $rc -gt 1 ] || ! e2fsck -fn "$img" >>"$W/$name.log" 2>&1; then
        fail "$name: e2fsck finds the image clean" "$(tail -3 "$W/$name.log")"; return 1
    fi
}

# What every image must pass; P is what the messages call the filesystem.
checks() {
    local P=$1 contents=$C; [ "${BIG:-}" = 1 ] && contents=$CB
    cat <<EOF
tree $contents
file /frag $W/frag
file /links/deep/deep.txt $T/deep$deep
same /hl/a /hl/b
same /hl/a /hl/sub/c
same /links/fast-abs /a/b/c/file
same /links/fast-rel /big
same /links/slow-abs /a/b/c/file
same /links/slow-rel /a/b/c/file
same /links/dir/c/file /a/b/c/file
same /links/up/links/up/big /big
same /small/one/.. /small
same /small/two/../one/./x /small/one/x
EOF
    [ "${BIG:-}" = 1 ] && cat <<EOF
same /dir5000/file-with-a-long-name-4999 /dir5000/../dir5000/file-with-a-long-name-4999
fails /dir5000/file-with-a-long-name-5000 ENOENT $P: /dir5000/file-with-a-long-name-5000: no such file
EOF
    cat <<EOF
fails /small/one/nothing ENOENT ('nothing' not found)
fails /big/x ENOTDIR $P: /big/x: big is not a directory
fails /links/loop1 ELOOP $P: too many symlinks resolving /links/loop1
fails /links/self ELOOP too many symlinks
fails /links/dangling ENOENT ('nowhere' not found)
listfails /big ENOTDIR $P: /big: not a directory
fuzz $((10 * ${EXT2_FUZZ:-1})) $RANDOM
EOF
}

# oracle NAME PATH...: fsread's bytes, debugfs's and the tree's are the same.
oracle() {
    local name=$1 img=$W/$1.img p host n=0 bad=; shift
    for p in "$@"; do
        host=$TB$p; [ "$p" = /frag ] && host=$W/frag
        [ "${p#/dir5000}" != "$p" ] && [ "${BIG:-}" != 1 ] && continue
        "$fsread" "$img" "$p" > "$W/fsread.out" 2>"$W/fsread.err" || { bad+=" $p(fsread)"; continue; }
        # (debugfs's cat prints all 60 bytes of i_block for a small inline file)
        debugfs -R "cat $p" "$img" 2>/dev/null | head -c "$(stat -c %s "$host")" > "$W/debugfs.out"
        cmp -s "$W/fsread.out" "$host" && cmp -s "$W/debugfs.out" "$host" || bad+=" $p"
        n=$((n + 1))
    done
    [ -z "$bad" ] && pass "$name: fsread, debugfs and the tree agree on $n files" ||
        fail "$name: fsread, debugfs and the tree agree" "differ:$bad"
}
ORACLE=(/big /frag /sparse /sizes/s1 /sizes/s61 /sizes/s4097 /small/two/z /hl/sub/c
        "/names/$(printf 'n%.0s' $(seq 255))" "/deep$deep" /dir5000/file-with-a-long-name-2500)

# ---- The matrix ----
images=0 tried=0
matrix() {   # NAME PREFIX BLOCKSIZE MKE2FS-ARGS...
    local name=$1 P=$2; shift 2
    tried=$((tried + 1))
    mkimg "$name" "$@" || return
    images=$((images + 1))
    checks "$P" | run "$name"
    oracle "$name" "${ORACLE[@]}"
}
# BIG=1: with the directory of 5,000 entries, where its htree differs: two
# levels with 1 KiB blocks (ext2, ext3, ext4's defaults, large_dir, inline
# data, the checksum seed), one with 4 KiB; and with meta_bg, for inodes in
# many groups.  (mke2fs takes seconds to make it.)
start=$SECONDS
for bs in 1024 2048 4096; do
    k=$((bs / 1024))k big1k=$([ $bs = 1024 ] && echo 1)
    BIG=$big1k matrix ext2-$k ext2 $bs -t ext2
    BIG=$big1k matrix ext3-$k ext3 $bs -t ext3
    BIG=$([ $bs != 2048 ] && echo 1) matrix ext4-$k ext4 $bs -t ext4  # Debian 12's defaults
    matrix ext4-$k-no64bit ext4 $bs -t ext4 -O ^64bit
    matrix ext4-$k-noextent ext4 $bs -t ext4 -O ^extent,^64bit         # block maps on ext4
    BIG=$big1k matrix ext4-$k-inline ext4 $bs -t ext4 -O inline_data
    BIG=$big1k matrix ext4-$k-csumseed ext4 $bs -t ext4 -O metadata_csum_seed
    BIG=$big1k matrix ext4-$k-largedir ext4 $bs -t ext4 -O large_dir
    # (-g 256 with 1 KiB blocks: 96 groups, so that inodes live in several
    # meta groups and their descriptors are found the meta_bg way)
    BIG=$big1k matrix ext4-$k-metabg ext4 $bs -t ext4 -O meta_bg,^resize_inode ${big1k:+-g 256}
    matrix ext4-$k-nojournal ext4 $bs -t ext4 -O ^has_journal
done
BIG=1 matrix ext2-1k-metabg ext2 1024 -t ext2 -O meta_bg,^resize_inode -g 256
matrix ext3-1k-metabg ext3 1024 -t ext3 -O meta_bg,^resize_inode
BIG=1 matrix ext4-1k-sparse2 ext4 1024 -t ext4 -O meta_bg,^resize_inode,sparse_super2 -g 256
matrix ext4-1k-bigalloc ext4 1024 -t ext4 -O bigalloc -C 16384
matrix ext4-64k ext4 65536 -t ext4
# Every image of the matrix was made (a failed mke2fs is a FAIL above, but
# then its checks are missing, not failed), and the matrix is whole: 35.
if [ $images -eq $tried ] && [ $tried -ge 35 ]; then
    pass "the matrix: $images images made and checked in $((SECONDS - start)) s"
else
    fail "the matrix: 35 images made and checked" "$images made of $tried tried"
fi

# ---- Large files: triple indirect (ext2, 1 KiB) and a 72 MB extent-mapped file ----
# 72 MB is past 12 + 256 + 256^2 blocks of 1 KiB (64.3 MiB).  Read whole,
# it takes about one request per MiB (ext2_read's largest), plus the
# block map's pointer sectors; with extents, one per MiB and nothing more.
mkdir -p "$W/hugetree" && ln "$W/huge" "$W/hugetree/huge"
for fs in ext2 ext4; do
    mke2fs -q -F -t $fs -b 1024 -d "$W/hugetree" -E root_owner=0:0 "$W/$fs-huge.img" 100M >"$W/$fs-huge.log" 2>&1 ||
        { fail "$fs-huge: mke2fs" "$(tail -1 "$W/$fs-huge.log")"; continue; }
    max=$([ $fs = ext2 ] && echo 1000 || echo 90)
    { echo "file /huge $W/huge"; echo "reads /huge $max"; [ $fs = ext4 ] && echo "faults /huge"; } | run $fs-huge
    debugfs -R "cat /huge" "$W/$fs-huge.img" 2>/dev/null | cmp -s - "$W/huge" &&
        "$fsread" "$W/$fs-huge.img" /huge | cmp -s - "$W/huge" &&
        pass "$fs-huge: fsread and debugfs read the 72 MB file as written" ||
        fail "$fs-huge: fsread and debugfs read the 72 MB file as written"
    rm -f "$W/$fs-huge.img"
done

# ---- Checksums (metadata_csum): a mismatch fails what needed it ----
img=$W/ext4-1k.img BIG=1
cp "$img" "$W/csum-super.img"; poke "$W/csum-super.img" $((1024 + 0x78)) 58      # the label
echo "mountfails ECORRUPT ext4: superblock 0 checksum mismatch" | run csum-super
cp "$img" "$W/csum-desc.img"; poke "$W/csum-desc.img" $((2048 + 0x0C)) 0000      # group 0's free blocks
echo "mountfails ECORRUPT ext4: group descriptor 0 checksum mismatch" | run csum-desc
cp "$img" "$W/csum-inode.img"
ino=$(debugfs -R "stat /big" "$img" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p')
poke "$W/csum-inode.img" $(( $(inode_pos "$img" /big 1024) + 0x10 )) 01          # its mtime
{ echo "fails /big ECORRUPT ext4: inode $ino checksum mismatch"; echo "file /sizes/s4097 $T/sizes/s4097"; } |
    run csum-inode
cp "$img" "$W/csum-extent.img"
etb=$(debugfs -R "stat /frag" "$img" 2>/dev/null | grep -o '(ETB0):[0-9]*' | cut -d: -f2)
poke "$W/csum-extent.img" $((etb * 1024 + 8)) 01                                # eh_generation
{ echo "readfails /frag ECORRUPT ext4: extent block $etb checksum mismatch"; echo "file /big $T/big"; } |
    run csum-extent
cp "$img" "$W/csum-dir.img"
poke "$W/csum-dir.img" $(( $(debugfs -R "bmap /a/b 0" "$img" 2>/dev/null) * 1024 + 0x20 )) 43   # the name "c"
{ echo "fails /a/b/c/file ECORRUPT ext4: directory block 0 checksum mismatch"; echo "file /big $T/big"; } |
    run csum-dir
cp "$img" "$W/csum-htree.img"
poke "$W/csum-htree.img" $(( $(debugfs -R "bmap /dir5000 0" "$img" 2>/dev/null) * 1024 + 0x2C )) 01  # a dx_entry hash
echo "listfails /dir5000 ECORRUPT ext4: directory block 0 checksum mismatch" | run csum-htree

# ---- Features: refused by name (or number), or read with a warning ----
cp "$img" "$W/encrypt.img"; debugfs -w -R "feature encrypt" "$W/encrypt.img" >/dev/null 2>&1
echo "mountfails EUNSUPPORTED ext4: unsupported incompatible feature 'encrypt' (0x10000)" | run encrypt
cp "$W/ext2-1k.img" "$W/unknown.img"; poke "$W/unknown.img" $((1024 + 0x62)) 04     # incompat bit 18
echo "mountfails EUNSUPPORTED ext4: unsupported incompatible feature 'unknown' (0x40000)" | run unknown
cp "$img" "$W/recover.img"; debugfs -w -R "feature needs_recovery" "$W/recover.img" >/dev/null 2>&1
{ echo "mountsays ext4: warning: the journal needs recovery; files may be stale"; echo "file /big $T/big"; } |
    run recover
for f in casefold mmp; do      # ignored without a word (mountsays alone: nothing printed); docs/ext4.md says why
    cp "$W/ext4-4k.img" "$W/$f.img"; debugfs -w -R "feature $f" "$W/$f.img" >/dev/null 2>&1
    { echo "mountsays"; echo "file /big $T/big"; } | run $f
done

# ---- Damaged extent trees (without checksums, so that the damage is read) ----
BIG=
mkimg nocsum 1024 -t ext4 -O ^metadata_csum && {
    ipos=$(inode_pos "$W/nocsum.img" /frag 1024)
    ino=$(debugfs -R "stat /frag" "$W/nocsum.img" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p')
    etb=$(debugfs -R "stat /frag" "$W/nocsum.img" 2>/dev/null | grep -o '(ETB0):[0-9]*' | cut -d: -f2)
    cp "$W/nocsum.img" "$W/ext-depth.img"; poke "$W/ext-depth.img" $((ipos + 0x28 + 6)) 0600   # eh_depth 6
    echo "readfails /frag ECORRUPT ext4: inode $ino: bad extent tree node at depth 0" | run ext-depth
    cp "$W/nocsum.img" "$W/ext-child.img"; poke "$W/ext-child.img" $((etb * 1024 + 6)) 0100    # a leaf claims depth 1
    echo "readfails /frag ECORRUPT ext4: inode $ino: bad extent tree node at depth 1" | run ext-child
    cp "$W/nocsum.img" "$W/ext-entries.img"; poke "$W/ext-entries.img" $((etb * 1024 + 2)) ffff # eh_entries > eh_max
    echo "readfails /frag ECORRUPT bad extent tree node" | run ext-entries
    cp "$W/nocsum.img" "$W/ext-start.img"; poke "$W/ext-start.img" $((etb * 1024 + 12 + 6)) 0100  # ee_start_hi
    echo "readfails /frag ECORRUPT ext4: inode $ino: block 42949" | run ext-start
    { echo "faults /frag"; echo "fuzz $((100 * ${EXT2_FUZZ:-1})) 13"; } | run nocsum
}
