# Load and crash tests of the write side of `chiso serve` (issue 15),
# driven by tests/cli/intake_load.py: 34 uploaders (one per unit), 200
# questionnaire answers and readers at once on the sanitised server, every
# accepted write counted in the store once and no 5xx; then ROUNDS kill -9
# of the (release) server in the middle of such load, every acknowledged
# write kept and the store passing PRAGMA integrity_check.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
REL=${CHISO_RELEASE:-$CHISO}
[ -x "$REL" ] || REL=$CHISO
ROUNDS=${CHISO_CRASH_ROUNDS:-20}
SPID=""
OUT="" ERR=""
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$TMP"' EXIT

"$REL" demo --out "$TMP/demo" --respondents 1000 --seed 5 >/dev/null 2>&1
DB="$TMP/demo/chiso.db"
"$REL" synth --year 2025 --respondents 1700 --seed 13 --out "$TMP/s.csv" >/dev/null 2>&1
head -1 "$TMP/s.csv" > "$TMP/head.csv"
ADMIN=$("$REL" users add --db "$DB" --name root --role admin --token load </dev/null 2>/dev/null)
printf '{"admin": "%s", "units": {' "$ADMIN" > "$TMP/tokens.json"
sep=""
for code in $("$REL" provinces --year 2025 --format csv | tail -n +2 | cut -d, -f1); do
  tok=$("$REL" users add --db "$DB" --name "p$code" --role province --units "$code" --year 2025 --token load </dev/null 2>/dev/null)
  printf '%s"%s": "%s"' "$sep" "$code" "$tok" >> "$TMP/tokens.json"
  sep=", "
  { cat "$TMP/head.csv"; grep "^2025-$code-" "$TMP/s.csv" | sed 's/^/LOAD/'; } > "$TMP/load-$code.csv"
done
echo "}}" >> "$TMP/tokens.json"
expect_eq load-34-units "$(ls "$TMP"/load-*.csv | wc -l)" 34

LOG="$TMP/serve.log"
# Writes to one store are serial: an HTTP thread waiting its turn does not
# serve its other connections, so on a loaded test machine (sanitised
# binary, other jobs) a connection may wait longer than the default idle
# --timeout of 10 s; 120 s keeps the count of writes exact.
if serve_start "$LOG" http --db "$DB" --listen 127.0.0.1:0 --threads 8 --max-connections 512 --upload-workers 2 \
    --timeout 120; then
  ok load-server-starts
else
  fail load-server-starts "$(cat "$LOG")"
fi
if ! python3 "$HERE/intake_load.py" load "$PORT" "$DB" "$TMP"; then fail load-script "intake_load.py load failed"; fi
kill -TERM "$SPID"
wait "$SPID"
rc=$?
SPID=""
expect_eq load-server-clean-stop "$rc" 0
expect_eq load-no-5xx-logged "$(grep -c '" 5[0-9][0-9] ' "$LOG")" 0

if ! python3 "$HERE/intake_load.py" crash "$REL" "$DB" "$TMP" "$ROUNDS"; then fail crash-script "intake_load.py crash failed"; fi
run sqlite3 "$DB" "PRAGMA integrity_check"
expect_eq crash-final-integrity "$OUT" "ok"
