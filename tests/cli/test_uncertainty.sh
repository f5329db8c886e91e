# CLI tests of `chiso uncertainty` and `chiso sensitivity` on the COINr ASEM
# example (51 units x 49 indicators, 4 levels) and small examples. Expected
# values are structural (hand-derived): zero noise collapses every interval
# to the point; identical units share ranks 1-3; runs with 1, 2 and 4
# threads give the same bytes.
. "$(dirname "$0")/lib.sh"
A=data/reference/coinr-asem
S=tests/data/index
U=tests/data/unc
ASEM="--imeta $A/asem_iMeta.csv --data $A/asem_iData.csv"

run "$CHISO" uncertainty --help
expect_rc unc-help 0
expect_out unc-help-text "Usage: chiso uncertainty"

# shape: header + 51 units, 24 columns
run "$CHISO" uncertainty $ASEM --runs 500 --format csv
expect_rc unc-asem 0
expect_eq unc-asem-header "$(printf '%s\n' "$OUT" | head -1)" \
  "code,name,score,score_lo,score_hi,rank,rank_lo,rank_hi,p_top1,p_top3,p_top5,p_top10,p_above_mean,rank_median,rank_q05,rank_q95,mean_abs_shift,se,score_lo90,score_hi90,rank_lo90,rank_hi90,rank_sim_lo,rank_sim_hi,tied_group,tied_size"
expect_eq unc-asem-rows "$(printf '%s\n' "$OUT" | wc -l)" 52
expect_eq unc-asem-cols "$(printf '%s\n' "$OUT" | awk -F, '{print NF}' | sort -u)" 26
# every rank interval holds the nominal rank's neighbourhood: lo <= median <= hi, 1..51
bad=$(printf '%s\n' "$OUT" | awk -F, 'NR > 1 && !($7 >= 1 && $7 <= $14 && $14 <= $8 && $8 <= 51 && $9 <= $10 && $10 <= $11 && $11 <= $12)')
expect_eq unc-asem-intervals-ordered "$bad" ""
# P(top 1) sums to 1 over units, P(top 10) to 10
expect_eq unc-asem-ptop "$(printf '%s\n' "$OUT" | awk -F, 'NR > 1 { a += $9; b += $12 } END { printf "%.6f %.6f", a, b }')" "1.000000 10.000000"
# the nominal score is the `chiso compute` score
run "$CHISO" compute $ASEM --format csv
want=$(printf '%s\n' "$OUT" | awk -F, 'NR == 2 { print $3 }')
run "$CHISO" uncertainty $ASEM --runs 50 --format csv
expect_eq unc-nominal-is-compute "$(printf '%s\n' "$OUT" | awk -F, 'NR == 2 { print $3 }')" "$want"

# determinism: 1, 2 and 4 threads, byte-identical
for t in 1 2 4; do
  "$CHISO" uncertainty $ASEM --runs 400 --seed 9 --threads $t --format csv >"$TMP/u$t.csv" 2>/dev/null
  "$CHISO" sensitivity $ASEM --runs 64 --seed 9 --threads $t --format csv --convergence >"$TMP/s$t.csv" 2>/dev/null
done
if cmp -s "$TMP/u1.csv" "$TMP/u2.csv" && cmp -s "$TMP/u1.csv" "$TMP/u4.csv"; then ok unc-threads-identical; else fail unc-threads-identical "outputs differ"; fi
if cmp -s "$TMP/s1.csv" "$TMP/s2.csv" && cmp -s "$TMP/s1.csv" "$TMP/s4.csv"; then ok sens-threads-identical; else fail sens-threads-identical "outputs differ"; fi
"$CHISO" uncertainty $ASEM --runs 400 --seed 10 --format csv >"$TMP/u10.csv" 2>/dev/null
if cmp -s "$TMP/u1.csv" "$TMP/u10.csv"; then fail unc-seed-matters "seed 9 and 10 gave the same bytes"; else ok unc-seed-matters; fi

