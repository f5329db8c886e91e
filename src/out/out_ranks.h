/* out_ranks.h — rank confidence sets from estimates and their covariance
** (chiso ranks, rankstat_parametric) as a table, CSV or JSON. */
#ifndef CHISO_OUT_RANKS_H
#define CHISO_OUT_RANKS_H

#include "chiso.h"
#include "uncertainty/rankstat.h"

#include <stdio.h>

/* What the sets are and how they were made, for the output. */
typedef struct out_ranks_info {
  double coverage;
  int stepdown, marginal, tau, lower_is_better;
  size_t draws;
  uint64_t seed;
} out_ranks_info;

/* Write n units: CSV code,name,estimate,se,rank,L,U (the simultaneous sets,
** or the marginal ones with info->marginal, as csranks' simul argument),
** p_top1,p_top3,p_top5,p_top10, and with tau p_top_tau,tau_best,tau_worst
** (1/0). JSON: {"method", "coverage", "sets", "stepdown", "draws", "seed",
** ["tau"], "units": [{code, name, estimate, se, rank, L, U, L_marginal,
** U_marginal, p_top, [tau_best, tau_worst]}]}. Table: the set as "L-U",
** probabilities in %. Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int out_ranks_write(char *const *code, char *const *name, const double *x, const double *se,
                    size_t n, const rankstat_param_unit *u, const out_ranks_info *info,
                    chiso_format fmt, FILE *f);

#endif
