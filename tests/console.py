#!/usr/bin/env python3
"""Drive a QEMU guest through its serial console, like a tiny `expect`.

    tests/console.py [-l LOG] [-t SECS] STEP... -- QEMU-COMMAND...

Steps run in order:
    -e REGEX     wait until the console output (since the last match) matches REGEX
    -n REGEX     fail at once if REGEX has appeared so far (a 'must not happen')
    -s TEXT      send TEXT to the serial line ("\\n", "\\r" are understood)
    -t SECS      timeout for the following -e / -x steps (default 60)
    -x           wait for QEMU to exit by itself
    -a           fail if QEMU has exited (a halted guest must still be there)
    -d SECS      sleep SECS (let the guest settle between keystrokes)
    -b ADDR      stop the guest when it first executes the linear address
                 ADDR (a breakpoint through QEMU's gdbstub; may be given
                 more than once: the kernel's 16-, 32- and 64-bit entry
                 points).  The first breakpoint hit is the hand-off: the
                 write count and -m's saves are taken there, with the
                 kernel not yet run, then every breakpoint is removed and
                 the guest continues
    -m ADDR:DIR  at the hand-off, save the zero page at ADDR (4 KiB:
                 DIR/zeropage.bin) and the initrd it points to
                 (ramdisk_image and ramdisk_size, with their high halves
                 ext_ramdisk_*: DIR/initrd.bin) from the guest's memory;
                 needs -b (a pause on the serial line comes a moment after
                 the jump, and on a busy host the kernel has by then
                 reused the zero page)

QEMU's serial port must be on stdio (`-serial stdio`).  Everything the guest
prints is copied to LOG.  On failure it says which step failed and prints the
last lines of output; the exit code is 1.  QEMU is always killed at the end:
no test can leave a VM behind or wait forever.

The loader never writes the disk (docs/errors.md), and every boot checks it:
QEMU gets a QMP socket, and when smartboot prints its hand-off line
("booting (32-bit entry ...") the VM is paused, QEMU's block statistics are
read and the VM resumes (with -b: at the first breakpoint instead); any
write or discard before that point fails the run.  A boot that shows smartboot's stage 2 but never reaches the hand-off
is checked the same way when it ends.  (Writes after the hand-off are the
kernel's business: smart-os mounts its root read-write.)  A boot whose
block statistics cannot be read fails: "0 writes" must never mean "not
counted".
"""
import json, os, re, select, shutil, signal, socket, struct, subprocess, sys, tempfile, time

STAGE2 = re.compile(rb"smartboot: stage 2")
HANDOFF = re.compile(rb"booting \((16|32|64)-bit entry")


class Qmp:
    """A minimal QMP client: enough for stop, cont and query-blockstats."""

    def __init__(self, path):
        self.path, self.sock, self.buf = path, None, b""

    def _reply(self, deadline):
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                msg = json.loads(line)
                if "return" in msg or "error" in msg:
                    return msg
            if time.monotonic() > deadline:
                raise OSError("QMP: no reply")
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("QMP: connection closed")
            self.buf += chunk

    def cmd(self, name, args=None):
        deadline = time.monotonic() + 30     # a loaded host can be slow
        if self.sock is None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect(self.path)
            while b"\n" not in self.buf:          # the greeting
                self.buf += self.sock.recv(65536)
            self.buf = self.buf.split(b"\n", 1)[1]
            self.sock.sendall(b'{"execute": "qmp_capabilities"}\n')
            self._reply(deadline)
        req = {"execute": name}
        if args:
            req["arguments"] = args
        self.sock.sendall(json.dumps(req).encode() + b"\n")
        reply = self._reply(deadline)
        if "error" in reply:
            raise OSError("QMP %s: %s" % (name, reply["error"].get("desc", reply["error"])))
        return reply

    def save(self, addr, size, path):
        """Guest physical memory [addr, addr + size) into the file path."""
        self.cmd("pmemsave", {"val": addr, "size": size, "filename": os.path.abspath(path)})

    def save_handoff(self, zp_addr, outdir, entry):
        """The zero page and the initrd it points to (boot protocol: the
        setup header's ramdisk_image 0x218 and ramdisk_size 0x21c, their
        high halves ext_ramdisk_image 0x0c0 and ext_ramdisk_size 0x0c4 in
        the zero page of the 32- and 64-bit entries; at the 16-bit entry the
        page is the kernel's own first sector and 0x0c0 is its code)."""
        os.makedirs(outdir, exist_ok=True)
        zp = os.path.join(outdir, "zeropage.bin")
        self.save(zp_addr, 4096, zp)
        page = open(zp, "rb").read()
        out = os.path.join(outdir, "initrd.bin")
        if page[0x202:0x206] != b"HdrS":
            raise OSError("no setup header (HdrS) at 0x%x + 0x202 at the kernel's entry" % zp_addr)
        image = struct.unpack_from("<I", page, 0x218)[0]
        size = struct.unpack_from("<I", page, 0x21c)[0]
        if entry != b"16":
            image |= struct.unpack_from("<I", page, 0x0c0)[0] << 32
            size |= struct.unpack_from("<I", page, 0x0c4)[0] << 32
        if size:
            self.save(image, size, out)
        else:
            open(out, "wb").close()
        sys.stderr.write("console.py: saved the zero page at 0x%x and the initrd at 0x%x (%d bytes) in %s\n"
                         % (zp_addr, image, size, outdir))

    def disk_writes(self):
        """Writes and discards so far, over every block device."""
        stats = self.cmd("query-blockstats").get("return", [])
        return sum(d["stats"].get("wr_operations", 0) + d["stats"].get("unmap_operations", 0)
                   for d in stats)


