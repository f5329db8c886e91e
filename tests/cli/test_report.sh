# CLI tests of `chiso report` and `chiso export`, and a headless Chromium
# rendering test (skipped when /usr/bin/chromium is not installed).
. "$(dirname "$0")/lib.sh"
M63=tests/data/report-model-63.json
M34=tests/data/report-model-34.json

run "$CHISO" report --help
expect_rc report-help 0
expect_out report-help-text "Usage: chiso report"

run "$CHISO" report --out "$TMP/x"
expect_rc report-no-model 1
expect_err report-no-model-msg "--db FILE --year Y (or --model FILE) is required"

run "$CHISO" report --model $M63 --out "$TMP/x" --lang fr
expect_rc report-bad-lang 1

run "$CHISO" report --model $M63 --out "$TMP/x" --units 34
expect_rc report-units-mismatch 1
expect_err report-units-msg "the model has 63 units"

printf '{"year": 2024,\n "provinces": [\n' > "$TMP/bad.json"
run "$CHISO" report --model "$TMP/bad.json" --out "$TMP/x"
expect_rc report-bad-json 2
expect_err report-bad-json-loc "$TMP/bad.json:3:"

printf '{"year": 2024, "provinces": [{"code": "99"}]}' > "$TMP/bad2.json"
run "$CHISO" report --model "$TMP/bad2.json" --out "$TMP/x"
expect_rc report-bad-code 2
expect_err report-bad-code-msg 'unknown province code "99"'
if [ -e "$TMP/x/index.html" ]; then fail report-no-partial "index.html written on error"; else ok report-no-partial; fi

run "$CHISO" report --model $M63 --out "$TMP/r1"
expect_rc report-63 0
expect_out report-63-path "$TMP/r1/index.html"
expect_eq report-63-profiles "$(ls "$TMP/r1/provinces" | wc -l)" 63

run "$CHISO_RELEASE" report --model $M63 --out "$TMP/r2"
if diff -r "$TMP/r1" "$TMP/r2" >/dev/null; then ok report-deterministic; else fail report-deterministic "two runs differ"; fi

run "$CHISO" report --model $M34 --out "$TMP/r34" --lang en --units 34
expect_rc report-34-en 0
expect_eq report-34-groups "$(grep -o 'data-code="[0-9]*" class="unit"' "$TMP/r34/index.html" | wc -l)" 34
if grep -q 'Truong Sa (Spratly) Islands' "$TMP/r34/index.html"; then ok report-34-label; else fail report-34-label "no Spratly label"; fi

# every strings key used by the report code is in the table
missing=""
for k in $(grep -oh 'S("[a-z_0-9]*")' src/report/*.c | sed 's/S("\(.*\)")/\1/' | sort -u); do
  grep -q "{\"$k\"," src/report/i18n.c || missing="$missing $k"
done
expect_eq strings-complete "$missing" ""

# exports
run "$CHISO" export --model $M63 --format csv --out "$TMP/i.csv"
expect_rc export-csv 0
expect_eq export-csv-rows "$(wc -l < "$TMP/i.csv")" 64
expect_eq export-csv-head "$(head -1 "$TMP/i.csv")" "code,name,region,score,score_lo,score_hi,rank,rank_lo,rank_hi,respondents,hr_it,b2c,b2b,note,note_vi"

run "$CHISO" export --model $M63 --format csv --excel --out "$TMP/e.csv"
expect_eq export-excel-bom "$(head -c 3 "$TMP/e.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"

run "$CHISO" export --model $M63 --format json --out "$TMP/a.json"
run "$CHISO" export --model "$TMP/a.json" --format json --out "$TMP/b.json"
if cmp -s "$TMP/a.json" "$TMP/b.json"; then ok export-json-stable; else fail export-json-stable "JSON re-export differs"; fi

run "$CHISO" export --model $M63 --format xlsx --out "$TMP/w.xlsx"
expect_rc export-xlsx 0
expect_eq export-xlsx-zip "$(head -c 2 "$TMP/w.xlsx")" "PK"

run "$CHISO" export --model $M63 --format xlsx --out -
expect_rc export-xlsx-stdout 1
run "$CHISO" export --model $M63 --format pdf --out x
expect_rc export-bad-format 1

# headless Chromium renders the report and a profile
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  shot() { # shot URL PNG
    local prof; prof=$(mktemp -d)
    timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$prof" --screenshot="$2" --window-size=1280,1600 "$1" >/dev/null 2>&1
    rm -rf "$prof"
  }
  shot "file://$TMP/r1/index.html" "$TMP/index.png"
  shot "file://$TMP/r1/provinces/79.html" "$TMP/profile.png"
  for p in index profile; do
    size=$(stat -c %s "$TMP/$p.png" 2>/dev/null || echo 0)
    if [ "$size" -gt 30000 ]; then ok "chromium-$p-not-blank"; else fail "chromium-$p-not-blank" "PNG is $size bytes"; fi
  done
  prof=$(mktemp -d)
  timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$prof" --dump-dom "file://$TMP/r1/index.html" > "$TMP/dom.html" 2>/dev/null
  rm -rf "$prof"
  expect_eq chromium-map-groups "$(grep -o '<g id="u-[0-9]*" data-code=' "$TMP/dom.html" | wc -l)" 63
else
  echo "skip chromium tests: $CHROMIUM not installed"
fi
