"""Tests of the `tessel` Python module (python/, docs/python.md).

Every figure is checked against an independent reference: a product
computed here, the numbers worked by hand in test/model/ModelTest.cpp, or
what the `tessel` command prints for the same inputs (the test runs both;
TESSEL_BIN names the directory of the built `tessel`).

Run: PYTHONPATH=build/python TESSEL_BIN=build/bin python3 -m unittest \
       discover -s test/python
"""
import json
import math
import os
import subprocess
import tempfile
import threading
import time
import unittest

import tessel

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("TESSEL_BIN", os.path.join(ROOT, "build", "bin"))


def tessel_json(*args):
    """What `tessel ARGS --json` prints, parsed."""
    out = subprocess.run([os.path.join(BIN, "tessel"), *args, "--json"],
                         cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def source(relative):
    return os.path.join(ROOT, relative)


def matmul_mlir(m, k, n, name="gemm"):
    return (f"func.func @{name}(%a: tensor<{m}x{k}xf32>, %b: tensor<{k}x{n}xf32>,"
            f" %c: tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32> {{\n"
            f"  %r = linalg.matmul ins(%a, %b : tensor<{m}x{k}xf32>, "
            f"tensor<{k}x{n}xf32>) outs(%c : tensor<{m}x{n}xf32>) -> "
            f"tensor<{m}x{n}xf32>\n"
            f"  return %r : tensor<{m}x{n}xf32>\n}}\n")


# test/model/ModelTest.cpp's kTwoUnits: DRAM (1 word/cycle reads) -> Buf ->
# 2 compute units on a multicast bus.
TWO_UNITS = """name: two
levels:
  - name: DRAM
    capacity: unbounded
    readBandwidth: 1
    latency: 10
    energy: {read: 10, write: 20, update: 30}
    network: {topology: bus, hopEnergy: 1}
  - name: Buf
    capacity: 100
    fanout: [2, 1]
    latency: 1
    energy: {read: 1, write: 2, update: 3}
    network: {topology: bus, multicast: true, hopEnergy: 0}
compute:
  macEnergy: 0.5
"""

# ModelTest.cpp's Gemm mapping: DRAM k=2 | Buf m=2 k=2, n=2 across the units.
HAND_MAPPING = """mappings:
  - levels:
      - {level: DRAM, temporal: [k=2], keep: [A, B, C]}
      - {level: Buf, temporal: [m=2, k=2], spatial: [n=2@X], keep: [A, B, C]}
"""


class Import(unittest.TestCase):
    def test_version_is_the_cli_version(self):
        out = subprocess.run([os.path.join(BIN, "tessel"), "--version"],
                             check=True, capture_output=True, text=True)
        self.assertIn(tessel.__version__, out.stdout)
        self.assertRegex(tessel.__version__, r"^\d+\.\d+\.\d+$")


class Workloads(unittest.TestCase):
    def assert_same_as_cli(self, path):
        ours = tessel.load_workloads(source(path))
        cli = tessel_json("workloads", source(path))
        self.assertEqual([p.name for p in ours], [p["name"] for p in cli["ops"]])
        self.assertEqual(ours.diagnostics, cli["diagnostics"])
        self.assertEqual(ours.total_macs, cli["totalMacs"])
        for problem, expected in zip(ours, cli["ops"]):
            self.assertEqual(problem.op, expected["op"])
            self.assertEqual(problem.dims,
                             [(d["name"], d["bound"]) for d in expected["dims"]])
            self.assertEqual(problem.macs, expected["macs"])
            self.assertEqual(problem.reduction_dims, expected["reductionDims"])
            self.assertEqual(problem.source[1:], (expected["source"]["line"],
                                                  expected["source"]["column"]))
            for tensor, want in zip(problem.tensors, expected["tensors"], strict=True):
                self.assertEqual(tensor.name, want["name"])
                self.assertEqual(tensor.element_type, want["elementType"])
                self.assertEqual(tensor.element_bits, want["elementBits"])
                self.assertEqual(tensor.is_output, want["output"])
                self.assertEqual(tensor.shape, want["shape"])
                self.assertEqual(tensor.bytes, want["bytes"])
                self.assertEqual(problem.projection(tensor.name),
                                 [c["text"] for c in want["coordinates"]])
        self.assertEqual([(op.name, op.kind, op.elements, op.bytes)
                          for op in ours.not_contractions],
                         [(op["name"], op["kind"], op["elements"], op["bytes"])
                          for op in cli["notContractions"]])
        return ours

    def test_resnet50_as_the_cli_reads_it(self):
        ours = self.assert_same_as_cli("workloads/zoo/resnet50.mlir")
        conv1 = ours["conv1"]
        # 112x112 outputs x 64 filters x 7x7x3 window, computed here.
        self.assertEqual(conv1.macs, 112 * 112 * 64 * 7 * 7 * 3)
        self.assertEqual(conv1.projection("I"), ["n", "2*oh + kh", "2*ow + kw", "c"])
        self.assertEqual(ours.total_macs, sum(p.macs for p in ours))

    def test_tosa_module_with_set_aside_ops(self):
        ours = self.assert_same_as_cli("test/lit/workloads/Inputs/net.tosa.mlir")
        self.assertTrue(ours.not_contractions)
        self.assertTrue(any("lowered" in d and "TOSA" in d for d in ours.diagnostics))
        self.assertEqual(ours["qconv"].tensors[0].element_type[0], "i")

    def test_gemm_macs_from_text(self):
        m, k, n = 12, 7, 5
        (gemm,) = tessel.from_mlir_string(matmul_mlir(m, k, n), "gemm.mlir")
        self.assertEqual(gemm.name, "gemm")
        self.assertEqual(gemm.macs, m * n * k)
        self.assertEqual(gemm.dims, [("m", m), ("n", n), ("k", k)])
        self.assertEqual(gemm.reduction_dims, ["k"])
        self.assertEqual([t.is_output for t in gemm.tensors], [False, False, True])

    def test_a_bad_contraction_raises_at_its_line(self):
        text = ("func.func @f(%a: tensor<?x5xf32>, %b: tensor<5x4xf32>, %c: tensor<3x4xf32>) -> tensor<3x4xf32> {\n"
                "  %r = linalg.matmul ins(%a, %b : tensor<?x5xf32>, tensor<5x4xf32>) outs(%c : tensor<3x4xf32>) -> tensor<3x4xf32>\n"
                "  return %r : tensor<3x4xf32>\n}\n")
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "net.mlir")
            with open(path, "w") as file:
                file.write(text)
            with self.assertRaises(tessel.TesselError) as caught:
                tessel.load_workloads(path)
        error = caught.exception
        self.assertTrue(str(error).startswith(path + ":2:8: error: "), str(error))
        self.assertIn("dynamic shape", str(error))
        self.assertEqual((error.file, error.line, error.column), (path, 2, 8))

    def test_unparsable_text_and_missing_file(self):
        with self.assertRaises(tessel.TesselError) as caught:
            tessel.from_mlir_string("func.func @f( {\n", "broken.mlir")
        self.assertEqual(caught.exception.file, "broken.mlir")
        self.assertEqual(caught.exception.line, 1)
        with self.assertRaises(tessel.TesselError):
            tessel.load_workloads(source("no/such/file.mlir"))


