# The store keeps a CRC-32 of every block and checks it on load: a damaged
# block is an error naming import, column and chunk (exit 2), never other
# numbers; `imports --verify` checks a whole store; stores made before the
# checksums (chiso-store-2) still open and are upgraded by their next
# import. Odd stores and odd files: a read-only folder, an empty --db, a
# FIFO or /dev/zero as a survey, a file name with terminal codes.
. "$(dirname "$0")/lib.sh"
M=tests/data/method-test.json
S=tests/data/survey-small.csv
DB=$TMP/s.db

run "$CHISO" import --db "$DB" --method "$M" --year 2024 "$S"
expect_rc import 0
run "$CHISO" imports --db "$DB" --verify
expect_rc verify-clean 0
expect_out verify-clean-ok "survey-small.csv"
expect_out verify-integrity "database: ok (SQLite integrity_check)"
run "$CHISO" estimate --db "$DB" --year 2024 --format csv
expect_rc estimate-clean 0
clean=$OUT

# Other bytes in the q_email block (variable 0): caught on load. (Strata
# by province: estimates that need the rows, not the import's stored
# estimation statistics, which are checked below.)
cp "$DB" "$TMP/flip.db"
sqlite3 "$TMP/flip.db" "UPDATE blocks SET data = randomblob(length(data)) WHERE col = 0"
run "$CHISO" estimate --db "$TMP/flip.db" --year 2024 --strata-by-province
expect_rc flip-estimate-exit 2
expect_err flip-names-block "import 1 (survey-small.csv), column q_email, chunk 0: the block does not match its checksum"
expect_err flip-hint "imports --verify"
run "$CHISO" imports --db "$TMP/flip.db" --verify
expect_rc flip-verify-exit 2
expect_out flip-verify-row "column q_email, chunk 0"
# The import's stored estimation statistics (issue 18) carry a checksum
# too: damaged, they are reported by --verify and never used (the
# estimates come from the rows, the same as the clean ones).
cp "$DB" "$TMP/stats.db"
sqlite3 "$TMP/stats.db" "UPDATE import_stats SET data = randomblob(length(data))"
run "$CHISO" imports --db "$TMP/stats.db" --verify
expect_rc stats-verify-exit 2
expect_out stats-verify-row "estimation statistics are damaged"
run "$CHISO" estimate --db "$TMP/stats.db" --year 2024 --format csv
expect_rc stats-estimate-exit 0
expect_eq stats-estimate-from-rows "$OUT" "$clean"
# a block moved to another column (bytes intact) fails too
cp "$DB" "$TMP/moved.db"
sqlite3 "$TMP/moved.db" "UPDATE blocks SET col = 99 WHERE col = 0"
run "$CHISO" imports --db "$TMP/moved.db" --verify
expect_rc moved-verify-exit 2

# Random byte flips in the pages of the blocks table (the outside review's
# experiment, 12 trials): each estimate is either the clean one or exit 2.
pages=$(sqlite3 "$DB" "SELECT pageno FROM dbstat WHERE name='blocks'" 2>/dev/null | tr '\n' ' ')
if [ -n "$pages" ]; then
  psize=$(sqlite3 "$DB" "PRAGMA page_size")
  silent=0
  for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
    cp "$DB" "$TMP/r.db"
    python3 - "$TMP/r.db" "$psize" "$seed" $pages <<'PY'
import random, sys
path, psize, seed, pages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), [int(p) for p in sys.argv[4:]]
rnd = random.Random(seed)
data = bytearray(open(path, "rb").read())
for _ in range(3):
    page = rnd.choice(pages)
    off = (page - 1) * psize + rnd.randrange(psize)
    if off < len(data):
        data[off] ^= 1 << rnd.randrange(8)
open(path, "wb").write(data)
PY
    run "$CHISO" estimate --db "$TMP/r.db" --year 2024 --format csv
    if [ "$RC" -eq 0 ] && [ "$OUT" != "$clean" ]; then silent=$((silent + 1)); fi
    [ "$RC" -eq 0 ] || [ "$RC" -eq 2 ] || fail "flips-$seed-exit" "exit $RC"
  done
  expect_eq flips-never-silent "$silent" 0
else
  ok flips-skipped-no-dbstat
fi

