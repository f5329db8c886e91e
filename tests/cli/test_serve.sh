# CLI tests of `chiso serve` (issue 14): the sanitised server on a demo
# store at an ephemeral port; its API against the CLI's output for the same
# store (tests/cli/serve_api.py), the read-only store, one log line per
# request, a store change seen by the next request, values with markup
# escaped on every page, the limits (tests/cli/serve_limits.py), and a
# clean stop on SIGTERM and SIGINT.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
REL=${CHISO_RELEASE:-$CHISO}
[ -x "$REL" ] || REL=$CHISO
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

# start_server LOG ARGS...: serve_start on a loopback ephemeral port, the
# server remembered for the trap.
start_server() {
  local log=$1 rc
  shift
  serve_start "$log" http --listen 127.0.0.1:0 "$@"
  rc=$?
  PIDS+=("$SPID")
  return $rc
}

# stop_server SIG NAME: send SIG, expect exit 0 and the "stopped" line.
stop_server() {
  kill -"$1" "$SPID"
  wait "$SPID"
  local rc=$?
  if [ "$rc" -eq 0 ] && grep -q "^chiso serve: SIG$1: stopping" "$LOG" && grep -q "^chiso serve: stopped" "$LOG"; then
    ok "$2"
  else
    fail "$2" "exit $rc after SIG$1" "$(tail -5 "$LOG")"
  fi
}

# ---- usage ----------------------------------------------------------------------------------
run "$CHISO" serve --help
expect_rc serve-help 0
expect_out serve-help-text "Usage: chiso serve --db DB"
run "$CHISO" serve
expect_rc serve-needs-db 1
expect_err serve-needs-db-msg "--db DB is required"
run "$CHISO" serve --db "$TMP/none.db" --listen 127.0.0.1:0
expect_rc serve-missing-store 2
expect_err serve-missing-store-msg "no such store"
run "$CHISO" serve --db x --listen example.com:80
expect_rc serve-listen-name 1
expect_err serve-listen-name-msg "not an IP address"
run "$CHISO" serve --db x --listen 127.0.0.1:99999
expect_rc serve-listen-port 1

# ---- a demo store ---------------------------------------------------------------------------------
"$REL" demo --out "$TMP/demo" --respondents 2000 --seed 3 >/dev/null 2>&1
DB="$TMP/demo/chiso.db"
SUM0=$(sha256sum "$DB" | cut -d' ' -f1)

LOG="$TMP/serve.log"
if start_server "$LOG" --db "$DB" --threads 2; then ok serve-starts; else fail serve-starts "$(cat "$LOG")"; fi
expect_eq serve-loopback-default "$(grep -c '^chiso serve: http://127.0.0.1:' "$LOG")" 1
if command -v ss >/dev/null 2>&1; then
  bound=$(ss -ltnH "sport = :$PORT" | awk '{print $4}')
  expect_eq serve-bound-loopback "$bound" "127.0.0.1:$PORT"
fi

# every resource against the CLI
python3 "$HERE/serve_api.py" "$PORT" "$DB" "$REL" "$TMP" >"$TMP/api.out" 2>&1
cat "$TMP/api.out"
sent=$(sed -n 's/^requests \([0-9]*\)$/\1/p' "$TMP/api.out")

# one log line per request, the URI as sent, control characters escaped
lines=$(grep -c '^[0-9-]*T[0-9:]*Z 127\.0\.0\.1 "' "$LOG")
expect_eq log-one-line-per-request "$lines" "$sent"
printf 'GET /api/v1/years?x=\033[31mred HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' |
  timeout 20 python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$PORT)); s.sendall(sys.stdin.buffer.read()); s.recv(100)"