class Einsum(unittest.TestCase):
    def test_gemm(self):
        m, n, k = 64, 32, 16
        gemm = tessel.Problem.einsum("mk,kn->mn", m=m, n=n, k=k)
        self.assertEqual(gemm.macs, m * n * k)
        self.assertEqual(gemm.dims, [("m", m), ("n", n), ("k", k)])
        self.assertEqual(gemm.reduction_dims, ["k"])
        self.assertEqual([t.name for t in gemm.tensors], ["A", "B", "C"])
        self.assertEqual([t.shape for t in gemm.tensors], [[m, k], [k, n], [m, n]])
        self.assertEqual(gemm.projection("B"), ["k", "n"])
        self.assertEqual({t.element_type for t in gemm.tensors}, {"f32"})
        self.assertEqual(gemm.tensors[2].bytes, m * n * 4)

    def test_with_precision(self):
        # By default each element is one word of every level (stored_bits
        # 0); declared, each tensor is held at its type's width.
        gemm = tessel.Problem.einsum("mk,kn->mn", dtype="i8", m=4, n=4, k=4)
        self.assertEqual([t.stored_bits for t in gemm.tensors], [0, 0, 0])
        declared = gemm.with_precision("declared")
        self.assertEqual([t.stored_bits for t in declared.tensors],
                         [t.element_bits for t in gemm.tensors])
        with self.assertRaises(tessel.TesselError):
            gemm.with_precision("bits")

    def test_contraction_dtype_and_names(self):
        bounds = dict(a=3, b=4, c=5, d=6, e=7)
        problem = tessel.Problem.einsum("abe,ecd->abcd", dtype="i8",
                                        tensors=("T", "V", "R"), name="ccsd", **bounds)
        self.assertEqual(problem.name, "ccsd")
        self.assertEqual(problem.macs, math.prod(bounds.values()))
        self.assertEqual([d for d, _ in problem.dims], ["a", "b", "c", "d", "e"])
        self.assertEqual(problem.reduction_dims, ["e"])
        self.assertEqual([(t.name, t.element_bits) for t in problem.tensors],
                         [("T", 8), ("V", 8), ("R", 8)])

    def test_bad_einsums(self):
        cases = [
            (("mk,kn",), dict(m=2, n=2, k=2), "no '->'"),
            (("mk,kn,nj->mj",), dict(m=2, n=2, k=2, j=2), "two inputs"),
            (("mk,kn->mn",), dict(m=2, n=2), "'k' has no bound"),
            (("mk,kn->mn",), dict(m=2, n=2, k=2, q=3), "no index 'q'"),
            (("mk,kn->mz",), dict(m=2, n=2, k=2, z=2), "'z' is in no input"),
            (("mk,kn->mn",), dict(m=0, n=2, k=2), "not positive"),
            (("mm,mn->mn",), dict(m=2, n=2), "repeats"),
        ]
        for args, bounds, message in cases:
            with self.subTest(args=args, bounds=bounds):
                with self.assertRaises(tessel.TesselError) as caught:
                    tessel.Problem.einsum(*args, **bounds)
                self.assertIn(message, str(caught.exception))
        with self.assertRaises(tessel.TesselError) as caught:
            tessel.Problem.einsum("mk,kn->mn", dtype="float", m=2, n=2, k=2)
        self.assertIn("unknown element type 'float'", str(caught.exception))


