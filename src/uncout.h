/* uncout.h — the per-unit results of an uncertainty analysis (unc.h) as
** rows: the CSV of `chiso uncertainty`, shared by that command and the
** demo, and the rank interval the report and the demo's index table show. */
#ifndef CHISO_UNCOUT_H
#define CHISO_UNCOUT_H

#include "unc.h"

#include <stdio.h>

/* Number of columns of a row (code and name included). */
#define UNCOUT_NCOL 24

/* The column ids: code,name,score,score_lo,score_hi,rank,rank_lo,rank_hi,
** p_top1,p_top3,p_top5,p_top10,p_above_mean,rank_median,rank_q05,
** rank_q95,mean_abs_shift,se,score_lo90,score_hi90,rank_lo90,rank_hi90,
** rank_sim_lo,rank_sim_hi (docs/uncertainty.md). Static storage. */
extern const char *const uncout_columns[UNCOUT_NCOL];

/* The UNCOUT_NCOL - 2 numeric columns of unit i into v (NaN = empty):
** rank columns are NaN when the unit has no nominal rank, the
** simultaneous sets when the runs are not a sample. Cannot fail. */
void uncout_values(const unc_result *res, size_t i, double *v);

/* Write the CSV: the header, then one row per unit of res with codes and
** names from code[i] / name[i]. Returns 0 or CHISO_EIO. */
int uncout_csv(const unc_result *res, char *const *code, char *const *name, FILE *f);

/* The whole-number rank interval of unit i at level 0.90: [floor q05,
** ceil q95] of its ranks over the runs (at least 1); both 0 when the unit
** has no nominal rank. Cannot fail. */
void uncout_rank_interval(const unc_result *res, size_t i, int *lo, int *hi);

#endif
