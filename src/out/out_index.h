/* out_index.h — the results of an index run as a table, CSV or JSON: the
** formats of `chiso compute` (docs/cli.md), shared by every front end and
** the demo. */
#ifndef CHISO_OUT_INDEX_H
#define CHISO_OUT_INDEX_H

#include "chiso.h"
#include "index/idx.h"

#include <stdio.h>

/* The nodes to show into cols (room for m->n_nodes): aggregates of level
** `level` and above, root first, then with level <= 1 every indicator.
** Returns how many. Cannot fail. */
int out_index_nodes(const idx_model *m, int level, int *cols);

/* The tier of unit i of the run (the model's tiers; NULL for an unranked
** unit or a model without tiers). Borrowed. Cannot fail. */
const idx_tier *out_index_tier(const idx_plan *p, const idx_workspace *ws, size_t i);

/* CSV: code,name, one column per node of cols, rank, [tier when the model
** has tiers], [published 1/0 when it publishes the top N only], note ("not
** ranked, because ..."). Scores as %.17g, empty when missing; empty rank
** when unranked. Returns 0 or CHISO_EIO. */
int out_index_csv(const idx_plan *p, const idx_workspace *ws, const int *cols, int nc, FILE *f);

/* Uncertainty intervals per unit (arrays of the data's n_units): score
** bounds (NaN = none) and whole-number rank bounds (0 = none). */
typedef struct out_index_intervals {
  const double *score_lo, *score_hi;
  const int *rank_lo, *rank_hi;
} out_index_intervals;

/* As out_index_csv, with the columns score_lo,score_hi,rank_lo,rank_hi after
** rank (before tier) when iv is not NULL (iv NULL: exactly out_index_csv). Returns 0 or
** CHISO_EIO. */
int out_index_csv_intervals(const idx_plan *p, const idx_workspace *ws, const int *cols, int nc,
                         const out_index_intervals *iv, FILE *f);

/* JSON: {"method", ["year" when year != 0], ["synthetic": true when
** synthetic], "nodes": [{id,name,level,weight}], ["tiers": [{id, name
** {vi, en}, min}]], ["top_n"], "units": [{code, name, scores {node:
** value|null}, rank|null, [tier|null], [published], note|null ("not
** ranked, because ..."), [note_vi: the same in Vietnamese]}]}. Returns 0,
** CHISO_EIO or CHISO_ENOMEM. */
int out_index_json(const idx_plan *p, const idx_workspace *ws, const int *cols, int nc, int year,
                int synthetic, FILE *f);

/* The table for people: rank, code, name, the nodes of cols (two
** decimals, blank when missing), [the tier's English name], and why a unit
** is unranked (or that it is not published under a top-N option). Returns 0,
** CHISO_EIO or CHISO_ENOMEM. */
int out_index_table(const idx_plan *p, const idx_workspace *ws, const int *cols, int nc, FILE *f);

/* The index in format fmt: the nodes of `level` and above (out_index_nodes),
** `year` (0: none) and `synthetic` recorded in JSON. Returns 0, CHISO_EIO or
** CHISO_ENOMEM. */
int out_index_write(const idx_plan *p, const idx_workspace *ws, int level, int year, int synthetic,
                    chiso_format fmt, FILE *f);

#endif