class ArchTests(unittest.TestCase):
    def test_presets(self):
        self.assertEqual(tessel.presets(), sorted(
            f[:-5] for f in os.listdir(source("arch/presets")) if f.endswith(".yaml")))

    def test_variant_equals_the_edited_yaml(self):
        # The same change made in Python and in the preset's YAML text gives
        # the same accelerator: PEs, instances and network hops.
        base = tessel.Arch.load("eyeriss")
        variant = base.variant("GlobalBuffer", fanout=(8, 6), name="small")
        with open(source("arch/presets/eyeriss.yaml")) as f:
            text = f.read().replace("fanout: [14, 12]", "fanout: [8, 6]")
        edited = tessel.Arch.from_yaml(text, "edited.yaml")
        self.assertEqual(variant.name, "small")
        self.assertEqual(variant.pe_count, 8 * 6)
        self.assertEqual([l.instances for l in variant.levels],
                         [l.instances for l in edited.levels])
        self.assertEqual(variant.level("GlobalBuffer").network,
                         edited.level("GlobalBuffer").network)
        self.assertEqual(base.pe_count, 14 * 12)  # The original is unchanged.
        with self.assertRaises(tessel.TesselError):
            base.variant("GlobalBuffer", fanout=(1024, 1024))
        with self.assertRaises(KeyError):
            base.variant("GLB", capacity=10)

    def test_area_as_the_cli_prints_it(self):
        arch = tessel.Arch.load(source("test/lit/arch/Inputs/tiny.yaml"))
        cli = tessel_json("arch", "test/lit/arch/Inputs/tiny.yaml")["area"]
        area = arch.area
        self.assertEqual(area["technology"], {"node_nm": 45, "vdd": 0.9})
        self.assertAlmostEqual(area["total_mm2"], cli["totalMm2"])
        self.assertAlmostEqual(area["leakage_mw"], cli["leakageMW"])
        self.assertEqual([l["storage"] for l in area["levels"]],
                         ["off chip", "SRAM", "register file"])
        # GLB: CACTI's 16 KiB SRAM at 45 nm.
        self.assertAlmostEqual(area["levels"][1]["storage_mm2"], 0.0507558)

    def test_levels_as_the_cli_prints_them(self):
        for preset in ("tpu16", "eyeriss"):
            with self.subTest(preset=preset):
                arch = tessel.Arch.load(preset)
                cli = tessel_json("arch", preset)
                self.assertEqual(arch.name, cli["name"])
                self.assertEqual(arch.pe_count, cli["compute"]["instances"])
                self.assertEqual(len(arch.levels), len(cli["levels"]))
                for level, want in zip(arch.levels, cli["levels"]):
                    self.assertEqual(level.name, want["name"])
                    self.assertEqual(level.capacity, want["capacityWords"])
                    self.assertEqual(list(level.fanout), want["fanout"])
                    self.assertEqual(level.instances, want["instances"])
                    self.assertEqual(level.keeps, want["keeps"])
                    self.assertEqual(level.read_bandwidth, want["readBandwidthWordsPerCycle"])
                    self.assertEqual(level.write_bandwidth, want["writeBandwidthWordsPerCycle"])
                    self.assertEqual(level.bandwidths["link"],
                                     want["network"]["linkBandwidthWordsPerCycle"])
                    self.assertEqual(level.energy, want["energyPJ"])
                    self.assertEqual(level.network["topology"], want["network"]["topology"])
                # PEs: the product of every fan-out, computed here.
                self.assertEqual(arch.pe_count,
                                 math.prod(l.fanout[0] * l.fanout[1] for l in arch.levels))
                self.assertEqual(arch.peak_macs_per_cycle,
                                 arch.pe_count * arch.compute["macs_per_pe"])

    def test_from_yaml_and_a_path(self):
        arch = tessel.Arch.from_yaml(TWO_UNITS, "two.yaml")
        self.assertEqual((arch.name, arch.pe_count), ("two", 2))
        self.assertIsNone(arch.levels[0].capacity)
        self.assertEqual(arch.levels[1].capacity, 100)
        self.assertEqual(arch.levels[0].read_bandwidth, 1.0)
        self.assertEqual(arch.level("Buf").energy, {"read": 1, "write": 2, "update": 3})
        by_path = tessel.Arch.load(source("test/lit/model/Inputs/two.yaml"))
        self.assertEqual(by_path.name, "two")

    def test_errors_name_file_line_and_choices(self):
        with self.assertRaises(tessel.TesselError) as caught:
            tessel.Arch.load("eyerss")
        self.assertIn("did you mean 'eyeriss'", str(caught.exception))
        bad = TWO_UNITS.replace("capacity: 100", "capcity: 100")
        with self.assertRaises(tessel.TesselError) as caught:
            tessel.Arch.from_yaml(bad, "bad.yaml")
        error = caught.exception
        self.assertEqual((error.file, error.line), ("bad.yaml", 10))
        self.assertIn("capcity", str(error))


