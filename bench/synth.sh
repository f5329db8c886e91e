#!/usr/bin/env bash
# Pipeline benchmark on synthetic surveys: `chiso synth` makes files of 10k,
# 100k and 1M respondents (and 10M, about 10x all enterprises of Vietnam,
# with BENCH_FULL=1: it needs ~1.8 GB of disk), then the later steps are
# timed where the commands exist. Prints one table row per (size, step):
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

# measure LABEL N OUTPUT CMD...: run CMD, print a table row.
measure() {
  local label=$1 n=$2 out=$3; shift 3
  local t0 t1 secs mem size
  t0=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$WORK/.mem" "$@" >/dev/null 2>"$WORK/.err"
  else
    "$@" >/dev/null 2>"$WORK/.err"; echo 0 > "$WORK/.mem"
  fi
  local rc=$?
  t1=$(date +%s.%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
  mem=$(awk '/^[0-9]+$/ {m = $1} END {printf "%.1f", m / 1024}' "$WORK/.mem")
  size=$( [ -e "$out" ] && du -m "$out" | cut -f1 || echo -)
  if [ $rc -ne 0 ]; then secs="failed"; fi
  printf '%-10s %-9s %9s %10s %9s\n' "$n" "$label" "$secs" "$mem" "$size"
}

have() { "$CHISO" "$1" --help >/dev/null 2>&1; }

# ---- hooks: the steps after synth. Each is called with N and the survey
# file; fill in the command lines when the commands exist (the lead owns
# this part). They print nothing when the command is not there yet.
bench_import() {   # N FILE -> $WORK/bench-N.db
  have import || return 0
  measure import "$1" "$WORK/bench-$1.db" \
    "$CHISO" import --db "$WORK/bench-$1.db" --year "$YEAR" "$2"
}
bench_estimate() { # N FILE
  have estimate || return 0
  measure estimate "$1" "$WORK/bench-$1.db" \
    "$CHISO" estimate --db "$WORK/bench-$1.db" --year "$YEAR"
}
bench_compute() {  # N FILE (compute reads estimate's units x indicators table)
  have estimate && have compute || return 0
  measure compute "$1" "$WORK/bench-$1.db" \
    "$CHISO" compute --db "$WORK/bench-$1.db" --year "$YEAR"
}

printf '%-10s %-9s %9s %10s %9s\n' respondents step seconds "peak MB" "file MB"
for n in $SIZES; do
  f="$WORK/synth-$n.csv"
  measure synth "$n" "$f" "$CHISO" synth --year "$YEAR" --respondents "$n" --seed 1 --out "$f"
  bench_import "$n" "$f"
  bench_estimate "$n" "$f"
  bench_compute "$n" "$f"
  [ -z "${BENCH_DIR:-}" ] && rm -f "$f" "$f.meta.json" "$WORK/bench-$n.db"
done
echo "(synth: $(nproc) CPUs; timings vary with machine load)"
