#!/bin/sh
# Tessel's main job on an embedded default: builds (installing dependencies
# if missing), then reads ResNet-50 from the model zoo and lists its layers.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TESSEL_BUILD_DIR:-$ROOT/build}
"$ROOT/scripts/build.sh"
exec "$BUILD/bin/tessel" workloads --brief "$ROOT/workloads/zoo/resnet50.mlir"
