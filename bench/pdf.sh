#!/usr/bin/env bash
# Time `chiso report --format pdf` (the A4 book: cover, sections, one page
# per unit) on the example models: wall-clock and CPU time of the best of
# five runs, and the machine's load. Prints figures; the target is under
# 2 s for the 34-unit book with its profiles.
# Usage: bench/pdf.sh [path/to/chiso]
set -eu
chiso=${1:-build/chiso}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
t() { # t LABEL CMD...: the best of 5 runs (wall, user+sys CPU), in ms
  local best=999999 cpu=0 s e c0 c1
  for _ in 1 2 3 4 5; do
    c0=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
    s=$(date +%s%N); "${@:2}" >/dev/null 2>&1; e=$(date +%s%N)
    c1=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
    ms=$(( (e - s) / 1000000 ))
    if [ $ms -lt $best ]; then best=$ms; cpu=$(( (c1 - c0) * 1000 / $(getconf CLK_TCK) )); fi
  done
  printf '%-40s %6d ms wall %6d ms CPU\n' "$1" "$best" "$cpu"
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
t "pdf, 34 units with profiles, Vietnamese" "$chiso" report --model tests/data/report-model-34.json --format pdf --out "$out/r34.pdf"
t "pdf, 34 units, English" "$chiso" report --model tests/data/report-model-34.json --format pdf --lang en --out "$out/r34en.pdf"
t "pdf, 63 units with profiles" "$chiso" report --model tests/data/report-model-63.json --format pdf --out "$out/r63.pdf"
printf '%-40s %6d KB\n' "size of the 34-unit PDF" $(( $(stat -c %s "$out/r34.pdf") / 1024 ))
