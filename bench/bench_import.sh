#!/bin/sh
# Scaling benchmark of the survey store (issue 18): for N respondents in
# BENCH_SIZES (default 100,000, 1,000,000 and 5,000,000), a generated
# N x 40 survey CSV (nothing is committed) is imported with `chiso
# import` into a new store, then `chiso estimate --db` estimates every
# indicator for every province, region and the nation. Each step prints
# its wall time, CPU time, peak memory and the load average, the import
# also MB/s and MB per CPU-second; at the end the peak memory of every
# size relative to 1M (linear in rows: 5M should need about 5 times the
# 1M peak). BENCH_SYNTH=1 also imports a realistic `chiso synth` file of
# 1M respondents (27 columns, Vietnamese answers); BENCH_R=1 (with R and
# the survey package) times R survey's svyby on one indicator of the 1M
# file for comparison.
set -e
cd "$(dirname "$0")/.."
. bench/lib.sh
CHISO=${1:-build/chiso}
SIZES=${BENCH_SIZES:-"100000 1000000 5000000"}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
gen() { # N FILE
  awk -v n="$1" 'BEGIN { srand(11);
    split("01 79 48 92 31 02 74 75 22 66", p, " "); split("micro small medium large", s, " ");
    printf "respondent_id,province,size,weight"; for (q = 1; q <= 40; q++) printf ",q%02d", q; print "";
    for (i = 1; i <= n; i++) { printf "R%d,%s,%s,%.2f", i, p[1 + i % 10], s[1 + int(rand() * 4)], 1 + rand() * 50;
      for (q = 1; q <= 40; q++) if (rand() < .05) printf ","; else if (q % 2) printf ",%d", rand() < .4; else printf ",%.1f", rand() * 100;
      print "" } }' > "$2"
}
{ printf '{"id":"bench","codebook":{"design":{"respondent_id":"respondent_id","province":"province","stratum":"size","weight":"weight","min_respondents":30},"questions":['
  for q in $(seq 1 40); do id=$(printf 'q%02d' "$q"); [ "$q" -gt 1 ] && printf ','
    if [ $((q % 2)) -eq 1 ]; then printf '{"id":"%s","text":{"vi":"%s","en":"%s"},"type":"yesno"}' "$id" "$id" "$id"
    else printf '{"id":"%s","text":{"vi":"%s","en":"%s"},"type":"percent","min":0,"max":100}' "$id" "$id" "$id"; fi; done
  printf '],"indicators":['
  for q in $(seq 1 40); do id=$(printf 'q%02d' "$q"); [ "$q" -gt 1 ] && printf ','
    if [ $((q % 2)) -eq 1 ]; then k=share_yes; else k=mean; fi
    printf '{"id":"i%s","kind":"%s","question":"%s"}' "$id" "$k" "$id"; done
  printf ']}}\n'; } > "$T/bench.json"
echo "import and estimate --db at increasing sizes ($(nproc) processors, load average $(cut -d' ' -f1-3 /proc/loadavg))"
# import FILE METHOD LABEL: one timed `chiso import` into a new store
import() {
  rm -f "$T/b.db" "$T/b.db-wal" "$T/b.db-shm" "$T/b.db-journal"
  bytes=$(wc -c < "$1")
  bench_run "import $3 ($(awk -v b="$bytes" 'BEGIN {printf "%.0f", b / 1e6}') MB)" \
    "$CHISO" --quiet import --db "$T/b.db" --method "$2" --year 2024 "$1" || return 1
  awk -v b="$bytes" -v t="$BENCH_WALL" -v c="$BENCH_CPU" 'BEGIN {
    printf "    %.1f MB/s, %.1f MB per CPU-second\n", b / 1e6 / t, b / 1e6 / c }'
}
peaks=""
for n in $SIZES; do
  gen "$n" "$T/big.csv"
  import "$T/big.csv" "$T/bench.json" "$n x 40"
  peaks="$peaks $n:$BENCH_RSS"
  bench_run "estimate --db $n (every indicator x province/region/nation)" \
    "$CHISO" estimate --db "$T/b.db" --year 2024 --out "$T/est.csv"
  if [ "$n" = 1000000 ] && [ "${BENCH_R:-0}" = 1 ] && command -v Rscript >/dev/null; then
    Rscript -e 'suppressMessages(library(survey)); d <- read.csv(commandArgs(TRUE)[1], colClasses=c(province="character"));
      t <- system.time({des <- svydesign(ids=~1, strata=~size, weights=~weight, data=d); r <- svyby(~q01, ~province, des, svymean, na.rm=TRUE)});
      cat(sprintf("  R survey: svydesign + svyby of ONE indicator by province: %.2f s\n", t[["elapsed"]]))' "$T/big.csv"
  fi
done
echo "$peaks" | awk '{ for (i = 1; i <= NF; i++) { split($i, a, ":"); n[i] = a[1]; m[i] = a[2]; if (a[1] == 1000000) ref = a[2] }
  if (ref) { printf "  import peak memory relative to 1M:"; for (i = 1; i <= NF; i++) printf " %s: %.2fx", n[i], m[i] / ref; print "" } }'
if [ "${BENCH_SYNTH:-0}" = 1 ]; then
  "$CHISO" --quiet synth --out "$T/synth.csv" --respondents 1000000 --year 2024
  import "$T/synth.csv" ebi-2021 "1000000 (chiso synth, 27 columns)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
