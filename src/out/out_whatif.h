/* out_whatif.h — a what-if run (whatif.h) as a table, CSV or JSON.
**
** CSV and the table are the formats of `chiso compute` with the interval
** columns (out_index_csv_intervals: code,name, the aggregates root first,
** rank,score_lo,score_hi,rank_lo,rank_hi,note), so a what-if and
** `chiso compute --db --year Y --weights FILE` line up column by column.
** JSON has the shape of the index resource of a served store (rview.h):
** {"year", "unit_set", "method", ["synthetic": true], "interval", "nodes",
** "pillars", "units": [{code, name, region, region_en, score, score_lo,
** score_hi, rank, rank_lo, rank_hi, nominal_rank, pillars {id: score},
** respondents, note}]}. */
#ifndef CHISO_OUT_WHATIF_H
#define CHISO_OUT_WHATIF_H

#include "chiso.h"
#include "year/whatif.h"

#include <stdio.h>

/* Write run r of what-if w for `year` (synthetic: say so in JSON).
** Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int out_whatif_write(const whatif *w, const whatif_result *r, int year, int synthetic,
                     chiso_format fmt, FILE *out);

#endif
