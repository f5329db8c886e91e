/* export.h — the report model as XLSX, CSV and JSON files.
**
** XLSX: sheets Index, Pillars, Indicators, Uncertainty, Divide, Targets and
** Metadata (names and column titles in the report language, Vietnamese by
** default), frozen header rows, number formats and fitted widths.
** CSV: the Index table with ASCII column ids, RFC 4180, optional UTF-8
** BOM for Excel. JSON: rmodel_to_json (keys in a fixed order). */
#ifndef CHISO_EXPORT_H
#define CHISO_EXPORT_H

#include "base/err.h"
#include "report/rmodel.h"

#include <stdio.h>

/* Write the workbook to `path` (through a temporary file renamed into
** place, so a failure leaves no partial file). lang is "vi" or "en".
** Returns 0, CHISO_EIO or CHISO_ENOMEM and fills err. */
int export_xlsx(const rmodel *m, const char *lang, const char *path, chiso_err *err);

/* Write the Index table as CSV to f: code,name,region,score,score_lo,
** score_hi,rank,rank_lo,rank_hi,respondents, then one column per pillar
** id. Rows in rank order. `bom` adds the UTF-8 byte order mark and CRLF
** line ends (what Excel expects). Returns 0 or CHISO_EIO. */
int export_csv(const rmodel *m, FILE *f, int bom, chiso_err *err);

/* export_csv, and with prev = 1 two more columns after the pillars:
** prev_rank (the unit's rank in the previous year of the trend axis,
** rmodel_prev_year) and rank_change (prev_rank - rank: > 0 moved up),
** empty when unknown. Returns 0, CHISO_EDATA (rmodel_check), CHISO_EIO or
** CHISO_ENOMEM. */
int export_index_csv(const rmodel *m, FILE *f, int bom, int prev, chiso_err *err);

/* Write the model as JSON (rmodel_to_json) to f. Returns 0, CHISO_EIO or
** CHISO_ENOMEM. */
int export_json(const rmodel *m, FILE *f, chiso_err *err);

/* The region name (Vietnamese) and display name of unit i of the model,
** from the province registry; "" when the code is unknown. Borrowed. */
struct geo_registry;
const char *export_unit_name(const struct geo_registry *reg, const rmodel *m, size_t i);
const char *export_unit_region(const struct geo_registry *reg, const rmodel *m, size_t i,
                            const char *lang);

#endif
