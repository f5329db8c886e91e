# CLI tests of SPSS, Stata and SAS files: the copies of the reference
# survey that R's haven wrote (tests/reference/statfiles.R; the .por with
# ReadStat's converter) give R survey's estimates (tests/reference/caseA.csv)
# to 1e-9, and the very bytes of the CSV route, through estimate --survey,
# import + estimate --db and validate; bad answers are located by case and
# variable; broken files are a clean data error that leaves a store as it was.
. "$(dirname "$0")/lib.sh"
D=tests/data/statfile
M=tests/data/survey/ref-method.json
sha() { sha256sum "$1" | cut -c1-64; }


run "$CHISO" estimate --method "$M" --survey tests/data/survey/ref1.csv --year 2024
printf '%s\n' "$OUT" > "$TMP/csv.csv"
for f in ref1.sav ref1.zsav ref1.dta ref1.por ref1.xpt ref1.sas7bdat; do
  run "$CHISO" estimate --method "$M" --survey "$D/$f" --year 2024
  expect_rc "$f-estimate" 0
  printf '%s\n' "$OUT" > "$TMP/$f.csv"
  expect_r_caseA "$f-equals-R" "$TMP/$f.csv"
  expect_eq "$f-same-bytes-as-csv" "$(sha "$TMP/$f.csv")" "$(sha "$TMP/csv.csv")"
done

# validate: clean, with the format named; variables the codebook does not
# read are listed (the date and the note).
run "$CHISO" validate --method "$M" --year 2024 "$D/ref1.sav"
expect_rc validate-sav 0
expect_out validate-sav-summary "ref1.sav: ok, 330 rows (SPSS .sav)"
expect_err validate-sav-unused '2 variables not in the codebook: "ngay", "ghichu"'
run "$CHISO" validate --method "$M" --year 2024 "$D/ref1.dta" "$D/ref1.por" "$D/ref1.xpt" "$D/ref1.sas7bdat"
expect_rc validate-others 0
expect_out validate-dta "ref1.dta: ok, 330 rows (Stata .dta)"
expect_out validate-por "ref1.por: ok, 330 rows (SPSS .por)"
expect_out validate-sas "ref1.sas7bdat: ok, 330 rows (SAS .sas7bdat)"
# A file is known by its bytes, whatever its name.
cp "$D/ref1.sav" "$TMP/survey.csv"
run "$CHISO" validate --method "$M" --year 2024 "$TMP/survey.csv"
expect_rc renamed-sav 0
expect_out renamed-sav-summary "(SPSS .sav)"

# Bad answers, located by case and variable name; a label that is no
# answer is shown with its code.
for f in bad.sav bad.dta; do
  run "$CHISO" validate --method "$M" --year 2024 "$D/$f"
  expect_rc "$f-exit" 2
  expect_out "$f-yesno" "$f: case 5, variable q_email: not a yes/no answer for q_email (value \"7\")"
  expect_out "$f-label" "$f: case 8, variable matinh: unknown province: \"Atlantis\""
  expect_out "$f-label-code" '(value "99 [Atlantis]")'
  expect_out "$f-code" "$f: case 9, variable matinh: unknown province: \"98\""
done
run "$CHISO" validate --method "$M" --year 2024 "$D/bad.dta"
expect_out dta-missing-is-a-value "case 9, variable q_rev_pct: value out of range" # 999 is no missing code in Stata

# Import, then estimate from the store: R's numbers again.
DB=$TMP/s.db
run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$D/ref1.dta"
expect_rc import-dta 0
expect_err import-dta-note "imported as 1 (330 rows)"
run "$CHISO" estimate --db "$DB" --year 2024
printf '%s\n' "$OUT" > "$TMP/db.csv"
expect_r_caseA import-dta-equals-R "$TMP/db.csv"
# The same respondents again from the SPSS copy: duplicate ids, nothing written.
before=$(sha "$DB")
run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$D/ref1.sav"
expect_rc import-sav-dupes 2
expect_err import-sav-dupes-located "ref1.sav: case 1, variable respondent_id: respondent id \"R0001\" already imported from"
expect_eq import-sav-dupes-unchanged "$(sha "$DB")" "$before"
run "$CHISO" import --db "$DB" --method "$M" --year 2023 "$D/bad.sav"
expect_rc import-bad 2
expect_err import-bad-first "bad.sav: 3 problems in the file (first: case 5, variable q_email:"
expect_eq import-bad-unchanged "$(sha "$DB")" "$before"

# Broken files: a data error naming the file, never a crash; the store is
# unchanged.
head -c 3000 "$D/ref1.sav" > "$TMP/cut.sav"
head -c 20000 "$D/ref1.dta" > "$TMP/cut.dta"
printf 'not a stata file\n' > "$TMP/text.dta"
: > "$TMP/empty.sav"
head -c 5000 "$D/ref1.sas7bdat" > "$TMP/cut.sas7bdat"
for f in cut.sav cut.dta text.dta empty.sav cut.sas7bdat; do
  run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$TMP/$f"
  expect_rc "broken-$f-exit" 2
  expect_err "broken-$f-named" "$TMP/$f: "
  expect_eq "broken-$f-unchanged" "$(sha "$DB")" "$before"
done
run "$CHISO" validate --method "$M" --year 2024 "$TMP/cut.dta"
expect_out broken-dta-why "not a complete Stata file"
run "$CHISO" validate --method "$M" --year 2024 "$TMP/cut.sav"
expect_out broken-sav-why "not a valid SPSS file"

# The plain mode reads variables by name or label too.
run "$CHISO" estimate --survey "$D/ref1.sav" --province-col "Tỉnh/Thành phố" --weight-col weight \
  --strata-col size --vars q_email,q_rev_pct --year 2024 --level nation
expect_rc plain-sav 0
expect_out plain-sav-share "VN,q_email,0.5828321007050908"
