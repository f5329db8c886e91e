#!/usr/bin/env bash
# The write side of `chiso serve` (docs/intake.md) under load, on a demo
# store: questionnaire answers one after another (latency) and from 16
# clients at once (answers/s: every answer is checked by the codebook's
# ingest and committed with synchronous=FULL), 34 uploads at once (one per
# unit, each parsed in a child process) and a password login (Argon2id).
# Figures are printed with the server's CPU time and the load average,
# never asserted.
# Usage: bench/intake.sh [path/to/chiso]   (BENCH_ANSWERS=400)
set -eu
chiso=$(realpath "${1:-build/chiso}")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
spid=""
cleanup() { [ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$chiso" demo --out "$work/demo" --respondents 2000 --seed 5 >/dev/null 2>&1
db="$work/demo/chiso.db"
"$chiso" synth --year 2025 --respondents 6800 --seed 13 --out "$work/s.csv" >/dev/null 2>&1
admin=$(printf 'bench-password-1\n' | "$chiso" users add --db "$db" --name root --role admin --password-stdin --token b 2>/dev/null)
printf '{"admin": "%s", "units": {' "$admin" > "$work/tokens.json"
sep=""
for code in $("$chiso" provinces --year 2025 --format csv | tail -n +2 | cut -d, -f1); do
  tok=$("$chiso" users add --db "$db" --name "p$code" --role province --units "$code" --year 2025 --token b </dev/null 2>/dev/null)
  printf '%s"%s": "%s"' "$sep" "$code" "$tok" >> "$work/tokens.json"
  sep=", "
  { head -1 "$work/s.csv"; grep "^2025-$code-" "$work/s.csv" | sed 's/^/LOAD/'; } > "$work/load-$code.csv"
done
echo "}}" >> "$work/tokens.json"
"$chiso" serve --db "$db" --listen 127.0.0.1:0 --threads 4 --max-connections 512 2>"$work/serve.log" &
spid=$!
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's|^chiso serve: http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/serve.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log"; exit 1; }
python3 "$here/intake_bench.py" "$port" "$spid" "$work" "${BENCH_ANSWERS:-400}"
