"""ResNet-50 on two presets and two array sizes, cycles per layer.

    PYTHONPATH=build/python python3 python/examples/resnet50_presets.py OUT.png

Maps every layer of workloads/zoo/resnet50.mlir with the genetic mapper on
the Eyeriss-like and TPU-like presets and on an Eyeriss variant with half
the PE rows, prints the network totals and plots cycles per layer
(matplotlib: Debian's python3-matplotlib).
"""
import os
import sys

import tessel

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(out):
    layers = tessel.load_workloads(os.path.join(ROOT, "workloads/zoo/resnet50.mlir"))
    eyeriss = tessel.Arch.load("eyeriss")
    arches = {
        "eyeriss 14x12": eyeriss,
        "eyeriss 14x6": eyeriss.variant("GlobalBuffer", fanout=(14, 6),
                                        name="eyeriss-14x6"),
        "tpu16": tessel.Arch.load("tpu16"),
    }
    cycles = {}
    for label, arch in arches.items():
        reports = [tessel.map(problem, arch, budget=1000, seed=1, threads=2).report
                   for problem in layers]
        cycles[label] = [report.cycles for report in reports]
        energy = sum(report.energy_pj for report in reports)
        print(f"{label:14s} {arch.pe_count:4d} PEs  {sum(cycles[label]):>12,} cycles"
              f"  {energy / 1e9:8.2f} mJ")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(14, 5))
    xs = range(len(layers))
    for label, values in cycles.items():
        ax.plot(xs, values, marker="o", markersize=3, linewidth=0, label=label)
    ax.set_yscale("log")
    ax.set_ylabel("cycles (reuse model, best of 1000 genetic evaluations)")
    ax.set_xticks(list(xs))
    ax.set_xticklabels([p.name for p in layers], rotation=90, fontsize=6)
    ax.set_title("ResNet-50 cycles per layer")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "resnet50-presets.png")
