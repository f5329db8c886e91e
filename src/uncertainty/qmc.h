/* qmc.h — the Sobol low-discrepancy sequence (quasi-Monte Carlo points).
**
** Sobol (1967) with the direction numbers of Joe & Kuo (2008),
** "Constructing Sobol sequences with better two-dimensional projections",
** SIAM J. Sci. Comput. 30:2635–2654 (file new-joe-kuo-6.21201, first 64
** dimensions, kept in data/sobol/). Point i is computed directly from the
** Gray code of i, so any point can be drawn by any thread in any order. */
#ifndef CHISO_QMC_H
#define CHISO_QMC_H

#include "base/err.h"

#include <stdint.h>

#define QMC_MAX_DIM 64
#define QMC_BITS 32

typedef struct qmc_sobol {
  int dim;
  uint32_t v[QMC_MAX_DIM][QMC_BITS];  /* direction numbers, scaled by 2^32 */
} qmc_sobol;

/* Prepare the first `dim` dimensions (1..QMC_MAX_DIM). Returns 0, or
** CHISO_EUSAGE (err filled) when dim is out of range. No allocation. */
int qmc_sobol_init(qmc_sobol *q, int dim, chiso_err *err);

/* Point `index` (0 is the origin) of the sequence, written as dim doubles
** in [0, 1) to out. Cannot fail. */
void qmc_sobol_point(const qmc_sobol *q, uint32_t index, double *out);

#endif
