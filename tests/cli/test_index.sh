# CLI tests of the index engine: compute on COINr tables (golden numbers
# from tests/reference/coinr_index.R), convert, audit, bad files.
. "$(dirname "$0")/lib.sh"
D=tests/data/index
REF=tests/reference/out

# max |a-b| over matching numeric cells of two CSVs keyed by code (column 1)
maxdiff() {
  awk -F, 'NR==FNR { if (FNR==1) for (i=1;i<=NF;i++) h[i]=$i; else for (i=2;i<=NF;i++) v[$1","h[i]]=$i; next }
           FNR==1 { for (i=1;i<=NF;i++) g[i]=$i; next }
           { for (i=2;i<=NF;i++) { k=$1","g[i]; if (k in v && $i!="" && v[k]!="") { d=$i-v[k]; if (d<0) d=-d; if (d>m) m=d; n++ }
                                   else if (k in v && ($i=="") != (v[k]=="")) bad++ } }
           END { if (bad) print "missing-mismatch"; else if (n<10) print "too-few"; else printf "%.3g\n", m }' "$1" "$2"
}
small="--imeta $D/small_iMeta.csv --data $D/small_iData.csv"

run "$CHISO" compute $small --all --format csv
expect_rc small-compute 0
printf '%s\n' "$OUT" > "$TMP/small.csv"
d=$(maxdiff "$REF/small_minmax_amean.csv" "$TMP/small.csv")
awk -v d="$d" 'BEGIN { exit !(d+0 <= 1e-9 && d != "missing-mismatch") }' && ok small-matches-R || fail small-matches-R "max diff $d"
expect_out small-header "code,name,Index,S1,S2,P1,P2,P3,i1,i2,i3,i4,i5,i6,i7,rank,note"
expect_out small-rank1 "E05,Epsilon,85.18518518518519,"

run "$CHISO" compute $small --normalize zscore --format csv
printf '%s\n' "$OUT" > "$TMP/z.csv"
d=$(maxdiff "$REF/small_zscore_amean.csv" "$TMP/z.csv")
awk -v d="$d" 'BEGIN { exit !(d+0 <= 1e-9 && d != "missing-mismatch") }' && ok zscore-matches-R || fail zscore-matches-R "max diff $d"

run "$CHISO" compute $small --range 1,100 --aggregate geometric --format csv
printf '%s\n' "$OUT" > "$TMP/g.csv"
d=$(maxdiff "$REF/small_minmax1_gmean.csv" "$TMP/g.csv")
awk -v d="$d" 'BEGIN { exit !(d+0 <= 1e-9 && d != "missing-mismatch") }' && ok gmean-matches-R || fail gmean-matches-R "max diff $d"

