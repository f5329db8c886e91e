#!/bin/sh
# End-to-end import benchmark: generates a N x 40 survey CSV (default
# 1,000,000 rows; nothing is committed), imports it with `chiso import` and
# prints MB/s, rows/s and peak RSS, then times `chiso estimate --db` on it.
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
bytes=$(wc -c < "$T/big.csv")
start=$(date +%s.%N)
/usr/bin/time -v "$CHISO" --quiet import --db "$T/b.db" --method "$T/bench.json" --year 2024 "$T/big.csv" 2> "$T/time"
end=$(date +%s.%N)
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time")
awk -v b="$bytes" -v s="$start" -v e="$end" -v n="$N" -v r="$rss" 'BEGIN {
  t = e - s; printf "import %d rows x 40 (%.0f MB CSV): %.2f s, %.1f MB/s, %.0f rows/s, peak RSS %.0f MB\n", n, b / 1e6, t, b / 1e6 / t, n / t, r / 1024 }'
start=$(date +%s.%N)
"$CHISO" estimate --db "$T/b.db" --year 2024 > "$T/est.csv"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v l="$(wc -l < "$T/est.csv")" 'BEGIN { printf "estimate --db (load + every indicator x province/region/nation): %.2f s, %d estimates\n", e - s, l - 1 }'
if [ "${BENCH_R:-0}" = 1 ] && command -v Rscript >/dev/null; then
  Rscript -e 'suppressMessages(library(survey)); d <- read.csv(commandArgs(TRUE)[1], colClasses=c(province="character"));
    t <- system.time({des <- svydesign(ids=~1, strata=~size, weights=~weight, data=d); r <- svyby(~q01, ~province, des, svymean, na.rm=TRUE)});
    cat(sprintf("R survey: svydesign + svyby of ONE indicator by province: %.2f s\n", t[["elapsed"]]))' "$T/big.csv"
fi
