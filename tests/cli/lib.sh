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

# expect_r_caseA NAME FILE: every province and nation row of a chiso
# estimates CSV equals R survey's tests/reference/caseA.csv within 1e-9
# (relative above 1), with the same n; at least 40 rows compared.
expect_r_caseA() {
  awk -F, -v tol=1e-9 '
    function bad(a, b) { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; if (m < 1) m = 1; return d > tol * m }
    NR == FNR { if (FNR > 1 && $1 != "region") { k = $2 "," $3; e[k] = $4; s[k] = $5; n[k] = $6 } next }
    FNR > 1 { k = $1 "," $2; if (!(k in e)) next; seen++
              if (bad($3, e[k]) || bad($4, s[k]) || $5 != n[k]) { print "mismatch " k ": " $3 " " $4 " " $5 " vs " e[k] " " s[k] " " n[k]; exit 1 } }
    END { if (seen < 40) { print "only " seen " rows compared"; exit 1 } }' tests/reference/caseA.csv "$2" >"$TMP/cmp" 2>&1
  if [ $? -eq 0 ]; then ok "$1"; else fail "$1" "$(cat "$TMP/cmp")"; fi
}

# serve_start LOG SCHEME ARGS...: start `$CHISO serve ARGS` with stderr to
# LOG, wait for its address line (SCHEME://ADDRESS:PORT/), set SPID and
# PORT; non-zero when the server ends or never says its address.
serve_start() {
  local log=$1 scheme=$2
  shift 2
  "$CHISO" serve "$@" 2>"$log" &
  SPID=$!
  PORT=""
  for _ in $(seq 1 600); do
    PORT=$(sed -n "s|^chiso serve: $scheme://[0-9.]*:\\([0-9]*\\)/.*|\\1|p" "$log")
    [ -n "$PORT" ] && return 0
    kill -0 "$SPID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# browser_python NAME: set PY to the Python that has Debian's selenium and
# check chromium and its driver; on a missing tool, fail NAME and return 1.
browser_python() {
  PY=python3
  [ -x /usr/bin/python3 ] && PY=/usr/bin/python3 # python3-selenium belongs to the system's Python
  local missing=""
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  [ -x /usr/bin/chromedriver ] || missing="$missing chromium-driver"
  "$PY" -c "import selenium" 2>/dev/null || missing="$missing python3-selenium"
  [ -z "$missing" ] && return 0
  fail "$1" "missing:$missing (install them with scripts/deps.sh --extras)"
  return 1
}
