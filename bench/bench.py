#!/usr/bin/env python3
"""The boot-time benchmark's harness and report (make bench; docs/performance.md).

    bench.py run OUT N MACHINES WORKLOADS
        Boot every case of OUT/W/cases.tsv (bench/mkdisks.sh) N times on each
        machine (pc, q35) and workload (small, big, debian), the loaders interleaved
        (A B C D, B C D A, ...) so that drift hits all alike, and append one
        JSON line per boot to OUT/results.jsonl.  Every serial log is kept
        in OUT/logs/.

    bench.py grub-modules OUT
        Boot OUT/grub-lsmod.img (GRUB's linux16 boot with `lsmod` at the end)
        and add the modules GRUB loaded from /boot/grub to OUT/footprint.tsv.

    bench.py report OUT MARKDOWN
        Medians, ranges, ratios and goals from OUT/results.jsonl: a table on
        stdout, MARKDOWN from bench/performance.md.in, and the plot beside
        it (gnuplot, SVG).

Times are seconds from the start of the QEMU process, taken when a serial
line's text arrives (QEMU writes every byte the guest sends at once).
"""
import json
import os
import platform
import re
import select
import signal
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What each marker means; the first match of each counts.
MARKERS = {
    # The kernel's first words, whichever entry it was given: its 16-bit
    # setup code ("debug" on the command line), else the decompressor
    # (CONFIG_X86_VERBOSE_BOOTUP and earlyprintk=serial).  (Debian's kernel
    # has no VERBOSE_BOOTUP: its 32-bit entry says nothing before `Linux
    # version`, and the hand-off stays unknown.)
    "handoff": rb"early console in setup code|early console in extract_kernel|Decompressing Linux",
    "linux": rb"Linux version",
    "init": rb"smart-os: init reached",
    "sb_start": rb"smartboot: stage 2",            # smartboot: stage 2 runs
    "sb_load": rb"loading /boot/bzImage",         # smartboot: first file read starts
    "sb_boot": rb"booting \(",                     #   and the last one has been read
    "probe_start": rb"probe: start",
    "probe_done": rb"probe: done",
    "probe_error": rb"probe: error",
}
NEEDED = {"boot": ["handoff", "linux", "init", "exit"], "direct": ["handoff", "linux", "init", "exit"],
          "probe": ["probe_start", "probe_done"]}

LABELS = {
    "smartboot-32": "smartboot, 32-bit entry",
    "smartboot-16": "smartboot, 16-bit entry",
    "smartboot-native": "smartboot, native disk driver",
    "grub-32": "GRUB 2.06 `linux`",
    "grub-16": "GRUB 2.06 `linux16`",
    "extlinux": "EXTLINUX 6.04",
    "direct": "QEMU -kernel (direct)",
    "probe": "raw INT 13h probe",
}
ORDER = list(LABELS)
PLOT_LABELS = {"smartboot-32": "smartboot\\n32-bit", "smartboot-16": "smartboot\\n16-bit",
               "smartboot-native": "smartboot\\nnative", "grub-32": "GRUB\\nlinux",
               "grub-16": "GRUB\\nlinux16", "extlinux": "EXTLINUX", "direct": "QEMU\\n-kernel"}
MACHINES = {"pc": "-M pc (PIIX IDE)", "q35": "-M q35 (AHCI)"}
WORKLOAD_NAMES = {"small": "small initrd", "big": "big initrd (+64 MiB)",
                  "debian": "Debian's 8 MB kernel + 68 MB initrd (to `Linux version`)"}


def qemu_command(out, machine, workload, case, cmdline):
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-M", machine, "-m", "256M",
           "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
           "-nic", "none",
           # snapshot=on: the guest's writes go to a throw-away overlay, so every
           # boot sees the same disk.
           "-drive", "file=%s,format=raw,if=ide,snapshot=on" % case["disk"]]
    if case["kind"] == "direct":
        root = os.path.join(out, "root-" + workload, "boot")
        cmd += ["-kernel", os.path.join(root, "bzImage"), "-initrd", os.path.join(root, "initrd"),
                "-append", cmdline]
    return cmd