# zero noise: every interval is the point
run "$CHISO" uncertainty --imeta $S/small_iMeta.csv --data $S/small_iData.csv --spec $U/zero_noise.json --runs 100 --format csv
expect_rc unc-zero-noise 0
bad=$(printf '%s\n' "$OUT" | awk -F, 'NR > 1 && $6 != "" && !($3 == $4 && $4 == $5 && $6 == $7 && $7 == $8 && $18 == 0 && $17 == 0)')
expect_eq unc-zero-noise-collapses "$bad" ""

# identical units A01 B02 C03 (best): each rank interval is 1-3
run "$CHISO" uncertainty --imeta $S/small_iMeta.csv --data $U/identical_iData.csv --runs 600 --format csv
expect_rc unc-identical 0
expect_eq unc-identical-span "$(printf '%s\n' "$OUT" | awk -F, 'NR > 1 && NR <= 4 { print $6 "," $7 "," $8 }' | sort -u)" "1,1,3"

# a full spec; JSON and table formats; --out
run "$CHISO" uncertainty --imeta $S/small_iMeta.csv --data $S/small_iData.csv --spec $U/full_spec.json --runs 300 --format json --out "$TMP/u.json"
expect_rc unc-full-spec 0
expect_eq unc-json-units "$(grep -c '"code"' "$TMP/u.json")" 8
expect_out_file() { if grep -qF -- "$2" "$3"; then ok "$1"; else fail "$1" "$3 lacks: $2"; fi; }
expect_out_file unc-json-analysis '"analysis": "method"' "$TMP/u.json"
run "$CHISO" uncertainty --imeta $S/small_iMeta.csv --data $S/small_iData.csv --runs 100
expect_rc unc-table 0
expect_out unc-table-head "rank 95%"

# errors
run "$CHISO" uncertainty --imeta $S/small_iMeta.csv --data $S/small_iData.csv --spec $U/bad_spec.json
expect_rc unc-bad-spec 2
expect_err unc-bad-spec-loc "bad_spec.json:3:3: normalisation: unknown normalisation 'softmax'"
run "$CHISO" uncertainty --imeta $S/small_iMeta.csv
expect_rc unc-no-data 1
run "$CHISO" uncertainty --imeta $S/small_iMeta.csv --data $S/small_iData.csv --runs 1
expect_rc unc-runs-1 1
run "$CHISO" uncertainty --db x.db
expect_rc unc-db-no-year 1
expect_err unc-db-no-year-msg "--db needs --year"
run "$CHISO" uncertainty --db "$TMP/none.db" --year 2023
expect_rc unc-db-missing 2
run "$CHISO" uncertainty --db x.db --year 2023 --data $S/small_iData.csv
expect_rc unc-db-and-data 1
run "$CHISO" uncertainty --imeta $S/small_iMeta.csv --data $S/small_iData.csv --mode sampling
expect_rc unc-sampling-needs-db 1

# sensitivity: one row per input, convergence rows N/4, N/2, N
run "$CHISO" sensitivity $ASEM --runs 256 --format csv
expect_rc sens-asem 0
expect_eq sens-header "$(printf '%s\n' "$OUT" | head -1)" "input,si,si_lo,si_hi,st,st_lo,st_hi"
expect_eq sens-inputs "$(printf '%s\n' "$OUT" | cut -d, -f1 | tail -n +2 | tr '\n' ' ')" \
  "weights_L1 weights_L2 weights_L3 normalisation aggregation winsorisation "
