#!/usr/bin/env bash
# Build the smart-os kernel from Debian's linux-source-6.1 tarball.
#
#   scripts/build-kernel.sh            -> build/bzImage, build/kernel (link to the build tree)
#
# The build tree lives in build/kernel-<key>/, where <key> hashes the source
# package version and the config fragment (bump `recipe` when the way the
# kernel is built changes).  A second `make` with
# the same inputs finds the tree, sees bzImage there and returns at once.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
tarball=/usr/src/linux-source-6.1.tar.xz
fragment=$top/kernel-config/smartos.config

[ -f "$tarball" ] || { echo "build-kernel: $tarball missing: run 'make deps' (installs linux-source-6.1)" >&2; exit 1; }

version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
recipe=1
key=$( { echo "$version recipe $recipe"; cat "$fragment"; } | sha256sum | cut -c1-12)
src=$build/linux-source-6.1
out=$build/kernel-$key

if [ -f "$out/arch/x86/boot/bzImage" ] && [ -f "$out/.smartboot-ok" ]; then
    echo "kernel: cached ($out, linux-source-6.1 $version)"
else
    # Unpack once per source version.
    if [ "$(cat "$src/.smartboot-version" 2>/dev/null)" != "$version" ]; then
        echo "kernel: unpacking $tarball"
        rm -rf "$src"
        tar -C "$build" -xf "$tarball"
        echo "$version" > "$src/.smartboot-version"
    fi
    rm -rf "$out"; mkdir -p "$out"
    echo "kernel: configuring (tinyconfig + kernel-config/smartos.config)"
    make -s -C "$src" O="$out" ARCH=x86_64 tinyconfig >/dev/null
    (cd "$src" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m -O "$out" "$out/.config" "$fragment" >/dev/null)
    make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >/dev/null
    "$top/scripts/check-kernel-config.sh" "$fragment" "$out/.config"
    echo "kernel: building bzImage and modules with $(nproc) jobs (about 5 minutes on 2 cores; one line per file)"
    start=$(date +%s)
    # Progress: kbuild prints one "CC ..." line per object; show a running count.
    make -C "$src" O="$out" ARCH=x86_64 -j"$(nproc)" bzImage modules 2>&1 |
        awk '/^  (CC|AS|LD|AR)/ { n++; if (n % 100 == 0) { printf "kernel: %d objects built\n", n; fflush() } next } { print; fflush() }'
    test "${PIPESTATUS[0]}" -eq 0
    echo "kernel: built in $(( $(date +%s) - start )) s"
    touch "$out/.smartboot-ok"
fi
# The check runs after every build, cached or not: a fragment edited by hand
# without a rebuild would otherwise go unnoticed.
"$top/scripts/check-kernel-config.sh" "$fragment" "$out/.config"
ln -sfn "kernel-$key" "$build/kernel"
cp -f "$out/arch/x86/boot/bzImage" "$build/bzImage"
