# chiso validate on good files, options, several files and usage errors.
. "$(dirname "$0")/lib.sh"

DATA=tests/data
METHOD=$DATA/method-test.json

for f in survey-small.csv survey-small-semicolon.csv survey-small.xlsx survey-small-lo.xlsx; do
  run "$CHISO" validate --method "$METHOD" --year 2024 "$DATA/$f"
  expect_rc "valid-$f" 0
  expect_out "valid-$f-summary" "$DATA/$f: ok, 6 rows"
done
run "$CHISO" validate --method "$METHOD" --year 2024 "$DATA/survey-small-semicolon.csv"
expect_out semicolon-detected "(CSV, UTF-8, ';')"

# Several files: a total line, exit 2 when any is bad.
run "$CHISO" validate --method "$METHOD" --year 2024 "$DATA/survey-small.csv" "$DATA/bad/duplicate-id.csv" "$DATA/bad/empty.csv"
expect_rc several-exit 2
expect_out several-total "validate: 3 files, 2 with problems, 2 problems"

# --max-errors limits the list, not the count.
run "$CHISO" validate --method "$METHOD" --year 2024 --max-errors 3 "$DATA/bad/many-problems.csv"
expect_rc max-errors-exit 2
expect_eq max-errors-lines "$(printf '%s\n' "$OUT" | grep -c 'many-problems.csv:[0-9]*:[0-9]*:')" 3
expect_out max-errors-more "... and 71 more problems not listed"
expect_out max-errors-summary "74 problems in 38 rows"

# In a 34-unit year a former province resolves to its new unit.
run "$CHISO" validate --method "$METHOD" --year 2025 "$DATA/bad/wrong-year.csv"
expect_out year-2025-mismatch "year 2024 in the file, but reading for 2025"

# The wrong --year: one problem for the file (first row, count), not one per row.
"$CHISO" synth --out "$TMP/y24.csv" --year 2024 --respondents 300 --seed 3 >/dev/null 2>&1
run "$CHISO" validate --method ebi-2021 --year 2023 "$TMP/y24.csv"
expect_rc wrong-year-exit 2
expect_eq wrong-year-once "$(printf '%s\n' "$OUT" "$ERR" | grep -c 'in the file, but reading for')" 1
expect_out wrong-year-first-and-count "y24.csv:2:6: year 2024 in the file, but reading for 2023 (300 rows with another year, the first here)"

# Windows-1258 on request; UTF-16 detected.
printf 'respondent_id,province,size_class,weight,year,Email\r\nr1,H\340 N\364\362i,micro,1,2024,C\363\r\nr2,Hu\352\354,small,2,2024,Kh\364ng\r\n' > "$TMP/legacy.csv"
run "$CHISO" validate --method "$METHOD" --year 2024 --encoding windows-1258 "$TMP/legacy.csv"
expect_rc cp1258-ok 0
expect_out cp1258-enc "Windows-1258"
iconv -f utf-8 -t utf-16 "$DATA/survey-small.csv" > "$TMP/u16.csv" 2>/dev/null && {
  run "$CHISO" validate --method "$METHOD" --year 2024 "$TMP/u16.csv"
  expect_rc utf16-ok 0
  expect_out utf16-enc "UTF-16"
}

