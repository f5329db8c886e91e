# CLI tests of `chiso demo`, `chiso synth --official`, and the import of
# --messy files (exactly the rows listed in FILE.expected.csv rejected,
# every other row resolved to the same unit as in the clean file).
. "$(dirname "$0")/lib.sh"
REL=${CHISO_RELEASE:-$CHISO}
[ -x "$REL" ] || REL=$CHISO

# ---- demo -----------------------------------------------------------------
run "$CHISO" demo --help
expect_rc demo-help 0
expect_out demo-help-text "Usage: chiso demo"

D1="$TMP/d1"
run "$CHISO" demo --out "$D1" --respondents 2000 --seed 3 --threads 2
expect_rc demo-run 0
expect_eq demo-banner-first "$(head -1 "$TMP/out" | cut -c1-14)" "SYNTHETIC DATA"
expect_out demo-top "top 5"
expect_out demo-bottom "bottom 5"
expect_out demo-mean "mean of the 34 ranked units"
expect_out demo-share-2020 "  2020 "
expect_out demo-share-2025 "  2025 "
expect_out demo-target "at most 50%"
expect_out demo-paths "$D1/results"
expect_out demo-open "open $D1/report/index.html"
expect_out demo-pdf "PDF          $D1/report.pdf (English: $D1/report-en.pdf)"
if command -v pdfinfo >/dev/null 2>&1; then
  for f in report.pdf report-en.pdf; do # the book: 34 profiles and 8 pages or more before them
    expect_eq "demo-$f" "$(pdfinfo "$D1/$f" 2>/dev/null | awk '/^Pages:/ {print ($2 >= 42)}')" 1
  done
fi
expect_out demo-rank-interval "rank 1-"
# the summary's first-ranked province is rank 1 of index-2025.csv (column
# found by name: the last year's table has the interval columns after rank)
col() { head -1 "$1" | tr ',' '\n' | grep -nx "$2" | cut -d: -f1; }
rk=$(col "$D1/results/index-2025.csv" rank)
first=$(awk -F, -v c="$rk" '$c == "1" { print $2 }' "$D1/results/index-2025.csv")
expect_out demo-top-matches-csv "   1  $first"
expect_eq demo-index-intervals "$(head -1 "$D1/results/index-2025.csv" | grep -o 'rank,score_lo,score_hi,rank_lo,rank_hi,note')" \
  "rank,score_lo,score_hi,rank_lo,rank_hi,note"
# every ranked unit has an interval within 1..34 (the nominal rank may lie
# outside the 2.5th-97.5th percentile of the runs), equal to the
# crossed uncertainty file's rank_lo, rank_hi
bad=$(awk -F, -v r="$rk" 'NR > 1 && $r != "" && !($(r+3) >= 1 && $(r+3) <= $(r+4) && $(r+4) <= 34) { print $1 }' "$D1/results/index-2025.csv")
expect_eq demo-rank-intervals-valid "$bad" ""
awk -F, -v r="$rk" 'NR > 1 { print $1 "," $(r+3) "," $(r+4) }' "$D1/results/index-2025.csv" >"$TMP/iv1"
# one level everywhere (issue 12): the index's rank interval is the crossed
# uncertainty file's 95% rank_lo,rank_hi
awk -F, 'NR > 1 { lo = $7; if (lo != "" && lo < 1) lo = 1; print $1 "," lo "," $8 }' "$D1/results/uncertainty-crossed-2025.csv" >"$TMP/iv2"
cmp -s "$TMP/iv1" "$TMP/iv2"; expect_eq demo-rank-intervals-from-unc $? 0
for y in 2020 2021 2022 2023 2024 2025; do
  for f in "index-$y.csv" "index-$y.csv.meta.json" "index-$y.json" "estimates-$y.csv" "estimates-$y.csv.meta.json"; do
    [ -s "$D1/results/$f" ] || fail "demo-file-$f" "missing $D1/results/$f"
  done
done
ok demo-files
expect_eq demo-units-2024 "$(($(wc -l <"$D1/results/index-2024.csv") - 1))" 63
expect_eq demo-units-2025 "$(($(wc -l <"$D1/results/index-2025.csv") - 1))" 34
for f in targets.csv series.csv uncertainty-2025.csv uncertainty-crossed-2025.csv report-2025.xlsx report-2025.json; do
  [ -s "$D1/results/$f" ] || fail "demo-$f" "missing"
