# CLI tests of text in the legacy Vietnamese encodings TCVN3 (ABC) and VNI:
# the reference survey with province names, Có/Không and a Vietnamese
# header written in each (tests/data/legacy/make-legacy.py: raw bytes, the
# same bytes as Windows-1252 characters in UTF-8 and XLSX, and SPSS/Stata
# labels) gives the estimates of its Unicode copy, which are R survey's;
# the encoding is named on stderr, detected or as asked with --encoding.
. "$(dirname "$0")/lib.sh"
D=tests/data/legacy
M=tests/data/survey/ref-method.json
sha() { sha256sum "$1" | cut -c1-64; }

run "$CHISO" estimate --method "$M" --survey "$D/vi.csv" --year 2024
expect_rc unicode-copy 0
printf '%s\n' "$OUT" > "$TMP/vi.csv"
expect_r_caseA unicode-copy-equals-R "$TMP/vi.csv"

check() { # NAME FILE ENCODING [chiso options]
  local name=$1 file=$2 enc=$3
  shift 3
  run "$CHISO" estimate --method "$M" --survey "$file" --year 2024 "$@"
  expect_rc "$name-exit" 0
  printf '%s\n' "$OUT" > "$TMP/$name.csv"
  expect_eq "$name-same-estimates" "$(sha "$TMP/$name.csv")" "$(sha "$TMP/vi.csv")"
  expect_err "$name-says-encoding" "text in $enc"
}
check tcvn3-raw "$D/tcvn3.csv" "TCVN3 (ABC, TCVN 5712:1993), detected"
check tcvn3-utf8 "$D/tcvn3-utf8.csv" "TCVN3 (ABC, TCVN 5712:1993), detected"
check tcvn3-xlsx "$D/tcvn3.xlsx" "TCVN3 (ABC, TCVN 5712:1993), detected"
check vni-raw "$D/vni.csv" "VNI (VNI Windows), detected"
check vni-utf8 "$D/vni-utf8.csv" "VNI (VNI Windows), detected"
check tcvn3-sav tests/data/statfile/ref1-tcvn3.sav "TCVN3 (ABC, TCVN 5712:1993), detected"
check vni-dta tests/data/statfile/ref1-vni.dta "VNI (VNI Windows), detected"
check tcvn3-forced "$D/tcvn3-utf8.csv" "TCVN3 (ABC, TCVN 5712:1993), as asked" --encoding tcvn3
check vni-forced "$D/vni.csv" "VNI (VNI Windows), as asked" --encoding vni

# Unicode files are left alone, and say nothing.
run "$CHISO" validate --method "$M" --year 2024 "$D/vi.csv"
expect_rc unicode-validate 0
expect_out unicode-summary "vi.csv: ok, 330 rows (CSV, UTF-8, ',')"
if grep -q "text in" "$TMP/err"; then fail unicode-no-note "a note about legacy text"; else ok unicode-no-note; fi

# The summary names what was converted.
run "$CHISO" validate --method "$M" --year 2024 "$D/tcvn3.csv" "$D/vni-utf8.csv" "$D/tcvn3.xlsx"
expect_rc legacy-validate 0
expect_out raw-summary "tcvn3.csv: ok, 330 rows (CSV, TCVN3, ',')"
expect_out utf8-summary "vni-utf8.csv: ok, 330 rows (CSV, UTF-8, ',', VNI text)"
expect_out xlsx-summary "tcvn3.xlsx: ok, 330 rows (XLSX, TCVN3 text)"

# Too little text to tell ("Cã" is a syllable as it is, and "Có" in
# TCVN3): --encoding says it.
printf 'respondent_id,province,size,weight,q_email\nR1,01,small,1,C\343\n' > "$TMP/one.csv"
printf 'respondent_id,province,size,weight,q_email\nR1,01,small,1,C\303\243\n' > "$TMP/one-utf8.csv"
run "$CHISO" validate --method "$M" --year 2024 "$TMP/one-utf8.csv"
expect_rc too-little-detected 2
expect_out too-little-problem 'value "Cã"'
run "$CHISO" validate --method "$M" --year 2024 --encoding tcvn3 "$TMP/one-utf8.csv"
expect_rc forced-ok 0
expect_err forced-note "text in TCVN3 (ABC, TCVN 5712:1993), as asked"
run "$CHISO" validate --method "$M" --year 2024 --encoding tcvn3 "$TMP/one.csv"
expect_rc forced-raw-ok 0
expect_out forced-raw-summary "(CSV, TCVN3, ',')"
# The wrong one is wrong: nothing matches.
run "$CHISO" validate --method "$M" --year 2024 --encoding vni "$D/tcvn3-utf8.csv"
expect_rc wrong-encoding 2
run "$CHISO" validate --method "$M" --year 2024 --encoding tcvn4 "$D/tcvn3.csv"
expect_rc unknown-encoding 1
expect_err unknown-encoding-lists "use auto, tcvn3, vni"

# Import converts the same way; the store's estimates are R's.
DB=$TMP/s.db
run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$D/vni.csv"
expect_rc import-vni 0
expect_err import-vni-note "text in VNI (VNI Windows), detected"
run "$CHISO" estimate --db "$DB" --year 2024
printf '%s\n' "$OUT" > "$TMP/db.csv"
expect_r_caseA import-vni-equals-R "$TMP/db.csv"
run "$CHISO" import --db "$TMP/f.db" --method "$M" --year 2024 --encoding tcvn3 "$D/tcvn3-utf8.csv"
expect_rc import-forced 0
expect_err import-forced-note "as asked"

# An old Stata file whose UTF-8 text (in TCVN3 letters) does not convert
# from the Windows-1252 its format implies: read byte for byte, both layers
# undone; its yes/no answers give the reference survey's email estimates.
run "$CHISO" validate --method "$M" --year 2024 tests/data/statfile/old12.dta
expect_rc old-stata 0
expect_out old-stata-summary "old12.dta: ok, 330 rows (Stata .dta, TCVN3 text)"
run "$CHISO" estimate --method "$M" --survey tests/data/statfile/old12.dta --year 2024
expect_eq old-stata-email "$(printf '%s\n' "$OUT" | grep ',email_use,' | sha256sum)" \
  "$(grep ',email_use,' "$TMP/vi.csv" | sha256sum)"
