# --out files are written whole or not at all: a command that fails after
# its output started (here a write refused by a file-size limit, EFBIG)
# leaves no file, not even a temporary one, and an existing file at the
# path keeps its old content; an unwritable directory leaves nothing.
. "$(dirname "$0")/lib.sh"
D=tests/data/survey
M=$D/ref-method.json
A=data/reference/coinr-asem
mkdir -p "$TMP/o"

# limited CMD...: run with a 1 KiB file-size limit, SIGXFSZ ignored, so a
# write past 1 KiB fails with EFBIG instead of killing the process.
limited() { run bash -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' limited "$@"; }
# nothing_left NAME: no file but keep.txt in $TMP/o.
nothing_left() { expect_eq "$1" "$(ls -A "$TMP/o" | grep -v '^keep.txt$' | tr '\n' ' ')" ""; }

limited "$CHISO" estimate --method "$M" --survey "$D/ref1.csv" --year 2024 --out "$TMP/o/est.csv"
expect_rc estimate-efbig-fails 2
nothing_left estimate-efbig-no-file

limited "$CHISO" estimate --method "$M" --survey "$D/ref1.csv" --year 2024 --format json --out "$TMP/o/est.json"
expect_rc estimate-json-efbig-fails 2
nothing_left estimate-json-efbig-no-file

limited "$CHISO" compute --imeta $A/asem_iMeta.csv --data $A/asem_iData.csv --all --format csv --out "$TMP/o/c.csv"
[ "$RC" -ne 0 ]; expect_eq compute-efbig-fails $? 0
nothing_left compute-efbig-no-file

limited "$CHISO" uncertainty --imeta $A/asem_iMeta.csv --data $A/asem_iData.csv --runs 50 --format csv --out "$TMP/o/u.csv"
[ "$RC" -ne 0 ]; expect_eq uncertainty-efbig-fails $? 0
nothing_left uncertainty-efbig-no-file

# An existing file is replaced only by a whole new one.
printf 'old\n' > "$TMP/o/keep.txt"
limited "$CHISO" estimate --method "$M" --survey "$D/ref1.csv" --year 2024 --out "$TMP/o/keep.txt"
expect_eq existing-kept "$(cat "$TMP/o/keep.txt")" "old"
nothing_left existing-no-temp
run "$CHISO" estimate --method "$M" --survey "$D/ref1.csv" --year 2024 --out "$TMP/o/keep.txt"
expect_rc replace-ok 0
expect_eq replaced "$(head -1 "$TMP/o/keep.txt")" "code,indicator,estimate,se,n,weighted_n,ranked"
expect_eq replaced-mode "$(stat -c %a "$TMP/o/keep.txt")" "$(printf '%o' $((0666 & ~$(umask))))"
nothing_left replace-no-temp

# A directory that does not exist: an error, nothing written.
run "$CHISO" estimate --method "$M" --survey "$D/ref1.csv" --year 2024 --out "$TMP/o/nodir/est.csv"
[ "$RC" -ne 0 ]; expect_eq nodir-fails $? 0
expect_err nodir-message "cannot write $TMP/o/nodir/est.csv"
nothing_left nodir-nothing

# --out - and a device still work.
run "$CHISO" estimate --method "$M" --survey "$D/ref1.csv" --year 2024 --out /dev/null
expect_rc device-ok 0