done
# divide-YEAR.csv: the 14 measures of `chiso divide`, the same bytes as the command
names="hn_hcm_share outside_share volume_gini volume_top5_share volume_hhi score_gini score_theil_t score_theil_t_between score_theil_t_within score_theil_l score_theil_l_between score_theil_l_within score_cv score_p90_p10 score_top5_bottom5 score_leader_median_gap"
for y in 2020 2024 2025; do
  expect_eq demo-divide-names-$y "$(tail -n +2 "$D1/results/divide-$y.csv" | cut -d, -f1 | tr '\n' ' ')" "$names "
done
expect_eq demo-divide-share-interval "$(grep -c '^hn_hcm_share,[0-9.]*,[0-9.]*,[0-9.]*$' "$D1/results/divide-2025.csv")" 1
"$CHISO" divide --db "$D1/chiso.db" --year 2024 --interval none --format csv 2>/dev/null | cut -d, -f1,2 >"$TMP/dv"
cut -d, -f1,2 "$D1/results/divide-2024.csv" | cmp -s - "$TMP/dv"; expect_eq demo-divide-as-command $? 0
# series.csv: all six years on the 34 units, with the approx flag
expect_eq demo-series-head "$(head -1 "$D1/results/series.csv")" "year,code,name,score,rank,score_change,rank_change,approx"
for y in 2020 2021 2022 2023 2024 2025; do
  expect_eq demo-series-$y "$(grep -c "^$y," "$D1/results/series.csv")" 34