# A named sheet; an unknown one.
run "$CHISO" validate --method "$METHOD" --year 2024 --sheet "khảo sát" "$DATA/survey-small.xlsx"
expect_rc sheet-named 0
run "$CHISO" validate --method "$METHOD" --year 2024 --sheet nope "$DATA/survey-small.xlsx"
expect_rc sheet-unknown 2
expect_out sheet-unknown-msg 'no sheet named "nope"'
expect_out sheet-unknown-summary "survey-small.xlsx: not checked further: the problem above stops the reading"
# A file that stops the reading: its located problem, then what it means.
{ head -1 "$DATA/survey-small.csv"; printf 'r1,"Hà Nội\n'; } > "$TMP/unclosed.csv"
run "$CHISO" validate --method "$METHOD" --year 2024 "$TMP/unclosed.csv"
expect_rc unclosed-exit 2
expect_out unclosed-located "unclosed.csv:2:2: unclosed quote"
expect_eq unclosed-one-verdict "$(printf '%s\n' "$OUT" | grep -c '^'"$TMP"'/unclosed.csv: ')" 1
expect_out unclosed-verdict "unclosed.csv: not checked further: the problem above stops the reading"
# Problems, then one that stops the reading: both in the verdict.
printf 'respondent_id,province\nr1,"Hà Nội\n' > "$TMP/unclosed2.csv"
run "$CHISO" validate --method "$METHOD" --year 2024 "$TMP/unclosed2.csv"
expect_rc unclosed2-exit 2
expect_out unclosed2-verdict "unclosed2.csv: 1 problem in 0 rows, then one that stops the reading (CSV"
run "$CHISO" validate --method "$METHOD" --year 2024 "$TMP/unclosed2.csv" "$DATA/survey-small.csv"
expect_out unclosed2-total "validate: 2 files, 1 with problems, 2 problems"

# Usage errors exit 1; a missing methodology exits 2.
run "$CHISO" validate "$DATA/survey-small.csv"
expect_rc no-method 1
run "$CHISO" validate --method "$METHOD"
expect_rc no-file 1
run "$CHISO" validate --method "$METHOD" --encoding ebcdic "$DATA/survey-small.csv"
expect_rc bad-encoding 1
run "$CHISO" validate --method no-such-method "$DATA/survey-small.csv"
expect_rc unknown-method 2
expect_err unknown-method-msg "no methodology 'no-such-method'"
expect_err unknown-method-lists-shipped "(shipped: ebi-2012, ebi-2021)"
run "$CHISO" validate --method "$METHOD" --year 2024 "$TMP/does-not-exist.csv"
expect_rc missing-file 2
expect_out missing-file-msg "cannot open"
run "$CHISO" validate --help
expect_rc help 0
expect_out help-text "Usage: chiso validate"

# A forced delimiter that is wrong leaves one column: no province column.
run "$CHISO" validate --method "$METHOD" --year 2024 --delimiter ';' "$DATA/survey-small.csv"
expect_rc forced-delimiter 2
expect_out forced-delimiter-msg "no province column"
run "$CHISO" validate --method "$METHOD" --year 2024 --delimiter tab "$DATA/survey-small.csv"
expect_rc forced-tab 2
run "$CHISO" validate --method "$METHOD" --year 2024 --delimiter '|' "$DATA/survey-small.csv"
expect_rc bad-delimiter 1

# Title rows above the header are skipped; row numbers stay the file's.
{ printf 'PHIẾU KHẢO SÁT THƯƠNG MẠI ĐIỆN TỬ 2024\n\n'; printf 'Sở Công Thương,,\n'; cat "$DATA/bad/duplicate-id.csv"; } > "$TMP/titled.csv"
run "$CHISO" validate --method "$METHOD" --year 2024 "$TMP/titled.csv"
expect_rc titled-exit 2
expect_out titled-location "$TMP/titled.csv:7:1: duplicate respondent id (first on row 6)"

# chiso synth --messy plants exactly four invalid rows and lists them in
# FILE.expected.csv: validate finds those rows and no others, from CSV
# (BOM, CRLF) and from XLSX (libxlsxwriter, ZIP64), in 63- and 34-unit years.
if "$CHISO" synth --help >/dev/null 2>&1; then
  for spec in "2024 csv" "2025 xlsx"; do
    set -- $spec
    f="$TMP/synth-$1.$2"
    "$CHISO" synth --out "$f" --year "$1" --respondents 1500 --messy --seed 7 >/dev/null 2>&1
    run "$CHISO" validate --method ebi-2021 --year "$1" "$f"
    expect_rc "synth-$1-$2-exit" 2
    want=$(tail -n +2 "$f.expected.csv" | cut -d, -f1 | sort -n | tr '\n' ' ')
    got=$(printf '%s\n' "$OUT" | sed -n "s|^$f:\([0-9]*\):.*|\1|p" | sort -n | tr '\n' ' ')
    expect_eq "synth-$1-$2-rows" "$got" "$want"
    expect_out "synth-$1-$2-summary" "4 problems in 1500 rows"
  done
fi
