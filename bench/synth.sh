#!/usr/bin/env bash
# Pipeline benchmark on synthetic surveys: `chiso synth` makes files of 10k,
# 100k and 1M respondents (and 10M, about 10x all enterprises of Vietnam,
# with BENCH_FULL=1: it needs ~1.8 GB of disk), then import, estimate and
# compute --db are timed on each. Prints one table row per (size, step):
# wall seconds, peak resident memory (MB) and the size of what was made.
#   bench/synth.sh [path/to/chiso]
# Environment: BENCH_FULL=1 adds 10M; BENCH_SIZES="10000 50000" overrides;
# BENCH_DIR keeps the files there (default: a temporary directory, removed).
set -u
CHISO=${1:-build/chiso}
SIZES=${BENCH_SIZES:-"10000 100000 1000000"}
[ "${BENCH_FULL:-0}" = 1 ] && [ -z "${BENCH_SIZES:-}" ] && SIZES="$SIZES 10000000"
YEAR=${BENCH_YEAR:-2024}
if [ -n "${BENCH_DIR:-}" ]; then WORK=$BENCH_DIR; mkdir -p "$WORK"; else
  WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT; fi

# measure LABEL N OUTPUT CMD...: run CMD, print a table row (wall, CPU =
# user + system, peak memory, output size, load average).
measure() {
  local label=$1 n=$2 out=$3; shift 3
  local t0 t1 secs cpu mem size
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S %M' -o "$WORK/.mem" "$@" >/dev/null 2>"$WORK/.err"
  local rc=$?
  t1=$(date +%s.%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
  cpu=$(tail -1 "$WORK/.mem" | awk '{printf "%.2f", $1 + $2}')
  mem=$(tail -1 "$WORK/.mem" | awk '{printf "%.1f", $3 / 1024}')
  size=$( [ -e "$out" ] && du -m "$out" | cut -f1 || echo -)
  if [ $rc -ne 0 ]; then secs="failed"; fi
  printf '%-10s %-9s %9s %8s %10s %9s %6s\n' "$n" "$label" "$secs" "$cpu" "$mem" "$size" \
    "$(cut -d' ' -f1 /proc/loadavg)"
}


# ---- the steps after synth, each called with N and the survey file:
# import into a fresh store, estimate every indicator of every domain from
# the store, and compute the ebi-2021 index of the stored year (which
# estimates again, then runs the index) after importing synthetic official
# indicators.
bench_import() {   # N FILE -> $WORK/bench-N.db
  rm -f "$WORK/bench-$1.db"
  measure import "$1" "$WORK/bench-$1.db" \
    "$CHISO" import --db "$WORK/bench-$1.db" --method ebi-2021 --year "$YEAR" "$2"
}
bench_estimate() { # N FILE
  measure estimate "$1" "$WORK/est-$1.csv" \
    "$CHISO" estimate --db "$WORK/bench-$1.db" --year "$YEAR" --out "$WORK/est-$1.csv"
}
bench_compute() {  # N FILE
  "$CHISO" synth --official --year "$YEAR" --seed 1 --out "$WORK/official.csv" 2>/dev/null &&
    "$CHISO" import-indicators --db "$WORK/bench-$1.db" --year "$YEAR" "$WORK/official.csv" 2>/dev/null
  measure compute "$1" "$WORK/idx-$1.csv" \
    "$CHISO" compute --db "$WORK/bench-$1.db" --year "$YEAR" --format csv --out "$WORK/idx-$1.csv"
}

printf '%-10s %-9s %9s %8s %10s %9s %6s\n' respondents step seconds CPU-s "peak MB" "file MB" load
for n in $SIZES; do
  f="$WORK/synth-$n.csv"
  measure synth "$n" "$f" "$CHISO" synth --year "$YEAR" --respondents "$n" --seed 1 --out "$f"
  bench_import "$n" "$f"
  bench_estimate "$n" "$f"
  bench_compute "$n" "$f"
  [ -z "${BENCH_DIR:-}" ] && rm -f "$f" "$f.meta.json" "$WORK/bench-$n.db"* "$WORK/est-$n.csv" "$WORK/idx-$n.csv"
done
echo "(synth: $(nproc) CPUs; timings vary with machine load)"
