#!/usr/bin/env bash
# make stress: kill -9 an import at random moments and check, each time,
# that the store holds all of it or none of it.
#   scripts/stress-crash.sh [CHISO] [ROUNDS]     (default build/chiso, 100)
# A store with one import (2023) is copied; a synthetic survey of 2024 is
# imported into the copy and the process is killed with SIGKILL at a moment
# drawn uniformly from 0 to 1.2 times a clean import's duration, or (every
# other round) once its WAL has grown to a size drawn from 1 to the full
# size of a clean import's, i.e. while the store is written. Then the
# store must pass PRAGMA integrity_check and `chiso imports --verify`, and
# its SQL dump (import times masked) must equal either the store before the
# import or the store after a clean one. Then the same for the first import
# into a new store (on a rollback journal). Prints how often each happened;
# exits 1 at the first store that is neither.
set -u
CHISO=${1:-build/chiso}
ROUNDS=${2:-100}
command -v sqlite3 >/dev/null || { echo "stress: sqlite3 is needed"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
say() { printf 'stress: %s\n' "$*"; }

"$CHISO" -q synth --out "$dir/base.csv" --respondents 2000 --year 2023 --seed 11 || exit 1
"$CHISO" -q synth --out "$dir/big.csv" --respondents 300000 --year 2024 --seed 12 || exit 1
"$CHISO" -q import --db "$dir/pristine.db" --method ebi-2021 --year 2023 "$dir/base.csv" || exit 1

# The dump with the import times masked (they differ by the clock only).
dump() {
  sqlite3 "$1" .dump | sed -E "s/'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z'/'T'/g" | md5sum | cut -d' ' -f1
}
fresh() { cp "$dir/pristine.db" "$dir/s.db"; rm -f "$dir/s.db-wal" "$dir/s.db-shm"; }
before=$(dump "$dir/pristine.db")

# A clean import, watched: its duration, and when frames first appear in
# the WAL (the write; the pages go there at the commit).
fresh
t0=$(date +%s%N)
"$CHISO" -q import --db "$dir/s.db" --method ebi-2021 --year 2024 "$dir/big.csv" &
pid=$!
wal_max=0
while kill -0 "$pid" 2>/dev/null; do
  w=$(stat -c %s "$dir/s.db-wal" 2>/dev/null || echo 0)
  [ "$w" -gt "$wal_max" ] && wal_max=$w
  sleep 0.002
done
wait "$pid" || exit 1
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
after=$(dump "$dir/s.db")
[ "$before" != "$after" ] || { say "the import changed nothing"; exit 1; }
say "a clean import of $(wc -c < "$dir/big.csv") bytes takes ${ms} ms and writes ${wal_max} bytes to the WAL; $ROUNDS rounds"

n_none=0 n_all=0 killed=0 killed_all=0 in_write=0
for round in $(seq "$ROUNDS"); do
  fresh
  # odd rounds: at a time drawn from 0..1.2 T; even rounds: once the WAL
  # holds a size drawn from 1..its full size, i.e. while the store is being
  # written (the files are read and checked first, the pages reach the WAL
  # at the commit)
  r=$(( RANDOM * 32768 + RANDOM ))
  "$CHISO" -q import --db "$dir/s.db" --method ebi-2021 --year 2024 "$dir/big.csv" \
    >/dev/null 2>&1 &
  pid=$!
  if [ $((round % 2)) -eq 1 ] || [ "$wal_max" -eq 0 ]; then
    delay=$(( r % (ms * 12 / 10 + 1) ))
    when="at ${delay} ms"
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  else
    target=$(( 1 + (r * 31 + r / 7) % wal_max ))
    when="at ${target} WAL bytes"
    while kill -0 "$pid" 2>/dev/null &&
          [ "$(stat -c %s "$dir/s.db-wal" 2>/dev/null || echo 0)" -lt "$target" ]; do :; done
  fi
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  status=$?
  [ "$status" -eq 137 ] && killed=$((killed + 1))
  # frames in the WAL: the kill came while (or after) the store was written
  if [ "$status" -eq 137 ] && [ -s "$dir/s.db-wal" ]; then in_write=$((in_write + 1)); fi
  check=$(sqlite3 "$dir/s.db" "PRAGMA integrity_check")
  if [ "$check" != "ok" ]; then say "round $round (kill $when): integrity_check: $check"; exit 1; fi
  if ! "$CHISO" -q imports --db "$dir/s.db" --verify >/dev/null 2>&1; then
    say "round $round (kill $when): chiso imports --verify failed"; exit 1
  fi
  now=$(dump "$dir/s.db")
  if [ "$now" = "$before" ]; then n_none=$((n_none + 1))
  elif [ "$now" = "$after" ]; then
    n_all=$((n_all + 1))
    [ "$status" -eq 137 ] && killed_all=$((killed_all + 1))
  else say "round $round (kill $when): the store is neither before nor after"; exit 1
  fi
done
say "$ROUNDS rounds, $killed killed while importing ($in_write of them while writing the store): $n_none stores as before, $n_all with the whole import ($killed_all killed after the commit); none partial"

# The first import into a new store writes on a rollback journal (its pages
# once, store.c bulk_on) instead of the WAL. A quarter as many rounds,
# killed at a random moment or once the journal exists (the store is being
# written). The killed store must then be readable by a read-only command
# (which rolls the hot journal back), hold no import or the whole one, and
# be back in WAL mode once opened.
rm -f "$dir/n.db"
"$CHISO" -q import --db "$dir/n.db" --method ebi-2021 --year 2024 "$dir/big.csv" || exit 1
new_after=$(dump "$dir/n.db")
[ "$(sqlite3 "$dir/n.db" "PRAGMA journal_mode")" = wal ] || { say "a new store is not in WAL mode"; exit 1; }
nrounds=$(( ROUNDS / 4 > 5 ? ROUNDS / 4 : 5 ))
n_none=0 n_all=0 killed=0 in_write=0
for round in $(seq "$nrounds"); do
  rm -f "$dir/n.db" "$dir/n.db-wal" "$dir/n.db-shm" "$dir/n.db-journal"
  r=$(( RANDOM * 32768 + RANDOM ))
  "$CHISO" -q import --db "$dir/n.db" --method ebi-2021 --year 2024 "$dir/big.csv" \
    >/dev/null 2>&1 &
  pid=$!
  if [ $((round % 2)) -eq 1 ]; then
    delay=$(( r % (ms * 12 / 10 + 1) ))
    when="at ${delay} ms"
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  else
    when="once the journal exists"
    while kill -0 "$pid" 2>/dev/null && [ ! -e "$dir/n.db-journal" ]; do :; done
    sleep "0.0$((r % 10))"
  fi
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  status=$?
  [ "$status" -eq 137 ] && killed=$((killed + 1))
  [ "$status" -eq 137 ] && [ -e "$dir/n.db-journal" ] && in_write=$((in_write + 1))
  if [ ! -s "$dir/n.db" ]; then n_none=$((n_none + 1)); continue; fi
  if ! "$CHISO" -q imports --db "$dir/n.db" --verify >/dev/null 2>"$dir/verify.err"; then
    # killed before the schema's commit: a database without tables, which
    # holds no import (readers say so; an import makes it a store)
    if grep -q "an empty database" "$dir/verify.err" &&
       [ "$(sqlite3 "$dir/n.db" "SELECT count(*) FROM sqlite_master")" = 0 ]; then
      n_none=$((n_none + 1)); continue
    fi
    say "new store, round $round (kill $when): chiso imports --verify failed: $(cat "$dir/verify.err")"; exit 1
  fi
  check=$(sqlite3 "$dir/n.db" "PRAGMA integrity_check")
  if [ "$check" != "ok" ]; then say "new store, round $round (kill $when): integrity_check: $check"; exit 1; fi
  if [ "$(dump "$dir/n.db")" = "$new_after" ]; then n_all=$((n_all + 1))
  elif [ "$(sqlite3 "$dir/n.db" "SELECT (SELECT count(*) FROM imports) + (SELECT count(*) FROM blocks)")" = 0 ]; then
    n_none=$((n_none + 1))
  else say "new store, round $round (kill $when): neither empty nor the whole import"; exit 1
  fi
done
say "new store: $nrounds rounds, $killed killed while importing ($in_write of them while writing on the journal): $n_none with no import, $n_all with the whole import; none partial"