sleep 0.3
if grep -q $'\033' "$LOG"; then fail log-escapes-control "a raw ESC reached the log"; else ok log-escapes-control; fi
expect_eq log-escaped-form "$(grep -c 'x=\\x1b\[31mred' "$LOG")" 1
# a parameter name that is not UTF-8 (%FF): a 400 whose JSON still has
# its error text and names the parameter, the byte written as \xFF
# (fuzz_request's first finding: json_string refused the text)
curl -s "http://127.0.0.1:$PORT/api/v1/index?year%FF=1" -o "$TMP/bad8.json"
expect_eq bad-utf8-param-error "$(python3 -c "import json; d=json.load(open('$TMP/bad8.json')); print(d['status'], d['parameter'], 'error' in d)" 2>&1)" '400 year\xFF True'

# the store was only read
expect_eq store-read-only "$(sha256sum "$DB" | cut -d' ' -f1)" "$SUM0"

# another process imports: the next request sees it
curl -s "http://127.0.0.1:$PORT/api/v1/years" -D "$TMP/h1" -o "$TMP/y1.json"
"$REL" synth --year 2026 --respondents 400 --seed 9 --out "$TMP/s2026.csv" >/dev/null 2>&1
"$REL" import --db "$DB" --method ebi-2021 --year 2026 "$TMP/s2026.csv" >/dev/null 2>&1
# the new state is built and warmed beside the old one, which answers meanwhile (whole: 2025)
for _ in $(seq 1 200); do
  curl -s "http://127.0.0.1:$PORT/api/v1/years" -D "$TMP/h2" -o "$TMP/y2.json"
  latest=$(python3 -c "import json; print(json.load(open('$TMP/y2.json'))['latest'])")
  [ "$latest" = 2026 ] && break
  [ "$latest" = 2025 ] || break
  sleep 0.1
done
expect_eq store-change-seen "$latest" 2026
e1=$(grep -i '^etag' "$TMP/h1" | tr -d '\r'); e2=$(grep -i '^etag' "$TMP/h2" | tr -d '\r')
if [ -n "$e1" ] && [ "$e1" != "$e2" ]; then ok store-change-new-etag; else fail store-change-new-etag "$e1 / $e2"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/index?year=2026")
expect_eq store-change-new-year-served "$code" 200
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/vi/?year=2026")
expect_eq store-change-page "$code" 200
# two imports one after the other, the second while the first state may
# still be building: the server ends on the last one, and every answer
# meanwhile is one of the three states
"$REL" synth --year 2027 --respondents 400 --seed 10 --out "$TMP/s2027.csv" >/dev/null 2>&1
"$REL" synth --year 2028 --respondents 400 --seed 11 --out "$TMP/s2028.csv" >/dev/null 2>&1
curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/index?year=2026"
"$REL" import --db "$DB" --method ebi-2021 --year 2027 "$TMP/s2027.csv" >/dev/null 2>&1
curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/years"
"$REL" import --db "$DB" --method ebi-2021 --year 2028 "$TMP/s2028.csv" >/dev/null 2>&1
seen=""
for _ in $(seq 1 300); do
  latest=$(curl -s "http://127.0.0.1:$PORT/api/v1/years" | python3 -c "import json,sys; print(json.load(sys.stdin)['latest'])")
  case " $seen " in *" $latest "*) ;; *) seen="$seen $latest" ;; esac
  [ "$latest" = 2028 ] && break
  sleep 0.1
done
expect_eq store-changes-end-on-last "$latest" 2028
case "$seen" in *[!0-9\ ]*|*2025*) fail store-changes-states-whole "$seen" ;; *) ok store-changes-states-whole ;; esac
# with no request at all: the server looks by itself (every second), moves
# to the new state, and says so in its log; the next request is answered
# from it
"$REL" synth --year 2029 --respondents 400 --seed 12 --out "$TMP/s2029.csv" >/dev/null 2>&1
n0=$(grep -c 'the store changed: serving its new state' "$LOG")
"$REL" import --db "$DB" --method ebi-2021 --year 2029 "$TMP/s2029.csv" >/dev/null 2>&1
for _ in $(seq 1 900); do
  [ "$(grep -c 'the store changed: serving its new state' "$LOG")" -gt "$n0" ] && break
  sleep 0.1
