#!/usr/bin/env bash
# The corpus golden suite (corpus/README.md).
#
#   corpus/update-expected.sh                 write every X.expected.json
#   corpus/update-expected.sh --check         regenerate in a temporary folder and diff; exit 1 on any difference
#   corpus/update-expected.sh --normwerk PATH use this binary (default: $NORMWERK, else build/cli/normwerk,
#                                             else the newest build*/cli/normwerk)
#   corpus/update-expected.sh FILE...         only these items (paths as in corpus/asof.tsv)
#
# Each item X.json is checked as of the date in corpus/asof.tsv:
#   normwerk --lang en --no-color --rules rules check X.json --as-of DATE --format json
# run from the repository root, so finding subjects name `corpus/...`. The
# output is stored as X.expected.json without the rule set's hash (the hash
# changes with every edit of any rule file, even a comment; the findings are
# what the suite guards). Exit codes 0 and 1 of `normwerk check` are results;
# 2 (input error) and 3 (internal error) fail the suite.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root" || exit 2

check=0
nw="${NORMWERK:-}"
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1 ;;
    --normwerk) shift; nw="${1:-}" ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "update-expected.sh: unknown option $1" >&2; exit 2 ;;
    *) only+=("$1") ;;
  esac
  shift
done

if [ -z "$nw" ]; then
  if [ -x build/cli/normwerk ]; then
    nw=build/cli/normwerk
  else
    nw="$(ls -t build*/cli/normwerk 2>/dev/null | head -n 1)"
  fi
fi
if [ -z "$nw" ] || [ ! -x "$nw" ]; then
  echo "update-expected.sh: no normwerk binary; build it or pass --normwerk PATH" >&2
  exit 2
fi

asof=corpus/asof.tsv
if [ ! -f "$asof" ]; then
  echo "update-expected.sh: $asof is missing" >&2
  exit 2
fi

# Every item has a date and every date an item.
status=0
declare -A date_of
while IFS=$'\t' read -r file date _; do
  case "$file" in ''|'#'*) continue ;; esac
  if [ ! -f "$file" ]; then
    echo "$asof: $file does not exist" >&2
    status=1
    continue
  fi
  date_of["$file"]="$date"
done < "$asof"
for file in corpus/caos/*.json corpus/policies/*.json corpus/cases/*.json; do
  case "$file" in *.expected.json) continue ;; esac
  if [ -z "${date_of[$file]:-}" ]; then
    echo "$asof: no as-of date for $file" >&2
    status=1
  fi
done

if [ ${#only[@]} -eq 0 ]; then
  mapfile -t items < <(grep -v '^#' "$asof" | cut -f1 | grep -v '^$')
else
  items=("${only[@]}")
fi

out_dir=""
if [ $check -eq 1 ]; then
  out_dir="$(mktemp -d)"
  trap 'rm -rf "$out_dir"' EXIT
fi

ran=0
differ=0
for file in "${items[@]}"; do
  date="${date_of[$file]:-}"
  if [ -z "$date" ]; then
    echo "update-expected.sh: $file has no entry in $asof" >&2
    status=1
    continue
  fi
  expected="${file%.json}.expected.json"
  if [ $check -eq 1 ]; then
    target="$out_dir/$(echo "$file" | tr '/' '_')"
  else
    target="$expected"
  fi
  NO_COLOR=1 "$nw" --lang en --no-color --rules rules check "$file" --as-of "$date" --format json \
    > "$target.raw" 2> "$target.err"
  rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    echo "FAIL $file (as of $date): normwerk exited with $rc" >&2
    sed 's/^/     /' "$target.err" >&2
    rm -f "$target.raw" "$target.err"
    status=1
    continue
  fi
  sed -E '/^    "hash": "[0-9a-f]+",?$/d' "$target.raw" > "$target"
  rm -f "$target.raw" "$target.err"
  ran=$((ran + 1))
  if [ $check -eq 1 ]; then
    if [ ! -f "$expected" ]; then
      echo "FAIL $file: $expected is missing (run corpus/update-expected.sh)"
      differ=$((differ + 1))
    elif ! diff -u "$expected" "$target" > "$target.diff"; then
      echo "FAIL $file (as of $date): findings differ from $expected"
      head -n 40 "$target.diff" | sed 's/^/     /'
      differ=$((differ + 1))
    fi
  fi
done

if [ $check -eq 1 ]; then
  # Golden files whose item is gone.
  for e in corpus/caos/*.expected.json corpus/policies/*.expected.json corpus/cases/*.expected.json; do
    [ -f "$e" ] || continue
    if [ ! -f "${e%.expected.json}.json" ]; then
      echo "FAIL $e: no item ${e%.expected.json}.json"
      differ=$((differ + 1))
    fi
  done
  echo "corpus: $ran items checked, $differ differ"
  [ $differ -eq 0 ] || status=1
else
  for e in corpus/caos/*.expected.json corpus/policies/*.expected.json corpus/cases/*.expected.json; do
    [ -f "$e" ] || continue
    [ -f "${e%.expected.json}.json" ] || { rm -f "$e"; echo "removed $e (no item)"; }
  done
  echo "corpus: $ran expected files written"
fi
exit $status
