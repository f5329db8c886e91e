/* idxio.h — reading and writing the index engine's inputs: methodology
** files (the "tree" of docs/methodology.md), COINr's iMeta/iData tables,
** native data tables and weight tables.
**
** Every reader reports bad input as CHISO_EDATA with FILE:ROW:COL (the
** 1-based line and column for JSON, the 1-based row and field number for
** CSV) and returns nothing partial. */
#ifndef CHISO_IDXIO_H
#define CHISO_IDXIO_H

#include "base/err.h"
#include "index/idx.h"

#include <stdio.h>

/* Parse the "tree" object of a methodology JSON text (the "codebook" and
** every other top-level key are ignored) into a finished model. `name` is
** used in error messages and kept as m->source. On success *out is a new
** model (free with idx_model_free). Returns CHISO_EDATA (bad JSON, unknown
** key or method, an invalid tree: cycle, unknown parent, duplicate id,
** weight <= 0), or CHISO_ENOMEM; *out is then NULL. */
int idxio_parse_method(const char *json, size_t len, const char *name, idx_model **out,
                       chiso_err *err);

/* Load a methodology by file path, or by the name of a shipped one
** ("ebi-2021", "ebi-2021.json", embedded from data/methods/). A path that
** exists wins over a shipped name. Same results as idxio_parse_method, plus
** CHISO_EIO when neither a file nor a shipped method has that name. */
int idxio_load_method(const char *path_or_name, idx_model **out, chiso_err *err);

/* Read a COINr iMeta table (columns Level, iCode, iName, Direction, Weight,
** Parent, Type; others ignored; Type Indicator or Aggregate make nodes,
** Group, Denominator and Other are skipped). The model gets COINr's
** defaults: minmax to [0,100] and the arithmetic mean. On success *out is
** a finished model. Errors as idxio_parse_method, located in the CSV. */
int idxio_load_imeta(const char *path, idx_model **out, chiso_err *err);

/* Read a unit table for model m: a code column (uCode or code), a name
** column (uName or name, optional), an optional group column (Group,
** region, or the first column ending in "_group"), an optional Time
** column (one value only), and one column per indicator of m; other
** columns are ignored. Blank, NA and NaN are missing. On success *out is a
** new table (free with idx_data_free). Returns CHISO_EIO (unreadable),
** CHISO_EDATA (no code column, a missing indicator column, a repeated
** code, a non-numeric value, several Time values) or CHISO_ENOMEM. */
int idxio_load_data(const char *path, const idx_model *m, idx_data **out, chiso_err *err);

/* Read a weight table (columns iCode or id, and Weight or weight) into
** weights[m->n_nodes], which the caller fills with NaN first; nodes not in
** the file keep NaN. Returns CHISO_EDATA for an unknown id, a non-numeric
** weight or a weight <= 0, CHISO_EIO, CHISO_ENOMEM. */
int idxio_load_weights(const char *path, const idx_model *m, double *weights, chiso_err *err);

/* Write m as a methodology JSON document (id, name, version, tree) to f.
** Returns 0 or CHISO_EIO / CHISO_ENOMEM. */
int idxio_write_method(const idx_model *m, FILE *f, chiso_err *err);

#endif
