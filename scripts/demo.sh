#!/bin/sh
# Tessel's main job on an embedded default: builds (installing dependencies
# if missing), maps a handful of ResNet-50 layers on the Eyeriss-like preset,
# simulates them cycle by cycle, and prints the model-versus-simulation
# table; writes a report, plots and a trace under build/demo.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TESSEL_BUILD_DIR:-$ROOT/build}
"$ROOT/scripts/build.sh"
cd "$ROOT"
OUT=$BUILD/demo
OUT=${OUT#"$ROOT"/} # Shown relative to the repository when inside it.
status=0
"$BUILD/bin/tessel" validate validation/suites/demo.yaml --jobs "$(nproc)" \
  --out "$OUT" || status=$?
# A cycle-by-cycle trace of one layer with the mapping found above (one
# that simulates in well under a minute).
"$BUILD/bin/tessel" sim workloads/zoo/resnet50.mlir \
  --arch arch/presets/eyeriss.yaml \
  --mapping "$OUT/cases/layer4_2_conv3.mapping.yaml" \
  --trace "$OUT/layer4_2_conv3.trace.json" \
  --util "$OUT/layer4_2_conv3.util.csv" > /dev/null
echo
echo "report:  $OUT/report.md"
echo "plots:   $OUT/cycles-scatter.png, cycles-error.png, energy-breakdown.png (and .svg)"
echo "trace:   $OUT/layer4_2_conv3.trace.json (open in https://ui.perfetto.dev), utilization: $OUT/layer4_2_conv3.util.csv"
exit $status
