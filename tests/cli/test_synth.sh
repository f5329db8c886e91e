# CLI tests of `chiso synth`. Expected values are computed here from the
# generated files with awk (weighted sums written in this test) and checked
# against the documented targets (docs/synth.md) and the EBI's rules.
. "$(dirname "$0")/lib.sh"
REL=${CHISO_RELEASE:-$CHISO}
[ -x "$REL" ] || REL=$CHISO

run "$CHISO" synth --help
expect_rc synth-help 0
expect_out synth-help-text "Usage: chiso synth"

run "$CHISO" synth --year 2024
expect_rc synth-no-out 1
expect_err synth-no-out-msg "--out FILE is required"

run "$CHISO" synth --year 2024 --respondents 100 --out "$TMP/x.csv"
expect_rc synth-too-few 1
expect_eq synth-too-few-no-file "$(ls "$TMP" | grep -c '^x.csv')" 0

run "$CHISO" synth --year 2024 --format ods --out "$TMP/x.csv"
expect_rc synth-bad-format 1
run "$CHISO" synth --year 2024 --seed -3 --out "$TMP/x.csv"
expect_rc synth-bad-seed 1

# ---- determinism -----------------------------------------------------------
mkdir -p "$TMP/a" "$TMP/b"
"$CHISO" synth --year 2024 --respondents 3000 --seed 11 --out "$TMP/a/s.csv" 2>/dev/null
"$CHISO" synth --year 2024 --respondents 3000 --seed 11 --out "$TMP/b/s.csv" 2>/dev/null
"$CHISO" synth --year 2024 --respondents 3000 --seed 12 --out "$TMP/b/t.csv" 2>/dev/null
cmp -s "$TMP/a/s.csv" "$TMP/b/s.csv"; expect_eq same-seed-same-csv $? 0
cmp -s "$TMP/a/s.csv.meta.json" "$TMP/b/s.csv.meta.json"; expect_eq same-seed-same-meta $? 0
cmp -s "$TMP/a/s.csv" "$TMP/b/t.csv"; expect_eq other-seed-differs $? 1
"$CHISO" synth --year 2025 --respondents 2000 --seed 5 --messy --out "$TMP/a/m.xlsx" 2>/dev/null
"$CHISO" synth --year 2025 --respondents 2000 --seed 5 --messy --out "$TMP/b/m.xlsx" 2>/dev/null
cmp -s "$TMP/a/m.xlsx" "$TMP/b/m.xlsx"; expect_eq same-seed-same-xlsx $? 0
expect_eq xlsx-sheets "$(unzip -l "$TMP/a/m.xlsx" | grep -c 'xl/worksheets/sheet[12].xml')" 2
expect_eq xlsx-metadata-sheet "$(unzip -p "$TMP/a/m.xlsx" xl/workbook.xml | grep -o 'name="Metadata"')" 'name="Metadata"'

# ---- the synthetic mark ------------------------------------------------------
M="$TMP/a/s.csv.meta.json"
expect_eq meta-synthetic "$(grep -c '"synthetic": true' "$M")" 1
expect_eq meta-seed "$(grep -c '"seed": "11"' "$M")" 1
expect_eq meta-model "$(grep -c '"model_version": "chiso-synth-2"' "$M")" 1
expect_eq meta-sha "$(grep -cE '"params_sha256": "[0-9a-f]{64}"' "$M")" 1

# ---- columns and units ---------------------------------------------------------
expect_eq header "$(head -1 "$TMP/a/s.csv")" \
  "respondent_id,province,size_class,sector,weight,year,q_email,q_internet,q_ec_staff,q_recruit_hard,q_software,q_website,q_web_update,q_social,q_marketplace,q_app,q_online_orders,q_online_payment,q_online_ads,q_online_rev_pct,q_online_sales,q_b2b_orders,q_econtract,q_einvoice,q_g2b_lookup,q_g2b_services,q_g2b_procure,q_esignature"
