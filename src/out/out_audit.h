/* out_audit.h — the statistical audit of an index run (OECD/JRC Handbook;
** COINr): per indicator n, missing %, min, max, mean, sd, skew, kurtosis
** and an outlier flag; Pearson and Spearman correlations of every node
** with its parent and the index; Cronbach's alpha of every aggregate; PCA
** of every pillar. The formats of `chiso audit` (docs/cli.md). */
#ifndef CHISO_OUT_AUDIT_H
#define CHISO_OUT_AUDIT_H

#include "chiso.h"
#include "index/idx.h"
#include "index/weights.h"

#include <stdio.h>

/* Write the audit of the run in ws: rows section,id,parent,measure,value
** (table: counts whole, others four decimals; CSV every digit; JSON an
** array of those objects), or with pca_weights the CSV iCode,Weight,
** loading,note that `chiso compute --weights` reads (a pillar's
** indicators weighted by their first-component loadings; a negative
** loading keeps the methodology's weight, noted). Returns 0, CHISO_EIO or
** CHISO_ENOMEM. */
int out_audit_write(const idx_plan *p, const idx_workspace *ws, int pca_weights, chiso_format fmt,
                    FILE *f);

/* The effective weight of every node (COINr get_eff_wts): rows
** iCode,Level,Parent,Weight,EffWeight; w: the n_nodes weights in effect
** (NULL: the model's). Table: four decimals; CSV every digit; JSON an array
** of those objects. Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int out_audit_effective(const idx_plan *p, const double *w, chiso_format fmt, FILE *f);

/* An optimised weight set (weights_optimise): rows iCode,Level,Parent,
** Weight (every node: `chiso compute --weights` reads it), and for the
** nodes of the optimised level Desired, Obtained (COINr's CorrResultsNorm)
** and the raw Correlation with the index. Returns 0, CHISO_EIO or
** CHISO_ENOMEM. */
int out_audit_optimised(const idx_plan *p, const weights_opt_result *res, chiso_format fmt, FILE *f);

#endif
