# CLI tests of `chiso report --db` and `chiso export --db` on a small
# synthetic store (chiso synth for two years, chiso import, official
# indicators with chiso import-indicators). Expected values come from the
# files themselves: sha256sum of the imports, respondent counts and the
# HN+HCM share of online sales computed here with awk (weighted sums).
# The HTML is checked for well-formedness with xmllint when it is installed
# (tests/test_rbuild.c parses the same pages with expat in any case).
. "$(dirname "$0")/lib.sh"
REL=${CHISO_RELEASE:-$CHISO}
[ -x "$REL" ] || REL=$CHISO
DB="$TMP/demo.db"
for y in 2023 2024; do
  "$REL" synth --year $y --respondents 2500 --seed $y --out "$TMP/s$y.csv" 2>/dev/null
  "$REL" import --db "$DB" --method ebi-2021 --year $y "$TMP/s$y.csv" 2>/dev/null
done
# official indicators for 2024, made up here from the province code
"$REL" provinces --year 2024 --format csv | tail -n +2 | cut -d, -f1 |
  awk 'BEGIN {print "code,domains_per_1000,ewallets_per_capita"}
       {printf "%s,%.2f,%.3f\n", $1, ($1 % 17) + 1, ($1 % 7) / 5}' > "$TMP/ind.csv"
"$REL" import-indicators --db "$DB" --year 2024 "$TMP/ind.csv" 2>/dev/null

# ---- usage and data errors ----------------------------------------------------
run "$CHISO" report --db "$DB" --out "$TMP/x"
expect_rc report-db-no-year 1
expect_err report-db-no-year-msg "--year Y is required with --db"
run "$CHISO" report --db "$DB" --model x.json --year 2024 --out "$TMP/x"
expect_rc report-db-and-model 1
run "$CHISO" report --db "$TMP/none.db" --year 2024 --out "$TMP/x"
expect_rc report-db-missing 2
if [ -e "$TMP/none.db" ]; then fail report-db-missing-no-file "a store was created"; else ok report-db-missing-no-file; fi
run "$CHISO" report --db "$DB" --year 2021 --out "$TMP/x"
expect_rc report-db-no-year-data 2
expect_err report-db-no-year-data-msg "for 2021"
run "$CHISO" report --db "$DB" --year 2024 --units 50 --out "$TMP/x"
expect_rc report-db-bad-units 1
if [ -e "$TMP/x/index.html" ]; then fail report-db-no-partial "index.html written on error"; else ok report-db-no-partial; fi
# a year before 2025 on the 34 units: harmonised (34 profiles, 34 map units)
run "$CHISO" report --db "$DB" --year 2024 --units 34 --out "$TMP/r34"
expect_rc report-db-34-pre2025 0
expect_eq report-db-34-profiles "$(ls "$TMP/r34/provinces" | wc -l)" 34

# ---- the report ------------------------------------------------------------------
run "$CHISO" report --db "$DB" --year 2024 --out "$TMP/r"
expect_rc report-db 0
expect_out report-db-path "$TMP/r/index.html"
I="$TMP/r/index.html"
expect_eq report-db-profiles "$(ls "$TMP/r/provinces" | wc -l)" 63
expect_eq report-db-map-groups "$(grep -o '<g id="u-[0-9]*" data-code=' "$I" | wc -l)" 63
missing=""
for c in $("$REL" provinces --year 2024 --format csv | tail -n +2 | cut -d, -f1); do
  grep -q "href=\"provinces/$c.html\"" "$I" && [ -f "$TMP/r/provinces/$c.html" ] || missing="$missing $c"
