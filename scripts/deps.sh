#!/bin/sh
# Installs Tessel's build and test dependencies from Debian's archive.
# Idempotent: when everything is installed it only checks, in a second.
set -eu

PACKAGES="cmake ninja-build g++ python3 \
  libmlir-19-dev mlir-19-tools llvm-19-dev llvm-19-tools libzstd-dev \
  libsystemc-dev libboost-graph-dev libgtest-dev libgmock-dev \
  libbenchmark-dev libyaml-cpp-dev libcli11-dev gnuplot-nox \
  pybind11-dev python3-dev python3-pip python3-setuptools libsqlite3-dev \
  libopenmpi-dev openmpi-bin"

missing=""
for package in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
      grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

echo "tessel: installing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
  --no-install-recommends $missing >/dev/null
echo "tessel: packages installed"
