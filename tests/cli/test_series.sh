#!/bin/bash
# CLI tests of divide --db, series and targets --db on a small synthetic
# store (2024 on 63 provinces, 2025 on 34 units). Expected values are
# recomputed independently with awk from other commands' outputs (the
# estimates of `chiso estimate`, the scores of `chiso compute --db`), not
# pasted from the commands under test.
. "$(dirname "$0")/lib.sh"
DB="$TMP/s.db"
"$CHISO" synth --out "$TMP/s24.csv" --year 2024 --respondents 4000 --seed 11 2>/dev/null
"$CHISO" synth --out "$TMP/s25.csv" --year 2025 --respondents 2500 --seed 12 2>/dev/null
"$CHISO" import --db "$DB" --method ebi-2021 --year 2024 "$TMP/s24.csv" 2>/dev/null
"$CHISO" import --db "$DB" --method ebi-2021 --year 2025 "$TMP/s25.csv" 2>/dev/null

# close A B: |A - B| <= 1e-9 (relative to max(1, |B|)).
close() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; if (m < 1) m = 1; exit !(d <= 1e-9 * m) }'; }
expect_close() { if close "$2" "$3"; then ok "$1"; else fail "$1" "got '$2', expected '$3'"; fi; }
measure() { awk -F, -v m="$2" '$1 == m { print $'"$3"' }' <<<"$1"; }

# ---- divide --db ------------------------------------------------------------
run "$CHISO" divide --db "$DB" --year 2024 --format csv --interval taylor
expect_rc divide_db_rc 0
expect_eq divide_db_rows "$(cut -d, -f1 <<<"$OUT" | tr '\n' ' ')" \
  "measure hn_hcm_share outside_share volume_gini volume_top5_share volume_hhi score_gini score_theil_t score_theil_t_between score_theil_t_within score_theil_l score_theil_l_between score_theil_l_within score_cv score_p90_p10 score_top5_bottom5 score_leader_median_gap "
D24="$OUT"
# HN+HCM share = (01 + 79) / sum of the province online_sales_total estimates.
run "$CHISO" estimate --db "$DB" --year 2024 --level province
SHARE=$(awk -F, '$2 == "online_sales_total" && $3 != "" { t += $3; if ($1 == "01" || $1 == "79") h += $3 } END { printf "%.17g", h / t }' <<<"$OUT")
expect_close divide_db_share "$(measure "$D24" hn_hcm_share 2)" "$SHARE"
LO=$(measure "$D24" hn_hcm_share 3); HI=$(measure "$D24" hn_hcm_share 4)
if awk -v l="$LO" -v h="$HI" -v s="$SHARE" 'BEGIN { exit !(l < s && s < h) }'; then ok divide_db_taylor_interval; else fail divide_db_taylor_interval "$LO $SHARE $HI"; fi
# Gini and CV of the ranked total scores of `chiso compute --db` (awk).
run "$CHISO" compute --db "$DB" --year 2024 --format csv
SCORES=$(awk -F, 'NR > 1 && $(NF-1) != "" { print $3 }' <<<"$OUT")
GINI=$(awk '{ x[NR] = $1; s += $1 } END { n = NR; for (i = 1; i <= n; i++) for (j = 1; j <= n; j++) { d = x[i] - x[j]; g += d < 0 ? -d : d }; printf "%.17g", g / (2 * n * n * s / n) }' <<<"$SCORES")
CV=$(awk '{ x[NR] = $1; s += $1 } END { n = NR; m = s / n; for (i = 1; i <= n; i++) v += (x[i] - m) ^ 2; printf "%.17g", sqrt(v / n) / m }' <<<"$SCORES")
expect_close divide_db_gini "$(measure "$D24" score_gini 2)" "$GINI"
expect_close divide_db_cv "$(measure "$D24" score_cv 2)" "$CV"
T=$(measure "$D24" score_theil_t 2); TB=$(measure "$D24" score_theil_t_between 2); TW=$(measure "$D24" score_theil_t_within 2)
expect_close divide_db_theil_sum "$(awk -v a="$TB" -v b="$TW" 'BEGIN { printf "%.17g", a + b }')" "$T"
# Bootstrap: deterministic for a seed, whatever the thread count.
run "$CHISO" divide --db "$DB" --year 2025 --format csv --replicates 200 --seed 5
B1="$OUT"
run "$CHISO" divide --db "$DB" --year 2025 --format csv --replicates 200 --seed 5 --threads 3
expect_eq divide_db_boot_deterministic "$OUT" "$B1"
run "$CHISO" divide --db "$DB" --year 2025 --format json --replicates 200 --seed 5
expect_out divide_db_boot_named '"interval": "bootstrap percentile 95% (Rao-Wu, 200 replicates, seed 5)"'
run "$CHISO" divide --db "$DB" --year 2025 --format json --interval none
expect_out divide_db_json_lorenz '"lorenz"'
expect_out divide_db_json_units '"units": 34'
run "$CHISO" divide --db "$DB" --year 2024 --volume parcels
expect_rc divide_db_volume_missing 2
expect_err divide_db_volume_msg 'volume indicator "parcels" is not stored for 2024'
run "$CHISO" divide --db "$DB" --year 2025 --units 63
expect_rc divide_db_63_of_2025 1
expect_err divide_db_63_msg "a 63-province view of 2025 is impossible"

