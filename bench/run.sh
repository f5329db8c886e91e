#!/bin/sh
# Run every benchmark in bench/: each bench/*.sh (but this one) is run with
# the chiso binary as $1; each bench/*.c is compiled against the release
# library next to that binary and run. Benchmarks PRINT their figures.
set -e
CHISO=${1:-build/chiso}
BUILD=$(dirname "$CHISO")
DIR=$(dirname "$0")
LIBS=$(pkg-config --libs sqlite3 jansson xlsxwriter expat libzip libutf8proc libmicrohttpd libcrypto zlib 2>/dev/null)
for s in "$DIR"/*.sh; do
  [ "$(basename "$s")" = run.sh ] && continue
  echo "== $(basename "$s")"; bash "$s" "$CHISO"
done
for c in "$DIR"/*.c; do
  [ -f "$c" ] || continue
  bin="$BUILD/bench/$(basename "$c" .c)"
  mkdir -p "$BUILD/bench"
  ${CC:-cc} -std=c17 -O2 -D_DEFAULT_SOURCE -Isrc -I"$BUILD/gen" -o "$bin" "$c" "$BUILD/libchiso.a" $LIBS -lpthread -lm
  echo "== $(basename "$c" .c)"; "$bin"
done
