#!/usr/bin/env python3
"""Drive a QEMU guest through its serial console, like a tiny `expect`.

    tests/console.py [-l LOG] [-t SECS] STEP... -- QEMU-COMMAND...

Steps run in order:
    -e REGEX     wait until the console output (since the last match) matches REGEX
    -n REGEX     fail at once if REGEX has appeared so far (a 'must not happen')
    -s TEXT      send TEXT to the serial line ("\\n", "\\r" are understood)
    -t SECS      timeout for the following -e / -x steps (default 60)
    -x           wait for QEMU to exit by itself
    -d SECS      sleep SECS (let the guest settle between keystrokes)

QEMU's serial port must be on stdio (`-serial stdio`).  Everything the guest
prints is copied to LOG.  On failure it says which step failed and prints the
last lines of output; the exit code is 1.  QEMU is always killed at the end:
no test can leave a VM behind or wait forever.
"""
import os, re, select, signal, subprocess, sys, time


def parse(argv):
    if "--" not in argv:
        sys.exit("console.py: missing '--' before the QEMU command")
    cut = argv.index("--")
    opts, cmd = argv[:cut], argv[cut + 1:]
    log, steps, timeout, i = None, [], 60.0, 0
    while i < len(opts):
        o = opts[i]
        if o == "-x":
            steps.append(("exit", None, timeout)); i += 1; continue
        if i + 1 >= len(opts):
            sys.exit("console.py: %s needs a value" % o)
        v = opts[i + 1]; i += 2
        if o == "-l": log = v
        elif o == "-t": timeout = float(v)
        elif o == "-e": steps.append(("expect", re.compile(v.encode(), re.M), timeout))
        elif o == "-n": steps.append(("never", re.compile(v.encode(), re.M), timeout))
        elif o == "-s": steps.append(("send", v.encode().decode("unicode_escape").encode("latin-1"), timeout))
        elif o == "-d": steps.append(("sleep", float(v), timeout))
        else: sys.exit("console.py: unknown option " + o)
    return log, steps, cmd


def main():
    log, steps, cmd = parse(sys.argv[1:])
    logf = open(log, "wb") if log else None
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            start_new_session=True)
    out = bytearray()      # everything seen
    mark = 0               # where the next -e starts looking

    def pump(deadline):
        """Read what the guest printed until deadline; False once QEMU is gone."""
        wait = max(0.0, deadline - time.monotonic())
        r, _, _ = select.select([proc.stdout], [], [], min(wait, 0.2))
        if r:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                return False
            out.extend(chunk)
            if logf:
                logf.write(chunk); logf.flush()
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
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if logf: logf.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
