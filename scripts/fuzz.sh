#!/bin/sh
# Builds Tessel's libFuzzer harnesses (test/fuzz/) with clang-19, ASan and
# UBSan, and runs them. docs/robustness.md, "Fuzzing and sanitizers".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TESSEL_FUZZ_BUILD_DIR:-$(dirname "$ROOT")/build-fuzz}
JOBS=${TESSEL_JOBS:-$(nproc)}
ALL="arch mapping_yaml mapping_attr mapping_pipeline constraints suite"

usage() {
  cat <<EOF
usage: scripts/fuzz.sh [-j N] [--keep] [--build-only] [SECONDS] [HARNESS...]

Builds the harnesses into \$TESSEL_FUZZ_BUILD_DIR (default $BUILD) with
clang-19 -fsanitize=fuzzer,address,undefined (installing clang-19 and
libclang-rt-19-dev from Debian if missing), then runs each HARNESS for
SECONDS (default 60; 0: no run, e.g. with --keep), niced, starting from its seed corpus
test/fuzz/corpus/HARNESS and its dictionary test/fuzz/HARNESS.dict.

Harnesses (default all): $ALL

  -j N          run N harnesses at once (default 1)
  --keep        afterwards, add to test/fuzz/corpus/HARNESS the inputs of the
                grown corpus that cover something new (files over 4 KB left
                out; libFuzzer -merge=1; at most 400 files, the largest
                added ones dropped first)
  --build-only  build, do not run

Each harness runs in libFuzzer's fork mode and keeps going after a crash,
timeout (5 s per input; 20 s for suite) or out-of-memory (2 GB); the inputs are written to
BUILD/findings/HARNESS/ (crash-*, timeout-*, oom-*); the growing corpus is in
BUILD/corpus/HARNESS and the log in BUILD/logs/HARNESS.log. A summary line per
harness ends the run: seconds, executions, corpus size, crashes, timeouts,
OOMs. Exit status 1 if any harness found anything.

Reproduce a finding:  BUILD/bin/fuzz/fuzz_HARNESS FILE
Environment: TESSEL_FUZZ_BUILD_DIR, TESSEL_JOBS (build jobs).
EOF
}

SECONDS_EACH=60
PARALLEL=1
KEEP=0
KEEP_MAX=400
BUILD_ONLY=0
HARNESSES=""
while [ $# -gt 0 ]; do
  case "$1" in
  -h | --help) usage; exit 0 ;;
  -j) PARALLEL=$2; shift ;;
  --keep) KEEP=1 ;;
  --build-only) BUILD_ONLY=1 ;;
  -*) echo "fuzz.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  *)
    if [ -z "$HARNESSES" ] && expr "$1" : '[0-9][0-9]*$' >/dev/null; then
      SECONDS_EACH=$1
    else
      case " $ALL " in
      *" $1 "*) HARNESSES="$HARNESSES $1" ;;
      *) echo "fuzz.sh: unknown harness '$1'; expected one of: $ALL" >&2
         exit 2 ;;
      esac
    fi ;;
  esac
  shift
done
HARNESSES=${HARNESSES:-$ALL}

# Dependencies: the project's, then clang and its runtimes (libFuzzer).
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

if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCMAKE_CXX_COMPILER=clang++-19 \
    -DTESSEL_FUZZ=ON >"$BUILD.cmake.log" 2>&1 ||
    { cat "$BUILD.cmake.log"; echo "tessel: fuzz configure failed"; exit 1; }
fi
targets=""
for h in $HARNESSES; do targets="$targets fuzz_$h"; done
cmake --build "$BUILD" -j "$JOBS" --target $targets -- --quiet ||
  { echo "tessel: fuzz build failed"; exit 1; }
[ "$BUILD_ONLY" = 1 ] && exit 0

max_len() {
  case "$1" in
  arch | suite) echo 8192 ;;
  mapping_attr) echo 2048 ;;
  *) echo 4096 ;;
  esac
}

