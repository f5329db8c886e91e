#!/usr/bin/env bash
# Run every benchmark script in bench/ (each prints its own figures).
set -eu
chiso=${1:-build/chiso}
for b in "$(dirname "$0")"/*.sh; do
  [ "$(basename "$b")" = run.sh ] && continue
  echo "== $(basename "$b" .sh)"
  bash "$b" "$chiso"
done
