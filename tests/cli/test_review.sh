# CLI tests from the user-acceptance review: behaviour across commands
# (progress on a terminal, percentages in tables, synthetic labels, messages
# for a year with nothing stored). Expected values are structural.
. "$(dirname "$0")/lib.sh"
A=data/reference/coinr-asem
ASEM="--imeta $A/asem_iMeta.csv --data $A/asem_iData.csv"
OUT= ERR=

# A small synthetic store: 2024 (63 units) and 2025 (34 units).
"$CHISO_RELEASE" synth --year 2024 --respondents 2000 --seed 3 --out "$TMP/s24.csv" 2>/dev/null
"$CHISO_RELEASE" synth --year 2025 --respondents 2000 --seed 3 --out "$TMP/s25.csv" 2>/dev/null
"$CHISO_RELEASE" import --db "$TMP/s.db" --method ebi-2021 --year 2024 "$TMP/s24.csv" 2>/dev/null
"$CHISO_RELEASE" import --db "$TMP/s.db" --method ebi-2021 --year 2025 "$TMP/s25.csv" 2>/dev/null

# Progress on a terminal: the bar is redrawn only when the percent changes
# (not once per work chunk), and it always ends at 100% with a new line.
if command -v script >/dev/null 2>&1; then
  script -qec "$CHISO_RELEASE uncertainty $ASEM --runs 20000 --threads 2 --format csv --out $TMP/u.csv" /dev/null \
    >"$TMP/tty" 2>&1
  draws=$(tr '\r' '\n' <"$TMP/tty" | grep -c '%')
  if [ "$draws" -le 110 ]; then ok review-progress-throttled; else fail review-progress-throttled "$draws redraws"; fi
  last=$(tr '\r' '\n' <"$TMP/tty" | grep '%' | tail -1)
  case "$last" in *"100%"*) ok review-progress-ends-100 ;; *) fail review-progress-ends-100 "last: $last" ;; esac
  for i in 1 2 3; do
    script -qec "$CHISO_RELEASE uncertainty --db $TMP/s.db --year 2025 --replicates 400 --threads 2 --format csv --out $TMP/u$i.csv" /dev/null \
      >"$TMP/tty$i" 2>&1
  done
  bad=0
  for i in 1 2 3; do
    tr '\r' '\n' <"$TMP/tty$i" | grep '%' | tail -1 | grep -q '100%' || bad=$((bad + 1))
  done
  expect_eq review-progress-db-ends-100 "$bad" 0
  script -qec "$CHISO_RELEASE uncertainty --db $TMP/s.db --year 2025 --replicates 4000 --threads 2 --format csv --out $TMP/u4.csv" /dev/null \
    >"$TMP/tty4" 2>&1
  draws=$(tr '\r' '\n' <"$TMP/tty4" | grep -c '%')
  if [ "$draws" -le 230 ]; then ok review-progress-db-throttled; else fail review-progress-db-throttled "$draws redraws"; fi
else
  ok review-progress-throttled
  ok review-progress-ends-100
  ok review-progress-db-ends-100
  ok review-progress-db-throttled
fi
# ... and nothing at all when stderr is not a terminal.
run "$CHISO" uncertainty $ASEM --runs 200 --format csv
expect_eq review-no-progress-off-tty "$ERR" ""

# Shares are 0..1 in CSV and JSON, percentages in tables (docs/cli.md), in
# `chiso divide` and `chiso series --divide` as in `chiso estimate`.
run "$CHISO" divide --db "$TMP/s.db" --year 2025 --interval taylor
expect_rc review-divide-table 0
line=$(printf '%s\n' "$OUT" | grep '^hn_hcm_share')
if printf '%s\n' "$line" | grep -Eq '^hn_hcm_share +[0-9]+\.[0-9]% +[0-9]+\.[0-9]% +[0-9]+\.[0-9]% *$'; then
  ok review-divide-table-share-pct; else fail review-divide-table-share-pct "line: $line"; fi
line=$(printf '%s\n' "$OUT" | grep '^score_gini')
if printf '%s\n' "$line" | grep -Eq '^score_gini +0\.[0-9]{4} *$'; then ok review-divide-table-gini-ratio; else fail review-divide-table-gini-ratio "line: $line"; fi
run "$CHISO" divide --db "$TMP/s.db" --year 2025 --interval taylor --format csv
v=$(printf '%s\n' "$OUT" | awk -F, '$1 == "outside_share" { print ($2 > 0 && $2 < 1) ? "frac" : $2 }')
expect_eq review-divide-csv-share-frac "$v" frac
run "$CHISO" series --db "$TMP/s.db" --divide
line=$(printf '%s\n' "$OUT" | grep ' outside_share ' | head -1)
if printf '%s\n' "$line" | grep -Eq 'outside_share +[0-9]+\.[0-9]%'; then
  ok review-series-divide-share-pct; else fail review-series-divide-share-pct "line: $line"; fi
run "$CHISO" series --db "$TMP/s.db" --divide --format csv
v=$(printf '%s\n' "$OUT" | awk -F, '$2 == "outside_share" { print ($3 > 0 && $3 < 1) ? "frac" : $3; exit }')
expect_eq review-series-csv-share-frac "$v" frac

# A year with nothing stored: say so, and name the stored years (the old
# message asked for a methodology, which would not help).
for c in compute uncertainty divide; do
  run "$CHISO" $c --db "$TMP/s.db" --year 2019
  expect_rc review-$c-empty-year-rc 2
  expect_err review-$c-empty-year-msg "nothing stored for 2019 (stored years: 2024, 2025)"
done
run "$CHISO" compute --db "$TMP/s.db" --year 2019 --method ebi-2021
expect_err review-compute-empty-year-method "nothing stored for 2019"

# Output made from synthetic data says so (issue 5): compute --db on a store
# of `chiso synth` files gives "synthetic": true in JSON and, with --out, a
# FILE.meta.json beside the CSV; a store of real files does neither.
run "$CHISO" compute --db "$TMP/s.db" --year 2025 --format json
expect_out review-compute-json-synthetic '"synthetic": true'
run "$CHISO" compute --db "$TMP/s.db" --year 2025 --format csv --out "$TMP/idx.csv"
expect_rc review-compute-csv-out 0
if grep -q '"synthetic": true' "$TMP/idx.csv.meta.json" 2>/dev/null; then ok review-compute-csv-meta; else fail review-compute-csv-meta "no $TMP/idx.csv.meta.json"; fi
cp "$TMP/s25.csv" "$TMP/real25.csv"
"$CHISO_RELEASE" import --db "$TMP/r.db" --method ebi-2021 --year 2025 "$TMP/real25.csv" 2>/dev/null
run "$CHISO" compute --db "$TMP/r.db" --year 2025 --format json
if grep -q synthetic "$TMP/out"; then fail review-compute-json-real "says synthetic"; else ok review-compute-json-real; fi
run "$CHISO" compute --db "$TMP/r.db" --year 2025 --format csv --out "$TMP/ridx.csv"
if [ -e "$TMP/ridx.csv.meta.json" ]; then fail review-compute-csv-real "meta written"; else ok review-compute-csv-real; fi
