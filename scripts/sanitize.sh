#!/bin/sh
# Builds all of Tessel with AddressSanitizer + UndefinedBehaviorSanitizer
# (clang-19) and runs every test the way scripts/test.sh does (CTest, then
# lit), then lists the sanitizer reports. docs/robustness.md, "Fuzzing and
# sanitizers".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TESSEL_ASAN_BUILD_DIR:-$(dirname "$ROOT")/build-asan}

case "${1:-}" in
-h | --help)
  cat <<EOF
usage: scripts/sanitize.sh

Configures \$TESSEL_ASAN_BUILD_DIR (default $BUILD) with clang-19 and
-DTESSEL_SANITIZE=ON (-fsanitize=address,undefined
-fno-sanitize-recover=undefined -fno-omit-frame-pointer, -O1 -g, assertions
on), installing clang-19 and libclang-rt-19-dev from Debian if missing, then
runs scripts/test.sh on that build (every CTest and lit test; the Python
module is not built, see below).
Sanitizer reports are written to BUILD/sanitizer-logs/ (one file per
process that reported) and summarized at the end; any report fails the run.

MLIR's false use-after-poison (LLVM's allocator poisoning inlined into
instrumented code, Debian's libMLIR uninstrumented) is handled at compile
time by test/fuzz/NoLlvmPoisoning.h: see that file.
Environment: TESSEL_ASAN_BUILD_DIR, TESSEL_JOBS.
EOF
  exit 0 ;;
"") ;;
*) echo "sanitize.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

"$ROOT/scripts/deps.sh" || exit 1
missing=""
for package in clang-19 libclang-rt-19-dev; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
    grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "tessel: installing Debian packages:$missing"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
      --no-install-recommends $missing >/dev/null || exit 1
fi

# Configured here; scripts/build.sh (called by scripts/test.sh) then only
# builds, as the build directory already has its build.ninja.
# No Python module: an instrumented extension cannot load into Debian's
# uninstrumented python3 ("undefined symbol:
# __asan_option_detect_stack_use_after_return"), and preloading the shared
# ASan runtime breaks the statically instrumented `tessel` processes its
# tests start. Its C++ is the libraries', which the other tests cover.
mkdir -p "$BUILD"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCMAKE_CXX_COMPILER=clang++-19 \
  -DTESSEL_SANITIZE=ON -DCMAKE_DISABLE_FIND_PACKAGE_pybind11=ON \
  >"$BUILD/cmake.log" 2>&1 ||
  { cat "$BUILD/cmake.log"; echo "tessel: configure failed"; exit 1; }

LOGS="$BUILD/sanitizer-logs"
rm -rf "$LOGS" && mkdir -p "$LOGS"
# Reports go to files (a lit test that checks stderr would otherwise fail
# on the report text instead of on the exit status); exitcode makes every
# report fail its test. The simulator's SystemC thread runs on a coroutine
# stack (SystemC's QuickThreads switch stacks by hand), which ASan's fake
# stacks for use-after-return do not follow: they crash the kernel's update
# phase. That one check is off; every other stays on.
export ASAN_OPTIONS="log_path=$LOGS/asan:detect_leaks=1:exitcode=86:detect_stack_use_after_return=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="log_path=$LOGS/ubsan:print_stacktrace=1:halt_on_error=1:exitcode=87:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="log_path=$LOGS/lsan:${LSAN_OPTIONS:-}"

TESSEL_BUILD_DIR="$BUILD" "$ROOT/scripts/test.sh"
status=$?

echo "== sanitizer reports ($LOGS)"
# A log holding only ASan's notice that a no-return call ran on a stack it
# does not know (the simulator's SystemC coroutine, docs/robustness.md) is
# no report; every other log is one.
reports=""
notices=0
for f in $(find "$LOGS" -type f | sort); do
  if ! grep -v -e 'ASan is ignoring requested __asan_handle_no_return' \
    -e '^False positive error reports may follow' \
    -e '^For details see https://github.com/google/sanitizers/issues/189' \
    "$f" | grep -q .; then
    notices=$((notices + 1))
    continue
  fi
  reports="$reports $f"
done
[ "$notices" = 0 ] ||
  echo "($notices processes noted a coroutine stack switch: not reports)"
if [ -z "$reports" ]; then
  echo "none"
else
  for f in $reports; do
    summary=$(grep -m1 '^SUMMARY:' "$f" || grep -m1 'runtime error' "$f" ||
      head -1 "$f")
    echo "$(basename "$f"): $summary"
  done
  status=1
fi
[ "$status" = 0 ] && echo "SANITIZERS: ALL PASSED" || echo "SANITIZERS: FAILED"
exit $status
