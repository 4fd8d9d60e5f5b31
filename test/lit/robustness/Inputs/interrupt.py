#!/usr/bin/env python3
"""Runs a command, signals it, and proves it stopped cleanly and left no
process behind.

Usage: interrupt.py [--signal INT|TERM|none] [--wait-for TEXT] [--after S]
                    [--within S] --marker TEXT -- COMMAND...

Starts COMMAND in its own session, waits until a process whose command line
contains --wait-for (default: the marker) runs, sleeps --after seconds,
sends the signal to COMMAND's process only (not its group: the command
must pass it on to its children itself), and waits at most --within
seconds for it to end. Then, after a moment, looks in /proc for any process
whose command line contains --marker (a path unique to the test, e.g. its
%t): there must be none. Prints "exit N", "stopped in time" or "STILL
RUNNING", "no process left" or "LEFT: pid cmdline", then COMMAND's stderr.
With --signal none, only waits for COMMAND and checks for leftovers (a
timeout inside COMMAND must kill its whole process tree).
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time


def processes_with(text):
    found = []
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open("/proc/%s/stat" % entry) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append((int(entry), cmdline.strip()))
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--signal", default="INT")
    parser.add_argument("--wait-for", default=None)
    parser.add_argument("--after", type=float, default=1.0)
    parser.add_argument("--within", type=float, default=3.0)
    parser.add_argument("--marker", required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    wait_for = args.wait_for or args.marker
    err = tempfile.TemporaryFile()
    out = tempfile.TemporaryFile()
    child = subprocess.Popen(command, stdout=out, stderr=err,
                             start_new_session=True)
    status = None
    if args.signal != "none":
        deadline = time.time() + 20
        while time.time() < deadline and child.poll() is None:
            if any(pid != child.pid or wait_for in cmd
                   for pid, cmd in processes_with(wait_for)):
                break
            time.sleep(0.05)
        time.sleep(args.after)
        if child.poll() is None:
            child.send_signal(getattr(signal, "SIG" + args.signal))
        else:
            print("ENDED BEFORE THE SIGNAL")
        try:
            status = child.wait(timeout=args.within)
            print("stopped in time")
        except subprocess.TimeoutExpired:
            print("STILL RUNNING %.1f s after SIG%s" % (args.within, args.signal))
    else:
        try:
            status = child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            print("STILL RUNNING after 60 s")
    if status is None:
        os.killpg(child.pid, signal.SIGKILL)
        status = child.wait()
    print("exit %d" % status)
    time.sleep(0.3)
    left = processes_with(args.marker)
    if left:
        for pid, cmd in left:
            print("LEFT: %d %s" % (pid, cmd))
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    else:
        print("no process left")
    err.seek(0)
    sys.stdout.write(err.read().decode("utf-8", "replace"))
    out.seek(0)
    sys.stdout.write(out.read().decode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
