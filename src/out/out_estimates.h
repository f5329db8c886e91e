/* out_estimates.h — survey estimates of every domain as a table, CSV or
** JSON (the formats of `chiso estimate`, docs/cli.md). */
#ifndef CHISO_OUT_ESTIMATES_H
#define CHISO_OUT_ESTIMATES_H

#include "chiso.h"
#include "estimate/estimates.h"

#include <stdio.h>

/* Write the estimates of the domains of `level` (an estimator_level, or -1
** for all) in design order. CSV: code,indicator,estimate,se,n,weighted_n,
** ranked (shares as proportions); JSON: {"year", ["synthetic": true],
** "estimates": [{code, name, level, indicator, kind, estimate, se, n,
** weighted_n, ranked}]}; table: shares in %. Returns 0, CHISO_EIO or
** CHISO_ENOMEM. */
int out_estimates_write(const estimates *r, int level, int year, int synthetic, chiso_format fmt,
                        FILE *out);

#endif
