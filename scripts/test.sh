#!/bin/sh
# Builds Tessel (installing dependencies if missing) and runs every test:
# the GoogleTest unit tests through CTest, then the lit/FileCheck tests.
# Ends with one summary line; exit status is non-zero if anything failed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TESSEL_BUILD_DIR:-$ROOT/build}
JOBS=${TESSEL_JOBS:-$(nproc)}
LIT=/usr/lib/llvm-19/build/utils/lit/lit.py

"$ROOT/scripts/build.sh" || { echo "tessel: build failed"; exit 1; }

echo "== unit tests (GoogleTest via CTest)"
ctest --test-dir "$BUILD" -j "$JOBS" --output-on-failure \
  --output-junit "$BUILD/ctest-results.xml" >"$BUILD/ctest.log" 2>&1
ctest_status=$?
grep -E "tests passed|Failed|\*\*\*|Exception|Not Run" "$BUILD/ctest.log" | tail -40
unit_total=$(grep -o 'tests="[0-9]*"' "$BUILD/ctest-results.xml" | head -1 | tr -dc 0-9)
unit_failed=$(grep -o 'failures="[0-9]*"' "$BUILD/ctest-results.xml" | head -1 | tr -dc 0-9)
unit_total=${unit_total:-0}
unit_failed=${unit_failed:-0}
if [ "$ctest_status" != 0 ] && [ "$unit_failed" = 0 ]; then unit_failed=1; fi

echo "== tool tests (lit + FileCheck)"
python3 "$LIT" -q -j "$JOBS" --xunit-xml-output "$BUILD/lit-results.xml" \
  "$BUILD/test/lit"
lit_status=$?
lit_total=$(grep -o 'tests="[0-9]*"' "$BUILD/lit-results.xml" | head -1 | tr -dc 0-9)
lit_failed=$(grep -o 'failures="[0-9]*"' "$BUILD/lit-results.xml" | head -1 | tr -dc 0-9)
lit_total=${lit_total:-0}
lit_failed=${lit_failed:-0}
if [ "$lit_status" != 0 ] && [ "$lit_failed" = 0 ]; then lit_failed=1; fi

echo "== summary"
echo "unit tests: $((unit_total - unit_failed)) passed, $unit_failed failed (of $unit_total)"
echo "tool tests: $((lit_total - lit_failed)) passed, $lit_failed failed (of $lit_total)"
if [ "$unit_failed" != 0 ] || [ "$lit_failed" != 0 ] || [ "$unit_total" = 0 ]; then
  echo "FAILED"
  exit 1
fi
echo "ALL PASSED"
