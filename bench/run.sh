#!/bin/sh
# Build and run the benchmarks; they print figures and never fail on time.
set -e
cd "$(dirname "$0")/.."
make -s build/libchiso.a
for b in bench/bench_*.c; do
  exe=build/bench/$(basename "$b" .c)
  mkdir -p build/bench
  cc -std=c17 -O2 -D_DEFAULT_SOURCE -Isrc -Ibuild/gen -o "$exe" "$b" build/libchiso.a \
    $(pkg-config --libs sqlite3 jansson xlsxwriter expat libzip libutf8proc libmicrohttpd libcrypto zlib) -lpthread -lm
  echo "== $exe"
  "$exe"
done
