#!/usr/bin/env bash
# Configures and builds normwerk. Usage: scripts/build.sh [release|asan]
# release -> build/        (optimised; the binary users run and benchmarks use)
# asan    -> build-asan/   (AddressSanitizer + UndefinedBehaviorSanitizer; the test suite runs here)
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
jobs="$(nproc 2>/dev/null || echo 2)"
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.ccache}"
case "$kind" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan)    dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DNW_SANITIZE=ON) ;;
  *) echo "usage: scripts/build.sh [release|asan]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
ninja -C "$dir" -j "$jobs"
