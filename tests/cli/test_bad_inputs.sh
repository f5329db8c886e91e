# The bad-input catalogue (tests/data/bad/EXPECTED): every file gives its
# exit code, its location and its message through `chiso validate`.
. "$(dirname "$0")/lib.sh"

DATA=tests/data
METHOD=$DATA/method-test.json
count=0
while IFS='|' read -r file code loc msg; do
  case "$file" in ''|'#'*) continue ;; esac
  count=$((count + 1))
  run "$CHISO" validate --method "$METHOD" --year 2024 "$DATA/bad/$file"
  expect_rc "bad-$file-exit" "$code"
  both=$(printf '%s\n%s\n' "$OUT" "$ERR")
  if [ -n "$loc" ]; then
    case "$both" in
      *"$DATA/bad/$file:$loc:"*) ok "bad-$file-location" ;;
      *) fail "bad-$file-location" "no '$DATA/bad/$file:$loc:'" ;;
    esac
  fi
  case "$both" in
    *"$msg"*) ok "bad-$file-message" ;;
    *) fail "bad-$file-message" "lacks: $msg" ;;
  esac
done < "$DATA/bad/EXPECTED"
if [ "$count" -ge 30 ]; then ok catalogue-size; else fail catalogue-size "only $count files"; fi

# Every file in the folder is in the catalogue.
for f in "$DATA"/bad/*.csv "$DATA"/bad/*.xlsx; do
  b=$(basename "$f")
  grep -q "^$b|" "$DATA/bad/EXPECTED" || fail "catalogued-$b" "not in EXPECTED"
done
