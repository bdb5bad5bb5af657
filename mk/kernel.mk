# The smart-os kernel: tinyconfig + kernel-config/smartos.config, built from
# Debian's linux-source-6.1 and cached in build/kernel-<key>/ (see
# scripts/build-kernel.sh).  The script decides whether to rebuild, so it runs
# every time; it returns in a second when the cache is good.
.PHONY: kernel
kernel: | $(BUILD)
	$(Q)scripts/build-kernel.sh

$(BUILD)/bzImage: kernel