A=data/reference/coinr-asem
run "$CHISO" compute --imeta $A/asem_iMeta.csv --data $A/asem_iData.csv --all --format csv
printf '%s\n' "$OUT" > "$TMP/asem.csv"
d=$(maxdiff "$REF/asem_minmax_amean.csv" "$TMP/asem.csv")
awk -v d="$d" 'BEGIN { exit !(d+0 <= 1e-9 && d != "missing-mismatch") }' && ok asem-matches-R || fail asem-matches-R "max diff $d"
# ASEM declares denominators: without --denominate the scores are COINr's
# un-denominated pipeline (above) and stderr names what was not applied
expect_err asem-denominators-noted "declares denominators for 17 indicators that were not applied"
expect_err asem-denominators-advice "--denominate applies them"
# COINr Denominate and distance to target (coinr_extras.R)
run "$CHISO" compute --imeta $A/asem_iMeta.csv --data $A/asem_iData.csv --denominate --all --format csv
printf '%s\n' "$OUT" > "$TMP/asem-den.csv"
expect_eq asem-denominated-no-note "$(grep -c 'not applied' "$TMP/err")" 0
d=$(maxdiff "$REF/asem_denom_minmax_amean.csv" "$TMP/asem-den.csv")
awk -v d="$d" 'BEGIN { exit !(d+0 <= 1e-9 && d != "missing-mismatch") }' && ok asem-denominate-matches-R || fail asem-denominate-matches-R "max diff $d"
run "$CHISO" compute --imeta $A/asem_iMeta.csv --data $A/asem_iData.csv --normalize dist2targ --range 0,1 --all --format csv
printf '%s\n' "$OUT" > "$TMP/asem-t.csv"
d=$(maxdiff "$REF/asem_dist2targ_amean.csv" "$TMP/asem-t.csv")
awk -v d="$d" 'BEGIN { exit !(d+0 <= 1e-9 && d != "missing-mismatch") }' && ok asem-dist2targ-matches-R || fail asem-dist2targ-matches-R "max diff $d"
run "$CHISO" compute --imeta $A/asem_iMeta.csv --data $A/asem_iData.csv --denominate --normalize dist2targ --range 0,1 --all --format csv
printf '%s\n' "$OUT" > "$TMP/asem-dt.csv"
d=$(maxdiff "$REF/asem_denom_dist2targ_amean.csv" "$TMP/asem-dt.csv")
awk -v d="$d" 'BEGIN { exit !(d+0 <= 1e-9 && d != "missing-mismatch") }' && ok asem-denom-dist2targ-matches-R || fail asem-denom-dist2targ-matches-R "max diff $d"
# no target: an error, never a silent fallback
run "$CHISO" compute $small --normalize dist2targ
expect_rc dist2targ-no-target 1
expect_err dist2targ-no-target-msg "dist2targ: indicator 'i1' has no target"
run "$CHISO" compute $small --denominate
expect_rc denominate-nothing 1
expect_err denominate-nothing-msg "declares no denominators"
# effective weights (COINr get_eff_wts) equal R's; the optimised weights
# reach R's optimum and feed --weights
run "$CHISO" audit --imeta $A/asem_iMeta.csv --data $A/asem_iData.csv --weights effective --format csv
expect_rc weights-effective 0
d=$(printf '%s\n' "$OUT" | awk -F, 'NR == FNR { if (FNR > 1) e[$1] = $2; next } FNR > 1 { x = $5 - e[$1]; if (x < 0) x = -x; if (x > m) m = x; n++ } END { if (n != 60) print "rows " n; else printf "%.3g\n", m }' "$REF/asem_effweights.csv" -)
awk -v d="$d" 'BEGIN { exit !(d+0 <= 1e-15 && d !~ /rows/) }' && ok weights-effective-matches-R || fail weights-effective-matches-R "max diff $d"
run "$CHISO" audit --imeta $A/asem_iMeta.csv --data $A/asem_iData.csv --weights optimise --level 2 --format csv --out "$TMP/opt.csv"
expect_rc weights-optimise 0
expect_err weights-optimise-objective "-7.0334 optimised"
run "$CHISO" compute --imeta $A/asem_iMeta.csv --data $A/asem_iData.csv --weights "$TMP/opt.csv" --format csv
expect_rc weights-optimise-reusable 0
run "$CHISO" audit $small --weights optimise --level 7
expect_rc weights-optimise-bad-level 1

run "$CHISO" compute $small --format json
expect_rc json-ok 0
expect_out json-rank '"rank": 1'
run "$CHISO" compute $small
expect_out table-has-name "Epsilon"

# convert then compute from the native file: same numbers
run "$CHISO" convert --imeta $D/small_iMeta.csv --out "$TMP/small.json"
expect_rc convert-ok 0
run "$CHISO" compute --method "$TMP/small.json" --data $D/small_iData.csv --all --format csv
printf '%s\n' "$OUT" > "$TMP/conv.csv"
expect_eq convert-roundtrip "$(cat "$TMP/conv.csv")" "$(cat "$TMP/small.csv")"

