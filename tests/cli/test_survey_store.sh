# CLI tests of import / imports / drop-import / import-indicators / estimate:
# estimates equal R's survey package (tests/reference/caseA.csv, written by
# tests/reference/reference.R) to 1e-9, re-imports are no-ops, bad input
# and a SIGKILL leave the store byte-for-byte unchanged.
. "$(dirname "$0")/lib.sh"
D=tests/data/survey
M=$D/ref-method.json
DB=$TMP/s.db
sha() { sha256sum "$1" | cut -c1-64; }


run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$D/ref1.csv"
expect_rc import-ok 0
expect_err import-note "imported as 1 (330 rows)"

run "$CHISO" estimate --db "$DB" --year 2024
expect_rc estimate-db 0
expect_out estimate-header "code,indicator,estimate,se,n,weighted_n,ranked"
printf '%s\n' "$OUT" > "$TMP/est.csv"
expect_r_caseA estimate-db-equals-R "$TMP/est.csv"
expect_out estimate-small-not-ranked "02,email_use,0.28998039831490"

run "$CHISO" estimate --method "$M" --survey "$D/ref1.csv" --year 2024
printf '%s\n' "$OUT" > "$TMP/est2.csv"
expect_r_caseA estimate-file-equals-R "$TMP/est2.csv"
# estimate --db reads the statistics kept at import, not the respondents:
# the same bytes as the estimates from the file (issue 18)
if cmp -s "$TMP/est.csv" "$TMP/est2.csv"; then ok estimate-db-stats-same-bytes
else fail estimate-db-stats-same-bytes "$(diff "$TMP/est.csv" "$TMP/est2.csv" | head -5)"; fi
run "$CHISO" estimate --db "$DB" --year 2024 --strata-by-province
printf '%s\n' "$OUT" > "$TMP/est3.csv"
run "$CHISO" estimate --method "$M" --survey "$D/ref1.csv" --year 2024 --strata-by-province
if [ "$OUT" = "$(cat "$TMP/est3.csv")" ] && ! cmp -s "$TMP/est.csv" "$TMP/est3.csv"; then
  ok estimate-db-other-strata-from-rows
else fail estimate-db-other-strata-from-rows "strata by province: --db and --survey differ"; fi

run "$CHISO" estimate --survey "$D/ref1.csv" --province-col province --weight-col weight \
  --strata-col size --vars q_email,q_rev_pct --year 2024 --level nation
expect_rc quick-mode 0
expect_out quick-mode-share "VN,q_email,0.5828321007050908"

run "$CHISO" estimate --db "$DB" --year 2024 --format table --level province
expect_out table-percent "76.8%"
expect_out table-not-ranked "not ranked"

run "$CHISO" estimate --db "$DB" --year 2024 --format json --level nation
expect_out json-kind '"kind": "ratio"'

# Re-import: a no-op that says so, and the file is untouched.
before=$(sha "$DB")
run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$D/ref1.csv"
expect_rc reimport-ok 0
expect_err reimport-note "already imported"
run "$CHISO" imports --db "$DB" --format csv
expect_eq imports-one-row "$(printf '%s\n' "$OUT" | wc -l)" 2
expect_out imports-row "1,2024,ref1.csv,330,0,"

# Bad inputs: nothing written, store byte-for-byte unchanged.
before=$(sha "$DB")
head -5 "$D/ref1.csv" > "$TMP/bad-prov.csv"
echo "R9999,Atlantis,small,1,1,0,5,5,5,1" >> "$TMP/bad-prov.csv"
run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$TMP/bad-prov.csv"
expect_rc bad-province-exit 2
expect_err bad-province-msg 'bad-prov.csv:6:2: unknown province'
expect_eq bad-province-unchanged "$(sha "$DB")" "$before"
head -1 "$D/ref1.csv" > "$TMP/header-only.csv"
: > "$TMP/empty.csv"
printf 'respondent_id,province\n"R1,01\n' > "$TMP/unclosed.csv"
for f in header-only empty unclosed; do
  run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$D/ref1.csv" "$TMP/$f.csv"
  expect_rc "bad-$f-exit" 2
  expect_eq "bad-$f-unchanged" "$(sha "$DB")" "$before"
done
run "$CHISO" import --db "$TMP/new.db" --method "$M" --year 2024 "$TMP/empty.csv"
expect_eq bad-input-creates-no-store "$(ls "$TMP/new.db" 2>/dev/null)" ""
# --skip-invalid imports the good rows and reports the bad one.
run "$CHISO" import --db "$DB" --method "$M" --year 2023 --skip-invalid "$TMP/bad-prov.csv"
expect_rc skip-invalid-exit 0
expect_err skip-invalid-reported "unknown province"
run "$CHISO" imports --db "$DB" --format csv
expect_out skip-invalid-row ",2023,bad-prov.csv,4,1,"

# A changed file of the same name needs --replace.
head -100 "$D/ref1.csv" > "$TMP/ref1.csv"
run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$TMP/ref1.csv"
expect_rc changed-needs-replace 2
expect_err changed-msg "--replace"
run "$CHISO" import --db "$DB" --method "$M" --year 2024 --replace "$TMP/ref1.csv"
expect_rc replace-ok 0
expect_err replace-note "replaced"
# the statistics stored with an import go with it: one row per live import
stats_left() { sqlite3 "$DB" "SELECT count(*) FROM import_stats WHERE import_id NOT IN (SELECT id FROM imports)"; }
expect_eq replace-drops-stats "$(stats_left)" 0
run "$CHISO" drop-import --db "$DB" 99
expect_rc drop-missing 2
n_stats=$(sqlite3 "$DB" "SELECT count(*) FROM import_stats")
run "$CHISO" drop-import --db "$DB" 2
expect_rc drop-ok 0
expect_eq drop-drops-stats "$(stats_left) $(sqlite3 "$DB" "SELECT count(*) FROM import_stats")" "0 $((n_stats - 1))"