done
expect_eq report-db-every-province-linked "$missing" ""
ext=$(cat "$I" "$TMP"/r/provinces/*.html | grep -o '\(src\|href\)="https\?://[^"]*"' | head -3)
expect_eq report-db-no-external "$ext" ""
if grep -q 'id="synthetic-banner"' "$I"; then ok report-db-banner; else fail report-db-banner "no synthetic banner"; fi
for y in 2023 2024; do
  sha=$(sha256sum "$TMP/s$y.csv" | cut -d' ' -f1)
  if grep -q "$sha" "$I"; then ok "report-db-sha-$y"; else fail "report-db-sha-$y" "no $sha"; fi
done
# Vietnamese decimal comma in the national mean card, a point in English
if grep -q 'id="national-mean"[^<]*>[0-9]*,[0-9]<' "$I"; then ok report-db-vi-comma; else fail report-db-vi-comma "$(grep -o 'id="national-mean"[^<]*<' "$I")"; fi
run "$CHISO" report --db "$DB" --year 2024 --out "$TMP/en" --lang en
expect_rc report-db-en 0
if grep -q 'id="national-mean"[^<]*>[0-9]*\.[0-9]<' "$TMP/en/index.html"; then ok report-db-en-point; else fail report-db-en-point "no decimal point"; fi
if command -v xmllint >/dev/null; then
  bad=0
  for f in "$I" "$TMP"/r/provinces/*.html "$TMP/en/index.html"; do xmllint --noout "$f" 2>/dev/null || bad=$((bad + 1)); done
  expect_eq report-db-well-formed "$bad" 0
fi
# respondents of Hà Nội, counted in the file
hn=$(awk -F, 'NR>1 && $2=="Hà Nội"' "$TMP/s2024.csv" | wc -l)
if grep -q ">$hn<" "$TMP/r/provinces/01.html"; then ok report-db-respondents; else fail report-db-respondents "no $hn in 01.html"; fi
run "$REL" report --db "$DB" --year 2024 --out "$TMP/r2"
if diff -r "$TMP/r" "$TMP/r2" >/dev/null; then ok report-db-deterministic; else fail report-db-deterministic "two runs differ"; fi

# ---- exports --------------------------------------------------------------------------
run "$CHISO" export --db "$DB" --year 2024 --format csv --out "$TMP/i.csv"
expect_rc export-db-csv 0
expect_eq export-db-csv-rows "$(wc -l < "$TMP/i.csv")" 64
expect_eq export-db-csv-head "$(head -1 "$TMP/i.csv")" "code,name,region,score,score_lo,score_hi,rank,rank_lo,rank_hi,respondents,hr_it,b2c,b2b"
run "$CHISO" export --db "$DB" --year 2024 --format json --out "$TMP/a.json"
expect_rc export-db-json 0
run "$CHISO" export --model "$TMP/a.json" --format json --out "$TMP/b.json"
if cmp -s "$TMP/a.json" "$TMP/b.json"; then ok export-db-json-stable; else fail export-db-json-stable "re-export differs"; fi
expect_eq export-db-json-synthetic "$(grep -c '"synthetic": true' "$TMP/a.json")" 1
# HN+HCM share of weighted online sales (column 21, weight column 5)
want=$(awk -F, 'NR>1 && $21!="" {t+=$5*$21; if ($2=="Hà Nội"||$2=="Hồ Chí Minh") c+=$5*$21}
                END {printf "%.6f", 100*c/t}' "$TMP/s2024.csv")
got=$(grep -A1 '"id": "hnhcm_share"' "$TMP/a.json" | sed -n 's/.*"value": \([0-9.e+-]*\).*/\1/p' | head -1)
got=$(awk -v g="$got" 'BEGIN {printf "%.6f", g}')
expect_eq export-db-hnhcm-share "$got" "$want"
run "$CHISO" export --db "$DB" --year 2024 --format xlsx --out "$TMP/w.xlsx"
expect_rc export-db-xlsx 0
expect_eq export-db-xlsx-zip "$(head -c 2 "$TMP/w.xlsx")" "PK"
run "$CHISO" export --db "$DB" --year 2024 --units 34 --format csv --out "$TMP/x.csv"
expect_rc export-db-34 0
expect_eq export-db-34-rows "$(($(wc -l <"$TMP/x.csv") - 1))" 34

# ---- headless Chromium on the db-built report ---------------------------------------------
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  prof=$(mktemp -d)
  timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$prof" --screenshot="$TMP/db.png" --window-size=1280,1600 \
    "file://$I" >/dev/null 2>&1
  timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$prof" --dump-dom "file://$I" > "$TMP/dom.html" 2>/dev/null
  rm -rf "$prof"
  size=$(stat -c %s "$TMP/db.png" 2>/dev/null || echo 0)
  if [ "$size" -gt 30000 ]; then ok chromium-db-not-blank; else fail chromium-db-not-blank "PNG is $size bytes"; fi
  expect_eq chromium-db-map-groups "$(grep -o '<g id="u-[0-9]*" data-code=' "$TMP/dom.html" | wc -l)" 63
else
  echo "skip chromium tests: $CHROMIUM not installed"
fi
