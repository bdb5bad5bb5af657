#!/usr/bin/env bash
# Install the Debian packages smartboot needs to build, boot and test.
#   scripts/deps.sh          install what is missing (needs root, or sudo)
#   scripts/deps.sh --check  only report what is missing; exit 1 if anything is
set -euo pipefail

# One package per line, with why we need it.
packages=(
    nasm               # stage 1 and the real-mode parts of stage 2
    gcc make           # stage 2 (-m32), the installer, host tests
    gcc-multilib       # 32-bit libgcc and headers for stage 2
    binutils           # ld, objcopy, objdump (listings)
    linux-source-6.1   # the smart-os kernel source (/usr/src/linux-source-6.1.tar.xz)
    flex bison bc      # the kernel build
    libelf-dev libssl-dev
    kmod               # depmod for the demo module
    cpio xz-utils      # initrd, kernel tarball
    fdisk              # sfdisk: the partition table
    e2fsprogs          # mke2fs -d: filesystems without root or mounts
    qemu-system-x86 qemu-utils
    python3            # the test driver of the serial console
    dnsmasq-base       # the DNS server the network test runs on loopback
    gdb                # make debug
    graphviz           # dot: the pictures in docs/img (make docs-img)
    dpkg-dev           # dpkg-deb, apt-get download: BusyBox and gcc into the rootfs
    grub-pc-bin        # make bench: the GRUB 2 i386-pc baseline (grub-mkimage, boot.img); t-36: the Multiboot oracle
    extlinux           # make bench: the EXTLINUX baseline (installer)
    syslinux-common    # make bench: EXTLINUX's mbr.bin and ldlinux.c32
    gnuplot-nox        # make bench: the plot in docs/performance.md
    clang              # make fuzz, make test: libFuzzer (-fsanitize=fuzzer) and MemorySanitizer
    xorriso            # make iso: the hybrid ISO image; the ISO 9660 reader's oracle
    gdisk              # sgdisk: GPT disks in the tests and the partition module's oracle
    dosfstools         # mkfs.fat: FAT partitions and whole-disk filesystems the installer must refuse
    bochs bochsbios vgabios  # a second BIOS in the tests (./run.sh --bochs)
    grub2-common       # grub-install: GRUB 2 as an oracle (Multiboot, chainloading)
    strace             # the installer tests watch its writes
    man-db groff-base  # the installer's man page (man -l, groff -ww)
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" = --check ]; then
    echo "deps: missing Debian packages: ${missing[*]} (run 'make deps')" >&2
    exit 1
fi
echo "deps: installing ${missing[*]}"
sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
