#!/usr/bin/env python3
"""Checks that Tessel's folders include and link one way, bottom to top.

Usage: check_layers.py ROOT

The order is written here once. A file in folder F may include a header of
folder G only when G is F or G sits in a lower layer; folders of the same
layer (workloads/arch, model/sim) never include each other. The same rule
holds for the libraries each folder's CMakeLists.txt links. MLIR/LLVM
headers appear only where the design lets them (never in hot code), SystemC only in sim/.
test/ and bench/ sit above everything and are not checked.
Exit status 0 when clean; 1 with one located line per violation.
"""
import os
import re
import sys

# Bottom to top; folders on one line are peers.
LAYERS = [
    ["support"],
    ["workloads", "arch"],
    ["mapping"],
    ["model", "sim"],
    ["mapper"],
    ["validation", "interop", "sweep"],
    ["tools", "python"],
]
RANK = {folder: rank for rank, layer in enumerate(LAYERS) for folder in layer}

# The libraries of each folder, as CMake names them.
LIBRARIES = {
    "tessel_support": "support",
    "tessel_problem": "workloads",
    "tessel_workloads": "workloads",
    "tessel_arch": "arch",
    "tessel_mapping": "mapping",
    "tessel_dialect": "mapping",
    "tessel_model": "model",
    "tessel_sim": "sim",
    "tessel_mapper": "mapper",
    "tessel_validation": "validation",
    "tessel_interop": "interop",
    "tessel_sweep": "sweep",
}

# Third-party headers that only some folders may include (path prefixes
# inside the repository, relative to ROOT).
RESTRICTED = [
    ("MLIR", re.compile(r'^mlir/'), ["workloads", "mapping/Dialect", "tools"]),
    # llvm::json and formatting, for the cold reporting code.
    ("LLVM", re.compile(r'^llvm/'), ["support", "workloads", "mapping/Dialect", "validation", "tools"]),
    ("SystemC", re.compile(r'^(systemc|tlm)(\.h)?$|^sysc/'), ["sim"]),
    ("MPI", re.compile(r'^mpi\.h$'), ["support"]),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')
SOURCE_SUFFIXES = (".h", ".hpp", ".cpp", ".cc", ".td", ".inc")


def allowed(source, target):
    return target == source or RANK[target] < RANK[source]


def layer_text(folder):
    return "layer %d (%s)" % (RANK[folder], "/".join(LAYERS[RANK[folder]]))


def check_file(root, relpath, folder, problems):
    with open(os.path.join(root, relpath), encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            header = match.group(2)
            where = "%s:%d" % (relpath, number)
            if header.startswith("../") or "/../" in header:
                problems.append("%s: '%s' climbs out of its folder; include by the path from the "
                                "repository root" % (where, header))
                continue
            top = header.split("/", 1)[0]
            if top in RANK and "/" in header:
                if not allowed(folder, top):
                    problems.append(
                        "%s: %s/ (%s) includes '%s' from %s; a folder includes only its own "
                        "files and those of lower layers (%s)" %
                        (where, folder, layer_text(folder), header, layer_text(top), order_text()))
                continue
            for name, pattern, places in RESTRICTED:
                if pattern.search(header) and not any(
                        relpath == p or relpath.startswith(p + "/") for p in places):
                    problems.append("%s: %s header '%s' outside %s" %
                                    (where, name, header, ", ".join(p + "/" for p in places)))


def check_cmake(root, relpath, folder, problems):
    with open(os.path.join(root, relpath), encoding="utf-8", errors="replace") as f:
        text = f.read()
    for match in re.finditer(r'target_link_libraries\s*\(([^)]*)\)', text):
        number = text.count("\n", 0, match.start()) + 1
        for library in re.findall(r'\btessel_[a-z_]+\b', match.group(1)):
            target = LIBRARIES.get(library)
            if target and not allowed(folder, target):
                problems.append("%s:%d: %s/ links %s of %s/ (%s); libraries link only their "
                                "own folder's and lower layers' (%s)" %
                                (relpath, number, folder, library, target, layer_text(target),
                                 order_text()))


def order_text():
    return " -> ".join("/".join(layer) for layer in LAYERS)


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = sys.argv[1]
    if not os.path.isdir(root):
        print("check_layers: '%s' is not a directory" % root, file=sys.stderr)
        return 2
    problems = []
    checked = 0
    for folder in RANK:
        base = os.path.join(root, folder)
        if not os.path.isdir(base):
            continue
        for directory, _, files in os.walk(base):
            for name in sorted(files):
                relpath = os.path.relpath(os.path.join(directory, name), root)
                if name.endswith(SOURCE_SUFFIXES):
                    check_file(root, relpath, folder, problems)
                    checked += 1
                elif name == "CMakeLists.txt":
                    check_cmake(root, relpath, folder, problems)
                    checked += 1
    for problem in problems:
        print(problem)
    print("check_layers: %d files checked, %d violations" % (checked, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
