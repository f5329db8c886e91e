# The bad-input catalogue (tests/data/bad/EXPECTED): every file gives its
# exit code, its location and its message through `chiso validate`, no raw
# control byte reaches the output, and `chiso import` of it into a store
# exits the same way and leaves the store exactly as it was (compared as
# an SQL dump); a file accepted with a note (EXIT 0) is stored.
. "$(dirname "$0")/lib.sh"

DATA=tests/data
METHOD=$DATA/method-test.json
GOOD=$DATA/survey-small.csv
GEN=$TMP/bad
python3 "$DATA/bad/make_big.py" "$GEN" || fail make-big "make_big.py failed"

# The store every import goes into: one clean import (its ids renamed so
# that they never clash with the catalogue's), restored from a copy after
# an import that is expected to succeed.
STORE=$TMP/store.db
sed 's/^r0/s0/' "$GOOD" > "$TMP/stored.csv"
run "$CHISO" import --db "$STORE" --method "$METHOD" --year 2024 "$TMP/stored.csv"
expect_rc store-setup 0
cp "$STORE" "$TMP/pristine.db"
dump() { sqlite3 "$STORE" .dump | md5sum; }
BEFORE=$(dump)
IMPORTS_BEFORE=$(sqlite3 "$STORE" "SELECT count(*) FROM imports")

count=0
while IFS='|' read -r file code loc msg absent; do
  case "$file" in ''|'#'*) continue ;; esac
  count=$((count + 1))
  case "$file" in
    gen-*) path=$GEN/$file ;;
    *) path=$DATA/bad/$file ;;
  esac
  case "$file" in
    method-*) args=(--method "$path" --year 2024 "$GOOD") ;;
    *) args=(--method "$METHOD" --year 2024 "$path") ;;
  esac
  run "$CHISO" validate "${args[@]}"
  expect_rc "bad-$file-exit" "$code"
  both=$(printf '%s\n%s\n' "$OUT" "$ERR")
  if [ -n "$loc" ]; then
    if grep -qF -- "$path:$loc:" <<<"$both"; then ok "bad-$file-location"
    else fail "bad-$file-location" "no '$path:$loc:'"; fi
  fi
  if grep -qF -- "$msg" <<<"$both"; then ok "bad-$file-message"
  else fail "bad-$file-message" "lacks: $msg"; fi
  if [ -n "$absent" ]; then
    if grep -qF -- "$absent" <<<"$both"; then fail "bad-$file-absent" "shows: $absent"
    else ok "bad-$file-absent"; fi
  fi
  # no byte that drives a terminal: ESC, BEL, CSI (C1), in any output
  if LC_ALL=C grep -q $'[\x1b\x07\x9b]' "$TMP/out" "$TMP/err"; then
    fail "bad-$file-no-control" "a raw control byte reached the output"
  else ok "bad-$file-no-control"; fi

  # the same through import: same exit, store unchanged (or one import more)
  run "$CHISO" import --db "$STORE" "${args[@]}"
  expect_rc "bad-$file-import-exit" "$code"
  if [ "$code" -eq 0 ]; then
    expect_eq "bad-$file-import-stored" "$(sqlite3 "$STORE" "SELECT count(*) FROM imports")" \
      $((IMPORTS_BEFORE + 1))
    grep -qF -- "$msg" "$TMP/err" && ok "bad-$file-import-note" ||
      fail "bad-$file-import-note" "import lacks the note: $msg"
    cp "$TMP/pristine.db" "$STORE"
    rm -f "$STORE-wal" "$STORE-shm"
  else
    expect_eq "bad-$file-store-unchanged" "$(dump)" "$BEFORE"
  fi
done < "$DATA/bad/EXPECTED"
if [ "$count" -ge 50 ]; then ok catalogue-size; else fail catalogue-size "only $count entries"; fi

# Every file in the folder is in the catalogue.
for f in "$DATA"/bad/*.csv "$DATA"/bad/*.xlsx "$DATA"/bad/*.json; do
  b=$(basename "$f")
  grep -q "^$b|" "$DATA/bad/EXPECTED" || fail "catalogued-$b" "not in EXPECTED"
done

# The reproducer of issue 13 (a heap overflow under ASan before the fix):
# a header that repeats a column next to an empty one, with the shipped
# methodology.
printf 'province,,province\n01,,01\n' > "$TMP/dup.csv"
run "$CHISO" validate --method ebi-2021 --year 2024 "$TMP/dup.csv"
expect_rc issue13-reproducer-exit 2
both=$(printf '%s\n%s\n' "$OUT" "$ERR")
if grep -qF "$TMP/dup.csv:1:3: a second column for province (the first is column 1)" <<<"$both"; then
  ok issue13-reproducer-located
else fail issue13-reproducer-located "no located message"; fi
