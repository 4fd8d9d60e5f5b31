#!/usr/bin/env python3
"""Runs Tessel's bad-input corpus: one file per case, each a hostile or
malformed input with the command that reads it and the error it must get.

Usage: run_corpus.py --bin DIR [--root DIR] [--only SUBSTRING] [--table]

A case file starts with directive lines in its own comment syntax ('#' for
YAML and .case files, '//' for MLIR):

  # RUN: tessel check %zoo/resnet50.mlir --arch %s
  # ERROR: %s:3:7: error: unknown field
  # ERROR: the factors must multiply        (several: all must appear)
  # EXIT: 1                                 (default: any failure code 1-125;
  #                                          0 for input that deserves only
  #                                          a warning, given as ERROR)
  # STDOUT: text                            (for cases that must succeed)
  # INPUT: b"name: a\\x00b\\n" * 2          (a bytes expression; the bytes
  #                                          go to a temp file, %input)

Substitutions: %s the case file, %input the generated input, %inputs the
shared good inputs (test/corpus/inputs/), %zoo, %presets, %root, %t a
scratch directory. Every case runs with a 30 s limit and is
classified as: clear (failed with every expected message), crash (killed by
a signal, or an abort/uncaught-exception text), hang (over the limit),
silent (exit 0 where an error was due), or wrong (failed, but not with the
expected message). The corpus passes when every case is clear (or, for
STDOUT cases, succeeded with that output).
"""
import argparse
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

LIMIT_SECONDS = 30
CRASH_TEXT = re.compile(r"terminate called|Assertion .* failed|Segmentation fault|"
                        r"AddressSanitizer|runtime error:|Aborted|internal error")


def directives(path):
    found = {"RUN": [], "ERROR": [], "EXIT": [], "STDOUT": [], "INPUT": []}
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").strip()
            match = re.match(r"^(#|//)\s*(RUN|ERROR|EXIT|STDOUT|INPUT):\s?(.*)$", line)
            if match:
                found[match.group(2)].append(match.group(3).rstrip())
    return found


def substitute(text, values):
    for key in sorted(values, key=len, reverse=True):
        text = text.replace(key, values[key])
    return text


def run_case(path, args, scratch):
    spec = directives(path)
    if len(spec["RUN"]) != 1:
        return "bad-case", "needs exactly one RUN line", 0.0
    values = {"%s": path, "%zoo": os.path.join(args.root, "workloads", "zoo"),
              "%presets": os.path.join(args.root, "arch", "presets"),
              "%root": args.root, "%t": scratch,
              "%inputs": os.path.join(args.root, "test", "corpus", "inputs")}
    if spec["INPUT"]:
        # A bytes expression (literals, + and *), evaluated without builtins.
        data = eval(spec["INPUT"][0], {"__builtins__": {}}, {})
        if not isinstance(data, bytes):
            return "bad-case", "INPUT must be a bytes literal", 0.0
        generated = os.path.join(scratch, "input" + os.path.splitext(path)[1].replace(".case", ".yaml"))
        with open(generated, "wb") as f:
            f.write(data)
        values["%input"] = generated
    command = substitute(spec["RUN"][0], values)
    argv = shlex.split(command)
    if argv and argv[0] in ("tessel", "tessel-opt"):
        argv[0] = os.path.join(args.bin, argv[0])
    env = dict(os.environ, PATH=args.bin + os.pathsep + os.environ.get("PATH", ""))
    start = time.monotonic()
    try:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, cwd=scratch, env=env,
                                   start_new_session=True)
    except OSError as error:
        return "bad-case", "cannot run %s: %s" % (argv[0], error), 0.0
    try:
        out, err = process.communicate(timeout=LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return "hang", "still running after %d s" % LIMIT_SECONDS, time.monotonic() - start
    elapsed = time.monotonic() - start
    out = out.decode("utf-8", "replace")
    err = err.decode("utf-8", "replace")
    code = process.returncode
    both = out + err
    if code < 0 or code >= 128 and code != 130 or CRASH_TEXT.search(both):
        return "crash", "exit %d: %s" % (code, tail(both)), elapsed
    if spec["STDOUT"]:
        missing = [s for s in (substitute(t, values) for t in spec["STDOUT"]) if s not in out]
        if code != 0 or missing:
            return "wrong", "exit %d, missing %r: %s" % (code, missing, tail(both)), elapsed
        return "clear", "", elapsed
    expected_exit = spec["EXIT"][0] if spec["EXIT"] else None
    if code == 0 and expected_exit != "0":
        return "silent", "exit 0: %s" % tail(both), elapsed
    if expected_exit is not None and str(code) != expected_exit:
        return "wrong", "exit %d, expected %s: %s" % (code, expected_exit, tail(both)), elapsed
    missing = [s for s in (substitute(t, values) for t in spec["ERROR"]) if s not in both]
    if missing or not spec["ERROR"]:
        return "wrong", "missing %r in: %s" % (missing or "an ERROR line", tail(both)), elapsed
    return "clear", "", elapsed


def tail(text, limit=600):
    text = text.strip().replace("\n", " | ")
    return text if len(text) <= limit else "..." + text[-limit:]


def main():
    parser = argparse.ArgumentParser(description="Run Tessel's bad-input corpus.")
    parser.add_argument("--bin", required=True, help="directory with tessel and tessel-opt")
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))), help="repository root")
    parser.add_argument("--only", default="", help="run only cases whose path contains this")
    parser.add_argument("--table", action="store_true", help="print the summary table by kind")
    args = parser.parse_args()
    args.bin = os.path.abspath(args.bin)
    args.root = os.path.abspath(args.root)
    corpus = os.path.join(args.root, "test", "corpus")
    cases = []
    for directory, subdirs, files in os.walk(corpus):
        subdirs[:] = [d for d in subdirs if d != "inputs"]
        for name in files:
            if name.endswith((".yaml", ".mlir", ".case")):
                path = os.path.join(directory, name)
                if args.only in path:
                    cases.append(path)
    cases.sort()
    if not cases:
        print("run_corpus: no cases under %s" % corpus)
        return 1
    results = {}
    failures = 0
    for path in cases:
        scratch = tempfile.mkdtemp(prefix="tessel-corpus-")
        try:
            status, detail, elapsed = run_case(path, args, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        kind = os.path.relpath(path, corpus).split(os.sep)[0]
        results.setdefault(kind, {}).setdefault(status, 0)
        results[kind][status] += 1
        if status != "clear":
            failures += 1
            print("%s: %s: %s" % (os.path.relpath(path, args.root), status.upper(), detail))
    statuses = ["clear", "wrong", "silent", "crash", "hang", "bad-case"]
    if args.table or failures:
        print("%-12s %6s " % ("kind", "cases") + " ".join("%7s" % s for s in statuses))
        for kind in sorted(results):
            row = results[kind]
            print("%-12s %6d " % (kind, sum(row.values())) +
                  " ".join("%7d" % row.get(s, 0) for s in statuses))
    total = len(cases)
    print("run_corpus: %d cases, %d clear, %d not" % (total, total - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
