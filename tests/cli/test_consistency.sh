# CLI tests from the second review: synthetic labels on every output made
# from a store (issue 5), exit codes, and one display style for tables.
# Expected values are structural or worked by hand.
. "$(dirname "$0")/lib.sh"
OUT= ERR=

# A synthetic store (files of `chiso synth`) and a "real" one: the same file
# under another name, without the FILE.meta.json that marks it synthetic.
"$CHISO_RELEASE" synth --year 2025 --respondents 1500 --seed 5 --out "$TMP/s25.csv" 2>/dev/null
"$CHISO_RELEASE" import --db "$TMP/s.db" --method ebi-2021 --year 2025 "$TMP/s25.csv" 2>/dev/null
cp "$TMP/s25.csv" "$TMP/real25.csv"
"$CHISO_RELEASE" import --db "$TMP/r.db" --method ebi-2021 --year 2025 "$TMP/real25.csv" 2>/dev/null

# ---- issue 5: every output made from synthetic data says so -------------------
# cmd NAME ARGS...: the command line of NAME on a store (DB substituted).
UNC="--replicates 12 --runs 40 --threads 2"
cmdline() {
  case "$1" in
  estimate) echo "estimate --db $2 --year 2025" ;;
  divide) echo "divide --db $2 --year 2025 --interval none" ;;
  uncertainty) echo "uncertainty --db $2 --year 2025 $UNC" ;;
  sensitivity) echo "sensitivity --db $2 --year 2025 --runs 8 --replicates 12 --threads 2" ;;
  series) echo "series --db $2" ;;
  targets) echo "targets --plan qd645-2021-2025 --db $2" ;;
  compute) echo "compute --db $2 --year 2025" ;;
  esac
}
for c in estimate divide uncertainty sensitivity series targets compute; do
  run "$CHISO" $(cmdline $c "$TMP/s.db") --format json
  expect_rc synth-$c-json-rc 0
  expect_out synth-$c-json '"synthetic": true'
  run "$CHISO" $(cmdline $c "$TMP/s.db") --format csv
  expect_rc synth-$c-csv-rc 0
  expect_err synth-$c-csv-stdout-note "synthetic data"
  run "$CHISO" $(cmdline $c "$TMP/r.db") --format json
  if grep -q synthetic "$TMP/out"; then fail real-$c-json "says synthetic"; else ok real-$c-json; fi
  run "$CHISO" $(cmdline $c "$TMP/r.db") --format csv
  if grep -q synthetic "$TMP/err"; then fail real-$c-csv "says synthetic"; else ok real-$c-csv; fi
done
# With --out, the CSV gets FILE.meta.json beside it (and no note); not for a real store.
for c in estimate uncertainty sensitivity; do
  run "$CHISO" $(cmdline $c "$TMP/s.db") --format csv --out "$TMP/$c.csv"
  if grep -q '"synthetic": true' "$TMP/$c.csv.meta.json" 2>/dev/null; then ok synth-$c-meta; else fail synth-$c-meta "no $c.csv.meta.json"; fi
  run "$CHISO" $(cmdline $c "$TMP/r.db") --format csv --out "$TMP/real-$c.csv"
  if [ -e "$TMP/real-$c.csv.meta.json" ]; then fail real-$c-meta "meta written"; else ok real-$c-meta; fi
done
# divide, series and targets: --out writes the same bytes as stdout (CSV and
# table), with FILE.meta.json beside a synthetic file, none for a real store.
for c in divide series targets; do
  for f in csv table; do
    run "$CHISO" $(cmdline $c "$TMP/s.db") --format $f
    cp "$TMP/out" "$TMP/$c-stdout.$f"
    run "$CHISO" $(cmdline $c "$TMP/s.db") --format $f --out "$TMP/$c.$f"
    expect_rc out-$c-$f-rc 0
    expect_eq out-$c-$f-stdout-empty "$(wc -c < "$TMP/out")" 0
    if cmp -s "$TMP/$c-stdout.$f" "$TMP/$c.$f"; then ok out-$c-$f-same; else fail out-$c-$f-same "differs from stdout"; fi
    if grep -q '"synthetic": true' "$TMP/$c.$f.meta.json" 2>/dev/null; then ok out-$c-$f-meta; else fail out-$c-$f-meta "no $c.$f.meta.json"; fi
  done
  run "$CHISO" $(cmdline $c "$TMP/r.db") --format csv --out "$TMP/real-$c.csv"
  expect_rc out-real-$c-rc 0
  if [ -e "$TMP/real-$c.csv.meta.json" ]; then fail out-real-$c-meta "meta written"; else ok out-real-$c-meta; fi
  # An output that cannot be written: exit 2, nothing left behind.
  run "$CHISO" $(cmdline $c "$TMP/s.db") --format csv --out "$TMP/no-such-dir/$c.csv"
  expect_rc out-$c-baddir-rc 2
