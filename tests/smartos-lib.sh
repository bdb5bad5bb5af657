# shellcheck shell=bash disable=SC2034  # sourced: the variables are used by the tests
# Helpers for the smart-os tests (tests/t-2*-*.sh), sourced after lib.sh.
#
# The boot tests start smart-os with QEMU's own loader (-kernel/-initrd),
# so they test smart-os alone, independent of smartboot, and each boots a
# private copy of the disk in build/tests/: no test changes the build's
# images or another test's.

PASSWORD=${ROOT_PASSWORD:-smartos}
# The shell prompt of root (PS1 in rootfs/skel/etc/profile).
PROMPT='root@smart-os:[^\n]*# '

# need FILE...: the build outputs a test uses; a clear failure if missing.
need() {
    local f
    for f in "$@"; do
        [ -e "$f" ] || { fail "build output ${f#"$TOP"/} is missing" "run 'make' first"; exit 1; }
    done
}

# disk_copy SRC NAME: a private copy of disk image SRC (sparse, like the
# original); prints its path.
disk_copy() {
    local img=$TLOG/$2.img
    cp --sparse=always "$1" "$img"
    echo "$img"
}

# direct DISK [KERNEL-ARGS...]: set QARGS to the QEMU arguments of a direct
# boot of DISK (QEMU loads the kernel and initrd; the disk is /dev/sda).
# no_timer_check: on a loaded host (tests run in parallel, and other work)
# TCG can miss the kernel's IO-APIC timer check, which then panics ("IO-APIC
# + timer doesn't work"); that has nothing to do with smart-os.
direct() {
    local disk=$1; shift
    QARGS=(-kernel "$BUILD/bzImage" -initrd "$BUILD/initrd"
           -append "root=/dev/sda1 $CONSOLE no_timer_check${*:+ $*}"
           -drive "file=$disk,format=raw,if=ide,index=0")
}

# Console steps that log in as root and wait for the prompt.
LOGIN=(-e 'login: ' -s 'root\n' -e 'Password: ' -s "$PASSWORD\n" -e "$PROMPT")

# A shell function typed into the guest first: `r TAG COMMAND...` runs
# COMMAND and prints each line of its output, then its exit status, as
# "TAG> ...".  The checks then look for lines that START with "TAG> ":
# the echo of the typed command never does, so a check cannot be fooled
# by the command line itself.
R_DEF='r() { t=$1; shift; { "$@"; echo "rc=$?"; } 2>&1 | sed "s/^/$t> /"; }\n'

# step TAG COMMAND: add to the array STEPS the console steps that run
# COMMAND through r and wait for its exit status.
step() { STEPS+=(-s "r $1 $2\n" -e "^$1> rc="); }

# log_has LOGNAME REGEX: the serial log of a boot holds a line matching
# the extended REGEX (lines end in CR LF; the CR is removed first).
log_has() { tr -d '\r' < "$TLOG/$1.log" | grep -qE "$2"; }

# expect_line LOGNAME CHECK REGEX: pass CHECK if the log has a line
# matching REGEX, otherwise fail it and show what the guest said instead.
expect_line() {
    local log=$1 name=$2 re=$3 tag
    if log_has "$log" "$re"; then
        pass "$name"
    else
        tag=$(sed -n 's/^\^\([A-Z0-9]*\)>.*/\1/p' <<<"$re")
        fail "$name" "no line /$re/ in $TLOG/$log.log${tag:+; the guest said: $(tr -d '\r' < "$TLOG/$log.log" | grep "^$tag> " | head -5 | tr '\n' '|')}"
    fi
}