class HandWorkedGemm(unittest.TestCase):
    """test/model/ModelTest.cpp's Gemm: C[m,n] += A[m,k] * B[k,n], m=2 n=2 k=4."""

    def setUp(self):
        (self.problem,) = tessel.from_mlir_string(matmul_mlir(2, 4, 2), "gemm.mlir")
        self.arch = tessel.Arch.from_yaml(TWO_UNITS, "two.yaml")
        self.mapping = tessel.Mapping.from_yaml(HAND_MAPPING, "m.yaml")

    def cell(self, report, level, tensor):
        (row,) = [r for r in report.actions if r["level"] == level and r["tensor"] == tensor]
        return row

    def test_reuse_counts_by_hand(self):
        self.assertEqual(tessel.verify(self.problem, self.arch, self.mapping), [])
        r = tessel.evaluate(self.problem, self.arch, self.mapping, model="reuse")
        self.assertEqual(len(r.actions), 2 * 3)
        # Buf fills A 8, B 8, C stays; DRAM reads 8 + 8, takes 4 updates.
        self.assertEqual(self.cell(r, "Buf", "A")["fills"], 8)
        self.assertEqual(self.cell(r, "Buf", "B")["fills"], 8)
        self.assertEqual(self.cell(r, "Buf", "C")["fills"], 0)
        self.assertEqual(self.cell(r, "DRAM", "A")["reads"], 8)
        self.assertEqual(self.cell(r, "DRAM", "B")["reads"], 8)
        self.assertEqual(self.cell(r, "DRAM", "C")["updates"], 4)
        # A multicast to both units (8 reads); B and C differ per unit.
        self.assertEqual(self.cell(r, "Buf", "A")["reads"], 8)
        self.assertEqual(self.cell(r, "Buf", "B")["reads"], 16)
        self.assertEqual(self.cell(r, "Buf", "C")["reads"], 4)
        self.assertEqual(self.cell(r, "Buf", "C")["updates"], 16)
        self.assertEqual(self.cell(r, "Buf", "A")["network_words"], 8)
        self.assertEqual(self.cell(r, "Buf", "A")["network_hops"], 8)
        self.assertEqual(self.cell(r, "Buf", "B")["network_hops"], 16)
        self.assertEqual(sum(self.cell(r, "DRAM", t)["network_hops"] for t in "ABC"), 20)
        self.assertEqual(r.macs, 2 * 2 * 4)
        # DRAM 16 x 10 + 4 x 30 + 20 hops x 1 = 300; Buf 28 x 1 + 16 x 2 +
        # 16 x 3 = 108; 16 MACs x 0.5 = 8.
        self.assertEqual(sum(self.cell(r, "DRAM", t)["energy_pj"] for t in "ABC"), 300.0)
        self.assertEqual(sum(self.cell(r, "Buf", t)["energy_pj"] for t in "ABC"), 108.0)
        self.assertEqual(r.mac_energy_pj, 8.0)
        self.assertEqual(r.energy_pj, 416.0)
        # Leakage is apart: the arch's leakage power x 36 cycles / clock.
        area = self.arch.area
        self.assertAlmostEqual(r.leakage_energy_pj,
                               area["leakage_mw"] * r.cycles / self.arch.clock_ghz)
        self.assertGreater(r.leakage_energy_pj, 0)
        # 16 DRAM reads at 1 word/cycle against 8 compute steps, plus what
        # the busy DRAM does not hide (ModelTest.cpp works it out): 13 to
        # start, 2 to end, 5 at Buf's one tile change.
        self.assertEqual(r.bottleneck, "DRAM read")
        self.assertEqual(r.resource_cycles, {"compute": 8, "DRAM read": 16})
        self.assertEqual(sorted(r.exposed_cycles.values()), [2, 5, 13])
        self.assertEqual(r.cycles, 16 + 13 + 2 + 5)
        self.assertEqual(r.utilization, 16 / (36 * 2))

    def test_dataflow_prices_every_step(self):
        r = tessel.evaluate(self.problem, self.arch, self.mapping, model="dataflow")
        # ModelTest.cpp works it out: DRAM's two steps of 8 words at 1 per
        # cycle (8 each), the first plus Buf's 5-cycle run: 13 + 8.
        self.assertEqual(r.cycles, 13 + 8)

    def test_einsum_problem_gives_the_same_report(self):
        einsum = tessel.Problem.einsum("mk,kn->mn", m=2, n=2, k=4)
        ours = tessel.evaluate(einsum, self.arch, self.mapping).to_dict()
        imported = tessel.evaluate(self.problem, self.arch, self.mapping).to_dict()
        self.assertEqual(ours, imported)

    def test_same_as_tessel_eval(self):
        for model in tessel.models():
            with self.subTest(model=model):
                with tempfile.NamedTemporaryFile("w", suffix=".yaml") as file:
                    file.write(HAND_MAPPING)
                    file.flush()
                    cli = tessel_json("eval", "test/lit/model/eval.mlir", "--arch",
                                      "test/lit/model/Inputs/two.yaml", "--model",
                                      model, "--mapping", file.name)
                (want,) = cli["ops"][0]["reports"]
                got = tessel.evaluate(self.problem, self.arch, self.mapping, model=model)
                self.assertEqual(got.evaluator, want["model"])
                self.assertEqual(got.cycles, want["cycles"])
                self.assertEqual(got.bottleneck, want["bottleneck"])
                self.assertAlmostEqual(got.energy_pj, want["energyPJ"], places=9)
                self.assertAlmostEqual(got.utilization, want["utilization"], places=12)
                rows = {(l["level"], t["tensor"]): t for l in want["levels"] for t in l["tensors"]}
                for row in got.actions:
                    cell = rows.get((row["level"], row["tensor"]))
                    if cell is None:  # the CLI leaves out cells with no action
                        self.assertEqual(row["reads"] + row["fills"] + row["updates"]
                                         + row["network_words"], 0)
                        continue
                    self.assertEqual((row["reads"], row["fills"], row["updates"],
                                      row["network_words"], row["network_hops"]),
                                     (cell["reads"], cell["fills"], cell["updates"],
                                      cell["networkWords"], cell["networkHops"]))
                    self.assertAlmostEqual(row["energy_pj"], cell["energyPJ"]["total"])

    def test_to_dict_and_to_pandas(self):
        r = tessel.evaluate(self.problem, self.arch, self.mapping)
        figures = r.to_dict()
        self.assertEqual((figures["cycles"], figures["energy_pj"], figures["macs"]),
                         (36, 416.0, 16))
        self.assertEqual(figures["actions"], r.actions)
        try:
            import pandas  # noqa: F401
        except ImportError:
            with self.assertRaises(ImportError) as caught:
                r.to_pandas()
            self.assertIn("needs pandas", str(caught.exception))
            self.assertIn("to_dict()", str(caught.exception))
        else:
            frame = r.to_pandas()
            self.assertEqual(len(frame), 6)
            self.assertEqual(int(frame["reads"].sum()),
                             sum(row["reads"] for row in r.actions))