# ---- series -------------------------------------------------------------------
run "$CHISO" series --db "$DB" --format csv
expect_rc series_rc 0
expect_eq series_header "$(head -1 <<<"$OUT")" "year,code,name,score,rank,score_change,rank_change,approx"
SER="$OUT"
expect_eq series_2024_on_34 "$(awk -F, '$1 == 2024' <<<"$SER" | cut -d, -f2 | sort -u | wc -l)" 34
# Hà Nội is unchanged in 2025: its 2024 score on the 34 units is the 63-unit one.
HN63=$(awk -F, '$1 == "01" { print $3 }' <<<"$("$CHISO" compute --db "$DB" --year 2024 --format csv)")
expect_close series_unchanged_hanoi "$(awk -F, '$1 == 2024 && $2 == "01" { print $4 }' <<<"$SER")" "$HN63"
# Year-over-year change = score 2025 - score 2024 (recomputed).
CH=$(awk -F, '$2 == "01" { s[$1] = $4; c[$1] = $6 } END { printf "%.17g %.17g", s[2025] - s[2024], c[2025] }' <<<"$SER")
expect_close series_change "${CH#* }" "${CH% *}"
run "$CHISO" series --db "$DB" --units 63
expect_rc series_63_refused 1
expect_err series_63_msg "a 63-province view of 2025 is impossible"
run "$CHISO" series --db "$DB" --convergence --format csv
expect_out series_sigma_header "year,n,cv,sd_log"
run "$CHISO" series --db "$DB" --divide --format csv
expect_eq series_divide_share_rows "$(grep -c '^20[0-9]*,hn_hcm_share,' <<<"$OUT")" 2

# Catch-up years (docs/divide.md): recomputed by awk from the scores view
# (SER): leader L = rank 1 in the last year; g = ln(y1/y0)/years;
# t = ln(yL/y)/(g - gL); 0 when y >= yL, "never" when g <= gL.
run "$CHISO" series --db "$DB" --convergence --format csv
CU="$OUT"
expect_eq series_catch_up_header "$(grep -c '^code,name,score_first,score_last,growth,catch_up_years$' <<<"$CU")" 1
expect_eq series_catch_up_rows "$(awk -F, 'NF == 6 && $1 ~ /^[0-9][0-9]$/' <<<"$CU" | wc -l)" 34
catch_up() {
  awk -F, -v u="$1" '$1 == 2024 && $5 != "" { a[$2] = $4 } $1 == 2025 && $5 != "" { b[$2] = $4; if ($5 == 1) L = $2 }
    END { g = log(b[u] / a[u]); gl = log(b[L] / a[L])
          if (b[u] >= b[L]) print 0; else if (g <= gl) print "never"; else printf "%.17g\n", log(b[L] / b[u]) / (g - gl) }' <<<"$SER"
}
for u in 79 12 08; do
  GOT=$(awk -F, -v u="$u" 'NF == 6 && $1 == u { print $6 }' <<<"$CU")
  WANT=$(catch_up "$u")
  if [ "$WANT" = never ] || [ "$WANT" = 0 ]; then expect_eq "series_catch_up_$u" "$GOT" "$WANT"
  else expect_close "series_catch_up_$u" "$GOT" "$WANT"; fi
done
expect_eq series_catch_up_leader "$(awk -F, 'NF == 6 && $1 == "01" { print $6 }' <<<"$CU")" 0
run "$CHISO" series --db "$DB" --convergence --format json
expect_out series_catch_up_json '"catch_up_years": "never"'

