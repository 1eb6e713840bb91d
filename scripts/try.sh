#!/usr/bin/env bash
# One command for a new user: install, build, and check a bundled example case.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
echo
echo "\$ normwerk check examples/request-late.json --as-of 2024-06-30 --explain"
set +e
./build/cli/normwerk check examples/request-late.json --as-of 2024-06-30 --explain
code=$?
set -e
echo
echo "exit code $code (1: findings at or above --fail-on; see docs/cli.md)"
[ "$code" -le 1 ]
