#!/usr/bin/env bash
# Load test of `chiso serve` with wrk (Debian package; scripts/deps.sh
# --extras) on a served demo store: requests/s and latency percentiles of
# a cached resource, a profile, a page, a what-if with one set of weights
# (cached) and what-ifs with new weights on every request (each one
# computed: the index and its 200+200 interval runs), then the cached
# resource again while another process imports a year into the same store.
# Every run must end with 0 socket errors and 0 non-2xx answers; the
# figures are printed with the server's CPU time and the load average,
# never asserted. With two CPUs or more the server runs on CPU 1 and wrk on
# CPU 0 (one core each).
# Usage: bench/serve.sh [path/to/chiso]   (BENCH_SECONDS=10 per run,
#        BENCH_RESPONDENTS=12000 per demo year, BENCH_CONNECTIONS=32)
set -eu
chiso=$(realpath "${1:-build/chiso}")
secs=${BENCH_SECONDS:-10}
resp=${BENCH_RESPONDENTS:-12000}
conns=${BENCH_CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/deps.sh --extras)"; exit 1; }
work=$(mktemp -d)
spid=""
cleanup() { [ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
srv_cpu="" cli_cpu=""
if [ "$(nproc)" -ge 2 ]; then srv_cpu="taskset -c 1"; cli_cpu="taskset -c 0"; fi

echo "demo store: $resp respondents a year, 2020-2025"
"$chiso" demo --out "$work/demo" --respondents "$resp" >/dev/null 2>&1
db="$work/demo/chiso.db"
"$chiso" synth --year 2026 --respondents 3000 --seed 7 --out "$work/s2026.csv" >/dev/null 2>&1

$srv_cpu "$chiso" serve --db "$db" --listen 127.0.0.1:0 --threads 1 --max-connections 512 2>"$work/serve.log" &
spid=$!
port=""
for _ in $(seq 1 300); do
  port=$(sed -n 's|^chiso serve: http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/serve.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start"; cat "$work/serve.log"; exit 1; }
base="http://127.0.0.1:$port"

ticks=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$spid/stat"; } # user + system ticks

# One wrk run: LABEL PATH [LUA]; prints one line of figures.
load() {
  local label=$1 path=$2 lua=${3:-} out c0 c1
  local t0; t0=$(date +%s%N)
  curl -s -o /dev/null "$base$path" # computed once before the clock starts
  local warm_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  c0=$(cpu_of)
  if [ -n "$lua" ]; then
    out=$($cli_cpu wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$lua" "$base$path")
  else
    out=$($cli_cpu wrk -t1 -c"$conns" -d"${secs}s" --latency "$base$path")
  fi
  c1=$(cpu_of)
  local rps p50 p99 non2xx errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  errors=$(echo "$out" | awk '/Socket errors/ {s = 0; for (i = 4; i <= NF; i += 2) s += $i; print s}')
  local cpu per
  cpu=$(echo "($c1 - $c0) / $ticks" | bc -l)
  # requests answered per second of the server's own CPU: its capacity on a
  # core of its own, whatever else the machine is running
  per=$(echo "if ($cpu > 0) $rps * $secs / $cpu else 0" | bc -l)
  printf '%-34s %9.0f req/s  p50 %8s  p99 %8s  non-2xx %s  errors %s  server CPU %4.1f s (%6.0f req per CPU-s)  first %d ms\n' \
    "$label" "$rps" "$p50" "$p99" "${non2xx:-0}" "${errors:-0}" "$cpu" "$per" "$warm_ms"
}

cat >"$work/whatif.lua" <<'LUA'
-- a new weight on every request: nothing is cached, every what-if is computed
counter = 0
request = function()
  counter = counter + 1
  local w = 0.2 + (counter % 100000) / 125000.0
  return wrk.format("GET", string.format("/api/v1/whatif?year=2025&w.b2c=%.6f", w))
end
LUA

echo "wrk: 1 thread, $conns connections, $secs s a run; server: 1 thread$([ -n "$srv_cpu" ] && echo ', own CPU')"
load "cached JSON (index 2025)" "/api/v1/index?year=2025"
load "profile (units/48)" "/api/v1/units/48?year=2025"
load "page (/vi/)" "/vi/"
load "what-if, one weight set (cached)" "/api/v1/whatif?year=2025&w.b2c=0.6"
load "what-if, new weights each request" "/api/v1/whatif?year=2025" "$work/whatif.lua"

# The same load while another process imports into the store: the server
# sees the change, recomputes once, and never fails a request.
( sleep $((secs / 3)); "$chiso" import --db "$db" --method ebi-2021 --year 2026 "$work/s2026.csv" >/dev/null 2>&1 \
    && echo "  (import of 2026 committed during the run)" ) &
ipid=$!
load "cached JSON during an import" "/api/v1/index?year=2025"
wait "$ipid"
latest=$(curl -s "$base/api/v1/years" | sed -n 's/.*"latest": \([0-9]*\).*/\1/p')
echo "  the server now serves $latest as the latest year"
echo "log lines: $(grep -c '^[0-9-]*T[0-9:]*Z ' "$work/serve.log") (one per request)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)   CPUs: $(nproc)"
kill -TERM "$spid"
wait "$spid" || true
spid=""
