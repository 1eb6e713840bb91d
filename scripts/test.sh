#!/usr/bin/env bash
# One command for the whole test suite: install, build with sanitizers, run
# every test (unit, golden, CLI, rule scenarios), and check formatting and
# generated documents. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh asan
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export NO_COLOR=1
nw=./build-asan/cli/normwerk

echo "== rule files: lint, format, scenarios"
$nw lint rules
$nw fmt --check rules
$nw test rules --coverage
$nw lint --analyze rules --as-of 2024-06-30 --accepted rules/analysis-accepted.txt
bash scripts/coverage.sh --check --normwerk "$nw"

echo "== amendments: each checked over the rules and its scenarios run under the amended law"
for a in amendments/*.norm; do
  $nw lint rules --amendment "$a"
  $nw test "$a" --amendment "$a"
done
$nw fmt --check amendments

echo "== corpus: every policy, CAO clause and case against its expected findings"
bash corpus/update-expected.sh --check --normwerk "$nw"

echo "== test suite (ctest)"
ctest --test-dir build-asan --output-on-failure -j "$(nproc 2>/dev/null || echo 2)"
