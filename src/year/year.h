/* year.h — one stored year, loaded once.
**
** A year context reads the store once: the year's respondents (every
** survey import concatenated), the methodology they were coded with and
** its codebook, the external indicators, the imports and the synthetic
** mark. Everything else is derived on demand and kept, per set of units
** ("view": the year's own units, or the 34 units of 2025 for a year
** before 2025, re-estimated from the re-assigned microdata):
**   - the survey estimates of every domain (estimates.h);
**   - the unit x indicator table (unittable.h);
**   - the index: scores at every node, ranks, and why a unit is not
**     ranked (idx.h);
**   - the Rao-Wu bootstrap replicates of the index table (replicates.h).
** Every front-end workflow on a stored year (compute, estimate, divide,
** targets, series, uncertainty, the report, the demo, the server) works
** from a context instead of going back to the store. A context is not
** thread-safe: one thread at a time, or compute what is needed first and
** then only read. */
#ifndef CHISO_YEAR_H
#define CHISO_YEAR_H

#include "base/err.h"
#include "base/log.h"
#include "estimate/estimates.h"
#include "estimate/estimator.h"
#include "geo/geo.h"
#include "index/idx.h"
#include "survey/codebook.h"
#include "survey/store.h"
#include "year/unittable.h"

#include <stddef.h>
#include <stdint.h>

typedef struct year_options {
  const char *method;    /* NULL: the methodology stored with the year's
                            imports; else a file path or a shipped name. It
                            sets the index tree only: estimates always use
                            the stored codebook */
  const char *weights;   /* NULL or a weight table (idxio_load_weights) */
  idx_options run;       /* overrides of the model (weights set from
                            `weights`); year_options_init: none */
  int min_respondents;   /* 0: the codebook's design.min_respondents */
  int strata_by_province; /* 1: strata are province x stratum column */
  const char *population_file; /* NULL: no post-stratification; else a
                            population file (population.h), read with the year */
} year_options;

/* Fill *o with the defaults (stored methodology, no overrides). Cannot
** fail. */
void year_options_init(year_options *o);

/* The index of a year on one set of units. */
typedef struct year_result {
  geo_era era;
  size_t n_units;         /* units of the era, in code order */
  size_t n_nodes;         /* model->n_nodes */
  const idx_model *model; /* the year's methodology tree (borrowed from
                             the context) */
  idx_data *data;         /* unit codes, names (NFC), region ids as groups,
                             notes, one column per model indicator */
  const unittable *table; /* the table the data came from (borrowed) */
  idx_plan *plan;
  idx_workspace *ws;      /* the run; scores and ranks live here */
  const double *scores;   /* [node * n_units + i] */
  const int *rank;        /* n_units, 1 best, 0 unranked */
  char **note;            /* n_units: why unranked, "" when ranked */
  const long *respondents;/* n_units */
  int *region;            /* n_units: region index of the era */
  double *weights;        /* n_nodes weights in effect (NaN where the
                             model's level default or 1 applies) */
  const char **absent;    /* model indicators with no value for any unit */
  size_t n_absent;
  int min_respondents;    /* the minimum used for notes */
} year_result;

/* Bootstrap replicates of a year_result's table (docs/uncertainty.md §7). */
typedef struct year_replicates {
  double *tables;         /* n_replicates tables with idx_data's values
                             layout, back to back */
  size_t n_replicates;
  uint64_t seed;
  size_t n_replaced;      /* data columns that vary (survey indicators) */
  size_t n_fixed;         /* model indicators held fixed */
} year_replicates;

typedef struct year_ctx year_ctx;

/* Load `year` from store `st`: its respondents, methodology text and
** codebook, external indicators, imports and synthetic mark. `reg` is
** borrowed and must outlive the context; `o` is copied (its strings and
** population are borrowed; NULL: defaults); `st` is only read here. On
** success *out is new (year_free). Returns CHISO_ENOTFOUND when nothing is
** stored for the year (the message lists the stored years), CHISO_EDATA
** (mixed methodologies, a bad stored codebook), CHISO_EIO, CHISO_ENOMEM;
** *out is then NULL. */
int year_load(store *st, const geo_registry *reg, int year, const year_options *o, year_ctx **out,
              chiso_err *err);