# weights file: scaling all weights changes nothing; one weight changes the index
printf 'iCode,Weight\nS1,4\nS2,2\n' > "$TMP/w.csv"
run "$CHISO" compute $small --weights "$TMP/w.csv" --format csv
expect_out weights-scaled "E05,Epsilon,85.18518518518519,"
printf 'iCode,Weight\nS2,0\n' > "$TMP/w0.csv"
run "$CHISO" compute $small --weights "$TMP/w0.csv"
expect_rc weights-zero 2
expect_err weights-zero-loc "w0.csv:2:2: weight must be > 0"

# audit
run "$CHISO" audit $small --format csv
expect_rc audit-ok 0
expect_out audit-n "indicator,i2,P1,missing_pct,12.5"
expect_out audit-alpha "alpha,P1,,cronbach_alpha,"
expect_out audit-pca "pca,P1,,variance_pc1,"
run "$CHISO" audit $small --weights pca
expect_out audit-pca-weights "iCode,Weight,loading,note"

# bad files: located errors, exit 2
for c in "cycle:4:6: cycle in the tree: P1 → P2 → P1" "parent:3:6: unknown parent 'P9'" \
         "dup:3:2: duplicate id 'i1'" "weight0:3:5: weight of 'i2' must be > 0" \
         "weightneg:4:5: weight of 'P1' must be > 0"; do
  name=${c%%:*}; msg=${c#*:}
  run "$CHISO" compute --imeta $D/bad_${name}_iMeta.csv --data $D/small_iData.csv
  expect_rc bad-$name-exit 2
  expect_err bad-$name-msg "bad_${name}_iMeta.csv:$msg"
done
run "$CHISO" compute --imeta $D/ok2_iMeta.csv --data $D/bad_value_iData.csv --out "$TMP/never.csv"
expect_rc bad-value-exit 2
expect_err bad-value-msg 'bad_value_iData.csv:3:4: i2: not a number: "abc"'
[ ! -e "$TMP/never.csv" ] && ok bad-value-no-output || fail bad-value-no-output "output written"
run "$CHISO" compute --method $D/bad_cycle.json --data $D/small_iData.csv
expect_rc bad-json-cycle 2
expect_err bad-json-cycle-msg "bad_cycle.json:3:10: cycle in the tree: p → q → p"
run "$CHISO" compute --method nosuch --data $D/small_iData.csv
expect_rc no-method 2
run "$CHISO" compute --imeta $D/small_iMeta.csv
expect_rc no-data-usage 1
run "$CHISO" compute $small --normalize bogus
expect_rc bad-norm-usage 1

# shipped methodologies, by name
run "$CHISO" compute --method ebi-2021 --data $D/ebi2021_provinces.csv
expect_rc ebi2021-ok 0
# Đà Nẵng 2024 as published: sub-indices 70, 31, 52 and total 47 (cadn.com.vn);
# the 20/40/40 weights give 0.2*70 + 0.4*31 + 0.4*52 = 47.2
expect_out ebi2021-danang "47.20  70.00  31.00  52.00"
expect_out ebi2021-unranked "not ranked, because b2b: data for 0 of 6 indicators (0%) < 50%"
run "$CHISO" compute --method ebi-2021.json --data $D/ebi2021_provinces.csv --format csv
expect_out ebi2021-csv-header "code,name,ebi,hr_it,b2c,b2b,rank,tier,note"
# JSON: the tiers declared in the method, each unit's tier, the reason in
# both languages
run "$CHISO" compute --method ebi-2021 --data $D/ebi2021_provinces.csv --format json
expect_out ebi2021-json-tiers '"vi": "Dẫn đầu"'
expect_out ebi2021-json-tier '"tier": "advanced"'
expect_out ebi2021-json-note-vi '"note_vi": "không xếp hạng vì b2b: chỉ có số liệu cho 0/6 chỉ tiêu (0%) < 50%"'
run "$CHISO" convert --help
expect_rc convert-help 0
run "$CHISO" compute --method ebi-2012 --data $D/ebi2021_provinces.csv
expect_rc ebi2012-needs-g2b 2
expect_err ebi2012-needs-g2b-msg "no column for indicator 'g2b_lookup'"
