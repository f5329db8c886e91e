#!/bin/sh
# End-to-end import benchmark: generates a N x 40 survey CSV (default
# 1,000,000 rows; nothing is committed), imports it with `chiso import` and
# prints MB/s, rows/s, peak RSS and the CPU time it took (user + system, and
# MB per CPU-second: the figure to compare on a loaded machine), then times
# `chiso estimate --db` on it. The load average is printed before and after:
# on a busy machine wall-clock figures say little. With BENCH_SYNTH=1 it also
# imports a realistic `chiso synth` file of N respondents (27 columns,
# Vietnamese answers).
# With R installed and BENCH_R=1, also times R survey's svyby on one
# indicator of the same file for comparison.
set -e
cd "$(dirname "$0")/.."
CHISO=${1:-build/chiso}
N=${BENCH_ROWS:-1000000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
awk -v n="$N" 'BEGIN { srand(11);
  split("01 79 48 92 31 02 74 75 22 66", p, " "); split("micro small medium large", s, " ");
  printf "respondent_id,province,size,weight"; for (q = 1; q <= 40; q++) printf ",q%02d", q; print "";
  for (i = 1; i <= n; i++) { printf "R%d,%s,%s,%.2f", i, p[1 + i % 10], s[1 + int(rand() * 4)], 1 + rand() * 50;
    for (q = 1; q <= 40; q++) if (rand() < .05) printf ","; else if (q % 2) printf ",%d", rand() < .4; else printf ",%.1f", rand() * 100;
    print "" } }' > "$T/big.csv"
{ printf '{"id":"bench","codebook":{"design":{"respondent_id":"respondent_id","province":"province","stratum":"size","weight":"weight","min_respondents":30},"questions":['
  for q in $(seq 1 40); do id=$(printf 'q%02d' "$q"); [ "$q" -gt 1 ] && printf ','
    if [ $((q % 2)) -eq 1 ]; then printf '{"id":"%s","text":{"vi":"%s","en":"%s"},"type":"yesno"}' "$id" "$id" "$id"
    else printf '{"id":"%s","text":{"vi":"%s","en":"%s"},"type":"percent","min":0,"max":100}' "$id" "$id" "$id"; fi; done
  printf '],"indicators":['
  for q in $(seq 1 40); do id=$(printf 'q%02d' "$q"); [ "$q" -gt 1 ] && printf ','
    if [ $((q % 2)) -eq 1 ]; then k=share_yes; else k=mean; fi
    printf '{"id":"i%s","kind":"%s","question":"%s"}' "$id" "$k" "$id"; done
  printf ']}}\n'; } > "$T/bench.json"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) processors)"
# import FILE METHOD LABEL: one timed `chiso import` into a new store
import() {
  rm -f "$T/b.db" "$T/b.db-wal" "$T/b.db-shm"
  bytes=$(wc -c < "$1")
  start=$(date +%s.%N)
  /usr/bin/time -v "$CHISO" --quiet import --db "$T/b.db" --method "$2" --year 2024 "$1" 2> "$T/time"
  end=$(date +%s.%N)
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time")
  usr=$(sed -n 's/.*User time (seconds): //p' "$T/time")
  sys=$(sed -n 's/.*System time (seconds): //p' "$T/time")
  awk -v b="$bytes" -v s="$start" -v e="$end" -v n="$N" -v r="$rss" -v u="$usr" -v y="$sys" -v l="$3" 'BEGIN {
    t = e - s; printf "import %d rows x %s (%.0f MB CSV): %.2f s, %.1f MB/s, %.0f rows/s, peak RSS %.0f MB\n", n, l, b / 1e6, t, b / 1e6 / t, n / t, r / 1024
    printf "  CPU: user %.2f s + system %.2f s = %.1f MB per CPU-second (%.2f user s per 100 MB)\n", u, y, b / 1e6 / (u + y), u / (b / 1e8) }'
}
import "$T/big.csv" "$T/bench.json" 40
start=$(date +%s.%N)
"$CHISO" estimate --db "$T/b.db" --year 2024 > "$T/est.csv"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v l="$(wc -l < "$T/est.csv")" 'BEGIN { printf "estimate --db (load + every indicator x province/region/nation): %.2f s, %d estimates\n", e - s, l - 1 }'
if [ "${BENCH_SYNTH:-0}" = 1 ]; then
  "$CHISO" --quiet synth --out "$T/synth.csv" --respondents "$N" --year 2024
  import "$T/synth.csv" ebi-2021 "27 (chiso synth)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${BENCH_R:-0}" = 1 ] && command -v Rscript >/dev/null; then
  Rscript -e 'suppressMessages(library(survey)); d <- read.csv(commandArgs(TRUE)[1], colClasses=c(province="character"));
    t <- system.time({des <- svydesign(ids=~1, strata=~size, weights=~weight, data=d); r <- svyby(~q01, ~province, des, svymean, na.rm=TRUE)});
    cat(sprintf("R survey: svydesign + svyby of ONE indicator by province: %.2f s\n", t[["elapsed"]]))' "$T/big.csv"
fi
