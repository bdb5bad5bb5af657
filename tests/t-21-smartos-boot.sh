#!/usr/bin/env bash
# smart-os, booted directly (QEMU -kernel/-initrd) from a copy of
# build/smartos.img with build/extra.img as the second disk, on QEMU's user
# network.  Boot 1 (256 MiB):
#   - the initrd mounts /dev/sda1 and switches; BusyBox init runs rcS;
#   - the login prompt appears on ttyS0; a wrong password is refused, the
#     right one logs root in;
#   - / is /dev/sda1, read-write; /mnt/sdb is the second disk (marker read);
#   - the demo module is loaded and said hello in dmesg; the S10syslog
#     service runs and logs;
#   - udhcpc got 10.0.2.15 and wrote resolv.conf; the guest fetches a page
#     from an HTTP server on the host's loopback (10.0.2.2 in the guest),
#     by address and by a name that glibc resolves (getaddrinfo, through
#     /etc/nsswitch.conf "dns") from a DNS server on the host's loopback;
#   - a file is written, and `poweroff` ends QEMU.
# Boot 2 (64 MiB, the same disk): the file is still there.
#
# The servers run in a private network namespace (unshare -rn: no root
# needed), where QEMU's user network maps 10.0.2.2 to the namespace's
# loopback: the DNS server can take port 53 there, which the guest's
# resolver insists on, and nothing on the host is in the way.
# expect: 20 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/smartos-lib.sh"
need "$BUILD/bzImage" "$BUILD/initrd" "$BUILD/smartos.img" "$BUILD/extra.img"

if [ -z "${SMARTOS_NETNS:-}" ]; then
    if unshare -rn true 2>/dev/null; then
        SMARTOS_NETNS=1 exec unshare -rn bash "$0" "$@"
    fi
    SMARTOS_NETNS=none      # no namespaces here: try the host's loopback
fi

work=$TLOG/t-21; rm -rf "$work"; mkdir -p "$work/www"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

# --- The host side: loopback, HTTP and DNS servers ----------------------------------
if [ "$SMARTOS_NETNS" = 1 ]; then
    # A new namespace's loopback is down.  `ip` from iproute2, or BusyBox's.
    if command -v ip >/dev/null; then ip link set lo up
    else "$BUILD/debs/busybox/bin/busybox" ip link set lo up; fi
fi
token=$RANDOM$RANDOM
echo "page-by-address $token" > "$work/www/by-address.txt"
echo "page-by-name $token" > "$work/www/by-name.txt"
# Port 0: the kernel picks a free port; http.server prints it.
python3 -u -m http.server --bind 127.0.0.1 --directory "$work/www" 0 > "$work/http.log" 2>&1 &
pids+=($!)
port=
for _ in $(seq 50); do
    port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/http.log" | head -n 1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { fail "HTTP server on the host" "$(cat "$work/http.log")"; exit 1; }

# dnsmasq answers smartos.test and its subdomains with 10.0.2.2 and
# nothing else.  --user= --group=: no privilege dropping, which a user
# namespace does not allow.
dns=0
if dnsmasq --keep-in-foreground --port=53 --listen-address=127.0.0.1 --bind-interfaces \
        --address=/smartos.test/10.0.2.2 --no-resolv --no-hosts --user= --group= \
        --pid-file= --log-queries --log-facility="$work/dns.log" 2>"$work/dns.err" &
then
    pids+=($!)
    for _ in $(seq 30); do grep -q 'started' "$work/dns.log" 2>/dev/null && { dns=1; break; }; sleep 0.1; done
fi
[ $dns -eq 1 ] || skip "DNS server on the host's loopback, port 53" "$(cat "$work/dns.err" 2>/dev/null) (no user namespaces and not root?)"

# --- Boot 1 -------------------------------------------------------------------------------
disk=$(disk_copy "$BUILD/smartos.img" t-21-disk)
direct "$disk"
STEPS=(-t 120 -e 'smart-os initrd: switching to /dev/sda1' -e 'smart-os: init reached'
       -e 'smart-os: boot finished'
       # A wrong password first: login must refuse it.
       -e 'login: ' -s 'root\n' -e 'Password: ' -s 'not-the-password\n' -e 'Login incorrect'
       -t 60 "${LOGIN[@]}" -s "$R_DEF" -e "$PROMPT")