def boot_once(cmd, kind, log, timeout, stop=None):
    """Run QEMU once; return {marker: seconds} (with "exit" if QEMU ended by
    itself).  A probe, or any run given a `stop` marker, ends at that marker."""
    pats = {k: re.compile(v) for k, v in MARKERS.items()}
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    out, times = bytearray(), {}
    try:
        while True:
            left = t0 + timeout - time.monotonic()
            if left <= 0:
                times["timeout"] = timeout
                break
            r, _, _ = select.select([proc.stdout], [], [], min(left, 1.0))
            if not r:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            now = time.monotonic() - t0
            if not chunk:
                proc.wait()
                times["exit"] = time.monotonic() - t0
                break
            # Search only the new text (plus a line's worth before it).
            start = max(0, len(out) - 200)
            out.extend(chunk)
            for k, p in pats.items():
                if k not in times and p.search(out, start):
                    times[k] = now
            if kind == "probe" and ("probe_done" in times or "probe_error" in times):
                break
            if stop and stop in times:
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        with open(log, "wb") as f:
            f.write(out)
    return times


def read_cases(out, workload):
    with open(os.path.join(out, workload, "cases.tsv")) as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def cmd_run(out, n, machines, workloads):
    n = int(n)
    cmdline = open(os.path.join(out, "cmdline")).read().strip()
    logs = os.path.join(out, "logs")
    os.makedirs(logs, exist_ok=True)
    results = open(os.path.join(out, "results.jsonl"), "w")
    total = n * sum(len(read_cases(out, w)) for w in workloads.split(",")) * len(machines.split(","))
    done = 0
    for machine in machines.split(","):
        for workload in workloads.split(","):
            cases = read_cases(out, workload)
            for rnd in range(1, n + 1):
                # Each round starts one loader further on (A B C D, B C D A,
                # ...): no loader always boots first, or right after the probe.
                k = (rnd - 1) % len(cases)
                for case in cases[k:] + cases[:k]:
                    done += 1
                    cmd = qemu_command(out, machine, workload, case, cmdline)
                    log = os.path.join(logs, "%s-%s-%s-%d.log" % (machine, workload, case["id"], rnd))
                    load = os.getloadavg()[0]
                    # Debian's kernel cannot mount smart-os's root (its disk
                    # drivers are modules): that boot counts to `Linux version`.
                    stop = "linux" if workload == "debian" else None
                    needed = ["linux"] if stop else NEEDED[case["kind"]]
                    times = boot_once(cmd, case["kind"], log, 300, stop=stop)
                    ok = all(k in times for k in needed) and "timeout" not in times
                    rec = {"machine": machine, "workload": workload, "id": case["id"],
                           "kind": case["kind"], "entry": case["entry"], "round": rnd, "ok": ok,
                           "kernel_bytes": int(case["kernel"]), "initrd_bytes": int(case["initrd"]),
                           "load_before": load, "t": times, "cmd": cmd}
                    results.write(json.dumps(rec) + "\n")
                    results.flush()
                    if case["kind"] == "probe":
                        what = "%.1f MB/s" % (int(case["kernel"]) / (times["probe_done"] - times["probe_start"]) / MB) if ok else ""
                    else:
                        what = "  ".join("%s %.2f s" % (k, times[k]) for k in ("handoff", "linux", "init", "exit") if k in times)
                    print("bench: [%d/%d] %-4s %-6s %-16s run %d: %s" % (
                        done, total, machine, workload, case["id"], rnd,
                        what if ok else "FAILED (%s), log %s" % (
                            ", ".join(sorted(set(needed) - set(times))) or "timeout", log)),
                        flush=True)


# ---- GRUB's modules, for the footprint ------------------------------------------------

GRUB_LIB = "/usr/lib/grub/i386-pc"
# In core.img already (bench/mkdisks.sh), or loaded only to print the list.
GRUB_CORE = {"biosdisk", "part_msdos", "ext2", "fshelp"}
GRUB_LISTING = {"serial", "terminfo", "minicmd"}


def cmd_grub_modules(out):
    img = os.path.join(out, "grub-lsmod.img")
    if not os.path.exists(img):
        return
    log = os.path.join(out, "grub-lsmod.log")
    cmd = qemu_command(out, "pc", "small", {"disk": img, "kind": "boot"}, "")
    MARKERS["lsmod_end"] = rb"\nbiosdisk"            # GRUB loads it first: listed last
    boot_once(cmd, "boot", log, 120, stop="lsmod_end")
    text = open(log, "rb").read().decode("latin-1").replace("\r", "")
    if "Name" not in text:
        print("bench: GRUB's module list did not appear (see %s)" % log, file=sys.stderr)
        return
    names = [line.split()[0] for line in text.split("Name", 1)[1].splitlines()[1:]
             if line and not line.startswith((" ", "\t")) and os.path.exists(
                 os.path.join(GRUB_LIB, line.split()[0] + ".mod"))]
    loaded = sorted(set(names) - GRUB_CORE - GRUB_LISTING)
    size = sum(os.path.getsize(os.path.join(GRUB_LIB, m + ".mod")) for m in loaded)
    with open(os.path.join(out, "footprint.tsv"), "a") as f:
        f.write("grub\t%d modules loaded from /boot/grub (%s)\t%d\n" % (len(loaded), " ".join(loaded), size))
    print("bench: GRUB loads %d modules from /boot/grub, %d bytes" % (len(loaded), size))


