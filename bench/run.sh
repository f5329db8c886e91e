#!/usr/bin/env bash
# Build and run every benchmark; they print figures and never fail on time.
#   bench/run.sh [path/to/chiso]        (`make bench` passes build/chiso)
# - bench/bench_*.c: C programs linked with libchiso, built and run;
# - bench/*.sh (except this file): scripts given the chiso binary as $1.
# A failing benchmark is reported and the others still run.
set -u
cd "$(dirname "$0")/.."
CHISO=$(realpath "${1:-build/chiso}")
status=0
make -s build/libchiso.a || exit 1
for b in bench/bench_*.c; do
  [ -f "$b" ] || continue
  exe=build/bench/$(basename "$b" .c)
  mkdir -p build/bench
  cc -std=c17 -O2 -D_DEFAULT_SOURCE -Isrc -Ibuild/gen -o "$exe" "$b" build/libchiso.a \
    $(pkg-config --libs sqlite3 jansson xlsxwriter expat libzip libutf8proc libmicrohttpd libcrypto zlib \
      cairo pangocairo pangoft2 librsvg-2.0 fontconfig) -lreadstat -lpthread -lm \
    || { status=1; continue; }
  echo "== $exe"
  "$exe" || { echo "(benchmark $exe failed)"; status=1; }
done
for b in bench/*.sh; do
  [ "$(basename "$b")" = run.sh ] && continue
  echo "== $(basename "$b" .sh)"
  bash "$b" "$CHISO" || { echo "(benchmark $(basename "$b") failed)"; status=1; }
  echo
done
exit $status
