# The boot-time benchmark: smartboot against GRUB 2, EXTLINUX and QEMU's
# own -kernel loader, on the same disk, kernel and initrd (bench/,
# docs/performance.md).
#
#   make bench                 N=5 boots each, small and big initrd, -M pc and q35
#   make bench N=3             fewer boots
#   make bench QUICK=1         one boot each, small initrd, -M pc (what make test runs)
#   make bench WORKLOADS=big MACHINES=q35
.PHONY: bench
bench: all
	$(Q)N=$(N) QUICK=$(QUICK) WORKLOADS=$(WORKLOADS) MACHINES=$(MACHINES) REPORT=$(REPORT) bench/bench.sh