# External indicators.
printf 'province,internet_users,gdp_per_capita\nHà Nội,0.81,5200\nTP.HCM,0.86,\n' > "$TMP/ind.csv"
run "$CHISO" import-indicators --db "$DB" --year 2024 "$TMP/ind.csv"
expect_rc indicators-ok 0
expect_err indicators-note "stored 4 indicator values"
before=$(sha "$DB")
printf 'code,indicator,value\n01,x,abc\n' > "$TMP/ind-bad.csv"
run "$CHISO" import-indicators --db "$DB" --year 2024 "$TMP/ind-bad.csv"
expect_rc indicators-bad 2
expect_err indicators-bad-loc "ind-bad.csv:2:3"
expect_eq indicators-bad-unchanged "$(sha "$DB")" "$before"

# SIGKILL in the middle of a large import leaves the store as it was.
awk 'BEGIN { srand(7); print "respondent_id,province,size,weight,q_email,q_web,q_rev_pct,q_sales,q_employees,q_soft";
  split("01 79 48 92 31", p, " "); split("micro small medium large", s, " ");
  for (i = 1; i <= 400000; i++) printf "K%d,%s,%s,%.2f,%d,%d,%.1f,%.2f,%d,%d\n", i, p[1 + i % 5], s[1 + i % 4], 1 + rand() * 50, rand() < .5, rand() < .3, rand() * 100, rand() * 1000, 1 + int(rand() * 300), int(rand() * 4) }' > "$TMP/big.csv"
before=$(sha "$DB")
imports_before=$("$CHISO_RELEASE" imports --db "$DB" --format csv)
"$CHISO_RELEASE" import --db "$DB" --method "$M" --year 2022 "$TMP/big.csv" 2>/dev/null &
pid=$!
for _ in $(seq 1 200); do [ -s "$DB-wal" ] && break; sleep 0.01; done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
# The kill races the commit (the whole WAL is written in a few ms at
# COMMIT): all or nothing is the property, nothing the usual outcome.
imports_after=$("$CHISO_RELEASE" imports --db "$DB" --format csv)
if [ "$imports_after" = "$imports_before" ]; then
  expect_eq kill-db-unchanged "$(sha "$DB")" "$before"
  expect_eq kill-imports-unchanged "$imports_after" "$imports_before"
else
  expect_eq kill-import-whole "$(printf '%s\n' "$imports_after" | grep -c ',2022,big.csv,400000,0,')" 1
  expect_eq kill-imports-one-more "$(printf '%s\n' "$imports_after" | wc -l)" \
    "$(($(printf '%s\n' "$imports_before" | wc -l) + 1))"
fi
expect_eq kill-integrity "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok"

# The first import into a new store is written on a rollback journal (each
# page once, not to the WAL and again at the checkpoint): the journal
# exists while the store is written, and the store is in WAL mode after.
# SIGKILL while it is written leaves a hot journal; a read-only command
# rolls it back, and the store holds no import (or, when the kill came
# after the commit, the whole one).
NEW=$TMP/new.db
"$CHISO_RELEASE" import --db "$NEW" --method "$M" --year 2022 "$TMP/big.csv" 2>/dev/null &
pid=$!
seen=0
SECONDS=0
while kill -0 $pid 2>/dev/null && [ $SECONDS -lt 60 ]; do
  # the journal of the import's write (not the store's creation): the
  # file past its empty schema (1 MiB of 64 KiB pages)
  if [ -e "$NEW-journal" ] && [ "$(stat -c %s "$NEW" 2>/dev/null || echo 0)" -gt 2097152 ]; then
    seen=1
    break
  fi
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
expect_eq new-store-journal-seen "$seen" 1
run "$CHISO" imports --db "$NEW" --format csv
expect_rc new-store-killed-readable 0
if [ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ]; then
  ok new-store-killed-nothing
else
  expect_eq new-store-killed-whole "$(printf '%s\n' "$OUT" | grep -c ',2022,big.csv,400000,0,')" 1
fi
expect_eq new-store-killed-no-journal "$(test -e "$NEW-journal" && echo hot || echo none)" none
expect_eq new-store-killed-integrity "$(sqlite3 "$NEW" 'PRAGMA integrity_check')" "ok"
rm -f "$NEW" "$NEW-wal" "$NEW-shm" "$NEW-journal"
run "$CHISO_RELEASE" import --db "$NEW" --method "$M" --year 2022 "$TMP/big.csv"
expect_rc new-store-import 0
expect_eq new-store-wal "$(sqlite3 "$NEW" 'PRAGMA journal_mode')" wal
run "$CHISO" imports --db "$NEW" --verify --format csv
expect_rc new-store-verify 0
expect_eq new-store-blocks-ok "$(printf '%s\n' "$OUT" | grep -c ',2022,big.csv,[0-9]*,0,0,ok$')" 1
run "$CHISO" imports --db "$NEW" --format csv
expect_eq new-store-rows "$(printf '%s\n' "$OUT" | grep -c ',2022,big.csv,400000,0,')" 1
