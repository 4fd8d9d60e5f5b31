#!/usr/bin/env python3
"""Writes validation/suites/full.yaml: every layer of ResNet-50 and
MobileNetV2, BERT-base's encoder GEMMs and the CCSD contractions, on every
preset, mapped by the genetic mapper (and by hill climbing on the Eyeriss-
and TPU-like presets). Run from the repository root:

    python3 validation/suites/generate_full.py
"""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NETWORKS = ["resnet50", "bert_base", "mobilenetv2", "contractions"]
PRESETS = ["eyeriss", "nvdla", "tpu16", "tpu128", "simba", "maeri"]
SECOND_MAPPER = {"eyeriss", "tpu16"}


def ops(network):
    text = (ROOT / "workloads" / "zoo" / f"{network}.mlir").read_text()
    return re.findall(r"^func\.func @(\w+)\(", text, re.MULTILINE)


def main():
    lines = [
        "# The full suite, written by generate_full.py (do not edit by hand):",
        "# every layer of ResNet-50 and MobileNetV2, BERT-base's encoder GEMMs",
        "# and the CCSD contractions on every preset. Long: hours with --jobs 2;",
        "# the largest contractions time out by design.",
        "suite: full",
        "tolerances: {cycles: 0.001, energy: 0.001}",
        "simTimeoutSeconds: 900",
        "include:",
        "  - validation/references/references.yaml",
        "cases:",
    ]
    seed = 1
    for network in NETWORKS:
        for op in ops(network):
            for preset in PRESETS:
                mappers = ["genetic"] + (["hillclimb"] if preset in SECOND_MAPPER else [])
                for mapper in mappers:
                    lines += [
                        f"  - name: {network}-{op}-{preset}-{mapper}",
                        f"    workload: {{zoo: {network}, op: {op}}}",
                        f"    arch: {preset}",
                        f"    mapping: {{mapper: {mapper}, seed: {seed}, budget: 3000}}",
                    ]
                    seed += 1
    (ROOT / "validation" / "suites" / "full.yaml").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
