# `report --out DIR` is built in a temporary sibling directory and renamed
# into place: a failure (a write refused by a file-size limit, as on a full
# disk) leaves no DIR and no temporary, an earlier report stays whole until
# a new one replaces it, and a directory of other files is never replaced.
# SIGINT and SIGTERM remove the temporaries of outputs in progress (the
# library's through chiso_remove_temporaries, the CLI's own).
. "$(dirname "$0")/lib.sh"
M63=tests/data/report-model-63.json
M34=tests/data/report-model-34.json
cd "$TMP" || exit 1
R=$OLDPWD
limited() { run bash -c 'trap "" XFSZ; ulimit -f 100; exec "$@"' limited "$@"; }
temps() { ls -A | grep -c 'tmp' ; }

run "$CHISO" report --model "$R/$M63" --out rep
expect_rc new-dir 0
expect_eq new-dir-pages "$(ls rep | tr '\n' ' ')" "index.html provinces "
expect_eq new-dir-profiles "$(ls rep/provinces | wc -l)" 63

# a failed report leaves nothing, and the earlier one stays as it was
limited "$CHISO" report --model "$R/$M34" --out fresh --units 34
expect_rc efbig-fails 2
expect_err efbig-names-final-path "fresh/index.html: write failed"
expect_eq efbig-no-dir "$(ls -d fresh 2>/dev/null)" ""
expect_eq efbig-no-temp "$(temps)" 0
sum_before=$(cat rep/index.html rep/provinces/*.html | md5sum)
limited "$CHISO" report --model "$R/$M34" --out rep --units 34
expect_rc efbig-existing-fails 2
expect_eq efbig-existing-kept "$(cat rep/index.html rep/provinces/*.html | md5sum)" "$sum_before"
expect_eq efbig-existing-no-temp "$(temps)" 0

# an earlier report is replaced whole: its old profiles go
run "$CHISO" report --model "$R/$M34" --out rep --units 34 --lang en
expect_rc replace-report 0
expect_eq replace-34-profiles "$(ls rep/provinces | wc -l)" 34
expect_eq replace-no-temp "$(temps)" 0

# a directory of other files is refused and untouched; an empty one is used
mkdir mine && echo keep > mine/notes.txt
run "$CHISO" report --model "$R/$M63" --out mine
expect_rc other-files-refused 1
expect_err other-files-message "holds other files than an earlier output"
expect_eq other-files-kept "$(ls mine)" "notes.txt"
mkdir empty
run "$CHISO" report --model "$R/$M63" --out empty
expect_rc empty-dir-used 0
expect_eq empty-dir-index "$(ls empty/index.html)" "empty/index.html"
echo x > afile
run "$CHISO" report --model "$R/$M63" --out afile
expect_rc file-refused 1
expect_eq file-kept "$(cat afile)" x

# SIGINT / SIGTERM while `synth` writes: the temporary file is removed.
# The job runs with job control on (set -m), or a background job ignores
# SIGINT; the signal is sent once the temporary exists.
for sig in INT TERM; do
  rm -f big.csv*
  (set -m; "$CHISO" synth --out big.csv --respondents 400000 --year 2024 >/dev/null 2>&1 &
   echo $! > pid; wait) &
  for _ in $(seq 100); do [ -e big.csv.tmp ] && break; sleep 0.05; done
  [ -e big.csv.tmp ]; expect_eq "synth-$sig-temp-seen" $? 0
  kill -"$sig" "$(cat pid)"
  wait
  expect_eq "synth-$sig-nothing-left" "$(ls -A | grep -c '^big')" 0
done
rm -f pid
