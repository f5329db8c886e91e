#!/usr/bin/env bash
# Install chiso into a temporary prefix, then build and run a program
# outside the project with `pkg-config --cflags --libs chiso` that includes
# <strings.h> and <chiso.h> and calls chiso_version(). Only the public
# header may be installed.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s -C "$top" install PREFIX="$tmp/prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; echo "check-install: make install failed"; exit 1; }
headers=$(cd "$tmp/prefix/include" && find . -type f | sort | tr '\n' ' ')
[ "$headers" = "./chiso.h " ] || { echo "check-install: installed headers: $headers"; exit 1; }
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
cc -std=c17 -Wall -Wextra -Werror -o "$tmp/example" "$top/tests/install/example.c" \
  $(pkg-config --cflags --libs chiso) ||
  { echo "check-install: the example does not build against the installed tree"; exit 1; }
out=$("$tmp/example")
case "$out" in
  "chiso "*": 79 "*) echo "check-install: ok ($out)";;
  *) echo "check-install: the example printed '$out'"; exit 1;;
esac
