# Issue 12: numbers users can trust. Each block is one item of the issue;
# the expected numbers are worked by hand from the rules in the docs.
. "$(dirname "$0")/lib.sh"

DATA=tests/data
METHOD=$DATA/method-test.json

# ---- 1. Vietnamese thousands grouping: the column decides ------------------
printf 'respondent_id,province,year,q_online_sales,Email\nr1,01,2024,1.250,1\nr2,01,2024,15.000,1\nr3,79,2024,1.250.000,1\n' > "$TMP/vnd.csv"
run "$CHISO" estimate --method "$METHOD" --survey "$TMP/vnd.csv" --year 2024 --level nation --format csv
expect_rc grouping-ok 0
# weights 1: the nation's total is 1250 + 15000 + 1250000
expect_out grouping-total "VN,online_sales_total,1266250,"
printf 'respondent_id,province,year,q_online_sales,Email\nr1,01,2024,1.250,1\nr2,01,2024,15.000,1\nr3,79,2024,300,1\n' > "$TMP/amb.csv"
run "$CHISO" validate --method "$METHOD" --year 2024 "$TMP/amb.csv"
expect_rc ambiguous-exit 2
expect_out ambiguous-located "amb.csv:2:4: ambiguous number \"1.250\": 1250 with '.' grouping thousands or 1.25"
expect_out ambiguous-second "amb.csv:3:4: ambiguous number \"15.000\""
# the same rule in compute --data and import-indicators
printf 'uCode,uName,i1,i2\nA,a,1.250,2\nB,b,15.000,3\n' > "$TMP/amb_iData.csv"
run "$CHISO" compute --imeta $DATA/index/ok2_iMeta.csv --data "$TMP/amb_iData.csv"
expect_rc compute-ambiguous-exit 2
expect_err compute-ambiguous-loc "amb_iData.csv:2:3: i1: ambiguous number \"1.250\""
printf 'uCode,uName,i1,i2\nA,a,1.250,2\nB,b,"1.250.000",3\n' > "$TMP/grp_iData.csv"
run "$CHISO" compute --imeta $DATA/index/ok2_iMeta.csv --data "$TMP/grp_iData.csv" --normalize none --all --format csv
expect_rc compute-grouping-ok 0
expect_out compute-grouping-value ",1250,"
printf 'code,indicator,value\n01,parcels,1.250\n79,parcels,15.000\n' > "$TMP/ind.csv"
run "$CHISO" import-indicators --db "$TMP/ind.db" --year 2024 "$TMP/ind.csv"
expect_rc indicators-ambiguous-exit 2
expect_err indicators-ambiguous-loc "ind.csv:2:3: value: ambiguous number \"1.250\""