bad=$(printf '%s\n' "$OUT" | awk -F, 'NR > 1 && !($3 <= $2 && $2 <= $4 && $6 <= $5 && $5 <= $7 && $5 >= 0)')
expect_eq sens-ci-contains "$bad" ""
expect_eq sens-convergence-rows "$(awk -F, 'NR > 1 { print $8 }' "$TMP/s1.csv" | sort -n | uniq -c | awk '{print $1 "x" $2}' | tr '\n' ' ')" "6x16 6x32 6x64 "
run "$CHISO" sensitivity --imeta $S/small_iMeta.csv --data $S/small_iData.csv --spec $U/full_spec.json --runs 64 --format json
expect_rc sens-full-spec-json 0
expect_out sens-json-exclude '"input": "exclude"'
run "$CHISO" sensitivity --imeta $S/small_iMeta.csv --data $S/small_iData.csv --runs 4
expect_rc sens-runs-small 1

# --- the survey store: sampling uncertainty from the microdata -----------
REL=${CHISO_RELEASE:-$CHISO}
[ -x "$REL" ] || REL=$CHISO
DB="$TMP/u.db"
"$REL" synth --year 2023 --respondents 3000 --seed 7 --out "$TMP/syn.csv" 2>/dev/null
"$REL" import --db "$DB" --method ebi-2021 --year 2023 "$TMP/syn.csv" 2>/dev/null
"$REL" provinces --year 2023 --format csv 2>/dev/null |
  awk -F, 'NR > 1 { c = $1; printf "%s,domains_per_1000,%g,test\n%s,ewallets_per_capita,%g,test\n", c, (c % 17) + 1, c, (c % 5) / 4 }' |
  { echo "code,indicator,value,source"; cat; } >"$TMP/ind.csv"
"$REL" import-indicators --db "$DB" --year 2023 "$TMP/ind.csv" 2>/dev/null
for t in 1 2 4; do
  run "$CHISO" uncertainty --db "$DB" --year 2023 --replicates 60 --threads $t --format csv --out "$TMP/db$t.csv"
  expect_rc unc-db-threads-$t 0
done
cmp -s "$TMP/db1.csv" "$TMP/db2.csv" && cmp -s "$TMP/db1.csv" "$TMP/db4.csv" && ok unc-db-threads-identical ||
  fail unc-db-threads-identical "outputs differ between 1, 2 and 4 threads"