# ---- compute --db --units -------------------------------------------------------
# 2024 on the 34 units: an unchanged province keeps exactly its 63-unit row
# (goalposts do not depend on the other units); the merged unit 79 has the
# score `chiso series` prints for 2024 on the 34 units.
run "$CHISO" compute --db "$DB" --year 2024 --units 34 --format csv
expect_rc compute_units34_rc 0
C34="$OUT"
expect_eq compute_units34_rows "$(tail -n +2 <<<"$C34" | wc -l)" 34
# every score of 01 (ebi, hr_it, b2c, b2b) byte-identical; only the rank moves
expect_eq compute_units34_hanoi "$(grep '^01,' <<<"$C34" | cut -d, -f1-6)" \
  "$(grep '^01,' <<<"$("$CHISO" compute --db "$DB" --year 2024 --format csv 2>/dev/null)" | cut -d, -f1-6)"
expect_close compute_units34_hanoi_score "$(awk -F, '$1 == "01" { print $3 }' <<<"$C34")" "$HN63"
expect_eq compute_units34_merged "$(awk -F, '$1 == "79" { print $3 }' <<<"$C34")" \
  "$(awk -F, '$1 == 2024 && $2 == "79" { print $4 }' <<<"$SER")"
run "$CHISO" compute --db "$DB" --year 2024 --units 63 --format csv
expect_eq compute_units63_default "$OUT" "$("$CHISO" compute --db "$DB" --year 2024 --format csv 2>/dev/null)"
run "$CHISO" compute --db "$DB" --year 2025 --units 63
expect_rc compute_units63_of_2025 1
expect_err compute_units63_msg "a 63-province view of 2025 is impossible"
run "$CHISO" compute --db "$DB" --year 2024 --units 50
expect_rc compute_units_bad 1
run "$CHISO" compute --method ebi-2021 --data "$TMP/none.csv" --units 34
expect_rc compute_units_needs_db 1
# An external indicator of 2024 on a merged unit is a weighted mean: the
# unit is named approximate on stderr (as series' approx column says).
cp "$DB" "$TMP/x.db"
"$CHISO" provinces --year 2024 --format csv 2>/dev/null |
  awk -F, 'NR > 1 { printf "%s,domains_per_1000,%g,test\n", $1, ($1 % 17) + 1 }' |
  { echo "code,indicator,value,source"; cat; } >"$TMP/ind.csv"
"$CHISO" import-indicators --db "$TMP/x.db" --year 2024 "$TMP/ind.csv" 2>/dev/null
run "$CHISO" compute --db "$TMP/x.db" --year 2024 --units 34 --format csv
expect_rc compute_units34_approx_rc 0
expect_err compute_units34_approx "approximate units"
APPROX=$(grep -o 'former provinces):.*' "$TMP/err" | cut -d: -f2)
expect_eq compute_units34_approx_79 "$(tr ' ' '\n' <<<"$APPROX" | grep -c '^79$')" 1
expect_eq compute_units34_approx_not_01 "$(tr ' ' '\n' <<<"$APPROX" | grep -c '^01$')" 0
SERX=$("$CHISO" series --db "$TMP/x.db" --format csv 2>/dev/null)
expect_eq compute_units34_approx_as_series "$(tr ' ' '\n' <<<"$APPROX" | grep . | sort | tr '\n' ' ')" \
  "$(awk -F, '$1 == 2024 && $8 == 1 { print $2 }' <<<"$SERX" | sort | tr '\n' ' ')"

# ---- targets --db -------------------------------------------------------------
run "$CHISO" estimate --db "$DB" --year 2025 --level nation
PAY=$(awk -F, '$2 == "online_payment" { printf "%.17g", $3 * 100 }' <<<"$OUT")
run "$CHISO" targets --plan qd645-2021-2025 --db "$DB" --format csv
expect_rc targets_db_rc 0
ROW=$(grep '^qd645-2021-2025,noncash_payment,' <<<"$OUT")
expect_close targets_db_value "$(cut -d, -f11 <<<"$ROW")" "$PAY"
expect_out targets_db_source "chiso estimate (online_payment)"
printf 'kpi,scope,year,value,source\nnoncash_payment,national,2025,42,survey X\n' >"$TMP/act.csv"
run "$CHISO" targets --plan qd645-2021-2025 --db "$DB" --actuals "$TMP/act.csv" --format csv
expect_eq targets_db_external_wins "$(grep '^qd645-2021-2025,noncash_payment,' <<<"$OUT" | cut -d, -f11,16)" "42,survey X"
run "$CHISO" targets --plan qd645-2021-2025 --db "$DB" --province "Hà Nội" --format csv
expect_out targets_db_province "qd645-2021-2025,websites_online_ordering,01,"
expect_out targets_db_province_source "chiso estimate (online_ordering)"
# a 2022 target is not judged with the store's later years (issue 12)
run "$CHISO" targets --plan hanoi-2022 --db "$DB" --province "Hà Nội" --format csv
expect_out targets_db_past "no actual for the target year (later ones do not judge it)"