step MOUNT "grep ' / ' /proc/mounts"
step SDB   "cat /mnt/sdb/MARKER"
step MOD   "grep ^hello /proc/modules"
step DMESG "sh -c 'dmesg | grep hello:'"
step SVC   "/etc/init.d/S10syslog status"
step LOG   "logger smart-os-test-$token"
step LOG2  "grep smart-os-test- /var/log/messages"
step NET   "ip -4 addr show eth0"
step RESOLV "cat /etc/resolv.conf"
step HTTP  "wget -q -O - http://10.0.2.2:$port/by-address.txt"
if [ $dns -eq 1 ]; then
    # Use the DNS server of the test instead of QEMU's (10.0.2.3, which
    # forwards to the host's own resolver).
    STEPS+=(-s 'echo nameserver 10.0.2.2 > /etc/resolv.conf\n' -e "$PROMPT")
    step NAME "wget -q -O - http://web.smartos.test:$port/by-name.txt"
fi
step WRITE "sh -c 'echo persist-$token > /root/persist.txt'"
STEPS+=(-s 'poweroff\n' -t 60 -x)
console t-21-boot1 "${STEPS[@]}" -- "${QARGS[@]}" \
    -drive "file=$BUILD/extra.img,format=raw,if=ide,index=1,snapshot=on" \
    -netdev user,id=net0 -device e1000,netdev=net0 2>"$work/boot1.err"
rc=$?
[ $rc -eq 0 ] || fail "boot 1 ran to the end" "$(head -c 600 "$work/boot1.err")"

L=t-21-boot1
expect_line $L "initrd mounted /dev/sda1 and switched (boot time shown)" \
    '^smart-os initrd: switching to /dev/sda1 \(ext[234], rw\) after [0-9.]+ s'
expect_line $L "BusyBox init ran rcS" '^smart-os: init reached'
expect_line $L "login prompt on ttyS0" '^smart-os login: '
expect_line $L "a wrong password is refused" '^Login incorrect'
expect_line $L "root logged in (shell prompt)" "^root@smart-os:~# "
expect_line $L "/ is /dev/sda1, read-write" '^MOUNT> /dev/sda1 / ext[234] rw[, ]'
expect_line $L "second disk mounted on /mnt/sdb, marker read" '^SDB> smart-os extra disk: mounted from /dev/sdb1'
expect_line $L "demo module loaded" '^MOD> hello [0-9]+ 0 - Live'
expect_line $L "demo module's message in dmesg" '^DMESG> \[ *[0-9.]+\] hello: hello, smart-os!'
expect_line $L "S10syslog service was started and runs" '^SVC> syslog: running \(syslogd pid [0-9]+\)'
expect_line $L "syslogd logs to /var/log/messages" "^LOG2> .*smart-os-test-$token"
expect_line $L "udhcpc: eth0 has 10.0.2.15/24" '^NET> +inet 10\.0\.2\.15/24 '
expect_line $L "udhcpc wrote /etc/resolv.conf (QEMU's DNS)" '^RESOLV> nameserver 10\.0\.2\.3'
expect_line $L "wget from the host's HTTP server by address" "^HTTP> page-by-address $token"
if [ $dns -eq 1 ]; then
    expect_line $L "wget by name: glibc resolved web.smartos.test via our DNS" "^NAME> page-by-name $token"
    check "the name was asked of the test's DNS server" grep -q 'query\[A\] web.smartos.test' "$work/dns.log"
fi
expect_line $L "rcK stopped the services and unmounted" '^smart-os: filesystems unmounted'
expect_line $L "poweroff ended QEMU (ACPI)" 'reboot: Power down'

# --- Boot 2: same disk, 64 MiB --------------------------------------------------------------
STEPS=(-t 120 -e 'smart-os: init reached' -t 60 "${LOGIN[@]}" -s "$R_DEF" -e "$PROMPT")
step PERSIST "cat /root/persist.txt"
step MEM     "grep MemTotal /proc/meminfo"
STEPS+=(-s 'poweroff\n' -t 60 -x)
console t-21-boot2 "${STEPS[@]}" -- "${QARGS[@]}" -m 64M 2>"$work/boot2.err" ||
    fail "boot 2 (64 MiB) ran to the end" "$(head -c 600 "$work/boot2.err")"
expect_line t-21-boot2 "64 MiB: booted to a login (MemTotal < 64 MiB)" '^MEM> MemTotal: +[1-5]?[0-9]{1,4} kB'
expect_line t-21-boot2 "the file written in boot 1 survived poweroff" "^PERSIST> persist-$token"
