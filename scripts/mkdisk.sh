#!/usr/bin/env bash
# mkdisk.sh [OPTIONS] ROOTDIR IMAGE
#
# Make a raw disk image holding ROOTDIR as its one partition, without root
# and without mounting anything:
#
#   sector 0          MBR with a partition table (sfdisk); its boot code
#                     area is left zero for the boot loader's installer
#   sectors 1..2047   free: where smartboot's stage 2 goes
#   sector 2048..end  partition 1, type 83 (Linux), an ext2/3/4 filesystem
#                     made by `mke2fs -d ROOTDIR`
#
# Options:
#   -t FS      ext2 (default), ext3 or ext4
#   -s MB      image size in MiB (default: the contents plus half, plus 32)
#   -L LABEL   filesystem label (default: smartos)
#   -U UUID    filesystem UUID (default: a fixed one, for reproducible images)
#   -b         mark the partition bootable (active)
#   -B SIZE    filesystem block size (default 4096)
#   -n         no device nodes (by default /dev/console and /dev/null are
#              added, for a kernel booted without the initrd)
set -euo pipefail

fs=ext2 size_mb='' label=smartos uuid=5a4f5351-0000-4000-8000-736d6172746f bootable='' bsize=4096 nodes=1
while getopts "t:s:L:U:bB:n" opt; do
    case $opt in
        t) fs=$OPTARG ;; s) size_mb=$OPTARG ;; L) label=$OPTARG ;; U) uuid=$OPTARG ;;
        b) bootable=", bootable" ;; B) bsize=$OPTARG ;; n) nodes=0 ;;
        *) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//;$d' >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || { echo "usage: mkdisk.sh [-t FS] [-s MB] [-L LABEL] [-U UUID] [-b] ROOTDIR IMAGE" >&2; exit 2; }
root=$1 img=$2
case $fs in ext2|ext3|ext4) ;; *) echo "mkdisk: FS must be ext2, ext3 or ext4, not '$fs'" >&2; exit 2 ;; esac
[ -d "$root" ] || { echo "mkdisk: $root: no such directory" >&2; exit 1; }

readonly SECTOR=512 PART_START=2048      # 1 MiB: the usual alignment, and room for stage 2

# Default size: what the files take, half as much again (free space in the
# running system, and the filesystem's own metadata and journal), plus 32
# MiB.  The image is a sparse file: unused space costs nothing on the host.
if [ -z "$size_mb" ]; then
    content_mb=$(( $(du -sk "$root" | cut -f1) / 1024 ))
    size_mb=$(( content_mb + content_mb / 2 + 32 ))
fi
part_sectors=$(( size_mb * 1024 * 1024 / SECTOR - PART_START ))

tmp=$img.tmp part=$img.part
trap 'rm -f "$tmp" "$part" "$part.cmds" "$part.err"' EXIT
rm -f "$tmp" "$part"

# --- The partition table ---------------------------------------------------------
truncate -s "${size_mb}M" "$tmp"
# label-id: the disk signature (MBR bytes 440-443), fixed for reproducible
# images.  sfdisk writes only the table and signature, not the code area.
sfdisk --quiet --no-reread --no-tell-kernel "$tmp" <<TABLE
label: dos
label-id: 0x534d4f53
unit: sectors

start=$PART_START, size=$part_sectors, type=83$bootable
TABLE

# --- The filesystem, in a file of its own ------------------------------------------
# -d copies ROOTDIR in (files, links, modes; owners as the files have them).
# -E root_owner=0:0: the top directory belongs to root (by default it
# belongs to whoever runs mke2fs).  E2FSPROGS_FAKE_TIME: fixed timestamps in
# the superblock; -U and hash_seed: fixed identifiers.  Together with the
# fixed file times of mkrootfs.sh, the same tree gives the same image.
truncate -s $(( part_sectors * SECTOR )) "$part"
E2FSPROGS_FAKE_TIME=${SOURCE_DATE_EPOCH:-1704067200} \
    mke2fs -q -F -t "$fs" -b "$bsize" -L "$label" -U "$uuid" \
        -E "root_owner=0:0,hash_seed=$uuid" -d "$root" "$part"

# Fix-ups with debugfs, which edits the filesystem image directly:
#  - owners: mke2fs -d gives each file the uid/gid it has in ROOTDIR.  Run
#    as root, that is root (0:0) already; run as a user, every file would
#    belong to that user's uid, and smart-os's root could not, say, protect
#    /etc/shadow.  So everything that is not owned by 0:0 is set to 0:0.
#  - /dev/console and /dev/null: device nodes cannot be made in ROOTDIR
#    without root, but debugfs can write them into the image.  The initrd
#    mounts devtmpfs over /dev anyway; these are for a kernel started
#    without an initrd, which opens /dev/console for init's output.
#    (debugfs's mknod makes the node in its current directory, hence cd.)
: > "$part.cmds"
(cd "$root" && find . ! \( -uid 0 -gid 0 \) -printf '%P\n') | while IFS= read -r p; do
    printf 'set_inode_field "/%s" uid 0\nset_inode_field "/%s" gid 0\n' "$p" "$p"
done >> "$part.cmds"
if [ $nodes -eq 1 ] && [ -d "$root/dev" ]; then
    cat >> "$part.cmds" <<'NODES'
cd /dev
mknod console c 5 1
set_inode_field console mode 020600
mknod null c 1 3
set_inode_field null mode 020666
NODES
fi
if [ -s "$part.cmds" ]; then
    E2FSPROGS_FAKE_TIME=${SOURCE_DATE_EPOCH:-1704067200} debugfs -w -f "$part.cmds" "$part" >/dev/null 2>"$part.err" ||
        { cat "$part.err" >&2; rm -f "$part.err"; exit 1; }
    # debugfs reports failed commands on stderr but still exits 0.
    if grep -v '^debugfs ' "$part.err" | grep -q .; then
        cat "$part.err" >&2; rm -f "$part.err"; echo "mkdisk: debugfs fix-ups failed" >&2; exit 1
    fi
    rm -f "$part.err"
fi
# A full check of what we made: any error here is a bug in this script.
e2fsck -fn "$part" >/dev/null 2>&1 || { echo "mkdisk: e2fsck found errors in the new filesystem" >&2; e2fsck -fn "$part" >&2; exit 1; }

# --- Into the partition ------------------------------------------------------------
# conv=notrunc keeps the rest of the image; sparse skips the zero blocks, so
# the image stays sparse.
dd if="$part" of="$tmp" bs=1M seek=$(( PART_START * SECTOR )) oflag=seek_bytes conv=notrunc,sparse status=none
mv "$tmp" "$img"
echo "disk: $img ($size_mb MiB, $fs, partition 1 at sector $PART_START${bootable:+, bootable})"