done
run "$CHISO" targets --list --out "$TMP/plans.txt"
run "$CHISO" targets --list
if [ -s "$TMP/plans.txt" ] && [ "$(cat "$TMP/plans.txt")" = "$OUT" ]; then ok out-targets-list; else fail out-targets-list "differs"; fi

# ---- targets: an unknown province is a data error, as in `chiso resolve` -------
run "$CHISO" targets --plan qd645-2021-2025 --province Atlantis
expect_rc targets-unknown-province-rc 2
expect_err targets-unknown-province-msg 'unknown province: "Atlantis"'

# ---- tables for people: one display style -------------------------------------
A=data/reference/coinr-asem
ASEM="--imeta $A/asem_iMeta.csv --data $A/asem_iData.csv"
# uncertainty: probabilities in % in the table (0..1 in CSV); rank quantiles
# without decimals when they are whole (a 10-13 interval, not 10.0-13.0).
run "$CHISO" uncertainty $ASEM --runs 100 --seed 1
line=$(printf '%s\n' "$OUT" | grep ' AUT ')
if printf '%s\n' "$line" | grep -Eq ' [0-9]+\.[0-9]% +[0-9]+\.[0-9]%$'; then ok table-unc-pct; else fail table-unc-pct "line: $line"; fi
if printf '%s\n' "$OUT" | grep -Eq '[0-9]\.0-[0-9]+\.0 '; then fail table-unc-q-whole "decimals on whole ranks"; else ok table-unc-q-whole; fi
run "$CHISO" uncertainty $ASEM --runs 100 --seed 1 --format csv
v=$(printf '%s\n' "$OUT" | awk -F, 'NR > 1 && ($11 > 1 || $13 > 1) { bad++ } END { print bad + 0 }')
expect_eq table-unc-csv-frac "$v" 0
# series: scores with two decimals as in `chiso compute` (CSV keeps %.17g).
run "$CHISO" series --db "$TMP/s.db"
expect_eq table-series-2-decimals "$(printf '%s\n' "$OUT" | grep -Ec '[0-9]\.[0-9]{2} ')" 34
expect_eq table-series-no-4-decimals "$(printf '%s\n' "$OUT" | grep -Ec '[0-9]\.[0-9]{3}')" 0
# audit: a count is a whole number.
run "$CHISO" audit $ASEM
line=$(printf '%s\n' "$OUT" | grep -E '^indicator +LPI .* n ' | head -1)
if printf '%s\n' "$line" | grep -Eq ' n +51$'; then ok table-audit-n-whole; else fail table-audit-n-whole "line: $line"; fi
# provinces: the 2025 units have iso_3166_2 null in JSON, as the empty CSV column.
run "$CHISO" provinces --year 2025 --format json
expect_eq provinces-2025-json-iso "$(grep -c '"iso_3166_2": null' "$TMP/out")" 34
run "$CHISO" provinces --year 2024 --format json
expect_out provinces-2024-json-iso '"iso_3166_2": "VN-57"'
# No table row ends in spaces (trailing empty cells included).
trail=0
for c in "uncertainty $ASEM --runs 50" "compute $ASEM" "audit $ASEM" \
         "estimate --db $TMP/s.db --year 2025 --format table" "targets --plan qd645-2021-2025" \
         "provinces --year 2025" "series --db $TMP/s.db"; do
  "$CHISO" $c >"$TMP/t" 2>/dev/null
  n=$(grep -c ' $' "$TMP/t"); trail=$((trail + n))
  [ "$n" -eq 0 ] || echo "  trailing spaces: chiso $c"
done
expect_eq table-no-trailing-spaces "$trail" 0

# ---- targets: an achieved KPI shows 100% (issue 12: in every format) ----
# Baseline 59.9, target 60, actual 61.2: progress 100 (61.2 - 59.9) / 0.1 = 1300%.
printf 'plan,kpi,scope,unit,baseline_year,baseline_value,target_year,target_value,direction\n' >"$TMP/p.csv"
printf 'tiny,ordering,48,percent,2021,59.9,2025,60,up\n' >>"$TMP/p.csv"
printf 'kpi,scope,year,value\nordering,48,2023,61.2\n' >"$TMP/a.csv"
run "$CHISO" targets --plan-file "$TMP/p.csv" --actuals "$TMP/a.csv"
expect_rc targets-cap-rc 0
line=$(printf '%s\n' "$OUT" | grep '^ordering')
if printf '%s\n' "$line" | grep -Eq ' 100% +achieved'; then ok targets-cap-100; else fail targets-cap-100 "line: $line"; fi
run "$CHISO" targets --plan-file "$TMP/p.csv" --actuals "$TMP/a.csv" --format csv
v=$(printf '%s\n' "$OUT" | awk -F, '$2 == "ordering" { printf "%.0f", $12 }')
expect_eq targets-cap-csv "$v" 100 # issue 12: clipped in every format
