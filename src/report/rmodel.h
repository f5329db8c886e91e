/* rmodel.h — the report model: everything the publication layer (HTML
** report, map, charts, exports) shows, in one plain in-memory structure.
**
** The model is filled either from a JSON file (rmodel_load_json, the format
** documented in docs/report.md) or, by the front end, from the index
** engine, the survey store, the uncertainty and divide modules. All
** numbers use NaN for "not computed"; counts of 0 mean "section absent".
** Every string is owned by the model (chiso_strdup) and released by
** rmodel_free. */
#ifndef CHISO_RMODEL_H
#define CHISO_RMODEL_H

#include "base/err.h"

#include <stddef.h>

/* Bounds of the model: a year has at most 63 units (the 63 provinces up
** to 2024); the page and chart code keeps per-unit and per-pillar scratch
** arrays of these sizes. rmodel_check enforces them. */
#define RMODEL_MAX_UNITS 63
#define RMODEL_MAX_PILLARS 64

/* One node of the methodology tree (index, pillar or indicator). */
typedef struct rmodel_node {
  char *id;            /* e.g. "b2c", "email_use" */
  char *parent;        /* "" for the root */
  char *name_vi, *name_en;
  double weight;       /* weight within the parent (NaN when unknown) */
  int direction;       /* +1 or -1 (indicators), 0 when not applicable */
  char *normalisation; /* e.g. "minmax", "" when not applicable */
  char *aggregation;   /* e.g. "arithmetic", "" for leaves */
  char *unit;          /* indicators: "share" (a proportion 0..1, shown as %),
                          "percent" (already 0..100), "" (other) */
} rmodel_node;

/* One unit (province). Arrays have the model's n_pillars, n_indicators and
** n_years entries (NaN = missing). */
typedef struct rmodel_unit {
  char code[3];
  double score, score_lo, score_hi; /* 0-100, interval bounds may be NaN */
  int rank, rank_lo, rank_hi;       /* 1 = best, 0 = unknown */
  long n_resp;                      /* respondents, -1 when unknown */
  double *pillars;
  double *indicators;
  double *trend; /* the score in each of model->years */
  int *trend_rank; /* the rank in each of model->years (0 = unranked or
                      unknown); NULL when the model has none (older files) */
  unsigned char *trend_approx; /* 1 where that year's data of the unit
                      include a weighted mean of former provinces; NULL as
                      trend_rank */
  char *note_vi, *note_en; /* why the unit has no rank ("not ranked,
                      because ..."; under a top-N publication "score not
                      published ..."), "" when ranked and published */
  char *tier;      /* the id of the methodology's tier of the score
                      (model->tiers), "" when none */
  int withheld;    /* 1: ranked, but below the method's top N: its score
                      and rank are not published (JSON "published": false) */
} rmodel_unit;

/* A tier of the methodology (cut-offs on the index score, PCI style). */
typedef struct rmodel_tier {
  char *id, *name_vi, *name_en;
  double min; /* the lowest score of the tier */
} rmodel_tier;

typedef struct rmodel_measure {
  char *id;   /* "gini", "theil", "hnhcm_share", … */
  double value;
  double lo, hi; /* confidence interval (e.g. the bootstrap interval of the
                    HN+HCM share), NaN when none */
} rmodel_measure;

typedef struct rmodel_target {
  char *plan, *kpi, *desc_vi, *desc_en, *unit;
  char province[3];     /* "" for a national target */
  int target_year;
  double target, baseline, actual; /* NaN when not known */
  int actual_year;      /* the year of `actual`, 0 when unknown */
  int direction;        /* +1 higher is better, -1 lower */
  char *status;         /* "achieved", "on_track", "off_track", "no_data",
                           "no_baseline", "baseline_only";
                           "" lets rmodel_target_status decide */
  char *source;         /* where `actual` comes from: "survey" (chiso's
                           estimates), "published" (a published figure),
                           "file", or "" when unknown */
} rmodel_target;

