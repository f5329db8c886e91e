/* yearset.h — every stored year of a store, each loaded once, on demand.
**
** The workflows that span years (the series, plan targets judged with
** chiso's own estimates, the report's trend and divide, the demo) ask a
** set for a year; the first ask loads it (year_load), later asks reuse the
** same context, so each stored block is read at most once per year. The
** store must stay open while the set lives. Not thread-safe. */
#ifndef CHISO_YEARSET_H
#define CHISO_YEARSET_H

#include "year/year.h"

/* A lazily loaded set of the stored years. */
typedef struct yearset yearset;

/* A set over the years stored in `st` (store_years), every year loaded
** with options `o` (copied; NULL: defaults). `st` and `reg` are borrowed
** and must outlive the set. On success *out is new (yearset_free).
** Returns CHISO_EIO or CHISO_ENOMEM, *out NULL. */
int yearset_open(store *st, const geo_registry *reg, const year_options *o, yearset **out,
                 chiso_err *err);

/* Free the set and every context it loaded. NULL is a no-op. */
void yearset_free(yearset *s);

/* The options the years are loaded with (borrowed). Cannot fail. */
const year_options *yearset_options(const yearset *s);

/* Every stored import, in id order (store_list, read once at open;
** borrowed, *n of them). Cannot fail. */
const store_import_info *yearset_imports(const yearset *s, size_t *n);

/* The stored years, ascending (borrowed, *n of them). Cannot fail. */
const int *yearset_years(const yearset *s, size_t *n);

/* The context of `year`, loaded on the first ask (borrowed: valid until
** the set is freed). Returns CHISO_ENOTFOUND when the year is not stored
** (the message lists the stored years) and the errors of year_load. */
int yearset_get(yearset *s, int year, year_ctx **out, chiso_err *err);

/* *out = 1 when the survey imports of any stored year carry the synthetic
** mark (store_year_synthetic; nothing is loaded), else 0. Returns 0,
** CHISO_EIO or CHISO_ENOMEM. */
int yearset_synthetic(yearset *s, int *out, chiso_err *err);

/* *out = 1 when the survey imports of `year` carry the synthetic mark,
** else 0; nothing is loaded. Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int yearset_year_synthetic(yearset *s, int year, int *out, chiso_err *err);

#endif
