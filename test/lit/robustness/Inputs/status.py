#!/usr/bin/env python3
"""status.py EXPECTED COMMAND...: runs COMMAND, prints its stderr and then
its stdout, and exits 0 only if COMMAND's exit status is EXPECTED (else
prints what it was and exits 1). lit's shell has no `$?`."""
import subprocess
import sys

expected = int(sys.argv[1])
done = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
sys.stdout.write(done.stderr.decode("utf-8", "replace"))
sys.stdout.write(done.stdout.decode("utf-8", "replace"))
if done.returncode != expected:
    print("status.py: exit status %d, expected %d" % (done.returncode, expected))
    sys.exit(1)