typedef struct rmodel_shift {
  char code[3];
  double mean_abs, max_abs; /* mean and largest |rank change| */
} rmodel_shift;

typedef struct rmodel_sobol {
  char *factor, *label_vi, *label_en;
  double first, total; /* first-order and total-effect indices */
} rmodel_sobol;

typedef struct rmodel_import {
  char *file, *sha256, *kind;
  long rows;
} rmodel_import;

typedef struct rmodel {
  int year;
  int n_era_units;        /* 63 or 34: the unit set of the year */
  int synthetic;          /* 1 for demo / synthetic data */
  double interval_level;  /* confidence level of score_lo/hi and rank_lo/hi,
                             e.g. 0.90; NaN when unknown */
  char *method_id, *method_name_vi, *method_name_en, *method_hash;
  char *title_vi, *title_en; /* the publication's title: the methodology's
                                "title" or a --title; "" for the default */
  int hide_empty;         /* 1: units without a score or respondents are left
                             out of the tables, charts and profiles (the map keeps them) */
  char *normalisation, *aggregation; /* overall, for the appendix */

  size_t n_nodes;        rmodel_node *nodes;
  size_t n_pillars;      char **pillars;     /* node ids */
  size_t n_indicators;   char **indicators;  /* node ids */
  size_t n_years;        int *years;         /* trend axis, ascending */
  size_t n_units;        rmodel_unit *units;     /* at most 63, unique codes */

  /* The divide. */
  size_t n_measures;     rmodel_measure *measures;
  size_t n_lorenz;       double *lorenz_x, *lorenz_y; /* 0-1, ascending */
  size_t n_share;        int *share_years; double *share; /* HN+HCM share, % */
  double *share_lo, *share_hi; /* n_share interval bounds (%), NaN when none;
                                  both NULL when no year has one */
  double share_level;    /* confidence level of the share intervals, NaN */
  double *share_own;     /* n_share: the share on the units in force that year
                            (%) in a report whose `share` puts earlier years on
                            the 2025 units (a 34-unit report; from 2025 the same
                            figure), else NaN; NULL when none */
  int share_units;       /* the unit set of `share` (63 or 34); 0: n_era_units */
  double share_target;   /* the 50% line (NaN when absent) */

  size_t n_targets;      rmodel_target *targets;
  size_t n_shifts;       rmodel_shift *shifts;
  int shifts_crossed;    /* 1: the shifts come from runs crossing bootstrap
                            replicates of the microdata with method choices;
                            0: from method choices alone */
  size_t n_sobol;        rmodel_sobol *sobol;

  size_t n_imports;      rmodel_import *imports;
  char *seed;            /* as text so 64-bit seeds survive JSON */
  char *chiso_version;
  long min_respondents;  /* the small-sample warning threshold */
  size_t n_tiers;        rmodel_tier *tiers; /* the method's tiers, highest
                                                first; 0: none declared */
  int top_n;             /* the method publishes the scores and ranks of
                            its top N only (0: all); the other units keep
                            their tier and a note, their score is NaN */
} rmodel;

/* A new empty model (all counts 0, numbers NaN). Returns NULL when out of
** memory. Free with rmodel_free. */
rmodel *rmodel_new(void);

/* Free the model and everything it owns. NULL is a no-op. */
void rmodel_free(rmodel *m);

/* Read a model from a JSON file (see docs/report.md). On success *out is a
** new model the caller frees with rmodel_free. On failure returns
** CHISO_EIO (unreadable), CHISO_EDATA (bad JSON, unknown province code,
** arrays of the wrong length; err names the file, and the line and column
** for syntax errors) or CHISO_ENOMEM, and *out is NULL. */
int rmodel_load_json(const char *path, rmodel **out, chiso_err *err);

/* Same, from a NUL-terminated JSON text (borrowed); `name` is used in
** messages. Same contract as rmodel_load_json. */
int rmodel_parse_json(const char *text, const char *name, rmodel **out,
                      chiso_err *err);

