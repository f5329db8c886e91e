#!/bin/sh
# Re-run R's survey package to regenerate the committed expected outputs
# of the estimation tests (make check-reference). Run from the repo root.
set -e
Rscript tests/reference/reference.R
git --no-pager diff --stat -- tests/reference/*.csv 2>/dev/null || true
echo "reference outputs written to tests/reference/case*.csv"