class MappingTests(unittest.TestCase):
    def setUp(self):
        (self.problem,) = tessel.from_mlir_string(matmul_mlir(2, 4, 2), "gemm.mlir")
        self.arch = tessel.Arch.from_yaml(TWO_UNITS, "two.yaml")

    def test_yaml_round_trip_and_levels(self):
        mapping = tessel.Mapping.from_yaml(HAND_MAPPING)
        self.assertEqual(tessel.Mapping.from_yaml(mapping.to_yaml()), mapping)
        self.assertEqual(mapping.levels[1], {"level": "Buf",
                                             "temporal": [("m", 2), ("k", 2)],
                                             "spatial": [("n", 2, "X")],
                                             "keep": ["A", "B", "C"]})
        built = tessel.Mapping.from_levels([
            {"level": "DRAM", "temporal": [("k", 2)], "keep": ["A", "B", "C"]},
            {"level": "Buf", "temporal": ["m=2", "k=2"], "spatial": [("n", 2, "X")],
             "keep": ["A", "B", "C"]}])
        self.assertEqual(built, mapping)
        named = tessel.Mapping.from_yaml(mapping.to_yaml(op="gemm"))
        self.assertEqual(list(named), ["gemm"])
        self.assertEqual(named["gemm"], mapping)

    def test_mapped_module_from_tessel_map(self):
        # `tessel map -o` writes #tessel.mapping attributes; load_mapped
        # reads them back, equal to the YAML `tessel map -o x.yaml` writes.
        import tempfile
        with tempfile.TemporaryDirectory() as scratch:
            args = [os.path.join(BIN, "tessel"), "map",
                    source("test/lit/mapping/Inputs/gemm.mlir"), "--arch",
                    source("test/lit/mapping/Inputs/small.yaml"), "--mapper",
                    "random", "--budget", "300", "--seed", "3"]
            mlir = os.path.join(scratch, "mapped.mlir")
            yaml = os.path.join(scratch, "mapped.yaml")
            subprocess.run(args + ["-o", mlir], check=True, capture_output=True)
            subprocess.run(args + ["-o", yaml], check=True, capture_output=True)
            ((problem, mapping),) = tessel.load_mapped(mlir)
            self.assertEqual(problem.name, "gemm")
            self.assertEqual(mapping, tessel.Mapping.load(yaml)["gemm"])
            # load_workloads reads the mapped module too.
            self.assertEqual(len(tessel.load_workloads(mlir)), 1)
            # An op without an attribute has no mapping.
            ((_, none),) = tessel.load_mapped(
                source("test/lit/mapping/Inputs/gemm.mlir"))
            self.assertIsNone(none)

    def test_mapping_from_attribute_text(self):
        mapping = tessel.Mapping.from_attr(
            "#tessel.mapping<DRAM: temporal [k=2] keep [A, B, C], "
            "Buf: temporal [m=2, k=2] spatial [n=2 @X] keep [A, B, C]>")
        self.assertEqual(mapping, tessel.Mapping.from_yaml(HAND_MAPPING))
        with self.assertRaises(tessel.TesselError) as raised:
            tessel.Mapping.from_attr("#tessel.mapping<DRAM: temporal [k=]>")
        self.assertIn("cannot read the #tessel.mapping attribute", str(raised.exception))

    def test_factor_product_reason(self):
        bad = tessel.Mapping.from_yaml(HAND_MAPPING.replace("temporal: [k=2]", "temporal: [k=1]"))
        reasons = tessel.verify(self.problem, self.arch, bad)
        self.assertIn("dimension 'k': the product of its factors is 2 but its bound is 4; "
                      "the factors must multiply to 4", reasons)
        with self.assertRaises(tessel.TesselError) as caught:
            tessel.evaluate(self.problem, self.arch, bad)
        self.assertEqual(caught.exception.reasons, reasons)
        self.assertIn("invalid mapping of 'gemm'", str(caught.exception))

    def test_fan_out_reason_as_tessel_check_prints_it(self):
        bad = tessel.Mapping.from_yaml(
            HAND_MAPPING.replace("temporal: [m=2, k=2], spatial: [n=2@X]",
                                 "temporal: [k=2], spatial: [n=2@X, m=2@X]"))
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as file:
            file.write(bad.to_yaml())
            file.flush()
            out = subprocess.run([os.path.join(BIN, "tessel"), "check",
                                  "test/lit/model/eval.mlir", "--arch",
                                  "test/lit/model/Inputs/two.yaml", "--mapping",
                                  file.name, "--json"], cwd=ROOT,
                                 capture_output=True, text=True)
        cli = json.loads(out.stdout)
        self.assertEqual(tessel.verify(self.problem, self.arch, bad), cli["ops"][0]["errors"])
        self.assertTrue(cli["ops"][0]["errors"])

    def test_malformed_yaml_names_file_and_line(self):
        text = "mappings:\n  - levels:\n      - {level: DRAM, temporal: [k=two]}\n"
        with self.assertRaises(tessel.TesselError) as caught:
            tessel.Mapping.from_yaml(text, "m.yaml")
        self.assertEqual((caught.exception.file, caught.exception.line), ("m.yaml", 3))

    def test_unknown_model(self):
        mapping = tessel.Mapping.from_yaml(HAND_MAPPING)
        with self.assertRaises(ValueError) as caught:
            tessel.evaluate(self.problem, self.arch, mapping, model="timeloop")
        self.assertIn("reuse", str(caught.exception))


