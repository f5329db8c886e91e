#!/usr/bin/env bash
# The layout rules of the source tree (docs/design.md) and the checkers
# that keep them: folders by stage, one prefix per module, contracts.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.."
OUT="" ERR=""

# At most one .c file directly in src/ (everything else is in a stage folder).
n=$(find src -maxdepth 1 -name '*.c' | wc -l)
if [ "$n" -le 1 ]; then ok layout-src-top; else fail layout-src-top "$n .c files directly in src/"; fi

# The front ends include only the public header: the CLI (and, to start
# the server, its "server.h"), the server its own headers.
if grep -n '#include "' src/cli/*.c src/cli/*.h | grep -v '"cli.h"\|"chiso.h"\|cli.h"\|"commands.inc"\|"server.h"' >/dev/null; then
  fail layout-cli-public "a CLI file includes an internal header"
else
  ok layout-cli-public
fi
bad=""
for f in src/server/*.c src/server/*.h; do
  for h in $(sed -n 's/^#include "\(.*\)"$/\1/p' "$f"); do
    [ "$h" = chiso.h ] || [ -f "src/server/$h" ] || bad="$bad $f:$h"
  done
done
expect_eq layout-server-public "$bad" ""

# The checkers pass on the tree ...
if python3 scripts/contracts.py >/dev/null 2>&1; then ok contracts-tree; else fail contracts-tree "undocumented exports"; fi
if python3 scripts/prefixes.py >/dev/null 2>&1; then ok prefixes-tree; else fail prefixes-tree "names without prefix"; fi

# ... and fail on a header that breaks them.
printf '#ifndef X_H\n#define X_H\nint widget_count(void);\n#endif\n' > "$TMP/widget.h"
if python3 scripts/contracts.py "$TMP/widget.h" >/dev/null 2>&1; then
  fail contracts-catches "a function without a contract passed"
else
  ok contracts-catches
fi
mkdir -p src/zz_layout_probe
printf '#ifndef CHISO_PROBE_H\n#define CHISO_PROBE_H\n/* c */\nint other_count(void);\n#endif\n' > src/zz_layout_probe/probe.h
out=$(python3 scripts/prefixes.py 2>&1)
rm -rf src/zz_layout_probe
case "$out" in
  *"other_count does not carry the prefix probe_"*) ok prefixes-catches;;
  *) fail prefixes-catches "an unprefixed export passed: $out";;
esac
if python3 scripts/contracts.py /nonexistent-dir/*.h >/dev/null 2>&1; then
  fail contracts-needs-files "no header at all passed"
else
  ok contracts-needs-files
fi
