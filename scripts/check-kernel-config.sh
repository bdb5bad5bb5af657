#!/usr/bin/env bash
# check-kernel-config.sh FRAGMENT CONFIG
# Kconfig silently drops an option whose dependencies are not met.  Fail,
# naming each option of FRAGMENT whose value did not survive into CONFIG.
set -euo pipefail
fragment=$1 config=$2
bad=0
while IFS= read -r line; do
    case "$line" in
        CONFIG_*=*) grep -qxF "$line" "$config" || { echo "kernel-config: $line did not survive into .config (got: $(grep -E "^(# )?${line%%=*}[= ]" "$config" || echo 'absent'))" >&2; bad=1; } ;;
        "# CONFIG_"*" is not set") grep -qxF "$line" "$config" || { echo "kernel-config: '$line' did not survive" >&2; bad=1; } ;;
    esac
done < "$fragment"
[ $bad -eq 0 ] && echo "kernel-config: all $(grep -c '^CONFIG_' "$fragment") options of $(basename "$fragment") are in .config"
exit $bad
