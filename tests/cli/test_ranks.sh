# CLI tests of `chiso ranks`: rank confidence sets from estimates and
# standard errors or a covariance matrix (csranks-style). Expected values
# are structural or hand-derived: a diagonal covariance is the SE input;
# a clearly separated leader is ranked {1}; marginal sets lie inside the
# simultaneous ones and stepdown sets inside the single-step ones; located
# errors for bad input. The algorithm itself is checked against R in
# test_rankstat (tests/reference/mrsw_sets.R).
. "$(dirname "$0")/lib.sh"
R=tests/data/ranks

run "$CHISO" ranks --help
expect_rc ranks-help 0
expect_out ranks-help-csranks "csranks"

run "$CHISO" ranks --data $R/est.csv --format csv
expect_rc ranks-se 0
printf '%s\n' "$OUT" >"$TMP/se.csv"
expect_eq ranks-header "$(head -1 "$TMP/se.csv")" "code,name,estimate,se,rank,L,U,p_top1,p_top3,p_top5,p_top10"
# A (10, se .4) is far ahead of B (7.2, se .5): z = 2.8 / sqrt(.41) = 4.4
expect_eq ranks-leader "$(awk -F, '$1 == "A" { print $5 "," $6 "," $7 "," $8 }' "$TMP/se.csv")" "1,1,1,1"
expect_eq ranks-last "$(awk -F, '$1 == "F" { print $5 "," $6 "," $7 }' "$TMP/se.csv")" "6,6,6"
# P(top 3) over the units sums to 3
expect_eq ranks-ptop3-sum "$(awk -F, 'NR > 1 { s += $9 } END { printf "%.9f", s }' "$TMP/se.csv")" "3.000000000"

run "$CHISO" ranks --data $R/est.csv --cov $R/diag-cov.csv --format csv
printf '%s\n' "$OUT" >"$TMP/cov.csv"
cmp -s "$TMP/se.csv" "$TMP/cov.csv"; expect_eq ranks-diag-cov-equals-se $? 0

run "$CHISO" ranks --data $R/est.csv --format csv --seed 1
cmp -s "$TMP/se.csv" - <<<"$OUT"; expect_eq ranks-deterministic $? 0

# marginal inside simultaneous; stepdown inside single step
run "$CHISO" ranks --data $R/est.csv --format csv --marg
printf '%s\n' "$OUT" >"$TMP/marg.csv"
run "$CHISO" ranks --data $R/est.csv --format csv --single-step
printf '%s\n' "$OUT" >"$TMP/single.csv"
bad=$(awk -F, 'FNR == 1 { f++; next } f == 1 { lo[$1] = $6; hi[$1] = $7; next }
  f == 2 { if ($6 < lo[$1] || $7 > hi[$1]) print "marg " $1; next }
  { if (lo[$1] < $6 || hi[$1] > $7) print "step " $1 }' "$TMP/se.csv" "$TMP/marg.csv" "$TMP/single.csv")
expect_eq ranks-nested "$bad" ""

run "$CHISO" ranks --data $R/est.csv --tau 1 --format csv
expect_out ranks-tau-header "p_top_tau,tau_best,tau_worst"
expect_out ranks-tau-best "A,Alpha,10,0.40000000000000002,1,1,1,1,1,1,1,1,1,0"
run "$CHISO" ranks --data $R/est.csv --lower-is-better --format csv
expect_out ranks-lower "F,Phi,2,0.5,1,1,1,"
run "$CHISO" ranks --data $R/est.csv --format json
expect_out ranks-json "\"sets\": \"simultaneous\""

# errors: located, exit 2 for data, 1 for usage
run "$CHISO" ranks --data $R/bad-number.csv
expect_rc ranks-bad-number 2
expect_err ranks-bad-number-loc "$R/bad-number.csv:3:3: estimate: not a number: \"seven\""
run "$CHISO" ranks --data $R/no-se.csv
expect_rc ranks-no-se 2
expect_err ranks-no-se-msg "no column 'se' of standard errors"
run "$CHISO" ranks --data $R/est.csv --cov $R/missing-row.csv
expect_rc ranks-cov-rows 2
expect_err ranks-cov-rows-msg "5 rows for 6 units"
run "$CHISO" ranks --data $R/two.csv --cov $R/not-psd.csv
expect_rc ranks-not-psd 2
expect_err ranks-not-psd-msg "not positive semi-definite"
run "$CHISO" ranks --data $R/est.csv --se se --cov $R/diag-cov.csv
expect_rc ranks-se-and-cov 1
run "$CHISO" ranks --data $R/est.csv --coverage 1.5
expect_rc ranks-coverage 1
run "$CHISO" ranks --data $R/est.csv --tau 7
expect_rc ranks-tau-too-big 1
run "$CHISO" ranks
expect_rc ranks-no-data 1
