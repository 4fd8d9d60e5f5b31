#!/bin/sh
# Installs dependencies (if missing), configures and builds Tessel into
# ./build. Incremental: a second run rebuilds only what changed.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TESSEL_BUILD_DIR:-$ROOT/build}
JOBS=${TESSEL_JOBS:-$(nproc)}

"$ROOT/scripts/deps.sh"
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" -j "$JOBS" -- ${TESSEL_NINJA_FLAGS:---quiet}
