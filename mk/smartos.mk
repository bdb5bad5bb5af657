# smart-os: the system smartboot boots.  BusyBox + glibc from Debian, the
# demo module, an initrd, and the disks that hold them.
#
#   make smartos     build/smartos.img: the root disk (FS=ext2|ext3|ext4,
#                    DISK_MB=size, WITH_GCC=1 to carry gcc)
#   make extra       build/extra.img: a second disk (./run.sh --extra)
#   make gcc-disk    build/smartos-gcc.img: the root disk with gcc, always
#   make rootfs      build/rootfs/: the staging tree the disk is made from
#   make rootfs.tar  build/rootfs.tar: the same tree, for `docker import`
#   make initrd      build/initrd
#   make module      build/module/hello.ko
#
# The loader's build/disk.img (mk/loader.mk) is build/smartos.img with
# smartboot installed.  How the pieces fit: docs/smart-os.md.

ROOT_PASSWORD ?= smartos
# Size of build/smartos.img in MiB; empty: the contents plus headroom.
DISK_MB ?=
# File times inside the images: fixed, so that a rebuild of the same
# inputs gives the same bytes.
SOURCE_DATE_EPOCH ?= 1704067200
export ROOT_PASSWORD SOURCE_DATE_EPOCH

.PHONY: smartos extra gcc-disk rootfs rootfs.tar initrd module busybox
all: smartos extra
# The tests also boot build/smartos-gcc.img (t-24) and read build/rootfs.tar (t-20).
test: gcc-disk rootfs.tar

smartos:    $(BUILD)/smartos.img
extra:      $(BUILD)/extra.img
gcc-disk:   $(BUILD)/smartos-gcc.img
rootfs:     $(BUILD)/rootfs.manifest
rootfs.tar: $(BUILD)/rootfs.tar
initrd:     $(BUILD)/initrd
module:     $(BUILD)/module/hello.ko
busybox:    $(BUILD)/debs/busybox.unpacked $(BUILD)/debs/busybox-static.unpacked

# --- Debian's BusyBox, dynamic (root filesystem) and static (initrd) ---------------
$(BUILD)/debs/%.unpacked: scripts/get-deb.sh
	$(Q)scripts/get-deb.sh $* $(BUILD)/debs

# --- The kernel tree -----------------------------------------------------------------
# The tree's Module.symvers changes only when the kernel is rebuilt; the
# module and the initrd (which uses the tree's gen_init_cpio) depend on it.
# (Not on build/bzImage: scripts/build-kernel.sh copies it, with a new
# time, on every run.)
KTREE := $(BUILD)/kernel/Module.symvers
$(KTREE): kernel

# --- The demo module -----------------------------------------------------------------
# Built out of tree against build/kernel, in build/module/ so that module/
# stays clean: the kernel's make, given M=DIR, reads DIR/Kbuild.
$(BUILD)/module/hello.ko: module/hello.c module/Kbuild $(KTREE)
	$(Q)mkdir -p $(@D)
	$(Q)cp -p module/hello.c module/Kbuild $(@D)/
	$(Q)$(MAKE) -s -C $(BUILD)/kernel M=$(abspath $(@D)) modules

# --- The initrd -----------------------------------------------------------------------
$(BUILD)/initrd: rootfs/initrd/init scripts/mkinitrd.sh $(BUILD)/debs/busybox-static.unpacked $(KTREE)
	$(Q)scripts/mkinitrd.sh $@

# --- The root filesystem ----------------------------------------------------------------
# scripts/mkrootfs.sh rebuilds the staging tree every time (FORCE: it has
# too many inputs to list, from rootfs/skel to the host's glibc), but
# rewrites build/rootfs.manifest only when the contents changed; the disk
# depends on the manifest.  WITH_GCC=1 puts gcc into it.
ROOTFS_INPUTS := $(BUILD)/initrd $(BUILD)/module/hello.ko $(BUILD)/debs/busybox.unpacked kernel
$(BUILD)/rootfs.manifest: $(ROOTFS_INPUTS) FORCE
	$(Q)scripts/mkrootfs.sh $(if $(filter 1,$(WITH_GCC)),--gcc) $(BUILD)/rootfs
$(BUILD)/rootfs-gcc.manifest: $(ROOTFS_INPUTS) FORCE
	$(Q)scripts/mkrootfs.sh --gcc $(BUILD)/rootfs-gcc

# --- The disks ----------------------------------------------------------------------------
# The settings that are not in the manifest, in a file rewritten only when
# they change: `make FS=ext4` rebuilds the disk, a second `make FS=ext4`
# does not.
$(BUILD)/smartos-options: FORCE | $(BUILD)
	$(Q)echo 'FS=$(FS) DISK_MB=$(DISK_MB)' | cmp -s - $@ || echo 'FS=$(FS) DISK_MB=$(DISK_MB)' > $@

MKDISK = scripts/mkdisk.sh -b -t $(FS) $(if $(DISK_MB),-s $(DISK_MB))
$(BUILD)/smartos.img: $(BUILD)/rootfs.manifest $(BUILD)/smartos-options scripts/mkdisk.sh
	$(Q)$(MKDISK) $(BUILD)/rootfs $@
# The gcc disk takes FS but not DISK_MB (it is much bigger).
$(BUILD)/smartos-gcc.img: $(BUILD)/rootfs-gcc.manifest $(BUILD)/smartos-options scripts/mkdisk.sh
	$(Q)scripts/mkdisk.sh -b -t $(FS) $(BUILD)/rootfs-gcc $@

# The second disk: one small ext2 partition with a marker file that the
# tests read back from /mnt/sdb.
$(BUILD)/extra.img: scripts/mkdisk.sh | $(BUILD)
	$(Q)rm -rf $(BUILD)/extra && mkdir -p $(BUILD)/extra
	$(Q)echo 'smart-os extra disk: mounted from /dev/sdb1' > $(BUILD)/extra/MARKER
	$(Q)touch -d @$(SOURCE_DATE_EPOCH) $(BUILD)/extra $(BUILD)/extra/MARKER
	$(Q)scripts/mkdisk.sh -n -t ext2 -s 8 -L extra -U 5a4f5351-0000-4000-8000-657874726121 $(BUILD)/extra $@

# --- For Docker ------------------------------------------------------------------------------
# docker import build/rootfs.tar smart-os   (see docs/smart-os.md).  Owned
# by root whoever builds it; /boot left out (a container has no use for a
# kernel); sorted names and fixed times for a reproducible archive.
$(BUILD)/rootfs.tar: $(BUILD)/rootfs.manifest
	$(Q)tar -C $(BUILD)/rootfs --sort=name --mtime=@$(SOURCE_DATE_EPOCH) \
		--owner=0 --group=0 --numeric-owner --exclude=./boot/* -cf $@.tmp .
	$(Q)mv $@.tmp $@
	@echo "rootfs.tar: $@ ($$(du -k $@ | cut -f1) KiB)"