expect_eq rows-2024 "$(tail -n +2 "$TMP/a/s.csv" | wc -l)" 3000
expect_eq units-2024 "$(tail -n +2 "$TMP/a/s.csv" | cut -d, -f2 | sort -u | wc -l)" 63
"$CHISO" synth --year 2025 --respondents 3000 --seed 11 --out "$TMP/a/s25.csv" 2>/dev/null
expect_eq units-2025 "$(tail -n +2 "$TMP/a/s25.csv" | cut -d, -f2 | sort -u | wc -l)" 34
"$CHISO" provinces --year 2025 --format csv | tail -n +2 | cut -d, -f2 | sort > "$TMP/names25"
expect_eq units-2025-official "$(tail -n +2 "$TMP/a/s25.csv" | cut -d, -f2 | sort -u | comm -23 - "$TMP/names25" | wc -l)" 0
expect_eq ids-unique "$(tail -n +2 "$TMP/a/s.csv" | cut -d, -f1 | sort | uniq -d | wc -l)" 0
expect_eq web-update-needs-website "$(awk -F, 'NR>1 && $13!="" && $12=="Không"' "$TMP/a/s.csv" | wc -l)" 0

# ---- sample sizes per province: 30..500, and the 7 unranked ones below 30 (2021)
"$CHISO" synth --year 2021 --respondents 6000 --seed 3 --out "$TMP/a/s21.csv" 2>/dev/null
tail -n +2 "$TMP/a/s21.csv" | cut -d, -f2 | sort | uniq -c | awk '{print $1}' > "$TMP/n21"
expect_eq n-provinces-2021 "$(wc -l < "$TMP/n21")" 63
expect_eq n-below-30 "$(awk '$1<30' "$TMP/n21" | wc -l)" 7
expect_eq n-above-500 "$(awk '$1>500' "$TMP/n21" | wc -l)" 0
expect_eq n-below-12 "$(awk '$1<12' "$TMP/n21" | wc -l)" 0
# the weights of a province add up to its enterprises: all 63 sum to 857,000 (2021)
expect_eq weights-total "$(awk -F, 'NR>1 {s+=$5} END {printf "%.0f", s/1000}' "$TMP/a/s21.csv")" 857

# ---- marginal checks (weighted shares computed here) --------------------------
# weighted yes-share of q_website by province group
share() { # FILE COLUMN PROVINCE-REGEX
  awk -F, -v c="$2" -v re="$3" 'NR>1 && $2 ~ re && ($c=="Có" || $c=="Không") {
      d+=$5; if ($c=="Có") n+=$5 } END {printf "%.2f", n/d}' "$1"
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a>=b)}'; }
hcm=$(share "$TMP/a/s21.csv" 12 '^Hồ Chí Minh$')
hn=$(share "$TMP/a/s21.csv" 17 '^Hà Nội$')
rest=$(share "$TMP/a/s21.csv" 12 '^[^H]')
ge "$hcm" 0.80; expect_eq hcm-website-high "$? $hcm" "0 $hcm"
ge "$hn" 0.80; expect_eq hn-online-orders-high "$? $hn" "0 $hn"
ge 0.35 "$rest"; expect_eq provinces-website-low "$? $rest" "0 $rest"