class Gdb:
    """Just enough of GDB's remote serial protocol to stop the guest at
    breakpoints (QEMU's gdbstub, started paused with -S): Z1 inserts a
    breakpoint, c continues, a T or S packet reports the stop, D detaches
    (removing the breakpoints and resuming)."""

    def __init__(self, path):
        self.path, self.sock, self.buf = path, None, b""

    def connect(self, deadline):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(self.path)
                return
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise OSError("gdbstub: could not connect to " + self.path)
                time.sleep(0.05)

    def send(self, data):
        self.sock.sendall(b"$%s#%02x" % (data, sum(data) & 0xff))

    def packet(self, deadline):
        """The next packet's payload (acks skipped), or None by deadline."""
        while True:
            self.buf = self.buf.lstrip(b"+")
            start, end = self.buf.find(b"$"), self.buf.find(b"#")
            if start >= 0 and end > start and len(self.buf) >= end + 3:
                data, self.buf = self.buf[start + 1:end], self.buf[end + 3:]
                self.sock.sendall(b"+")
                return data
            r, _, _ = select.select([self.sock], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                return None
            chunk = self.sock.recv(4096)
            if not chunk:
                raise OSError("gdbstub: connection closed")
            self.buf += chunk

    def cmd(self, data):
        self.send(data)
        reply = self.packet(time.monotonic() + 30)
        if reply is None:
            raise OSError("gdbstub: no reply to " + data.decode())
        return reply


def parse(argv):
    if "--" not in argv:
        sys.exit("console.py: missing '--' before the QEMU command")
    cut = argv.index("--")
    opts, cmd = argv[:cut], argv[cut + 1:]
    log, steps, timeout, i, dump, bps = None, [], 60.0, 0, None, []
    while i < len(opts):
        o = opts[i]
        if o in ("-x", "-a"):
            steps.append(("exit" if o == "-x" else "alive", None, timeout)); i += 1; continue
        if i + 1 >= len(opts):
            sys.exit("console.py: %s needs a value" % o)
        v = opts[i + 1]; i += 2
        if o == "-l": log = v
        elif o == "-m":
            addr, _, d = v.partition(":")
            dump = (int(addr, 0), d)
        elif o == "-b": bps.append(int(v, 0))
        elif o == "-t": timeout = float(v)
        elif o == "-e": steps.append(("expect", re.compile(v.encode(), re.M), timeout))
        elif o == "-n": steps.append(("never", re.compile(v.encode(), re.M), timeout))
        elif o == "-s": steps.append(("send", v.encode().decode("unicode_escape").encode("latin-1"), timeout))
        elif o == "-d": steps.append(("sleep", float(v), timeout))
        else: sys.exit("console.py: unknown option " + o)
    if dump and not bps:
        sys.exit("console.py: -m needs -b (the hand-off's breakpoints)")
    return log, steps, cmd, dump, bps


def main():
    log, steps, cmd, dump, bps = parse(sys.argv[1:])
    logf = open(log, "wb") if log else None
    qmp_dir = tempfile.mkdtemp(prefix="console-")   # short: sun_path is 108 bytes
    qmp = Qmp(os.path.join(qmp_dir, "qmp"))
    cmd = cmd + ["-qmp", "unix:%s,server=on,wait=off" % qmp.path]
    gdb = None
    if bps:
        gdb = Gdb(os.path.join(qmp_dir, "gdb"))
        cmd += ["-S", "-gdb", "unix:%s,server=on,wait=off" % gdb.path]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            start_new_session=True)
    if gdb:
        try:
            gdb.connect(time.monotonic() + 30)
            for bp in bps:
                if gdb.cmd(b"Z1,%x,1" % bp) != b"OK":
                    raise OSError("gdbstub refused a breakpoint at 0x%x" % bp)
            gdb.send(b"c")
        except OSError as e:
            os.killpg(proc.pid, signal.SIGKILL); proc.wait()
            sys.exit("console.py: %s" % e)
    out = bytearray()      # everything seen
    mark = 0               # where the next -e starts looking
    writes = {"checked": False, "bad": None}

    def check_writes(when, pause, save=False):
        """Fail the run if the disk was written before `when`; with save,
        save -m's memory too (the guest is stopped: paused here, or at a
        breakpoint)."""
        writes["checked"] = True
        try:
            if pause:
                qmp.cmd("stop")
            n = qmp.disk_writes()
            if save and dump:
                qmp.save_handoff(dump[0], dump[1], HANDOFF.search(out).group(1))
            if pause:
                qmp.cmd("cont")
        except (OSError, ValueError) as e:
            try:
                if pause:
                    qmp.cmd("cont")         # (the run fails, but not by a frozen guest)
            except (OSError, ValueError):
                pass
            writes["bad"] = "could not read QEMU's block statistics %s (%s)" % (when, e)
            if save and dump:
                writes["bad"] = "could not read QEMU's block statistics or save memory %s (%s)" % (when, e)
            return
        sys.stderr.write("console.py: disk writes %s: %d\n" % (when, n))
        if n:
            writes["bad"] = "the disk was written %d times %s: the loader must never write" % (n, when)

    def read_console(chunk):
        out.extend(chunk)
        if logf:
            logf.write(chunk); logf.flush()

    def at_breakpoint():
        """The guest is stopped at the kernel's entry: the hand-off line is
        already in the pipe (the loader prints it before the jump)."""
        end = time.monotonic() + 10
        while not HANDOFF.search(out) and time.monotonic() < end:
            r, _, _ = select.select([proc.stdout], [], [], 0.2)
            if r:
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                read_console(chunk)
        if not HANDOFF.search(out):
            writes["checked"] = True
            writes["bad"] = "a breakpoint was hit before the loader printed its hand-off line"
            return
        check_writes("at the kernel's entry", False, True)
        try:
            for bp in bps:
                gdb.cmd(b"z1,%x,1" % bp)
            gdb.cmd(b"D")
        except OSError as e:
            writes["bad"] = writes["bad"] or "could not resume the guest from its breakpoint (%s)" % e

    def pump(deadline):
        """Read what the guest printed until deadline; False once QEMU is gone."""
        wait = max(0.0, deadline - time.monotonic())
        watch = [proc.stdout] + ([gdb.sock] if gdb and not writes["checked"] else [])
        r, _, _ = select.select(watch, [], [], min(wait, 0.2))
        if gdb and gdb.sock in r:
            try:
                stop = gdb.packet(time.monotonic())
            except OSError as e:
                writes["checked"], writes["bad"] = True, str(e)
                stop = None
            if stop and stop[:1] in (b"T", b"S"):
                at_breakpoint()
        if proc.stdout in r:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                return False
            read_console(chunk)
            if not gdb and not writes["checked"] and HANDOFF.search(out):
                check_writes("before the hand-off", True)
        return True

    def failure(what):
        tail = bytes(out[-1500:]).decode("utf-8", "replace")
        sys.stderr.write("console.py: %s\n--- last output ---\n%s\n-------------------\n" % (what, tail))
        return 1

    rc = 0
    try:
        for kind, arg, timeout in steps:
            deadline = time.monotonic() + timeout
            if kind == "send":
                proc.stdin.write(arg); proc.stdin.flush()
            elif kind == "sleep":
                end = time.monotonic() + arg
                while time.monotonic() < end and pump(end):
                    pass
            elif kind == "alive":
                pump(time.monotonic() + 0.1)
                if proc.poll() is not None:
                    rc = failure("QEMU exited (%s): the guest reset or crashed" % proc.poll()); break
            elif kind == "never":
                if arg.search(out):
                    rc = failure("unwanted output /%s/ appeared" % arg.pattern.decode()); break
            elif kind == "expect":
                alive = True
                while True:
                    m = arg.search(out, mark)
                    if m:
                        mark = m.end(); break
                    if time.monotonic() >= deadline:
                        rc = failure("timeout after %gs waiting for /%s/" % (timeout, arg.pattern.decode())); break
                    if not alive:
                        rc = failure("QEMU exited (%s) before /%s/ appeared" % (proc.poll(), arg.pattern.decode())); break
                    alive = pump(deadline)
                if rc: break
            elif kind == "exit":
                while proc.poll() is None or pump(time.monotonic() + 0.1):
                    if time.monotonic() >= deadline:
                        rc = failure("timeout after %gs waiting for QEMU to exit" % timeout); break
                    pump(deadline)
                if rc: break
        if writes["bad"]:
            rc = failure(writes["bad"])
    finally:
        if proc.poll() is None:
            if not writes["checked"] and gdb and HANDOFF.search(out) and not rc:
                rc = failure("the loader printed its hand-off line but the guest never reached a "
                             "breakpoint (%s)" % ", ".join("0x%x" % b for b in bps))
            elif not writes["checked"] and STAGE2.search(out):
                check_writes("when the run ended (no hand-off seen)", False)
                if writes["bad"]:
                    rc = failure(writes["bad"])
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if logf: logf.close()
        shutil.rmtree(qmp_dir, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
