#!/usr/bin/env bash
# Run every benchmark script bench/*.sh (except this one) against a chiso
# binary and print what each reports. `make bench` calls this.
#   bench/run.sh [path/to/chiso]
# Each script gets the binary as $1 and prints its own table; a failing
# script is reported and the others still run.
set -u
CHISO=$(realpath "${1:-build/chiso}")
dir=$(cd "$(dirname "$0")" && pwd)
status=0
for b in "$dir"/*.sh; do
  [ "$(basename "$b")" = run.sh ] && continue
  echo "== $(basename "$b" .sh)"
  if ! bash "$b" "$CHISO"; then
    echo "(benchmark $(basename "$b") failed)"
    status=1
  fi
  echo
done
exit $status
