# lib.sh — sourced (POSIX sh) by the benchmark scripts: run a command and print its
# wall time, CPU time (user + system), peak memory and the load average.
#   bench_run LABEL CMD...   sets BENCH_WALL, BENCH_CPU (s), BENCH_RSS (MB)
#                            and prints "  LABEL: W s wall, C CPU-s, R MB peak, load L"
bench_load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"; }
bench_run() {
  local label=$1 tf
  shift
  tf=$(mktemp)
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S %M' -o "$tf" "$@" >/dev/null 2>"$tf.err"
  local rc=$?
  t1=$(date +%s.%N)
  BENCH_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
  BENCH_CPU=$(tail -1 "$tf" | awk '{printf "%.2f", $1 + $2}')
  BENCH_RSS=$(tail -1 "$tf" | awk '{printf "%.0f", $3 / 1024}')
  if [ $rc -ne 0 ]; then
    echo "  $label: FAILED (exit $rc): $(head -c 300 "$tf.err")"
  else
    printf '  %s: %s s wall, %s CPU-s, %s MB peak, load %s\n' "$label" "$BENCH_WALL" \
      "$BENCH_CPU" "$BENCH_RSS" "$(bench_load)"
  fi
  rm -f "$tf" "$tf.err"
  return $rc
}
