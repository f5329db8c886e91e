# CLI tests of `chiso divide`. Expected values: tests/reference/divide_cli_2024.csv,
# computed by base R (tests/reference/divide_reference.R) with the 2024 regions.
. "$(dirname "$0")/lib.sh"
D=tests/data/divide

run "$CHISO" divide --help
expect_rc divide-help 0
expect_out divide-help-text "Usage: chiso divide"

run "$CHISO" divide --values $D/sales.csv --scores $D/scores_ranked.csv --year 2024 --format csv
expect_rc divide-csv 0
expect_eq divide-csv-names "$(printf '%s\n' "$OUT" | cut -d, -f1 | tr '\n' ' ')" \
  "measure hn_hcm_share outside_share volume_gini volume_top5_share volume_hhi score_gini score_theil_t score_theil_t_between score_theil_t_within score_theil_l score_theil_l_between score_theil_l_within score_cv score_p90_p10 score_top5_bottom5 score_leader_median_gap "
expect_out divide-csv-header "measure,value,lo,hi"
# Every value within 1e-12 of R's (Cao Bằng has no rank and is left out).
bad=$(printf '%s\n' "$OUT" | awk -F, 'NR==FNR { if (FNR > 1) want[$1] = $2; next }
  FNR > 1 { d = $2 - want[$1]; if (d < 0) d = -d; if (!($1 in want) || d > 1e-12) print $1 }' \
  tests/reference/divide_cli_2024.csv -)
expect_eq divide-values-match-r "$bad" ""
expect_out divide-empty-interval "score_gini,0.18185185185185185,,"

run "$CHISO" divide --values $D/sales.csv --year 2024 --format csv
expect_rc divide-values-only 0
expect_eq divide-values-only-rows "$(printf '%s\n' "$OUT" | wc -l)" 6

run "$CHISO" divide --scores $D/scores_ranked.csv --year 2024 --format json
expect_rc divide-json 0
expect_out divide-json-measure '"measure": "score_theil_l_within"'

run "$CHISO" divide --scores $D/scores_ranked.csv --year 2024
expect_rc divide-table 0
expect_out divide-table-gini "0.1819"

run "$CHISO" divide --values $D/bad_code.csv --year 2025 --format csv
expect_rc divide-bad-code 2
expect_err divide-bad-code-loc "bad_code.csv:3:1: code: '74' is not a unit in force in 2025 (34 units)"

run "$CHISO" divide --values $D/dup_code.csv --year 2024
expect_rc divide-dup-code 2
expect_err divide-dup-code-loc "dup_code.csv:4:1: code: 01 appears twice"

run "$CHISO" divide --values $D/bad_number.csv --year 2024
expect_rc divide-bad-number 2
expect_err divide-bad-number-loc "bad_number.csv:3:2: value: 'lots' is not a number"

run "$CHISO" divide --values $D/none.csv --year 2024
expect_rc divide-missing-file 2

run "$CHISO" divide --year 2024
expect_rc divide-no-input 1

run "$CHISO" divide --db x.db --year 2024
expect_rc divide-db 2
expect_err divide-db-msg "no such store"
