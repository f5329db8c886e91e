# Every fuzz harness (fuzz/fuzz_*.c), built with gcc, ASan and UBSan around
# fuzz/replay.c, replays its seed corpus (fuzz/corpus/NAME) and every
# finding ever kept (tests/data/fuzz/NAME): none may crash or leak again.
. "$(dirname "$0")/lib.sh"

dir=$(dirname "$CHISO")/fuzz
n=0
for src in fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  n=$((n + 1))
  if [ ! -x "$dir/$name" ]; then fail "replay-$name" "$dir/$name not built"; continue; fi
  run "$dir/$name" "fuzz/corpus/$name" "tests/data/fuzz/$name"
  expect_rc "replay-$name" 0
done
if [ "$n" -ge 14 ]; then ok harness-count; else fail harness-count "only $n harnesses"; fi
# The findings folders name a harness that exists.
for d in tests/data/fuzz/*/; do
  name=$(basename "$d")
  [ -f "fuzz/$name.c" ] || fail "findings-$name" "no harness fuzz/$name.c"
done