# ---- The report ----------------------------------------------------------------------

def med(xs):
    return statistics.median(xs) if xs else None


def fmt(x, digits=2):
    return "—" if x is None else "%.*f" % (digits, x)


def spread(xs):
    """'median (min–max)' of a list of seconds."""
    if not xs:
        return "—"
    return "%.2f (%.2f–%.2f)" % (med(xs), min(xs), max(xs))


class Stats:
    """The runs of one loader on one machine and workload."""

    def __init__(self, recs):
        self.recs = [r for r in recs if r["ok"]]
        self.failed = len(recs) - len(self.recs)
        self.rec = recs[0]

    def xs(self, key, start=None):
        return [r["t"][key] - (r["t"][start] if start else 0) for r in self.recs
                if key in r["t"] and (start is None or start in r["t"])]

    def m(self, key, start=None):
        return med(self.xs(key, start))

    def bytes(self):
        return self.rec["kernel_bytes"] + self.rec["initrd_bytes"]


def load_results(out):
    groups = {}
    with open(os.path.join(out, "results.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            # Debian's kernel says nothing before `Linux version` when entered
            # at 32 bits (no VERBOSE_BOOTUP): smartboot's own last line,
            # printed just before the jump, stands for its hand-off.
            if "handoff" not in r["t"] and "sb_boot" in r["t"]:
                r["t"]["handoff"] = r["t"]["sb_boot"]
            groups.setdefault((r["machine"], r["workload"], r["id"]), []).append(r)
    return {k: Stats(v) for k, v in groups.items()}


MB = 1e6   # MB/s in decimal megabytes, as the figures are


def analyse(stats):
    """Every number of the report, per (machine, workload, loader)."""
    rows = {}
    machines = [m for m in MACHINES if any(k[0] == m for k in stats)]
    workloads = [w for w in ("small", "big", "debian") if any(k[1] == w for k in stats)]
    for m in machines:
        probe = stats.get((m, "big", "probe")) or stats.get((m, "small", "probe"))
        # When the BIOS jumps to the boot sector: the probe's first line
        # (it prints before anything else).  The load phase starts there.
        t_mbr = probe.m("probe_start") if probe else None
        raw = rates = None
        if probe and probe.recs:
            rates = [int(probe.rec["kernel_bytes"]) / (r["t"]["probe_done"] - r["t"]["probe_start"]) / MB
                     for r in probe.recs]
            raw = med(rates)
        for w in workloads:
            g16 = stats.get((m, w, "grub-16"))
            direct = stats.get((m, w, "direct"))
            for lid in ORDER:
                s = stats.get((m, w, lid))
                if not s:
                    continue
                row = {"stats": s, "raw": raw}
                if lid == "probe":
                    row["bulk"] = raw
                    row["range"] = (min(rates), max(rates)) if rates else None
                    rows[(m, w, lid)] = row
                    continue
                h = s.m("handoff")
                row["load_s"] = h - t_mbr if h is not None and t_mbr is not None and lid != "direct" else None
                row["load_rate"] = s.bytes() / row["load_s"] / MB if row["load_s"] else None
                # Bulk rate: the 64 MiB the big workload adds, over the time they add.
                small, big = stats.get((m, "small", lid)), stats.get((m, "big", lid))
                row["bulk"] = None
                if w == "big" and small and big and lid != "direct":
                    dh = big.m("handoff") - small.m("handoff")
                    if dh > 0:
                        row["bulk"] = (big.bytes() - small.bytes()) / dh / MB
                # (The probe is INT 13h's ceiling: not one for the native driver.)
                row["pct_raw"] = (100 * row["bulk"] / raw if row["bulk"] and raw and lid != "smartboot-native"
                                  else None)
                row["vs_grub16"] = h / g16.m("handoff") if h and g16 and g16.m("handoff") else None
                row["vs_direct"] = h / direct.m("handoff") if h and direct and direct.m("handoff") else None
                row["kern"] = s.m("linux", "handoff")
                dk = direct.m("linux", "handoff") if direct else None
                row["kern_vs_direct"] = row["kern"] / dk if row["kern"] is not None and dk else None
                rows[(m, w, lid)] = row
    return machines, workloads, rows


def main_table(machines, workloads, rows):
    head = ("| machine | workload | loader | hand-off | `Linux version` | init marker | QEMU exit "
            "| load phase | load MB/s | bulk MB/s | of raw | ÷ GRUB linux16 | ÷ direct "
            "| hand-off → `Linux version` | ÷ direct |")
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for m in machines:
        for w in workloads:
            for lid in ORDER:
                row = rows.get((m, w, lid))
                if not row:
                    continue
                s = row["stats"]
                name = LABELS[lid] + (" (%d failed)" % s.failed if s.failed else "")
                if lid == "probe":
                    # One probe row per machine, after its last workload that has one.
                    if w != [v for v in workloads if (m, v, "probe") in rows][-1]:
                        continue
                    lines.append("| %s | %s | %s | | | | | | | **%s**%s | 100 %% | | | | |" % (
                        m, "%d MiB" % (s.rec["kernel_bytes"] >> 20), name, fmt(row["bulk"], 1),
                        " (%.1f–%.1f)" % row["range"] if row.get("range") else ""))
                    continue
                lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    m, w, name, spread(s.xs("handoff")), spread(s.xs("linux")), spread(s.xs("init")),
                    spread(s.xs("exit")), fmt(row["load_s"]), fmt(row["load_rate"], 1),
                    fmt(row["bulk"], 1), "—" if row["pct_raw"] is None else "%.0f %%" % row["pct_raw"],
                    fmt(row["vs_grub16"]), fmt(row["vs_direct"]), fmt(row["kern"]),
                    fmt(row["kern_vs_direct"])))
    return "\n".join(lines)


