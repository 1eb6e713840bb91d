#!/usr/bin/env bash
# Writes docs/coverage.md: the notes in docs/coverage-notes.md followed by the
# table of every rule, generated from the rules so that it cannot drift.
#   scripts/coverage.sh [--check] [--normwerk PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
nw=build/cli/normwerk
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1 ;;
    --normwerk) shift; nw="$1" ;;
    *) echo "usage: scripts/coverage.sh [--check] [--normwerk PATH]" >&2; exit 2 ;;
  esac
  shift
done
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
{
  cat docs/coverage-notes.md
  echo
  "$nw" --lang en --no-color rules --format markdown
} > "$tmp"
if [ "$check" = 1 ]; then
  if ! diff -u docs/coverage.md "$tmp"; then
    echo "docs/coverage.md is not current: run scripts/coverage.sh" >&2
    exit 1
  fi
  echo "docs/coverage.md is current"
else
  mv "$tmp" docs/coverage.md
  trap - EXIT
  echo "wrote docs/coverage.md"
fi
