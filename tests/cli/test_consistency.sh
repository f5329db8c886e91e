# CLI tests from the second review: synthetic labels on every output made
# from a store (issue 5), exit codes, and one display style for tables.
# Expected values are structural or worked by hand.
. "$(dirname "$0")/lib.sh"
OUT= ERR=

# A synthetic store (files of `chiso synth`) and a "real" one: the same file
# under another name, without the FILE.meta.json that marks it synthetic.
"$CHISO_RELEASE" synth --year 2025 --respondents 1500 --seed 5 --out "$TMP/s25.csv" 2>/dev/null
"$CHISO_RELEASE" import --db "$TMP/s.db" --method ebi-2021 --year 2025 "$TMP/s25.csv" 2>/dev/null
cp "$TMP/s25.csv" "$TMP/real25.csv"
"$CHISO_RELEASE" import --db "$TMP/r.db" --method ebi-2021 --year 2025 "$TMP/real25.csv" 2>/dev/null

# ---- issue 5: every output made from synthetic data says so -------------------
# cmd NAME ARGS...: the command line of NAME on a store (DB substituted).
UNC="--replicates 12 --runs 40 --threads 2"
cmdline() {
  case "$1" in
  estimate) echo "estimate --db $2 --year 2025" ;;
  divide) echo "divide --db $2 --year 2025 --interval none" ;;
  uncertainty) echo "uncertainty --db $2 --year 2025 $UNC" ;;
  sensitivity) echo "sensitivity --db $2 --year 2025 --runs 8 --replicates 12 --threads 2" ;;
  series) echo "series --db $2" ;;
  targets) echo "targets --plan qd645-2021-2025 --db $2" ;;
  compute) echo "compute --db $2 --year 2025" ;;
  esac
}
for c in estimate divide uncertainty sensitivity series targets compute; do
  run "$CHISO" $(cmdline $c "$TMP/s.db") --format json
  expect_rc synth-$c-json-rc 0
  expect_out synth-$c-json '"synthetic": true'
  run "$CHISO" $(cmdline $c "$TMP/s.db") --format csv
  expect_rc synth-$c-csv-rc 0
  expect_err synth-$c-csv-stdout-note "synthetic data"
  run "$CHISO" $(cmdline $c "$TMP/r.db") --format json
  if grep -q synthetic "$TMP/out"; then fail real-$c-json "says synthetic"; else ok real-$c-json; fi
  run "$CHISO" $(cmdline $c "$TMP/r.db") --format csv
  if grep -q synthetic "$TMP/err"; then fail real-$c-csv "says synthetic"; else ok real-$c-csv; fi
done
# With --out, the CSV gets FILE.meta.json beside it (and no note); not for a real store.
for c in estimate uncertainty sensitivity; do
  run "$CHISO" $(cmdline $c "$TMP/s.db") --format csv --out "$TMP/$c.csv"
  if grep -q '"synthetic": true' "$TMP/$c.csv.meta.json" 2>/dev/null; then ok synth-$c-meta; else fail synth-$c-meta "no $c.csv.meta.json"; fi
  run "$CHISO" $(cmdline $c "$TMP/r.db") --format csv --out "$TMP/real-$c.csv"
  if [ -e "$TMP/real-$c.csv.meta.json" ]; then fail real-$c-meta "meta written"; else ok real-$c-meta; fi
done

# ---- targets: an unknown province is a data error, as in `chiso resolve` -------
run "$CHISO" targets --plan qd645-2021-2025 --province Atlantis
expect_rc targets-unknown-province-rc 2
expect_err targets-unknown-province-msg 'unknown province: "Atlantis"'
