#!/usr/bin/env bash
# The smart-os build outputs, checked without booting:
#   - every option of kernel-config/smartos.config is in the built .config;
#   - build/rootfs: init, the ELF loader, every library every program needs,
#     the demo module where modprobe looks, the root password;
#   - build/initrd: a static BusyBox, /init, /dev/console;
#   - build/smartos.img: MBR, one bootable Linux partition at sector 2048,
#     the filesystem FS asks for, /boot/bzImage and /boot/initrd owned by root;
#   - scripts/mkdisk.sh makes ext3 and ext4 too, and root-owned files when
#     run by an ordinary user;
#   - build/extra.img holds its marker; build/rootfs.tar is what docker
#     import needs.
# expect: 36 host
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/smartos-lib.sh"
# has TEXT REGEX / lacks TEXT REGEX: does TEXT contain a match (grep -E)?
has()   { grep -qE -- "$2" <<<"$1"; }
lacks() { ! grep -qE -- "$2" <<<"$1"; }
need "$BUILD/kernel/.config" "$BUILD/rootfs" "$BUILD/initrd" "$BUILD/smartos.img" \
     "$BUILD/extra.img" "$BUILD/debs/busybox/bin/busybox"
work=$TLOG/t-20; rm -rf "$work"; mkdir -p "$work"
root=$BUILD/rootfs
kver=$(cat "$BUILD/kernel/include/config/kernel.release")
FS=${FS:-ext2}

# --- Kernel ---------------------------------------------------------------------------
if out=$("$TOP/scripts/check-kernel-config.sh" "$TOP/kernel-config/smartos.config" "$BUILD/kernel/.config" 2>&1); then
    pass "kernel .config has every option of smartos.config"
else
    fail "kernel .config has every option of smartos.config" "$out"
fi

# --- Root filesystem ----------------------------------------------------------------------
check "rootfs: /sbin/init is BusyBox" test "$(readlink "$root/sbin/init")" = /bin/busybox
# (The link is absolute: /lib/x86_64-linux-gnu/..., inside the rootfs.)
check "rootfs: /lib64/ld-linux-x86-64.so.2 leads to a file in the rootfs" \
    test -f "$root$(readlink "$root/lib64/ld-linux-x86-64.so.2")"
# Resolve each library name the way the guest's loader does: in its
# default directories, inside the rootfs.
unresolved=
while IFS= read -r -d '' f; do
    [ "$(head -c4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
    for lib in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        found=
        for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib /usr/lib; do
            [ -e "$root$d/$lib" ] && found=1
        done
        [ -n "$found" ] || unresolved="$unresolved ${f#"$root"}:$lib"
    done
done < <(find "$root" -type f \( -perm /111 -o -name '*.so*' \) -print0)
check "rootfs: every DT_NEEDED library is in the rootfs${unresolved:+ (missing:$unresolved)}" test -z "$unresolved"
check "rootfs: busybox is the dynamic (glibc) one" \
    has "$(readelf -l "$root/bin/busybox")" 'interpreter: /lib64/ld-linux-x86-64.so.2'
check "rootfs: the demo module is in /lib/modules/$kver/extra" test -f "$root/lib/modules/$kver/extra/hello.ko"
check "rootfs: hello.ko was built for $kver" \
    has "$(modinfo -F vermagic "$root/lib/modules/$kver/extra/hello.ko")" "^$kver "
check "rootfs: modules.dep (depmod) lists hello.ko" grep -q '^extra/hello.ko:' "$root/lib/modules/$kver/modules.dep"
# The shadow entry must be ROOT_PASSWORD's SHA-512 crypt: recompute it
# with the salt the entry carries.
entry=$(grep '^root:' "$root/etc/shadow" | cut -d: -f2)
salt=$(cut -d'$' -f3 <<<"$entry")
check "rootfs: /etc/shadow holds the hash of ROOT_PASSWORD" \
    test "$("$BUILD/debs/busybox/bin/busybox" mkpasswd -m sha512 "$PASSWORD" "$salt")" = "$entry"
check "rootfs: /etc/shadow is mode 600" test "$(stat -c %a "$root/etc/shadow")" = 600
for f in etc/inittab etc/init.d/rcS etc/init.d/rcK etc/fstab etc/os-release etc/passwd etc/group \
         etc/profile etc/hostname etc/nsswitch.conf usr/share/udhcpc/default.script boot/bzImage boot/initrd; do
    [ -e "$root/$f" ] || missing_etc="${missing_etc:-} $f"
done
check "rootfs: the system files are there${missing_etc:+ (missing:$missing_etc)}" test -z "${missing_etc:-}"

# --- initrd ---------------------------------------------------------------------------------
# List every entry of the (possibly concatenated) newc archives: name and
# mode.  cpio -t would stop at the first archive's trailer.
zcat "$BUILD/initrd" > "$work/initrd.cpio"
python3 - "$work/initrd.cpio" > "$work/initrd.list" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
pos = 0
while pos + 110 <= len(data):
    if data[pos:pos + 6] != b"070701":
        pos += 1; continue                      # padding between archives
    field = lambda i: int(data[pos + 6 + 8 * i: pos + 14 + 8 * i], 16)
    mode, filesize, namesize = field(1), field(6), field(11)
    name = data[pos + 110: pos + 110 + namesize - 1].decode()
    print("%o %s" % (mode, name))
    pos = (pos + 110 + namesize + 3) & ~3
    pos = (pos + filesize + 3) & ~3
PY
check "initrd: has /init" grep -qE '^100755 init$' "$work/initrd.list"
check "initrd: has bin/busybox" grep -q ' bin/busybox$' "$work/initrd.list"
check "initrd: has bin/switch_root" grep -q ' bin/switch_root$' "$work/initrd.list"
check "initrd: has the /dev/console node" grep -qE '^20600 /?dev/console$' "$work/initrd.list"
(cd "$work" && cpio -id --quiet bin/busybox < initrd.cpio 2>/dev/null)
check "initrd: busybox is static" lacks "$(readelf -l "$work/bin/busybox")" interpreter

# --- The disk -----------------------------------------------------------------------------------
table=$(sfdisk -d "$BUILD/smartos.img")
check "smartos.img: MBR with one partition" test "$(grep -c '^/.*img[0-9] :' <<<"$table")" -eq 1
check "smartos.img: partition 1 starts at sector 2048, type 83, bootable" \
    has "$table" 'img1 : start= *2048, size= *[0-9]+, type=83, bootable'
# The partition, as a file of its own, for debugfs and dumpe2fs.
part() { dd if="$1" of="$2" bs=1M skip=1 status=none conv=sparse; }
part "$BUILD/smartos.img" "$work/part.img"
features=$(dumpe2fs -h "$work/part.img" 2>/dev/null | sed -n 's/^Filesystem features: *//p')
case $FS in
    ext2) check "smartos.img: ext2 (no journal, no extents)" lacks "$features" 'has_journal|extent' ;;
    ext3) check "smartos.img: ext3 (journal, no extents)" has "$features" '^(.* )?has_journal( .*)?$' ;;
    ext4) check "smartos.img: ext4 (journal, extents)" has "$features" 'has_journal.* extent ' ;;
