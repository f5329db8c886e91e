/* indicators.h — external (official) indicators per province from a CSV,
** into the store. Two layouts: long code,indicator,value[,source] or wide
** code,IND1,IND2,...; the province column (code or province) holds codes
** or names in any spelling; empty values are missing. */
#ifndef CHISO_INDICATORS_H
#define CHISO_INDICATORS_H

#include "base/err.h"
#include "geo/geo.h"
#include "io/csvtable.h"
#include "survey/store.h"

#include <stddef.h>

/* The rows of an indicator file (the strings point into `table`). */
typedef struct indicators_rows {
  store_indicator *v;
  size_t n, cap;
  csvtable *table;
} indicators_rows;

/* Read and check the indicator file at `path` for `year`. On success *out
** is new (indicators_free). Returns CHISO_EDATA located FILE:ROW:COL (no
** province column, an unknown province, an empty indicator id, a bad
** number, no values), CHISO_EIO, CHISO_ENOMEM; *out NULL. */
int indicators_read(const char *path, const geo_registry *reg, int year, indicators_rows **out,
                    chiso_err *err);

/* Free rows. NULL is a no-op. */
void indicators_free(indicators_rows *r);

/* Note the indicator file at `path` (its base name, SHA-256 and the n
** values stored from it) as imported for `year` in the store's notes
** (key "indicator_files.YEAR", read back by year_indicator_files), a file
** of the same name replacing its earlier line: the report's provenance
** lists it. Returns 0, CHISO_EIO (the file or the store), CHISO_ENOMEM. */
int indicators_note_file(store *st, int year, const char *path, size_t n, chiso_err *err);

/* Read the file, then store its values for `year` in the store at db_path
** (created when missing) in one transaction, and note the file
** (indicators_note_file); nothing is written when the file has a problem.
** *n_values (may be NULL) receives the values stored. Errors of
** indicators_read, store_open and store_put_indicators. */
int indicators_import(const char *db_path, const geo_registry *reg, int year, const char *path,
                      size_t *n_values, chiso_err *err);

#endif