class MapTests(unittest.TestCase):
    def setUp(self):
        self.problem = tessel.Problem.einsum("mk,kn->mn", m=32, n=32, k=64, name="gemm")
        self.arch = tessel.Arch.load("eyeriss")

    def test_best_mapping_is_legal_and_its_report_is_evaluate(self):
        result = tessel.map(self.problem, self.arch, budget=400, seed=7)
        self.assertEqual((result.mapper, result.evaluations, result.stopped_by),
                         ("genetic", 400, "budget"))
        self.assertGreater(result.valid, 0)
        self.assertEqual(tessel.verify(self.problem, self.arch, result.mapping), [])
        again = tessel.evaluate(self.problem, self.arch, result.mapping)
        self.assertEqual(again.to_dict(), result.report.to_dict())
        self.assertEqual(result.cost, again.cycles * again.energy_pj)

    def test_same_seed_same_result_at_one_and_two_threads(self):
        one = tessel.map(self.problem, self.arch, budget=600, seed=3, threads=1)
        two = tessel.map(self.problem, self.arch, budget=600, seed=3, threads=2)
        self.assertEqual(one.mapping, two.mapping)
        self.assertEqual(one.report.to_dict(), two.report.to_dict())

    def test_same_as_tessel_map(self):
        cli = tessel_json("map", "test/lit/model/eval.mlir", "--arch",
                          "test/lit/model/Inputs/two.yaml", "--budget", "300",
                          "--seed", "3", "--mapper", "random")
        (problem,) = tessel.from_mlir_string(matmul_mlir(2, 4, 2), "gemm.mlir")
        arch = tessel.Arch.load(source("test/lit/model/Inputs/two.yaml"))
        ours = tessel.map(problem, arch, mapper="random", budget=300, seed=3)
        (op,) = cli["ops"]
        self.assertEqual((ours.report.cycles, ours.report.energy_pj, ours.evaluations,
                          ours.valid, ours.pruned),
                         (op["cycles"], op["energyPJ"], op["evaluations"], op["valid"],
                          op["pruned"]))
        self.assertEqual(ours.mapping.levels,
                         [{"level": l["level"],
                           "temporal": [(t["dim"], t["factor"]) for t in l["temporal"]],
                           "spatial": [(s["dim"], s["factor"], s["axis"]) for s in l["spatial"]],
                           "keep": l["keep"]} for l in op["mapping"]])

    def test_releases_the_gil(self):
        ticks = []
        stop = threading.Event()

        def tick():
            while not stop.is_set():
                ticks.append(time.monotonic())
                time.sleep(0.001)

        thread = threading.Thread(target=tick)
        thread.start()
        try:
            started = time.monotonic()
            result = tessel.map(self.problem, self.arch, budget=0, seconds=0.3)
            ended = time.monotonic()
        finally:
            stop.set()
            thread.join()
        during = [t for t in ticks if started < t < ended]
        self.assertEqual(result.stopped_by, "time")
        self.assertGreater(result.evaluations, 0)
        # The thread kept running, ticking every millisecond or so all
        # through the search (with the GIL held it could not tick once).
        self.assertGreater(ended - started, 0.25)
        self.assertGreater(len(during), 50)

    def test_bad_arguments(self):
        with self.assertRaises(ValueError) as caught:
            tessel.map(self.problem, self.arch, mapper="nope", budget=10)
        self.assertIn("genetic", str(caught.exception))
        with self.assertRaises(ValueError):
            tessel.map(self.problem, self.arch, objective="speed", budget=10)
        with self.assertRaises(ValueError):
            tessel.map(self.problem, self.arch, model="nope", budget=10)