# HN + HCM share of weighted online sales in 2020: 70% +- 5
"$REL" synth --year 2020 --respondents 20000 --seed 1 --out "$TMP/a/s20.csv" 2>/dev/null
city=$(awk -F, 'NR>1 && $21!="" {t+=$5*$21; if ($2=="Hà Nội" || $2=="Hồ Chí Minh") c+=$5*$21}
                END {printf "%.1f", 100*c/t}' "$TMP/a/s20.csv")
ge "$city" 65 && ge 75 "$city"; expect_eq city-sales-share-2020 "$? $city" "0 $city"

# ---- messy files -----------------------------------------------------------------
"$CHISO" synth --year 2025 --respondents 3000 --seed 7 --messy --out "$TMP/m.csv" 2>/dev/null
E="$TMP/m.csv.expected.csv"
expect_eq messy-bom "$(head -c 3 "$TMP/m.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
expect_eq messy-crlf "$(grep -c $'\r$' "$TMP/m.csv")" 3001
expect_eq messy-expected-rows "$(tail -n +2 "$E" | wc -l)" 4
expect_eq messy-expected-kinds "$(tail -n +2 "$E" | cut -d, -f5 | sort | tr '\n' ' ')" \
  "duplicate_id invalid_answer out_of_range unknown_province "
expect_eq meta-invalid "$(grep -c '"invalid_rows": 4' "$TMP/m.csv.meta.json")" 1
# each listed row holds the listed value in the listed column
tr -d '\r' < "$TMP/m.csv" | sed '1s/^\xef\xbb\xbf//' > "$TMP/m.lf"
bad=0
while IFS=, read -r row id col val prob; do
  [ "$row" = row ] && continue
  c=$(head -1 "$TMP/m.lf" | tr ',' '\n' | grep -nx "$col" | cut -d: -f1)
  got=$(sed -n "${row}p" "$TMP/m.lf" | cut -d, -f"$c")
  gid=$(sed -n "${row}p" "$TMP/m.lf" | cut -d, -f1)
  [ "$got" = "$val" ] && [ "$gid" = "$id" ] || bad=$((bad + 1))
done < "$E"
expect_eq messy-expected-match "$bad" 0
expect_eq messy-one-duplicate "$(tail -n +2 "$TMP/m.lf" | cut -d, -f1 | sort | uniq -d | wc -l)" 1
expect_eq messy-invalid-values "$(grep -c 'Atlantis' "$TMP/m.lf") $(grep -c ',Maybe,' "$TMP/m.lf")" "1 1"
ge "$(tail -n +2 "$TMP/m.lf" | cut -d, -f7-18 | grep -cE '(^|,)(Yes|1|x|Y)(,|$)')" 100
expect_eq messy-yes-variants $? 0
expect_eq messy-old-name "$(cut -d, -f2 "$TMP/m.lf" | grep -cx 'Bình Dương' | awk '{print ($1>0)}')" 1

# every province text except Atlantis resolves to the unit coded in its id
# (the invalid rows are left out: the duplicate's id names another unit)
tail -n +2 "$E" | cut -d, -f1 > "$TMP/badrows"
awk 'NR==FNR {b[$1]=1; next} FNR>1 && !(FNR in b)' "$TMP/badrows" "$TMP/m.lf" | cut -d, -f1,2 > "$TMP/pairs"
cut -d, -f2 "$TMP/pairs" | sort -u > "$TMP/uniq"
"$CHISO" resolve --year 2025 - < "$TMP/uniq" 2>/dev/null | cut -f1 > "$TMP/codes"
expect_eq messy-all-resolve "$(wc -l < "$TMP/codes")" "$(wc -l < "$TMP/uniq")"
paste -d'\t' "$TMP/uniq" "$TMP/codes" > "$TMP/map"
wrong=$(awk -F'\t' 'NR==FNR {m[$1]=$2; next} {split($0, a, ","); split(a[1], id, "-");
        if (m[a[2]] != id[2]) w++} END {print w+0}' "$TMP/map" "$TMP/pairs")
expect_eq messy-resolve-to-id-unit "$wrong" 0
# the counts in the metadata match the rows that are not official names
nonofficial=$(tail -n +2 "$TMP/m.lf" | cut -d, -f2 | grep -v Atlantis | grep -vxFf "$TMP/names25" | wc -l)
meta_sum=$(awk -F': ' '/"name_variant_rows"|"old_name_rows"/ {gsub(",", "", $2); s+=$2} END {print s}' "$TMP/m.csv.meta.json")
expect_eq messy-variant-counts "$nonofficial" "$meta_sum"
