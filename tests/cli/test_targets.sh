# CLI tests of `chiso targets`. Expected statuses are worked by hand in
# tests/test_targets.c (same plans and actuals).
. "$(dirname "$0")/lib.sh"
T=tests/data/targets

run "$CHISO" targets --help
expect_rc targets-help 0

run "$CHISO" targets --list
expect_rc targets-list 0
expect_out targets-list-qd645 "qd645-2021-2025"
expect_out targets-list-hanoi "hanoi-2022"

run "$CHISO" targets --plan qd645-2021-2025 --format csv
expect_rc targets-qd645 0
expect_out targets-header "plan,kpi,scope,unit,direction,baseline_year,baseline_value,target_year,target_value,actual_year,actual_value,progress_pct,status,projected_year,reason,actual_source"
expect_out targets-on-track "qd645-2021-2025,b2c_share_retail,national,percent,up,2020,5.5,2025,10,2022,7.5,44.444444444444443,on track,2025,"
expect_out targets-off-track "qd645-2021-2025,b2c_revenue,national,USD bn,up,2020,11.800000000000001,2025,35,2022,16.399999999999999,"
expect_out targets-no-data-down "qd645-2021-2025,delivery_cost_share,national,percent,down,,,2025,10,,,,no data,,no actual value,"

run "$CHISO" targets --plan hanoi-2021 --format csv
expect_out targets-achieved "hanoi-2021,ecom_share_retail,01,percent,up,,,2021,8,2020,8,,achieved,2020,met before the target year"

# A revised external figure wins over the published one of the same year.
run "$CHISO" targets --plan qd645-2021-2025 --actuals $T/actuals_ext.csv --format csv
expect_out targets-external "b2c_share_retail,national,percent,up,2020,5.5,2025,10,2022,6.9000000000000004,31.111111111111118,off track"

# A province's own plan and actuals. Down KPI: 20 (2021) -> 10 (2025), 17 in
# 2023: path 15, off track; pace -1.5/yr, 7 to go: 2023 + 4.67 -> 2028.
run "$CHISO" targets --plan-file $T/province_plan.csv --actuals $T/actuals_ext.csv --format csv
expect_rc targets-province-plan 0
expect_out targets-province-on-track "danang-2025,online_ordering,48,percent,up,2021,40,2025,60,2023,52,60,on track,2025"
expect_out targets-province-down "danang-2025,delivery_cost_share,48,percent,down,2021,20,2025,10,2023,17,30,off track,2028"

run "$CHISO" targets --plan qd645-2021-2025 --province "Đà Nẵng" --actuals $T/actuals_ext.csv --format json
expect_rc targets-province-json 0
expect_out targets-province-json-scope '"scope": "48"'

run "$CHISO" targets --plan qd645-2021-2025 --year 2021 --format csv
expect_out targets-as-of "b2c_share_retail,national,percent,up,2020,5.5,2025,10,2021,7,"

run "$CHISO" targets --plan qd645-2021-2025
expect_rc targets-table 0
expect_out targets-table-status "on track"

run "$CHISO" targets --plan nope
expect_rc targets-unknown-plan 1
expect_err targets-unknown-plan-msg "unknown plan 'nope'"

run "$CHISO" targets --plan-file $T/bad_direction.csv
expect_rc targets-bad-plan 2
expect_err targets-bad-plan-loc "bad_direction.csv:3:5: direction: 'sideways' must be up or down"

run "$CHISO" targets --plan qd645-2021-2025 --actuals $T/actuals_bad.csv
expect_rc targets-bad-actuals 2
expect_err targets-bad-actuals-loc "actuals_bad.csv:2:4: value: 'abc' is not a number"
expect_eq targets-bad-no-partial "$OUT" ""

run "$CHISO" targets --plan qd645-2021-2025 --db chiso.db
expect_rc targets-db 2
expect_err targets-db-msg "no such store"