/* Free a context and everything derived from it. NULL is a no-op. */
void year_free(year_ctx *y);

/* The calendar year, and the era of its own units. Cannot fail. */
int year_number(const year_ctx *y);
geo_era year_own_era(const year_ctx *y);

/* The registry the context was loaded with (borrowed). Cannot fail. */
const geo_registry *year_registry(const year_ctx *y);

/* 1 when a survey is stored for the year. Cannot fail. */
int year_has_survey(const year_ctx *y);

/* 1 when any survey import of the year carries the synthetic mark
** (store_is_synthetic). Cannot fail. */
int year_synthetic(const year_ctx *y);

/* The stored imports of the year, in id order (borrowed, *n of them). */
const store_import_info *year_imports(const year_ctx *y, size_t *n);

/* The stored methodology text and its SHA-256 (borrowed; NULL when the
** year has no survey). */
const char *year_method_json(const year_ctx *y);
const char *year_method_hash(const year_ctx *y);

/* The official-indicator files imported for the year, one
** "FILE<TAB>SHA-256<TAB>VALUES" line each (borrowed; NULL when none was
** noted: stores from before the note). Cannot fail. */
const char *year_indicator_files(const year_ctx *y);

/* The stored codebook (borrowed; NULL when the year has no survey). */
const codebook *year_codebook(const year_ctx *y);

/* The survey estimates of every domain on the units of `era`, computed
** once: the year's own units, or GEO_ERA_34 for a year before 2025 (the
** respondents re-assigned to their 2025 units, strata kept; with
** strata_by_province the strata are the FORMER province x stratum). *out
** is borrowed from the context and *survey (may be NULL) the respondents
** on those units. Returns CHISO_ENOTFOUND when the year has no survey,
** CHISO_EUSAGE for a 63-unit view of 2025 or later or for
** post-stratification by province on a re-assigned year, the errors of
** estimates_run_units. */
int year_estimates(year_ctx *y, geo_era era, const estimates **out, const survey_data **survey,
                   chiso_err *err);

/* The unit x indicator table on `era` (survey estimates, when there is a
** survey, and the external indicators), computed once. Borrowed. Errors
** of year_estimates (but a year without survey is fine) and of
** unittable_build. */
int year_table(year_ctx *y, geo_era era, const unittable **out, chiso_err *err);

/* The index on `era`, computed once: the model (year_options.method, else
** the stored methodology), the table as idx_data, the run with the
** options' overrides and weight file. Units below the minimum of
** respondents (or with none, when the year has a survey) are scored but
** not ranked, with a note ("12 respondents < 30", "no respondents").
** Borrowed. Returns CHISO_ENOTFOUND (no survey imported and no
** methodology given), CHISO_EDATA (a bad methodology or weight file),
** CHISO_EUSAGE (bad run options), and the errors of year_table. */
int year_result_get(year_ctx *y, geo_era era, const year_result **out, chiso_err *err);

/* R bootstrap replicates of the index table on `era` (Rao & Wu 1988,
** replicates_tables over the design of year_estimates), computed once per
** (era, R, seed): asking again with other R or seed recomputes. Same bytes
** for any thread count. Borrowed. Returns CHISO_ENOTFOUND (no survey:
** nothing to resample), CHISO_EUSAGE (R < 2), CHISO_EDATA (a stratum of
** one respondent), CHISO_ENOMEM, and the errors of year_result_get. */
int year_replicates_get(year_ctx *y, geo_era era, size_t R, uint64_t seed, int threads,
                        chiso_progress_fn progress, void *progress_ud,
                        const year_replicates **out, chiso_err *err);

/* Score of node `node` for unit i of a result (NaN when missing). */
double year_result_score(const year_result *r, int node, size_t i);

/* Index of the unit with this code in a result, or -1. */
long year_result_unit(const year_result *r, const char *code);

/* 1 when a model indicator of unit i is approximate: an external
** indicator of a pre-2025 year put on a merged 34-era unit as the weighted
** mean of its former provinces (unittable.approx); else 0. */
int year_result_approx(const year_result *r, size_t i);

#endif
