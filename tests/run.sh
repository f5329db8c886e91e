#!/usr/bin/env bash
# Run every test: the cmocka unit tests built under ASan/UBSan in $1/tests,
# then the CLI tests in tests/cli/test_*.sh against the sanitised binary.
# Ends with one summary line "N passed, N failed".
set -u
dir=${1:-build/asan}
export CHISO="$PWD/$dir/chiso"
export CHISO_RELEASE="$PWD/build/chiso"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# fontconfig keeps its character sets as offsets LeakSanitizer cannot follow,
# and cairo caches the fonts it used: not leaks (tests/lsan.supp).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
passed=0
failed=0
failed_names=()
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

for src in tests/test_*.c; do
  t="$dir/tests/$(basename "$src" .c)"
  [ -x "$t" ] || { echo "---- $(basename "$t"): not built"; failed=$((failed + 1)); continue; }
  name=$(basename "$t")
  out="$log/$name.out"
  "$t" >"$out" 2>&1
  rc=$?
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed or sanitizer abort
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$f" -gt 0 ]; then
    failed_names+=("$name")
    echo "---- $name failed:"; tail -40 "$out"
  else
    echo "ok   $name ($p)"
  fi
done

for t in tests/cli/test_*.sh; do
  [ -f "$t" ] || continue
  name=$(basename "$t" .sh)
  out="$log/$name.out"
  bash "$t" >"$out" 2>&1
  rc=$?
  p=$(grep -c '^ok ' "$out")
  f=$(grep -c '^FAIL ' "$out")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$f" -gt 0 ]; then
    failed_names+=("$name")
    echo "---- $name failed:"; grep -A12 '^FAIL ' "$out" | head -80; tail -5 "$out"
  else
    echo "ok   $name ($p)"
  fi
done

[ ${#failed_names[@]} -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