esac
e2fsck_clean() { e2fsck -fn "$1" >/dev/null 2>&1; }
check "smartos.img: e2fsck finds no error" e2fsck_clean "$work/part.img"
for f in bzImage initrd; do
    debugfs -R "dump /boot/$f $work/$f" "$work/part.img" 2>/dev/null
    check "smartos.img: /boot/$f is build/$f" cmp -s "$work/$f" "$BUILD/$f"
    check "smartos.img: /boot/$f belongs to root" \
        has "$(debugfs -R "stat /boot/$f" "$work/part.img" 2>/dev/null)" 'User: +0 +Group: +0 '
done

# mkdisk.sh run by an ordinary user on files that user owns: mke2fs -d
# would record the user's uid; the debugfs fix-up must make them root's.
# As root we play the user (uid 65534) with setpriv, in a directory of
# /tmp that this user can reach whatever the permissions of the checkout;
# as a user we are one already.
if [ "$(id -u)" -eq 0 ]; then
    uwork=$(mktemp -d /tmp/smartos-t20.XXXXXX)
    trap 'rm -rf "$uwork"' EXIT
    cp -a "$root" "$uwork/userroot"
    cp "$TOP/scripts/mkdisk.sh" "$uwork/"
    chown -R -h 65534:65534 "$uwork"; chmod 755 "$uwork"
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
    uwork=$work
    cp -a "$root" "$uwork/userroot"
    cp "$TOP/scripts/mkdisk.sh" "$uwork/"
    as_user=()
fi
for fs in ext3 ext4; do
    if "${as_user[@]}" "$uwork/mkdisk.sh" -b -t "$fs" "$uwork/userroot" "$uwork/$fs.img" >/dev/null 2>"$work/$fs.err"; then
        part "$uwork/$fs.img" "$work/$fs.part"
        feats=$(dumpe2fs -h "$work/$fs.part" 2>/dev/null | sed -n 's/^Filesystem features: *//p')
        case $fs in
            ext3) check "mkdisk -t ext3 (as a user): a journal" has "$feats" 'has_journal'
                  check "mkdisk -t ext3 (as a user): no extents" lacks "$feats" 'extent' ;;
            ext4) check "mkdisk -t ext4 (as a user): journal and extents" has "$feats" 'has_journal.* extent ' ;;
        esac
        stat=$(debugfs -R 'stat /etc/shadow' "$work/$fs.part" 2>/dev/null)
        check "mkdisk -t $fs (as a user): /etc/shadow is root's" has "$stat" 'User: +0 +Group: +0 '
        check "mkdisk -t $fs (as a user): /etc/shadow is mode 0600" has "$stat" 'Mode: +0600'
    else
        fail "mkdisk -t $fs (as a user)" "$(cat "$work/$fs.err")"
    fi
    rm -f "$uwork/$fs.img"
done

# --- Second disk, Docker tarball ---------------------------------------------------------------------
part "$BUILD/extra.img" "$work/extra.part"
check "extra.img: /MARKER is there" \
    has "$(debugfs -R 'cat /MARKER' "$work/extra.part" 2>/dev/null)" 'smart-os extra disk'
if [ -f "$BUILD/rootfs.tar" ]; then
    list=$(tar -tvf "$BUILD/rootfs.tar" --numeric-owner)
    for f in ./sbin/init ./lib64/ld-linux-x86-64.so.2 ./bin/busybox; do
        check "rootfs.tar: has $f" grep -qE " $f( |$)" <<<"$list"
    done
    check "rootfs.tar: everything belongs to 0/0" test -z "$(awk '$2 != "0/0"' <<<"$list")"
else
    fail "rootfs.tar" "build/rootfs.tar is missing (make rootfs.tar)"
fi
