# Helpers for CLI tests. Each check prints "ok NAME" or "FAIL NAME" with
# what was expected; tests/run.sh counts those lines.
# $CHISO is the binary under test (sanitised build).
set -u
: "${CHISO:?CHISO must point at the chiso binary}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# run CMD...: runs it, keeps stdout in $OUT, stderr in $ERR, exit code in $RC.
run() {
  "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  OUT=$(cat "$TMP/out")
  ERR=$(cat "$TMP/err")
}

ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; shift; printf '  %s\n' "$@"; echo "  stdout: ${OUT:0:600}"; echo "  stderr: ${ERR:0:600}"; }

# expect_rc NAME CODE: the last run exited with CODE.
expect_rc() { if [ "$RC" -eq "$2" ]; then ok "$1"; else fail "$1" "exit $RC, expected $2"; fi; }
# expect_out NAME TEXT: stdout contains TEXT.
expect_out() { if grep -qF -- "$2" "$TMP/out"; then ok "$1"; else fail "$1" "stdout lacks: $2"; fi; }
expect_err() { if grep -qF -- "$2" "$TMP/err"; then ok "$1"; else fail "$1" "stderr lacks: $2"; fi; }
# expect_eq NAME ACTUAL EXPECTED
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', expected '$3'"; fi; }