/* Serialise the model as JSON with keys in a fixed order (2-space indent,
** trailing newline). On success *out is a new string the caller frees with
** chiso_free. Returns CHISO_ENOMEM on failure. */
int rmodel_to_json(const rmodel *m, char **out);

/* Check the model against the bounds the writers rely on: at most
** RMODEL_MAX_UNITS units with unique codes, RMODEL_MAX_PILLARS pillars, at
** most RMODEL_MAX_UNITS rank shifts, n_era_units 63 or 34. Returns 0, or
** CHISO_EDATA with err saying which bound is exceeded (nothing is written
** by html_write / exp_* then). */
int rmodel_check(const rmodel *m, chiso_err *err);

/* The node with this id, or NULL. Borrowed. */
const rmodel_node *rmodel_node_find(const rmodel *m, const char *id);

/* The node's display name in `lang` ("vi" or "en"), falling back to the
** other language and then the id. Never NULL. */
const char *rmodel_node_name(const rmodel *m, const char *id, const char *lang);

/* The unit with this code, or NULL. Borrowed. */
const rmodel_unit *rmodel_unit_find(const rmodel *m, const char *code);

/* A measure's value by id, NaN when absent. */
double rmodel_measure_value(const rmodel *m, const char *id);

/* The status of a target: its own status when set, else "no_data" without
** an actual, "achieved" when the actual meets the target in its direction,
** else "off_track". Never NULL. */
const char *rmodel_target_status(const rmodel_target *t);

/* Progress towards a target in [0, 1]: (actual - baseline) / (target -
** baseline) when a baseline is known, else actual / target (or target /
** actual for a "lower is better" target). NaN without an actual. */
double rmodel_target_progress(const rmodel_target *t);

/* Mean of the units' values of pillar `p` over the units for which
** `keep(unit index, ctx)` is true (all units when keep is NULL), skipping
** NaN. NaN when no value. */
double rmodel_pillar_mean(const rmodel *m, size_t p,
                          int (*keep)(size_t i, const void *ctx), const void *ctx);

/* The units with respondents (n_resp > 0); *known is set to 0 when no unit
** says (n_resp -1 everywhere: a model without survey counts). Cannot fail. */
size_t rmodel_units_surveyed(const rmodel *m, int *known);

/* The year of the trend axis just before the report year, 0 when none.
** Cannot fail. */
int rmodel_prev_year(const rmodel *m);

/* The rank of unit u in year `year` of the trend axis (0: unranked,
** unknown, or not a year of the axis). Cannot fail. */
int rmodel_trend_rank(const rmodel *m, const rmodel_unit *u, int year);

/* The tier with this id, or NULL (also for ""). Borrowed. */
const rmodel_tier *rmodel_tier_find(const rmodel *m, const char *id);

/* The tier's display name in `lang` ("vi" or "en"), falling back to the
** other language and then the id. Never NULL. */
const char *rmodel_tier_name(const rmodel_tier *t, const char *lang);

/* Why unit u has no rank or no published score, in `lang` ("vi" or
** "en"): "" when it is ranked and published. Never NULL. */
const char *rmodel_unit_note(const rmodel_unit *u, const char *lang);

/* Sort order of the units by rank (ties and unranked last, by tier when
** their score is withheld, then by code):
** fills order[0..n_units). Cannot fail. */
void rmodel_rank_order(const rmodel *m, size_t *order);

/* 1 when unit i is shown (in the tables, charts and profiles): always,
** or with m->hide_empty when it has a score or respondents. Cannot fail. */
int rmodel_unit_shown(const rmodel *m, size_t i);

/* The units the tables and charts show (rmodel_unit_shown), in rank
** order. Fills order[0..n) and returns n. Cannot fail. */
size_t rmodel_shown_order(const rmodel *m, size_t *order);

#endif
