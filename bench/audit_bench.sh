#!/usr/bin/env bash
# Audit benchmark: import and audit EMPLOYEES employees × DAYS days of work
# logs end to end, and compare the import with the sqlite3 shell's `.import`
# of the same CSV on the same machine (target: no slower). Prints elapsed
# seconds and peak memory (maximum resident set) of each phase, then the
# findings stored (and the subjects they cover) and the database size.
#
# usage: bench/audit_bench.sh [EMPLOYEES=10000] [DAYS=365] [RUNS=3]
# env:   NW=path/to/normwerk (default build/cli/normwerk), OUT=work folder
#        (default /tmp/normwerk-bench), RULES=rules folder (default tests/cli/rules,
#        a fixed rule set with working-time, allowance and employer rules;
#        RULES=rules for the shipped law)
set -euo pipefail
cd "$(dirname "$0")/.."
employees="${1:-10000}"
days="${2:-365}"
runs="${3:-3}"
nw="${NW:-build/cli/normwerk}"
out="${OUT:-/tmp/normwerk-bench}/${employees}x${days}"
rules="${RULES:-tests/cli/rules}"   # stable; RULES=rules for the shipped law
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 (the shell) is not installed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is not installed" >&2; exit 2; }
[ -x "$nw" ] || { echo "bench: $nw not built (scripts/build.sh release)" >&2; exit 2; }

mkdir -p "$out"
if [ ! -s "$out/worklog.csv" ]; then
  echo "generating $employees employees x $days days into $out"
  python3 bench/gen_worklog.py "$employees" "$out" --days "$days"
fi
rows=$(( $(wc -l < "$out/worklog.csv") - 1 ))
size=$(du -m "$out/worklog.csv" | cut -f1)
echo "work log: $rows rows, ${size} MiB; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

# measure NAME COMMAND...: runs the command, prints "NAME seconds peak_kib".
measure() {
  local name="$1"; shift
  local tf
  tf=$(mktemp)
  /usr/bin/time -o "$tf" -f "%e %M" "$@" >/dev/null 2>&1 || true
  echo "$name $(tail -1 "$tf")"
  rm -f "$tf"
}

best() { sort -n -k2 | head -1; }

results=()
for i in $(seq 1 "$runs"); do
  rm -f "$out/sqlite.db" "$out/sqlite.db-wal" "$out/sqlite.db-shm"
  results+=("$(measure sqlite3_import sqlite3 "$out/sqlite.db" -cmd "PRAGMA journal_mode=WAL;" -cmd ".mode csv" ".import $out/worklog.csv work")")
  rm -f "$out/nw.db" "$out/nw.db-wal" "$out/nw.db-shm"
  results+=("$(measure normwerk_import "$nw" --rules "$rules" audit "$out/worklog.csv" --employer "$out/employer.json" \
      --as-of "2024-12-31" --db "$out/nw.db" --import-only --quiet)")
done
# The audit phase, on the imported work log (the import is reused, not repeated).
results+=("$(measure normwerk_audit "$nw" --rules "$rules" audit "$out/worklog.csv" --employer "$out/employer.json" \
    --as-of "2024-12-31" --db "$out/nw.db" --quiet)")
# Rendering the stored run (HTML shows the first 1000 findings in full; JSON all).
results+=("$(measure normwerk_report_html "$nw" report --db "$out/nw.db" --format html)")
results+=("$(measure normwerk_report_json "$nw" report --db "$out/nw.db" --format json)")

sq=$(printf '%s\n' "${results[@]}" | grep '^sqlite3_import' | best)
ni=$(printf '%s\n' "${results[@]}" | grep '^normwerk_import' | best)
au=$(printf '%s\n' "${results[@]}" | grep '^normwerk_audit' | best)
rh=$(printf '%s\n' "${results[@]}" | grep '^normwerk_report_html' | best)
rj=$(printf '%s\n' "${results[@]}" | grep '^normwerk_report_json' | best)
printf '%s\n' "${results[@]}" | sed 's/^/run: /'
echo
printf '%-22s %10s %14s\n' phase seconds "peak MiB"
for r in "$sq" "$ni" "$au" "$rh" "$rj"; do
  set -- $r
  printf '%-22s %10s %14s\n' "$1" "$2" "$(( $3 / 1024 ))"
done
s=$(echo "$sq" | cut -d' ' -f2); n=$(echo "$ni" | cut -d' ' -f2)
echo "import ratio normwerk/sqlite3: $(python3 -c "print(f'{$n/$s:.2f}')") (best of $runs; target <= 1.00)"
run=$(sqlite3 "$out/nw.db" "SELECT id FROM runs ORDER BY id DESC LIMIT 1")
findings=$(sqlite3 "$out/nw.db" "SELECT findings FROM runs WHERE id = $run")
covered=$(sqlite3 "$out/nw.db" "SELECT SUM(count) FROM findings WHERE run = $run")
echo "audit: $findings findings stored, covering $covered subjects (undetermined findings merged per employee, rule and missing facts)"
sqlite3 "$out/nw.db" "SELECT printf('  %-13s %9d stored %10d subjects', kind, COUNT(*), SUM(count)) FROM findings WHERE run = $run GROUP BY kind ORDER BY kind"
db_mib=$(( ( $(stat -c %s "$out/nw.db") + $(stat -c %s "$out/nw.db-wal" 2>/dev/null || echo 0) ) / 1048576 ))
echo "database: ${db_mib} MiB ($(sqlite3 "$out/nw.db" "SELECT printf('work records %d MiB, findings %d MiB', SUM(CASE WHEN name LIKE 'work_records%' THEN pgsize END) / 1048576, SUM(CASE WHEN name LIKE 'findings%' THEN pgsize END) / 1048576) FROM dbstat" 2>/dev/null || echo 'dbstat not available'))"