expect_eq unc-db-rows "$(wc -l <"$TMP/db1.csv")" 64
# the nominal scores and ranks are those of `chiso compute --db` (units
# without a rank are listed without scores)
"$REL" compute --db "$DB" --year 2023 --format csv 2>/dev/null >"$TMP/comp.csv"
diff_sc=$(join -t, <(cut -d, -f1,3,6 "$TMP/db1.csv" | tail -n +2 | sort) <(cut -d, -f1,3,7 "$TMP/comp.csv" | tail -n +2 | sort) |
  awk -F, '$5 == "" { if ($3 != "") bad++; next } { d = $2 - $4; if (d < 0) d = -d; if (d > 1e-9 || $3 != $5) bad++; n++ }
           END { print n + 0, bad + 0 }')
expect_eq unc-db-nominal-equals-compute "$diff_sc" "$(awk -F, 'NR > 1 && $7 != ""' "$TMP/comp.csv" | wc -l) 0"
# intervals hold the point; simultaneous sets contain the percentile rank interval's point
bad=$(awk -F, 'NR > 1 && $6 != "" && !($4 <= $3 && $3 <= $5 && $7 <= $6 && $6 <= $8 && $23 <= $6 && $6 <= $24)' "$TMP/db1.csv")
expect_eq unc-db-intervals-hold-point "$bad" ""
# near-tie groups: numbered from 1 in rank order, sizes match the counts
bad=$(awk -F, 'NR > 1 && $6 != "" { print $6, $25, $26 }' "$TMP/db1.csv" | sort -n |
  awk '{ if ($2 < last || $2 > last + 1) bad++; last = $2; n[$2]++; s[$2] = $3 }
       END { for (g in n) if (n[g] != s[g]) bad++; print bad + 0, (last > 1) }')
expect_eq unc-db-tied-groups "$bad" "0 1"
run "$CHISO" uncertainty --db "$DB" --year 2023 --replicates 30 --mode crossed --runs 200 --format json
expect_rc unc-db-crossed 0
expect_out unc-db-crossed-json '"analysis": "crossed"'
run "$CHISO" uncertainty --db "$DB" --year 2023 --mode method --runs 100 --format csv
expect_rc unc-db-method 0
run "$CHISO" sensitivity --db "$DB" --year 2023 --replicates 30 --runs 64 --format csv
expect_rc sens-db 0
expect_out sens-db-sampling-input "sampling,"
run "$CHISO" sensitivity --db "$DB" --year 2023 --mode sampling
expect_rc sens-db-sampling-only 1
run "$CHISO" uncertainty --db "$DB" --year 2019
expect_rc unc-db-empty-year 2

# COINr's $Para: the parameters of every run are kept, and a run dumped in
# full is exactly `chiso compute` with those parameters (weights = the
# nominal 1 x the multipliers, the normalisation, aggregation and
# winsorisation drawn): the recorded parameters explain the run
for k in 7 31; do
  run "$CHISO" uncertainty $ASEM --runs 40 --seed 5 --params "$TMP/params.csv" --dump-run $k --dump "$TMP/dump.csv" --format csv
  expect_rc "unc-params-$k" 0
  expect_eq "unc-params-rows-$k" "$(($(wc -l <"$TMP/params.csv") - 1))" 40
  expect_err "unc-dump-note-$k" "run $k: weights_L1:LPI="
  awk -F, -v k=$k 'NR == 1 { for (i = 2; i <= NF; i++) h[i] = $i; next }
    $1 == k { print "iCode,Weight" > "'"$TMP"'/w.csv"
      for (i = 2; i <= NF; i++) {
        if (h[i] ~ /^weights_L[0-9]+:/) { split(h[i], p, ":"); print p[2] "," $i >> "'"$TMP"'/w.csv" }
        else flags[h[i]] = $i
      }
      n = flags["normalisation"]; sub(/\(.*/, "", n); r = flags["normalisation"]
      printf "--normalize %s", n
      if (r ~ /\(/) { gsub(/.*\(|\)/, "", r); sub(/;/, ",", r); printf " --range %s", r }
      printf " --aggregate %s --treat %s\n", flags["aggregation"], flags["winsorisation"] == "on" ? "winsorise" : "none"
    }' "$TMP/params.csv" >"$TMP/flags"
  # shellcheck disable=SC2046
  run "$CHISO" compute $ASEM --weights "$TMP/w.csv" $(cat "$TMP/flags") --all --format csv
  printf '%s\n' "$OUT" >"$TMP/replay.csv"
  d=$(awk -F, 'NR == FNR { if (FNR > 1) for (i = 3; i <= NF; i++) v[$1 "," i] = $i; next }
    FNR > 1 { for (i = 3; i <= NF; i++) if ($i != "" && v[$1 "," i] != "") { x = $i - v[$1 "," i]; if (x < 0) x = -x; if (x > m) m = x; n++ } }
    END { if (n < 1000) print "too-few " n; else printf "%.3g\n", m }' "$TMP/dump.csv" "$TMP/replay.csv")
  awk -v d="$d" 'BEGIN { exit !(d + 0 <= 1e-9 && d !~ /too/) }' && ok "unc-dump-is-compute-$k" || fail "unc-dump-is-compute-$k" "max diff $d ($(cat "$TMP/flags"))"
done
run "$CHISO" uncertainty $ASEM --runs 40 --dump-run 41 --dump "$TMP/d.csv"
expect_rc unc-dump-out-of-range 1
expect_err unc-dump-out-of-range-msg "run 41 is not one of the 40 runs"
run "$CHISO" uncertainty $ASEM --runs 40 --dump-run 3
expect_rc unc-dump-needs-file 1
run "$CHISO" sensitivity $ASEM --runs 8 --params "$TMP/p.csv"
expect_rc sens-no-params 1
