# Browser test of the write side of `chiso serve` (issue 15): the sanitised
# server on a demo store with a province account, Debian's chromium driven
# by chromium-driver and python3-selenium (scripts/deps.sh --extras)
# through tests/cli/intake_browser.py. Screenshots go to $CHISO_SCREENS
# when set (look at them), else to the test's temporary directory.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
REL=${CHISO_RELEASE:-$CHISO}
[ -x "$REL" ] || REL=$CHISO
SPID=""
OUT="" ERR=""
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$TMP"' EXIT

browser_python intake-browser-tools || exit 1

"$REL" demo --out "$TMP/demo" --respondents 1000 --seed 3 >/dev/null 2>&1
DB="$TMP/demo/chiso.db"
printf 'hanoi-browser-pw\n' | "$REL" users add --db "$DB" --name hn --role province --units 01 --year 2025 \
  --password-stdin >/dev/null 2>&1
# Hà Nội's rows of a synthetic survey under new ids; the bad copy has 150
# in a percentage on its second data row (line 3) and markup in its name.
"$REL" synth --year 2025 --respondents 1000 --seed 17 --out "$TMP/s.csv" >/dev/null 2>&1
mkdir -p "$TMP/up"
{ head -1 "$TMP/s.csv"; grep '^2025-01-' "$TMP/s.csv" | sed 's/^/B/'; } > "$TMP/up/hanoi.csv"
col=$(head -1 "$TMP/s.csv" | tr ',' '\n' | grep -n '^q_online_rev_pct$' | cut -d: -f1)
BAD="$TMP/up/<img src=x onerror=alert(1)>.csv"
awk -F, -v OFS=, -v c="$col" 'NR == 3 { $c = "150" } { print }' "$TMP/up/hanoi.csv" > "$BAD"

LOG="$TMP/serve.log"
if serve_start "$LOG" http --db "$DB" --listen 127.0.0.1:0 --threads 2; then
  ok intake-browser-server
else
  fail intake-browser-server "$(cat "$LOG")"
  exit 1
fi
curl -s -o /dev/null "http://127.0.0.1:$PORT/vi/"
SCREENS=${CHISO_SCREENS:-$TMP/screens}
mkdir -p "$SCREENS"
if ! (cd "$HERE/../.." && "$PY" "$HERE/intake_browser.py" "$PORT" "$SCREENS" "$TMP/up/hanoi.csv" "$BAD" hanoi-browser-pw); then
  fail intake-browser-script "intake_browser.py failed (above)"
fi
run sqlite3 "$DB" "SELECT count(*) FROM imports WHERE file='web-2025-01.csv'"
expect_eq intake-browser-published-stored "$OUT" 1
run sqlite3 "$DB" "SELECT count(*) FROM imports WHERE file='hanoi.csv'"
expect_eq intake-browser-upload-stored "$OUT" 1
kill -TERM "$SPID"
wait "$SPID"
expect_eq intake-browser-server-clean-stop "$?" 0
SPID=""