# A chiso-store-2 store (no crc column): opens, estimates the same, its
# blocks are listed unchecked; the next import adds the column and checks
# its own blocks.
cp "$DB" "$TMP/old.db"
sqlite3 "$TMP/old.db" "ALTER TABLE blocks DROP COLUMN crc; UPDATE chiso_meta SET value='chiso-store-2' WHERE key='schema'"
run "$CHISO" estimate --db "$TMP/old.db" --year 2024 --format csv
expect_rc old-store-estimate 0
expect_eq old-store-same-numbers "$OUT" "$clean"
run "$CHISO" imports --db "$TMP/old.db" --verify
expect_rc old-store-verify 0
expect_out old-store-unchecked "without a checksum"
sed 's/^r0/t0/' "$S" > "$TMP/more.csv"
run "$CHISO" import --db "$TMP/old.db" --method "$M" --year 2024 "$TMP/more.csv"
expect_rc old-store-import 0
expect_eq old-store-upgraded "$(sqlite3 "$TMP/old.db" "SELECT value FROM chiso_meta WHERE key='schema'")" chiso-store-3
expect_eq old-store-new-checked "$(sqlite3 "$TMP/old.db" "SELECT count(*) FROM blocks WHERE import_id=2 AND crc IS NULL")" 0
expect_eq old-store-old-unchecked "$(sqlite3 "$TMP/old.db" "SELECT count(*) FROM blocks WHERE import_id=1 AND crc IS NOT NULL")" 0

# An empty file is not a store for a command that reads, and stays empty.
: > "$TMP/empty.db"
run "$CHISO" imports --db "$TMP/empty.db"
expect_rc empty-db-exit 2
expect_err empty-db-message "not a chiso store: an empty file"
expect_eq empty-db-untouched "$(stat -c %s "$TMP/empty.db")" 0

# A database without a table (what a creation killed by an earlier version
# left: its first page, in WAL mode) is refused by a reader with the same
# words, and an import makes it a store.
sqlite3 "$TMP/tableless.db" "PRAGMA journal_mode=WAL" >/dev/null
run "$CHISO" imports --db "$TMP/tableless.db" --verify
expect_rc tableless-db-exit 2
expect_err tableless-db-message "not a chiso store: an empty database"
run "$CHISO" import --db "$TMP/tableless.db" --method "$M" --year 2024 "$S"
expect_rc tableless-db-import 0
run "$CHISO" imports --db "$TMP/tableless.db" --verify
expect_rc tableless-db-verify 0


# A store in a read-only folder says why it cannot be read (as root, run as
# nobody: root writes anywhere).
mkdir "$TMP/ro" && cp "$DB" "$TMP/ro/s.db" && chmod 644 "$TMP/ro/s.db" && chmod 555 "$TMP/ro"
chmod 755 "$TMP"
as_user=()
[ "$(id -u)" -eq 0 ] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
run "${as_user[@]}" "$CHISO" imports --db "$TMP/ro/s.db"
if [ "$RC" -eq 126 ] || [ "$RC" -eq 127 ] || grep -q "Permission denied" "$TMP/err"; then
  ok read-only-folder-skipped  # nobody cannot run the binary from this checkout
else
  expect_rc read-only-folder-exit 2
  expect_err read-only-folder "its folder must be writable"
fi
chmod 755 "$TMP/ro"

# A FIFO or a device as a survey is refused at once (never read forever).
mkfifo "$TMP/fifo.csv"
run timeout 20 "$CHISO" import --db "$TMP/f.db" --method "$M" --year 2024 "$TMP/fifo.csv"
expect_rc fifo-exit 2
expect_err fifo-message "not a regular file (a pipe): refused"
run timeout 20 "$CHISO" validate --method "$M" --year 2024 /dev/zero
expect_rc dev-zero-exit 2
expect_out dev-zero-message "not a regular file (a device): refused"
[ ! -e "$TMP/f.db" ]; expect_eq fifo-no-store $? 0
# also under the names of statistical files, whose signature is read first
mkfifo "$TMP/fifo.sav"
run timeout 20 "$CHISO" validate --method "$M" --year 2024 "$TMP/fifo.sav"
expect_rc fifo-sav-exit 2
expect_out fifo-sav-message "not a regular file (a pipe): refused"
ln -s /dev/zero "$TMP/zero.dta"
run timeout 20 "$CHISO" validate --method "$M" --year 2024 "$TMP/zero.dta"
expect_rc dev-zero-dta-exit 2
expect_out dev-zero-dta-message "not a regular file (a device): refused"

# A file name with terminal codes: escaped in messages and in the table.
evil="$TMP/$(printf 'x\033]0;pwned\007y.csv')"
cp "$S" "$evil"
run "$CHISO" import --db "$TMP/e.db" --method "$M" --year 2024 "$evil"
expect_rc evil-name-import 0
run "$CHISO" imports --db "$TMP/e.db"
expect_out evil-name-escaped 'x\x1B]0;pwned\x07y.csv'
if LC_ALL=C grep -q $'[\x1b\x07]' "$TMP/out" "$TMP/err"; then fail evil-name-raw "a raw control byte"
else ok evil-name-no-raw; fi
