#!/usr/bin/env bash
# Run libFuzzer harnesses: scripts/fuzz.sh BUILD_DIR SECONDS NAME...
# Each harness runs SECONDS seconds on a working corpus in
# BUILD_DIR/corpus/NAME seeded from fuzz/corpus/NAME (the seeds in the
# tree are never modified), with fuzz/NAME.options (extra libFuzzer flags,
# one line) and fuzz/dict/NAME.dict when present. Findings (crash-*,
# leak-*, timeout-*, oom-*) are written to BUILD_DIR/findings/NAME/.
# FUZZ_JOBS harnesses run at a time (default 2); with FUZZ_RUNS=N a
# harness also stops after N executions (whichever comes first). Prints one line per
# harness (executions, coverage, corpus size) and exits 1 when any harness
# found anything.
set -u
dir=$1 secs=$2
shift 2
jobs=${FUZZ_JOBS:-2}

run_one() {
  local name=$1 bin=$dir/$1 work=$dir/corpus/$1 found=$dir/findings/$1 log=$dir/$1.log
  mkdir -p "$work" "$found"
  rm -f "$found"/crash-* "$found"/leak-* "$found"/timeout-* "$found"/oom-* "$found"/slow-unit-*
  local extra=() seeds=()
  [ -f "fuzz/$name.options" ] && read -r -a extra < "fuzz/$name.options"
  [ -f "fuzz/dict/$name.dict" ] && extra+=("-dict=fuzz/dict/$name.dict")
  [ -d "fuzz/corpus/$name" ] && seeds=("fuzz/corpus/$name")
  [ -n "${FUZZ_RUNS:-}" ] && extra+=("-runs=$FUZZ_RUNS")
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$found/" "${extra[@]}" "$work" "${seeds[@]}" >"$log" 2>&1
  echo $? > "$log.rc"
}

report() {
  local name=$1 log=$dir/$1.log found=$dir/findings/$1
  local rc execs cov ft corpus n_found
  rc=$(cat "$log.rc" 2>/dev/null || echo 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(ls "$dir/corpus/$name" | wc -l)
  n_found=$(ls "$found" | wc -l)
  printf '%-20s %12s execs  cov %6s  ft %6s  corpus %5s  findings %s\n' "$name" "${execs:-?}" \
    "${cov:-?}" "${ft:-?}" "$corpus" "$n_found"
  if [ "$rc" -ne 0 ] || [ "$n_found" -ne 0 ]; then
    echo "---- $name (exit $rc): see $log"
    grep -m1 -B2 -A25 'ERROR\|runtime error\|fuzz check failed\|Timeout\|out-of-memory' "$log" | head -60
    return 1
  fi
}

running=0
for name in "$@"; do
  run_one "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait
failed=()
for name in "$@"; do report "$name" || failed+=("$name"); done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}"
  exit 1
fi
echo "fuzz: $# harnesses, ${secs}s each, no findings"