done
if [ "$(grep -c 'the store changed: serving its new state' "$LOG")" -gt "$n0" ]; then ok store-change-seen-idle-log
else fail store-change-seen-idle-log "$(tail -5 "$LOG")"; fi
curl -s "http://127.0.0.1:$PORT/api/v1/years" -o "$TMP/y3.json"
expect_eq store-change-seen-idle "$(python3 -c "import json; print(json.load(open('$TMP/y3.json'))['latest'])")" 2029
ny=$(python3 -c "import json; print(len(json.load(open('$TMP/y3.json'))['years']))")
expect_eq store-change-seen-idle-log-years "$(grep 'the store changed: serving its new state' "$LOG" | tail -1 | grep -c "($ny years, generation")" 1

stop_server TERM serve-sigterm-clean

# ---- limits: slow clients, the idle timeout, the connection cap; SIGINT --------------------------
LOG="$TMP/serve2.log"
if start_server "$LOG" --db "$DB" --threads 1 --max-connections 4 --timeout 5; then ok serve2-starts; else fail serve2-starts "$(cat "$LOG")"; fi
python3 "$HERE/serve_limits.py" "$PORT"
stop_server INT serve-sigint-clean

# ---- names with markup are escaped wherever a page writes them ------------------------------------
E="$TMP/evil"
mkdir -p "$E"
python3 - "$E/evil.json" <<'PY'
import json, sys
m = json.load(open("data/methods/ebi-2021.json"))
for n in m["tree"]["nodes"]:
    if n["id"] == "hr_it":
        n["name"] = {"vi": "<script>alert('vi')</script>", "en": "\"><svg onload=alert('en')>"}
    if n["id"] == "email_use":
        n["name"] = {"vi": "E <b>\"mail\"</b> & 'x'", "en": "E <i>mail</i>"}
json.dump(m, open(sys.argv[1], "w"), ensure_ascii=False)
PY
EVIL_FILE="$E/x\"'><img src=x onerror=alert(1)>.csv"
"$REL" synth --year 2025 --respondents 600 --seed 5 --out "$E/s.csv" >/dev/null 2>&1
cp "$E/s.csv" "$EVIL_FILE"
run "$REL" import --db "$E/evil.db" --method "$E/evil.json" --year 2025 "$EVIL_FILE"
expect_rc evil-store 0
LOG="$TMP/serve3.log"
if start_server "$LOG" --db "$E/evil.db"; then ok serve3-starts; else fail serve3-starts "$(cat "$LOG")"; fi
leaks=""
for p in /vi/ /en/ /vi/methodology /en/methodology /vi/provenance /en/provenance /vi/p/01 /en/p/79 \
  "/vi/compare?codes=01,79" /en/whatif /vi/whatif "/api/v1/charts/pillars.svg" "/api/v1/charts/pillars.svg?lang=en" \
  "/api/v1/charts/unit-pillars.svg?code=01&lang=en"; do
  curl -s "http://127.0.0.1:$PORT$p" -o "$TMP/page"
  if grep -q -e "<script>alert" -e "<svg onload" -e "<img src=x" -e "<b>\"mail" -e "<i>mail" "$TMP/page"; then
    leaks="$leaks $p"
  fi
done
expect_eq escaped-everywhere "$leaks" ""
curl -s "http://127.0.0.1:$PORT/vi/methodology" -o "$TMP/page"
expect_eq escaped-text-shown "$(grep -c "&lt;script&gt;alert(&#39;vi&#39;)&lt;/script&gt;" "$TMP/page")" 1
curl -s "http://127.0.0.1:$PORT/vi/provenance" -o "$TMP/page"
expect_eq escaped-file-name "$(grep -c "x&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;.csv" "$TMP/page")" 1
curl -s "http://127.0.0.1:$PORT/api/v1/methodology" -D "$TMP/h" -o "$TMP/m.json"
expect_eq evil-json-is-data "$(grep -ci '^content-type: application/json' "$TMP/h")" 1
stop_server TERM serve3-stops