class ValidateTests(unittest.TestCase):
    def test_same_as_tessel_validate(self):
        import tempfile
        suite = source("test/lit/validation/Inputs/own-op.yaml")
        (row,) = tessel.validate(suite, jobs=1)
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([os.path.join(BIN, "tessel"), "validate", suite,
                            "--out", out], cwd=ROOT, check=True,
                           capture_output=True)
            with open(os.path.join(out, "report.json")) as f:
                (case,) = json.load(f)["cases"]
        self.assertEqual(row["name"], case["name"])
        self.assertEqual((row["status"], row["sim_status"]), ("ok", "ok"))
        for model, figures in row["models"].items():
            self.assertEqual(figures["cycles"], case["evaluators"][model]["cycles"])
        self.assertEqual(row["sim"]["cycles"], case["evaluators"]["sim"]["cycles"])
        sim = row["sim"]["cycles"]
        reuse = row["models"]["reuse"]
        self.assertAlmostEqual(reuse["cycles_error_percent"],
                               (reuse["cycles"] - sim) / sim * 100)

    def test_bad_suite_raises(self):
        with self.assertRaises(tessel.TesselError):
            tessel.validate(source("test/lit/validation/Inputs/bad-suite.yaml"))


class SimulateTests(unittest.TestCase):
    """The 2x2 weight-stationary systolic GEMM of test/sim/SystolicTest.cpp."""
    MAPPING = """mappings:
  - levels:
      - {level: DRAM, keep: [A, B, C]}
      - {level: GLB, temporal: [m=4], spatial: [n=2@X, k=2@Y], keep: [A, B, C]}
      - {level: PE, keep: [B]}
"""

    def test_same_as_tessel_sim_twice_in_one_process(self):
        (problem,) = tessel.from_mlir_string(matmul_mlir(4, 2, 2))
        arch = tessel.Arch.load(source("test/lit/sim/Inputs/ws2x2.yaml"))
        mapping = tessel.Mapping.from_yaml(self.MAPPING)
        with tempfile.TemporaryDirectory() as directory:
            mapping_file = os.path.join(directory, "ws.yaml")
            with open(mapping_file, "w") as file:
                file.write(self.MAPPING)
            cli = tessel_json("sim", "test/lit/sim/Inputs/gemm.mlir", "--arch",
                              "test/lit/sim/Inputs/ws2x2.yaml", "--mapping",
                              mapping_file, "--functional")["ops"][0]["sim"]
            trace = os.path.join(directory, "gemm.trace.json")
            first = tessel.simulate(problem, arch, mapping, functional=True, trace=trace)
            with open(trace) as file:
                self.assertTrue(json.load(file))
        second = tessel.simulate(problem, arch, mapping)
        reuse = tessel.evaluate(problem, arch, mapping)
        for report in (first, second):
            self.assertEqual(report.evaluator, "sim")
            self.assertEqual(report.cycles, cli["cycles"])
            self.assertEqual(report.stalls, cli["stalls"])
            self.assertAlmostEqual(report.energy_pj, cli["energyPJ"], places=6)
            # The simulator counts its own actions; DRAM reads each word of
            # A (4x2) and B (2x2) once and takes each of C's 8 sums once.
            self.assertEqual(report.actions, first.actions)
            dram = {r["tensor"]: r for r in report.actions if r["level"] == "DRAM"}
            self.assertEqual((dram["A"]["reads"], dram["B"]["reads"],
                              dram["C"]["updates"]), (8, 4, 8))
            self.assertEqual(report.macs, reuse.macs)
            self.assertEqual(report.compute_cycles + sum(report.stalls.values()),
                             report.cycles)
        self.assertEqual(first.mismatch, "")
        self.assertEqual(first.to_dict()["functional"], True)

    def test_invalid_mapping_is_not_simulated(self):
        (problem,) = tessel.from_mlir_string(matmul_mlir(4, 2, 2))
        arch = tessel.Arch.load(source("test/lit/sim/Inputs/ws2x2.yaml"))
        bad = tessel.Mapping.from_yaml(self.MAPPING.replace("m=4", "m=2"))
        with self.assertRaises(tessel.TesselError) as caught:
            tessel.simulate(problem, arch, bad)
        self.assertIn("dimension 'm'", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
