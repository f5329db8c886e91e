/* weights.h — weights seen through the tree: the effective weight of
** every node in the index (COINr get_eff_wts) and weights at one level
** that balance the nodes' correlations with the index (COINr
** get_opt_weights, optype "balance"). docs/methodology.md, "Weights". */
#ifndef CHISO_WEIGHTS_H
#define CHISO_WEIGHTS_H

#include "base/err.h"
#include "index/idx.h"

#include <stddef.h>

/* Effective weights (COINr get_eff_wts): every node's weight divided by
** the sum of its siblings' weights, times its parent's effective weight,
** from the index (1) down; an indicator's effective weight is its share of
** the index under the arithmetic mean with complete data. w: n_nodes
** weights in effect (NULL: the model's); eff: n_nodes out. Nodes with
** weight 0 get 0. Cannot fail. */
void weights_effective(const idx_model *m, const double *w, double *eff);

typedef struct weights_opt_options {
  int level;              /* the level whose weights are optimised (>= 1,
                             below the root's) */
  const double *itarg;    /* one target importance per node of the level
                             (relative; NULL = equal, COINr "equal") */
  const double *w0;       /* n_nodes starting weights (NULL: the model's);
                             the other levels keep them */
  const idx_options *run; /* the run's other options (NULL: the model's) */
  int max_evals;          /* objective evaluations (0: 20000) */
} weights_opt_options;

typedef struct weights_opt_result {
  size_t n;               /* nodes of the level */
  int *node;              /* their indices (n) */
  double *weight;         /* optimised weights, summing to 1 (n) */
  double *desired;        /* itarg normalised to sum 1 (n) */
  double *obtained;       /* correlations with the index at the optimum,
                             normalised to sum 1 (n) */
  double *corr;           /* the raw Pearson correlations there (n) */
  double objective0;      /* the objective at the starting weights */
  double objective;       /* at the optimum */
  int evals;              /* objective evaluations used */
  double *weights_all;    /* n_nodes: w0 with the level replaced */
} weights_opt_result;

/* The objective of COINr's get_opt_weights for weights w_level (n, any
** positive scale) at opt->level: re-run the index with them, take the
** Pearson correlation r_j of each node j of the level with the index over
** the units with both, and return log(Σ (t_j − r_j/Σr)² / n), t the target
** importances normalised to sum 1. ws is a workspace of p. Returns NaN when
** a correlation is undefined. Fails only on a bad run option (then NaN and
** err filled). */
double weights_objective(const idx_plan *p, idx_workspace *ws, const weights_opt_options *opt,
                         const double *w_level, chiso_err *err);

/* Minimise the objective by Nelder–Mead (Nelder & Mead 1965, with the
** coefficients 1, 2, 1/2, 1/2 of Lagarias et al. 1998) over log-weights,
** so that every weight stays positive (COINr searches unconstrained
** weights and can return negative ones), from the starting weights and
** restarted until a restart no longer improves by 1e-10. Deterministic. On
** success fills *res (free with weights_opt_result_clear). Returns
** CHISO_EUSAGE (no node at the level, or the level of the root),
** CHISO_EDATA (correlations undefined: fewer than 3 units or a constant
** score), CHISO_ENOMEM. */
int weights_optimise(const idx_plan *p, const weights_opt_options *opt, weights_opt_result *res,
                     chiso_err *err);

/* Free the arrays of a result. Cannot fail. */
void weights_opt_result_clear(weights_opt_result *res);

#endif