timeout_of() {
  case "$1" in
  suite) echo 20 ;; # parses zoo modules and inline MLIR
  *) echo 5 ;;
  esac
}

# UBSan: -fno-sanitize-recover=undefined makes every report fatal; print
# where. The ASan build needs no suppressions (test/fuzz/NoLlvmPoisoning.h).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0}

run_one() {
  h=$1
  mkdir -p "$BUILD/corpus/$h" "$BUILD/findings/$h" "$BUILD/logs"
  log="$BUILD/logs/$h.log"
  dict=""
  [ -f "$ROOT/test/fuzz/$h.dict" ] && dict="-dict=$ROOT/test/fuzz/$h.dict"
  # shellcheck disable=SC2086
  nice -n 19 "$BUILD/bin/fuzz/fuzz_$h" -fork=1 -ignore_crashes=1 \
    -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$SECONDS_EACH" \
    -timeout="$(timeout_of "$h")" -rss_limit_mb=2048 -max_len="$(max_len "$h")" $dict \
    -artifact_prefix="$BUILD/findings/$h/" \
    "$BUILD/corpus/$h" "$ROOT/test/fuzz/corpus/$h" >"$log" 2>&1
  # Fork mode's status lines read
  #   #EXECS: cov: C ft: F corp: N exec/s: E oom/timeout/crash: O/T/X time: Ss
  last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1)
  execs=$(echo "$last" | sed -n 's/^#\([0-9]*\):.*/\1/p')
  corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
  otc=$(echo "$last" | sed -n 's|.*oom/timeout/crash: \([0-9/]*\).*|\1|p')
  t=$(echo "$last" | sed -n 's/.* time: \([0-9]*\)s.*/\1/p')
  found=$(find "$BUILD/findings/$h" -type f | wc -l)
  echo "$h: ${t:-?} s, ${execs:-?} execs, corpus ${corp:-?}," \
    "oom/timeout/crash ${otc:-?}, $found files in $BUILD/findings/$h" \
    >"$BUILD/logs/$h.summary"
}

running=0
[ "$SECONDS_EACH" = 0 ] && HARNESSES_RUN="" || HARNESSES_RUN=$HARNESSES
[ -n "$HARNESSES_RUN" ] &&
  echo "== fuzzing ($SECONDS_EACH s each, $PARALLEL at once):$HARNESSES"
for h in $HARNESSES_RUN; do
  run_one "$h" &
  running=$((running + 1))
  if [ "$running" -ge "$PARALLEL" ]; then
    wait
    running=0
  fi
done
wait

if [ "$KEEP" = 1 ]; then
  for h in $HARNESSES; do
    # Adds to the seed corpus only the inputs that cover something new.
    find "$BUILD/corpus/$h" -type f -size +4k -delete
    before=$(ls "$ROOT/test/fuzz/corpus/$h" | wc -l)
    nice -n 19 "$BUILD/bin/fuzz/fuzz_$h" -merge=1 -max_len="$(max_len "$h")" \
      "$ROOT/test/fuzz/corpus/$h" "$BUILD/corpus/$h" \
      >"$BUILD/logs/$h.merge.log" 2>&1
    # At most $KEEP_MAX files: the largest added inputs (named by their
    # SHA-1) are dropped first; the hand-written seeds always stay.
    seeds="$ROOT/test/fuzz/corpus/$h"
    extra=$(($(ls "$seeds" | wc -l) - KEEP_MAX))
    if [ "$extra" -gt 0 ]; then
      ls -S "$seeds" | grep -E '^[0-9a-f]{40}$' | head -n "$extra" |
        while read -r f; do rm -f "$seeds/$f"; done
    fi
    echo "$h: test/fuzz/corpus/$h: $before -> $(ls "$seeds" | wc -l) files"
  done
fi

echo "== summary"
status=0
for h in $HARNESSES; do
  [ -f "$BUILD/logs/$h.summary" ] && cat "$BUILD/logs/$h.summary"
  [ -n "$(find "$BUILD/findings/$h" -type f)" ] && status=1
done
exit $status