done
expect_eq demo-targets-head "$(head -1 "$D1/results/targets.csv" | cut -d, -f1-3)" "plan,kpi,scope"
expect_eq demo-targets-vecom "$(grep -c '^vecom-balance-2025,share_outside_hn_hcm,national,' "$D1/results/targets.csv")" 1
expect_eq demo-unc-head "$(head -1 "$D1/results/uncertainty-2025.csv" | cut -d, -f1-8)" "code,name,score,score_lo,score_hi,rank,rank_lo,rank_hi"
# the report: Vietnamese and English, every profile linked, the banner
for r in report report-en; do
  [ -s "$D1/$r/index.html" ] || fail "demo-$r" "missing $D1/$r/index.html"
  expect_eq demo-$r-profiles "$(ls "$D1/$r/provinces" | wc -l)" 34
  missing=0
  for p in "$D1/$r"/provinces/*.html; do
    grep -q "href=\"provinces/$(basename "$p")\"" "$D1/$r/index.html" || missing=$((missing + 1))
  done
  expect_eq demo-$r-linked "$missing" 0
done
expect_eq demo-report-lang-vi "$(grep -c '<html [^>]*lang="vi"' "$D1/report/index.html")" 1
expect_eq demo-report-lang-en "$(grep -c '<html [^>]*lang="en"' "$D1/report-en/index.html")" 1
grep -q 'id="synthetic-banner"' "$D1/report-en/index.html"; expect_eq demo-report-banner-en $? 0
grep -q 'id="synthetic-banner"' "$D1/report/index.html"; expect_eq demo-report-banner-vi $? 0
grep -q 'id="share-interval"' "$D1/report/index.html"; expect_eq demo-report-share-interval $? 0
# every CSV is marked by a metadata file, every JSON by a field
unmarked=0
for f in "$D1"/results/*.csv "$D1"/inputs/*.csv; do
  grep -q '"synthetic": true' "$f.meta.json" 2>/dev/null || { unmarked=$((unmarked + 1)); echo "  unmarked $f"; }
done
expect_eq demo-csv-marked "$unmarked" 0
unmarked=0
for f in "$D1"/results/*.json; do
  case "$f" in *.meta.json) continue ;; esac
  grep -q '"synthetic": true' "$f" || unmarked=$((unmarked + 1))
done
expect_eq demo-json-marked "$unmarked" 0
expect_eq demo-db-marked "$(grep -c '"generator": "chiso demo"' "$D1/chiso.db.meta.json")" 1
# parcels exist from 2025 only (as the EBI's method)
expect_eq demo-parcels-2024 "$(grep -c parcels_per_capita "$D1/inputs/official-2024.csv")" 0
expect_eq demo-parcels-2025 "$(grep -c parcels_per_capita "$D1/inputs/official-2025.csv")" 34

# the same seed gives byte-identical results (other thread count, other dir)
D2="$TMP/d2"
run "$CHISO" demo --out "$D2" --respondents 2000 --seed 3 --threads 1
expect_rc demo-run-2 0
same=0
for f in "$D1"/results/*; do cmp -s "$f" "$D2/results/$(basename "$f")" || { same=1; echo "  differs: $(basename "$f")"; }; done
expect_eq demo-deterministic "$same" 0
diff -r "$D1/report" "$D2/report" >/dev/null && diff -r "$D1/report-en" "$D2/report-en" >/dev/null
expect_eq demo-report-deterministic $? 0
# running again into the same dir replaces the demo db
run "$CHISO" demo --out "$D2" --respondents 2000 --seed 3
expect_rc demo-rerun 0
cmp -s "$D1/results/index-2023.csv" "$D2/results/index-2023.csv"; expect_eq demo-rerun-same $? 0
# ... but never a database it did not make
mkdir -p "$TMP/d3"
echo "precious" >"$TMP/d3/chiso.db"
run "$CHISO" demo --out "$TMP/d3" --respondents 2000
expect_rc demo-refuse-clobber 2
expect_err demo-refuse-msg "not made by chiso demo"
expect_eq demo-refuse-untouched "$(cat "$TMP/d3/chiso.db")" "precious"
run "$CHISO" demo --out "$TMP/d4" --respondents 10
expect_rc demo-too-few 1

# ---- synth --official ------------------------------------------------------
run "$CHISO" synth --official --year 2025 --seed 2 --out "$TMP/off.csv"
expect_rc official-run 0
expect_eq official-header "$(head -1 "$TMP/off.csv")" "code,indicator,value,source"
expect_eq official-rows-2025 "$(($(wc -l <"$TMP/off.csv") - 1))" 102
expect_eq official-meta "$(grep -c '"synthetic": true' "$TMP/off.csv.meta.json")" 1
"$CHISO" synth --official --year 2025 --seed 2 --out "$TMP/off2.csv" 2>/dev/null
cmp -s "$TMP/off.csv" "$TMP/off2.csv"; expect_eq official-deterministic $? 0
run "$CHISO" import-indicators --db "$TMP/o.db" --year 2025 "$TMP/off.csv"
expect_rc official-imports 0
run "$CHISO" synth --official --messy --year 2025 --out "$TMP/x.csv"
expect_rc official-no-messy 1

# ---- messy files -------------------------------------------------------------
# Import with --skip-invalid: the rows reported must be exactly those the
# generator lists in FILE.expected.csv (row, column, value).
for y in 2024 2025; do
  "$REL" synth --year $y --respondents 3000 --seed 4 --messy --out "$TMP/m$y.csv" 2>/dev/null
  "$REL" synth --year $y --respondents 3000 --seed 4 --out "$TMP/c$y.csv" 2>/dev/null
  run "$CHISO" import --db "$TMP/m.db" --method ebi-2021 --year $y --skip-invalid "$TMP/m$y.csv"
  expect_rc messy-import-$y 0
  reported=$(sed -n 's/^.*m'$y'\.csv:\([0-9]*\):[0-9]*: .*(column "\([^"]*\)", value "\([^"]*\)")$/\1,\2,\3/p' "$TMP/err")
  expected=$(tail -n +2 "$TMP/m$y.csv.expected.csv" | cut -d, -f1,3,4)
  expect_eq messy-invalid-rows-$y "$reported" "$expected"
  expect_err messy-skipped-$y "4 invalid rows skipped"
  # every other row coded as in the clean file: import the clean file
  # without those rows and compare the estimates for every province,
  # region and the nation, byte for byte: the numbers (mean revenue
  # share, total online sales) and the yes/no shares, whose messy
  # spellings (Có/Yes/1/x, blanks) must code as the clean Có/Không do
  awk -F, 'NR == FNR { if (FNR > 1) drop[$1] = 1; next } !(FNR in drop)' \
    "$TMP/m$y.csv.expected.csv" "$TMP/c$y.csv" >"$TMP/clean$y.csv"
  "$CHISO" import --db "$TMP/c.db" --method ebi-2021 --year $y "$TMP/clean$y.csv" 2>/dev/null
  "$CHISO" estimate --db "$TMP/m.db" --year $y 2>/dev/null >"$TMP/em"
  "$CHISO" estimate --db "$TMP/c.db" --year $y 2>/dev/null >"$TMP/ec"
  for k in online_revenue_share online_sales_total; do
    grep -E ",$k," "$TMP/em" >"$TMP/em1"; grep -E ",$k," "$TMP/ec" >"$TMP/ec1"
    expect_eq messy-resolved-rows-$k-$y "$(wc -l <"$TMP/em1")" "$(wc -l <"$TMP/ec1")"
    cmp -s "$TMP/em1" "$TMP/ec1"; expect_eq messy-resolved-$k-$y $? 0
  done
  yesno=$(grep -cE ',(email_use|website|social_selling|e_contracts),' "$TMP/ec")
  [ "$yesno" -gt 100 ]; expect_eq messy-yesno-compared-$y $? 0
  cmp -s "$TMP/em" "$TMP/ec"; expect_eq messy-all-estimates-$y $? 0
done