def smartboot_table(machines, workloads, stats):
    """smartboot's own view of its load phase, from its serial lines."""
    lines = ["| machine | workload | loader | BIOS → stage 2's first line | stage 2 → first read | reading kernel + initrd | MB/s | last read → kernel's first words |",
             "|---|---|---|---|---|---|---|---|"]
    for m in machines:
        probe = stats.get((m, "big", "probe")) or stats.get((m, "small", "probe"))
        t_mbr = probe.m("probe_start") if probe else None
        for w in workloads:
            for lid in ("smartboot-32", "smartboot-16", "smartboot-native"):
                s = stats.get((m, w, lid))
                if not s or not s.recs:
                    continue
                rd = s.m("sb_boot", "sb_load")
                start = s.m("sb_start")
                lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    m, w, LABELS[lid].replace("smartboot, ", ""),
                    fmt(start - t_mbr if start is not None and t_mbr is not None else None, 3),
                    fmt(s.m("sb_load", "sb_start"), 3), fmt(rd), fmt(s.bytes() / rd / MB if rd else None, 1),
                    fmt(s.m("handoff", "sb_boot"), 3)))
    return "\n".join(lines)


def entry_cost(machines, rows):
    """With Debian's kernel: what the 32-bit hand-off costs over the 16-bit
    one, to `Linux version`, per loader."""
    out = []
    for m in machines:
        for loader, name in (("smartboot", "smartboot"), ("grub", "GRUB 2.06")):
            a, b = rows.get((m, "debian", loader + "-32")), rows.get((m, "debian", loader + "-16"))
            if a and b and a["stats"].m("linux") and b["stats"].m("linux"):
                out.append((m, name, a["stats"].m("linux"), b["stats"].m("linux")))
    return out


