#!/usr/bin/env bash
# Benchmark (c) of issue 6: Rao-Wu bootstrap domain means for 31,500
# respondents x K indicators in 63 provinces x 4 strata, 1,000 replicates:
# chiso (bootstrap_domain_means, 2 threads) side by side with R survey
# (as.svrepdesign(type = "subbootstrap") + svyby(svymean)) when Rscript and
# the survey package are installed. Prints figures; never fails on time.
#   bench/unc_vs_r.sh [chiso] [K]
set -u
cd "$(dirname "$0")/.."
K=${2:-10}
N=31500
R=1000
make -s build/libchiso.a || exit 1
mkdir -p build/bench
cc -std=c17 -O2 -D_DEFAULT_SOURCE -Isrc -Ibuild/gen -Ibench -o build/bench/bench_boot bench/bench_boot.c build/libchiso.a \
  $(pkg-config --libs sqlite3 jansson xlsxwriter expat libzip libutf8proc libmicrohttpd libcrypto zlib) -lpthread -lm || exit 1
echo "chiso: $N respondents x $K indicators, $R replicates"
build/bench/bench_boot $N $K $R 2 | sed 's/^/  /'
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(survey)' >/dev/null 2>&1; then
  echo "R survey: not installed, skipped"
  exit 0
fi
echo "R survey: same sizes (data drawn in R; timings only)"
RFILE=$(mktemp --suffix=.R)
trap 'rm -f "$RFILE"' EXIT
cat >"$RFILE" <<'REOF'
suppressMessages(library(survey))
a <- as.integer(commandArgs(TRUE)); n <- a[1]; k <- a[2]; R <- a[3]
set.seed(1)
d <- data.frame(prov = factor(seq_len(n) %% 63), stratum = seq_len(n) %% 252,
                w = 1 + sample.int(20, n, TRUE) - 1)
for (v in seq_len(k)) { y <- runif(n); y[runif(n) < 0.05] <- NA; d[[paste0("y", v)]] <- y }
des <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = d)
t0 <- proc.time()[["elapsed"]]
rep <- as.svrepdesign(des, type = "subbootstrap", replicates = R)
t1 <- proc.time()[["elapsed"]]
f <- as.formula(paste("~", paste0("y", seq_len(k), collapse = "+")))
est <- svyby(f, ~prov, rep, svymean, na.rm = TRUE)
t2 <- proc.time()[["elapsed"]]
cat(sprintf("replicate weights: %.1f s; svyby(svymean) of %d variables x 63 provinces: %.1f s; total %.1f s\n",
            t1 - t0, k, t2 - t1, t2 - t0))
REOF
Rscript "$RFILE" "$N" "$K" "$R" 2>&1 | sed 's/^/  /'
echo "  (R: wall time; load average $(cut -d' ' -f1 /proc/loadavg))"
