#!/bin/sh
# Regenerate the index golden numbers with R (see coinr_index.R).
set -e
cd "$(dirname "$0")/../.."
Rscript tests/reference/coinr_index.R data/reference/coinr-asem/asem_iMeta.csv \
  data/reference/coinr-asem/asem_iData.csv tests/reference/out/asem
Rscript tests/reference/coinr_index.R tests/data/index/small_iMeta.csv \
  tests/data/index/small_iData.csv tests/reference/out/small
# Denominate, dist2targ, effective and optimised weights (coinr_extras.R;
# the optimisation is at level 2, the pillars)
Rscript tests/reference/coinr_extras.R data/reference/coinr-asem/asem_iMeta.csv \
  data/reference/coinr-asem/asem_iData.csv tests/reference/out/asem 2
# MRSW rank sets, single-step and stepdown, on common draws (mrsw_sets.R)
Rscript tests/reference/mrsw_sets.R tests/reference/out/mrsw
