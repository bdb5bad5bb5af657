#!/usr/bin/env python3
"""Take the picture of smartboot's boot menu for the docs.

    scripts/screenshot-menu.py [OUT.png]     (default docs/img/boot-menu.png)

Boots a copy of build/disk.img with the stock menu (boot/smartboot.cfg),
waits until the countdown starts on the serial line, stops the machine and
asks QEMU for a picture of its VGA screen (QMP's screendump, PNG).  No window,
no root: the disk copy is written with debugfs, QEMU runs with -display none.
`make docs-img` runs this after the Graphviz pictures.
"""
import json
import re
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The stock menu, what `make run` shows (boot/smartboot.cfg, put on the
# copy whatever CONFIG build/disk.img was made with).
STOCK = os.path.join(TOP, "boot", "smartboot.cfg")
# The countdown's first line (stage2/config/menu.c): the menu is complete.
# Stage 2 writes each line to the screen before the serial port, so when
# the serial log has it, so does the screen; the VM is stopped at once.
MENU_SHOWN = re.compile(rb"booting '[^']*' in \d+ s")


def qmp(sock_path, *commands):
    """Send QMP commands in order; return their answers."""
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock_path)
    f = s.makefile("rw")
    json.loads(f.readline())                         # the greeting
    answers = []
    for cmd in ({"execute": "qmp_capabilities"},) + commands:
        f.write(json.dumps(cmd) + "\n")
        f.flush()
        while True:
            reply = json.loads(f.readline())
            if "return" in reply or "error" in reply:
                answers.append(reply)
                break                                # (skip events)
    s.close()
    return answers[1:]


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "docs/img/boot-menu.png"))
    work = tempfile.mkdtemp(prefix="smartboot-shot-")
    qemu = None
    try:
        disk = os.path.join(work, "disk.img")
        subprocess.run(["cp", "--sparse=always", os.path.join(TOP, "build/disk.img"), disk], check=True)
        subprocess.run([os.path.join(TOP, "scripts", "put-config.sh"), disk, STOCK], check=True,
                       stdout=subprocess.DEVNULL)
        serial, sock = os.path.join(work, "serial.log"), os.path.join(work, "qmp.sock")
        qemu = subprocess.Popen(["qemu-system-x86_64", "-accel", "tcg", "-m", "256M", "-no-reboot",
                                 "-display", "none", "-serial", "file:" + serial,
                                 "-qmp", "unix:%s,server=on,wait=off" % sock,
                                 "-drive", "file=%s,format=raw,if=ide" % disk])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if os.path.exists(serial) and MENU_SHOWN.search(open(serial, "rb").read()):
                qmp(sock, {"execute": "stop"})
                break
            time.sleep(0.2)
        else:
            sys.exit("screenshot-menu: the menu did not appear within 60 s (see %s)" % serial)
        tmp = out + ".tmp"
        reply = qmp(sock, {"execute": "screendump", "arguments": {"filename": tmp, "format": "png"}},
                    {"execute": "quit"})
        if "error" in reply[0]:
            sys.exit("screenshot-menu: screendump: %s" % reply[0]["error"])
        os.replace(tmp, out)
        print("screenshot-menu: %s" % os.path.relpath(out, TOP))
    finally:
        if qemu and qemu.poll() is None:
            qemu.kill()
        if qemu:
            qemu.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