def goals(machines, workloads, rows):
    """The issue's targets, each with the numbers that decide it."""
    out = []

    def goal(text, ok, detail):
        out.append("- %s %s — %s" % ("✅" if ok else ("❌" if ok is not None else "❔"), text, detail))

    for m in machines:
        for e in ("32", "16"):
            sb = rows.get((m, "big", "smartboot-" + e))
            want = 95 if m == "pc" else 90
            if sb and sb["pct_raw"] is not None:
                goal("%s, %s-bit: bulk load rate ≥ %d %% of the raw probe" % (m, e, want),
                     sb["pct_raw"] >= want, "%.1f of %.1f MB/s (%.0f %%)" % (sb["bulk"], sb["raw"], sb["pct_raw"]))
        for w in workloads:
            for e in ("32", "16"):
                sb, ex, g16 = (rows.get((m, w, i)) for i in ("smartboot-" + e, "extlinux", "grub-16"))
                if not sb or sb["stats"].m("handoff") is None:
                    continue
                h = sb["stats"].m("handoff")
                if ex and ex["stats"].m("handoff"):
                    goal("%s %s, %s-bit: hand-off no later than EXTLINUX's" % (m, w, e),
                         h <= ex["stats"].m("handoff"), "%.2f s vs %.2f s" % (h, ex["stats"].m("handoff")))
                if g16 and g16["stats"].m("handoff"):
                    sp = g16["stats"].m("handoff") / h
                    goal("%s %s, %s-bit: ≥ 1.35× faster than GRUB linux16 to the hand-off" % (m, w, e),
                         sp >= 1.35, "%.2f×" % sp)
                if sb["kern_vs_direct"] is not None:
                    goal("%s %s, %s-bit: hand-off → `Linux version` within 10 %% of the direct boot" % (m, w, e),
                         sb["kern_vs_direct"] <= 1.10, "%.2f s vs %.2f s (%+.0f %%)" % (
                             sb["kern"], rows[(m, w, "direct")]["kern"], 100 * (sb["kern_vs_direct"] - 1)))
    # Issue 9's goals, for the native drivers.
    for m in machines:
        nat = rows.get((m, "debian", "smartboot-native")) or rows.get((m, "big", "smartboot-native"))
        if nat and nat["stats"].m("handoff") is not None:
            w = "debian" if rows.get((m, "debian", "smartboot-native")) else "big"
            h = nat["stats"].m("handoff")
            goal("%s %s, native: hand-off within 1.0 s of QEMU's start" % (m, w), h <= 1.0, "%.2f s" % h)
        nat, d = rows.get((m, "small", "smartboot-native")), rows.get((m, "small", "direct"))
        if nat and d and nat["vs_direct"] is not None:
            goal("%s small, native: hand-off within 1.5× of QEMU -kernel's" % m, nat["vs_direct"] <= 1.5,
                 "%.2f s vs %.2f s (%.2f×)" % (nat["stats"].m("handoff"), d["stats"].m("handoff"), nat["vs_direct"]))
    for m, name, t32, t16 in entry_cost(machines, rows):
        if name == "smartboot":
            goal("%s, Debian's kernel: smartboot's 32-bit hand-off costs no more than its 16-bit one" % m,
                 t32 <= t16 * 1.10, "`Linux version` at %.2f s vs %.2f s (%+.2f s)" % (t32, t16, t32 - t16))
        else:
            out.append("- (%s, Debian's kernel: %s's 32-bit hand-off: `Linux version` at %.2f s vs %.2f s, %+.2f s)"
                       % (m, name, t32, t16, t32 - t16))
    return "\n".join(out)


def footprint_table(out):
    path = os.path.join(out, "footprint.tsv")
    if not os.path.exists(path):
        return "(no footprint data)"
    items = {}
    for line in open(path):
        loader, what, size = line.rstrip("\n").split("\t")
        items.setdefault(loader, []).append((what, int(size)))
    names = {"smartboot": "smartboot", "grub": "GRUB 2.06", "extlinux": "EXTLINUX 6.04"}
    lines = ["| loader | pieces | total bytes |", "|---|---|---:|"]
    for k in ("smartboot", "grub", "extlinux"):
        if k in items:
            lines.append("| %s | %s | **%s** |" % (
                names[k], "; ".join("%s %s" % (w, "{:,}".format(s)) for w, s in items[k]),
                "{:,}".format(sum(s for _, s in items[k]))))
    return "\n".join(lines)


def machine_info(out, stats):
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    seabios = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "seabios"], capture_output=True, text=True).stdout
    loads = [r["load_before"] for s in stats.values() for r in s.recs]
    runs = sum(len(s.recs) + s.failed for s in stats.values())
    return "\n".join([
        "- host: %s, %d CPUs, Linux %s (%s)" % (cpu, os.cpu_count(), platform.release(), platform.machine()),
        "- %s, TCG (`-accel tcg`), SeaBIOS %s (Debian package), `-m 256M`" % (qemu, seabios),
        "- %d boots; 1-minute load average before a boot: %.1f–%.1f" % (runs, min(loads), max(loads)) if loads else "",
        "- run at %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(os.path.join(out, "results.jsonl")))),
    ])


