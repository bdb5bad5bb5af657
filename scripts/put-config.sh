#!/usr/bin/env bash
# put-config.sh [--as PATH] IMAGE [CONFIG]
#
# Write CONFIG as /boot/smartboot.cfg into the first partition of the disk
# IMAGE (build/disk.img), with debugfs: no root, no mount.  Without CONFIG
# (`make CONFIG=`), remove /boot/smartboot.cfg: stage 2 then boots its
# built-in entry at once (docs/config.md).  The file belongs to root, mode
# 0644, with the build's fixed time (SOURCE_DATE_EPOCH): the same inputs
# give the same image.  --as PATH writes (or removes) PATH instead: stage
# 2's extension, /boot/smartboot.ext (mk/loader.mk, docs/extension.md).
set -euo pipefail
DEST=/boot/smartboot.cfg
if [ "${1:-}" = --as ]; then DEST=${2:?--as needs a path}; shift 2; fi
img=${1:?usage: put-config.sh [--as PATH] IMAGE [CONFIG]} cfg=${2:-}
readonly SECTOR=512 DEST

# Where partition 1 starts, from the partition table (scripts/mkdisk.sh puts
# it at sector 2048; read, not assumed).
start=$(sfdisk -d "$img" | awk -F'[=,]' '/^[^#].*: *start=/ { gsub(/ /, "", $2); print $2; exit }')
[ -n "$start" ] || { echo "put-config: $img: no partition 1" >&2; exit 1; }
part="$img?offset=$((start * SECTOR))"

# debugfs exits 0 even when a request fails: the result is read back.
dfs() { E2FSPROGS_FAKE_TIME=${SOURCE_DATE_EPOCH:-1704067200} debugfs -w -R "$1" "$part" >/dev/null 2>&1 || true; }
dfs "rm $DEST"
if [ -z "$cfg" ]; then
    if debugfs -R "stat $DEST" "$part" 2>/dev/null | grep -q 'Size:'; then
        echo "put-config: could not remove $DEST from $img" >&2; exit 1
    fi
    echo "config: no $DEST on $img"
    exit 0
fi
[ -f "$cfg" ] || { echo "put-config: $cfg: no such file" >&2; exit 1; }
dfs "write $cfg $DEST"
dfs "set_inode_field $DEST uid 0"
dfs "set_inode_field $DEST gid 0"
dfs "set_inode_field $DEST mode 0100644"
if ! debugfs -R "cat $DEST" "$part" 2>/dev/null | cmp -s - "$cfg"; then
    echo "put-config: could not write $cfg as $DEST into $img" >&2; exit 1
fi
echo "config: $cfg is $DEST on $img"
