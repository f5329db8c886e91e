# CLI tests of `chiso compute --db DB --year Y` (src/pipeline.c). The
# stored path must give the same scores as the file path run on a table
# built here by awk from `chiso estimate --db` and the imported indicators,
# and mark thin provinces as unranked.
. "$(dirname "$0")/lib.sh"
REL=${CHISO_RELEASE:-$CHISO}
[ -x "$REL" ] || REL=$CHISO

DB="$TMP/p.db"
"$REL" synth --year 2023 --respondents 3000 --seed 7 --out "$TMP/s.csv" 2>/dev/null
run "$CHISO" import --db "$DB" --method ebi-2021 --year 2023 "$TMP/s.csv"
expect_rc import 0
# official indicators: a value per province from its code (no real meaning);
# parcels are missing before 2025
"$CHISO" provinces --year 2023 --format csv 2>/dev/null |
  awk -F, 'NR > 1 { c = $1; printf "%s,domains_per_1000,%g,test\n%s,ewallets_per_capita,%g,test\n%s,parcels_per_capita,,test\n%s,income_per_capita,%g,test\n%s,people_per_firm,%g,test\n", c, (c % 17) + 1, c, (c % 5) / 4, c, c, (c % 7) + 2, c, (c % 9) * 100 + 50 }' |
  { echo "code,indicator,value,source"; cat; } >"$TMP/ind.csv"
run "$CHISO" import-indicators --db "$DB" --year 2023 "$TMP/ind.csv"
expect_rc import-indicators 0

run "$CHISO" compute --db "$DB" --year 2023 --format csv --out "$TMP/db.csv"
expect_rc compute-db 0
expect_eq compute-db-rows "$(wc -l <"$TMP/db.csv")" 64
expect_eq compute-db-header "$(head -1 "$TMP/db.csv")" "code,name,ebi,hr_it,b2c,b2b,rank,tier,note"

# the same index through the file path: pivot the estimates, add indicators
"$CHISO" estimate --db "$DB" --year 2023 --level province 2>/dev/null >"$TMP/est.csv"
awk -F, 'FNR == 1 { next }
  FILENAME ~ /est/ { v[$1 "," $2] = $3; codes[$1] = 1; ids[$2] = 1; next }
  { v[$1 "," $2] = $3; codes[$1] = 1; ids[$2] = 1 }
  END {
    n = 0; for (i in ids) col[++n] = i
    h = "code"; for (j = 1; j <= n; j++) h = h "," col[j]; print h >"/dev/stderr"
    for (c in codes) { printf "%s", c; for (j = 1; j <= n; j++) printf ",%s", v[c "," col[j]]; printf "\n" }
  }' "$TMP/est.csv" "$TMP/ind.csv" 2>"$TMP/head.csv" | sort >"$TMP/body.csv"
cat "$TMP/head.csv" "$TMP/body.csv" >"$TMP/wide.csv"
run "$CHISO" compute --method ebi-2021 --data "$TMP/wide.csv" --format csv --out "$TMP/file.csv"
expect_rc compute-file 0
diff_scores=$(join -t, <(cut -d, -f1,3-6 "$TMP/db.csv" | tail -n +2 | sort) \
                       <(cut -d, -f1,3-6 "$TMP/file.csv" | tail -n +2 | sort) |
  awk -F, '{ for (k = 2; k <= 5; k++) { d = $k - $(k + 4); if (d < 0) d = -d; if (d > 1e-9) bad++ } n++ }
           END { print n + 0, bad + 0 }')
expect_eq db-equals-file-path "$diff_scores" "63 0"

# thin provinces (fewer than 30 respondents; the model makes 5 in 2023) are
# scored, not ranked
thin=$(awk -F, '$2 == "email_use" && $7 == 0 { print $1 }' "$TMP/est.csv" | sort | tr '\n' ' ')
noted=$(awk -F, 'NR > 1 && $NF ~ /respondents < 30/ && $7 == "" { print $1 }' "$TMP/db.csv" | sort | tr '\n' ' ')
expect_eq thin-unranked "$noted" "$thin"
[ -n "$thin" ] && ok thin-exist || fail thin-exist "the synthetic 2023 survey has no thin province"

run "$CHISO" compute --db "$DB" --year 2023 --format json
expect_rc compute-db-json 0
expect_out compute-db-json-year '"year": 2023'
run "$CHISO" compute --db "$DB" --year 2023
expect_out compute-db-table "Hồ Chí Minh"

# errors: nothing stored, no db, --year without --db, --db with --data
run "$CHISO" compute --db "$DB" --year 2019
expect_rc compute-db-empty-year 2
expect_err compute-db-empty-msg "nothing stored for 2019 (stored years: 2023)"
run "$CHISO" compute --db "$TMP/none.db" --year 2023
expect_rc compute-db-missing 2
[ -e "$TMP/none.db" ] && fail compute-db-missing-no-file "created $TMP/none.db" || ok compute-db-missing-no-file
run "$CHISO" compute --method ebi-2021 --year 2023 --data "$TMP/wide.csv"
expect_rc compute-year-without-db 1
run "$CHISO" compute --db "$DB" --year 2023 --data "$TMP/wide.csv"
expect_rc compute-db-and-data 1

# the real official values shipped in data/official/ (GSO figures with their
# sources) import cleanly, every row named by its source
for f in data/official/official-*.csv; do
  y=$(basename "$f" .csv | sed 's/official-//')
  run "$CHISO" import-indicators --db "$TMP/official.db" --year "$y" "$f"
  expect_rc "official-real-$y" 0
  expect_eq "official-real-sourced-$y" "$(awk -F, 'NR > 1 && $4 == "" { n++ } END { print n + 0 }' "$f")" 0
done
