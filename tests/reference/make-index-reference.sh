#!/bin/sh
# Regenerate the index golden numbers with R (see coinr_index.R).
set -e
cd "$(dirname "$0")/../.."
Rscript tests/reference/coinr_index.R data/reference/coinr-asem/asem_iMeta.csv \
  data/reference/coinr-asem/asem_iData.csv tests/reference/out/asem
Rscript tests/reference/coinr_index.R tests/data/index/small_iMeta.csv \
  tests/data/index/small_iData.csv tests/reference/out/small
