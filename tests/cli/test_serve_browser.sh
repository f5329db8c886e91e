# Browser tests of the dashboard (issue 14): the sanitised `chiso serve` on
# a demo store, Debian's chromium driven by chromium-driver and
# python3-selenium (scripts/deps.sh --extras) through
# tests/cli/serve_browser.py. Screenshots go to $CHISO_SCREENS when set
# (look at them), else to the test's temporary directory.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
REL=${CHISO_RELEASE:-$CHISO}
[ -x "$REL" ] || REL=$CHISO
SPID=""
OUT="" ERR=""
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$TMP"' EXIT

browser_python browser-tools || exit 1

"$REL" demo --out "$TMP/demo" --respondents 2000 --seed 3 >/dev/null 2>&1
LOG="$TMP/serve.log"
"$CHISO" serve --db "$TMP/demo/chiso.db" --listen 127.0.0.1:0 --threads 2 2>"$LOG" &
SPID=$!
PORT=""
for _ in $(seq 1 600); do
  PORT=$(sed -n 's|^chiso serve: http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$LOG")
  [ -n "$PORT" ] && break
  sleep 0.1
done
if [ -z "$PORT" ]; then fail browser-server "$(cat "$LOG")"; exit 1; fi
# compute the pages once before the browser waits on them
for p in /vi/ /vi/p/48 /vi/whatif /en/methodology; do curl -s -o /dev/null "http://127.0.0.1:$PORT$p"; done

SCREENS=${CHISO_SCREENS:-$TMP/screens}
mkdir -p "$SCREENS"
cd "$HERE/../.." && "$PY" "$HERE/serve_browser.py" "$PORT" "$SCREENS"
kill -TERM "$SPID"
wait "$SPID"
expect_eq browser-server-clean-stop "$?" 0
SPID=""