def commands(out, stats):
    seen, lines = set(), []
    for (m, w, lid), s in sorted(stats.items(), key=lambda kv: (kv[0][0], kv[0][1], ORDER.index(kv[0][2]))):
        if lid in seen or not s.rec:
            continue
        seen.add(lid)
        cmd = [os.path.relpath(c, TOP) if c.startswith(TOP) else c for c in s.rec["cmd"]]
        cmd = [("'%s'" % c) if " " in c else c for c in cmd]
        lines.append("# %s\n%s" % (LABELS[lid], " ".join(cmd).replace("file=" + TOP + "/", "file=")))
    return "```sh\n" + "\n".join(lines) + "\n```"


def plot(out, machines, workloads, rows, svg):
    """Stacked bars: QEMU start → hand-off → Linux version → init → exit."""
    dat = os.path.join(out, "phases.dat")
    panels = []
    with open(dat, "w") as f:
        for m in machines:
            for w in workloads:
                if w == "debian":
                    continue                 # no hand-off for its 32-bit entries: see the table
                f.write("# %s %s\n" % (m, w))
                n = 0
                for lid in ORDER:
                    row = rows.get((m, w, lid))
                    if lid == "probe" or not row or not row["stats"].recs:
                        continue
                    s = row["stats"]
                    h, l, i, x = (s.m(k) for k in ("handoff", "linux", "init", "exit"))
                    f.write('"%s" %.3f %.3f %.3f %.3f\n' % (PLOT_LABELS[lid], h, l - h, i - l, x - i))
                    n += 1
                f.write("\n\n")
                panels.append("%s, %s" % (MACHINES[m], WORKLOAD_NAMES[w]))
    gp = ["set terminal svg size 1100,%d font 'sans,11' background '#ffffff'" % (330 * len(panels)),
          "set output '%s'" % svg,
          "set style data histograms", "set style histogram rowstacked", "set style fill solid 0.85 border -1",
          "set boxwidth 0.6", "set bmargin 3.5", "set ylabel 'seconds from QEMU start (median)'", "set grid ytics",
          "set key outside right top", "set xtics font 'sans,9'",
          "set multiplot layout %d,1" % len(panels)]
    for k, title in enumerate(panels):
        gp += ["set title '%s'" % title,
               "plot '%s' index %d using 2:xtic(1) title 'firmware + loader (to hand-off)' lc rgb '#4e79a7', "
               "'' index %d using 3 title 'hand-off → Linux version' lc rgb '#f28e2b', "
               "'' index %d using 4 title 'Linux version → init' lc rgb '#59a14f', "
               "'' index %d using 5 title 'init → QEMU exit' lc rgb '#bab0ac'" % (dat, k, k, k, k)]
    gp.append("unset multiplot")
    with open(os.path.join(out, "phases.gp"), "w") as f:
        f.write("\n".join(gp) + "\n")
    subprocess.run(["gnuplot", os.path.join(out, "phases.gp")], check=True)


def cmd_report(out, markdown):
    stats = load_results(out)
    machines, workloads, rows = analyse(stats)
    table = main_table(machines, workloads, rows)
    g = goals(machines, workloads, rows)
    print(table)
    print()
    print(g)
    svg = os.path.splitext(markdown)[0] + ".svg"
    try:
        plot(out, machines, workloads, rows, svg)
        plot_ref = os.path.basename(svg)
    except (OSError, subprocess.CalledProcessError) as e:
        print("bench: no plot (%s)" % e, file=sys.stderr)
        plot_ref = None
    subst = {
        "@TABLE@": table, "@GOALS@": g, "@SMARTBOOT@": smartboot_table(machines, workloads, stats),
        "@FOOTPRINT@": footprint_table(out), "@MACHINE@": machine_info(out, stats),
        "@COMMANDS@": commands(out, stats), "@CMDLINE@": open(os.path.join(out, "cmdline")).read().strip(),
        "@PLOT@": "![time per phase per loader](%s)" % plot_ref if plot_ref else "(gnuplot missing: no plot)",
        "@RUNS@": str(max((r["round"] for s in stats.values() for r in s.recs), default=0)),
    }
    text = open(os.path.join(TOP, "bench", "performance.md.in")).read()
    for k, v in subst.items():
        text = text.replace(k, v)
    with open(markdown, "w") as f:
        f.write(text)
    print("bench: wrote %s" % os.path.relpath(markdown, TOP))


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "run":
        cmd_run(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "grub-modules":
        cmd_grub_modules(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "report":
        cmd_report(*sys.argv[2:])
    else:
        sys.exit(__doc__)
