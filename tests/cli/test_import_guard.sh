# CLI tests of the import guards: a survey imported a second time under
# another file name is refused (its respondent ids are already stored for
# the year), and a re-import of the same bytes is a no-op decided from the
# SHA-256 alone, before any row is read.
. "$(dirname "$0")/lib.sh"
D=tests/data/survey
M=$D/ref-method.json
DB=$TMP/s.db
sha() { sha256sum "$1" | cut -c1-64; }
mkdir -p "$TMP/a" "$TMP/b"
cp "$D/ref1.csv" "$TMP/a/s24.csv"
# The same survey, other bytes (CRLF line ends), other name.
sed 's/$/\r/' "$D/ref1.csv" > "$TMP/a/s24-copy.csv"

run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$TMP/a/s24.csv"
expect_rc first-import 0

before=$(sha "$DB")
run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$TMP/a/s24-copy.csv"
expect_rc dup-refused 2
expect_err dup-message "s24-copy.csv:2:1: respondent id \"R0001\" already imported from s24.csv (import 1)"
expect_eq dup-store-unchanged "$(sha "$DB")" "$before"
run "$CHISO" imports --db "$DB" --format csv
expect_eq dup-still-one-import "$(printf '%s\n' "$OUT" | wc -l)" 2

# Another year is another sample: the same ids are fine there.
run "$CHISO" import --db "$DB" --method "$M" --year 2023 "$TMP/a/s24-copy.csv"
expect_rc other-year-ok 0
run "$CHISO" drop-import --db "$DB" 2
before=$(sha "$DB")

# --skip-invalid: the rows whose ids are stored are skipped and reported,
# the new ones imported.
{ head -6 "$D/ref1.csv"; tail -n +7 "$D/ref1.csv" | sed 's/^R/N/'; } > "$TMP/a/s24-more.csv"
run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$TMP/a/s24-more.csv"
expect_rc partial-dup-refused 2
expect_err partial-dup-row6 "s24-more.csv:6:1: respondent id \"R0005\" already imported from s24.csv (import 1)"
expect_eq partial-dup-store-unchanged "$(sha "$DB")" "$before"
run "$CHISO" import --db "$DB" --method "$M" --year 2024 --skip-invalid "$TMP/a/s24-more.csv"
expect_rc skip-dup-ok 0
expect_err skip-dup-reported "s24-more.csv:2:1: respondent id \"R0001\" already imported from s24.csv"
expect_err skip-dup-warned "5 invalid rows skipped"
expect_err skip-dup-kept "(325 rows)"

# Two copies in one run: the second is refused, nothing is written.
rm -f "$DB"
run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$TMP/a/s24.csv" "$TMP/a/s24-copy.csv"
expect_rc same-run-refused 2
expect_err same-run-message "s24-copy.csv:2:1: respondent id \"R0001\" already in s24.csv (imported in this run)"
expect_eq same-run-no-store "$(test -e "$DB" && echo exists || echo none)" none

# --replace: the import being replaced does not count.
run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$TMP/a/s24.csv"
cp "$TMP/a/s24-copy.csv" "$TMP/b/s24.csv"
run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$TMP/b/s24.csv"
expect_rc changed-needs-replace 2
expect_err changed-needs-replace-msg "use --replace"
run "$CHISO" import --db "$DB" --method "$M" --year 2024 --replace "$TMP/b/s24.csv"
expect_rc replace-ok 0
expect_err replace-note "replaced; now import"

# A re-import with --skip-invalid of a file with problems: "already
# imported" at once, without re-checking the rows.
{ cat "$D/ref1.csv"; echo "R9999,01,small,40.5,maybe,0,,1,1,2"; } > "$TMP/a/bad.csv"
run "$CHISO" import --db "$DB" --method "$M" --year 2025 --skip-invalid "$TMP/a/bad.csv"
expect_rc bad-first-ok 0
expect_err bad-first-skipped "1 invalid rows skipped"
before=$(sha "$DB")
run "$CHISO" import --db "$DB" --method "$M" --year 2025 --skip-invalid "$TMP/a/bad.csv"
expect_rc reimport-ok 0
expect_err reimport-note "bad.csv: already imported, nothing done: import"
if grep -q "not a yes/no\|invalid rows skipped" "$TMP/err"; then
  fail reimport-not-rechecked "the rows were checked again"
else ok reimport-not-rechecked; fi
expect_eq reimport-store-unchanged "$(sha "$DB")" "$before"
