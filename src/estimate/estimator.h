/* estimator.h — design-based estimation from survey microdata.
**
** The estimators are those of R's survey package (Lumley 2004, "Analysis
** of complex survey samples", J. Stat. Software 9(8); Lumley 2010, "Complex
** Surveys", ch. 2) for
**   svydesign(ids = ~1, strata = ~stratum, weights = ~weight)
** i.e. a stratified single-stage design sampled with replacement, with
** Taylor-linearised standard errors, and optionally
**   postStratify(design, ~cell, population, partial = TRUE).
** Every estimate is a domain estimate (a province, a region, the nation)
** computed as svyby(..., na.rm = TRUE) does: the whole design is kept and
** respondents outside the domain or without an answer contribute zero to
** the linearised variable, so the stratum sample sizes n_h are those of the
** whole sample. Strata with a single respondent use
** options(survey.lonely.psu = "adjust"). docs/survey.md gives the formulas.
**
** Usage: build an estimator_design once (estimator_design_new), then
**   - estimator_estimate_all for estimates, standard errors, n and weighted N;
**   - estimator_estimate_point for point estimates under another weight vector
**     (a bootstrap replicate): no allocation, read-only on the design, so
**     several threads may call it at once with their own buffers. */
#ifndef CHISO_ESTIMATOR_H
#define CHISO_ESTIMATOR_H

#include "survey/codebook.h"
#include "base/err.h"
#include "geo/geo.h"
#include "survey/survey.h"

#include <stddef.h>

typedef enum { ESTIMATOR_PROVINCE = 0, ESTIMATOR_REGION = 1, ESTIMATOR_NATION = 2 } estimator_level;

/* Known population counts for post-stratification. A cell is a province
** (code, or "" for any), a stratum name (or "" for any), or both; all
** cells of one table use the same keys. */
typedef struct estimator_population {
  size_t n;
  char (*province)[3]; /* n codes, "" when cells are not by province */
  char **stratum;      /* n stratum names, NULL when not by stratum */
  double *count;       /* n population counts (> 0) */
} estimator_population;

typedef struct estimator_options {
  int min_respondents;             /* a province below this is not ranked */
  int strata_by_province;          /* 1: strata = province x stratum column */
  const estimator_population *population; /* NULL: no post-stratification */
} estimator_options;

/* One indicator to estimate. `kind` is a codebook indicator kind; `y` the
** numerator variable, `x` the denominator variable (ratio only, else
** NULL), n values each, NaN when missing. The arrays and `id` are
** borrowed: they must outlive the design (copying 40 columns of a
** million rows would double the memory). */
typedef struct estimator_spec {
  const char *id;
  codebook_kind kind;
  const double *y;
  const double *x;
} estimator_spec;

typedef struct estimator_domain {
  estimator_level level;
  char code[16];     /* province code "01", region id "dbsh", or "VN" */
  const char *name;  /* borrowed from the registry: province or region name */
  long respondents;  /* respondents in the domain, answers or not */
  int ranked;        /* provinces: respondents >= min_respondents; else 1 */
} estimator_domain;

typedef struct estimator_cell {
  double estimate;   /* share 0..1, mean, total or ratio; NaN when no data */
  double se;         /* Taylor-linearised standard error; NaN when no data */
  long n;            /* respondents in the domain with an answer */
  double weighted_n; /* sum of their (final) weights */
} estimator_cell;

typedef struct estimator_design estimator_design;

/* Build the design: weights (the weight column, or 1 when there is none),
** post-stratified when opt->population is set; strata; the province,
** region and nation domains of the survey's year (provinces and regions
** that have respondents, in code order, then regions, then the nation);
** and the indicators `specs[0..n_specs)`. `reg` and the specs' arrays are
** borrowed and must outlive the design; the rest of `s` is only read
** during the call.
** Returns CHISO_EDATA (a weight that is not positive and finite, a province
** code unknown for the year, a post-stratum with respondents but no
** population count, a population cell that matches no respondent's keys
** is ignored), CHISO_EUSAGE (no respondents, a ratio without a
** denominator), CHISO_ENOMEM; *out is then NULL. Free with estimator_design_free. */
int estimator_design_new(const survey_data *s, const geo_registry *reg,
                   const estimator_spec *specs, size_t n_specs,
                   const estimator_options *opt, estimator_design **out, chiso_err *err);

/* estimator_design_new on the units of `era` rather than those of s->year: with
** GEO_ERA_34 for a survey of a year before 2025 whose respondents were
** re-assigned to the 2025 units by harmonise_survey_to_34 (s->province then
** holds 34-era codes); province, region and nation domains are those of
** the 34 units. Strata and weights are used as they are. Same contract
** as estimator_design_new; estimator_design_new(s, ...) is this with
** geo_era_for_year(s->year). */
int estimator_design_new_units(const survey_data *s, const geo_registry *reg, geo_era era,
                         const estimator_spec *specs, size_t n_specs,
                         const estimator_options *opt, estimator_design **out, chiso_err *err);

/* Indicators of a codebook turned into specs over the variables of `s`.
** share_yes and mean use the question's variable; share_any uses the
** variables "Q.OPT" of a multi question (1 when any option is 1, missing
** when all are missing) or the option indices of a single question;
** total and ratio use the question (and denominator) variables. Derived
** arrays are allocated in *owned (n_specs arrays, NULL where not needed).
** On success *specs_out (n = cb->n_indicators) and *owned are new arrays;
** free them with estimator_specs_free. Returns CHISO_EDATA naming an indicator
** whose question or option is not in the survey, or CHISO_ENOMEM. */
int estimator_specs_from_codebook(const survey_data *s, const codebook *cb,
                            estimator_spec **specs_out, double ***owned,
                            chiso_err *err);
void estimator_specs_free(estimator_spec *specs, double **owned, size_t n);

/* Free a design of estimator_design_new(_units) and its own arrays (the
** borrowed registry and spec arrays are not touched). NULL is a no-op.
** Cannot fail. */
void estimator_design_free(estimator_design *d);

/* Sizes: number of domains and of indicators; the domain i (borrowed). */
size_t estimator_domain_count(const estimator_design *d);
size_t estimator_indicator_count(const estimator_design *d);
const estimator_domain *estimator_domain_at(const estimator_design *d, size_t i);
const char *estimator_indicator_id(const estimator_design *d, size_t k);
codebook_kind estimator_indicator_kind(const estimator_design *d, size_t k);
/* Respondents in the design and their final weights (borrowed, n values). */
size_t estimator_respondents(const estimator_design *d);
const double *estimator_weights(const estimator_design *d);

/* Per respondent (n values, borrowed): the design's stratum, numbered
** 0..H-1 in order of first appearance (the stratum column, crossed with
** the province when opt->strata_by_province), and the province domain,
** the index i of estimator_domain_at (provinces are the first domains). For
** replicate weights (bootstrap.h). Cannot fail. */
const int *estimator_strata(const estimator_design *d);
const int *estimator_provinces(const estimator_design *d);
/* The spec of indicator k as given to estimator_design_new (borrowed). */
const estimator_spec *estimator_indicator_spec(const estimator_design *d, size_t k);

/* Estimates, standard errors, n and weighted N for every domain and
** indicator: out[i * n_indicators + k] for domain i, indicator k. `out`
** holds estimator_domain_count * estimator_indicator_count cells, owned by the caller.
** Returns 0 or CHISO_ENOMEM (scratch memory). */
int estimator_estimate_all(const estimator_design *d, estimator_cell *out, chiso_err *err);

/* Doubles of scratch space estimator_estimate_point needs. */
size_t estimator_point_work_size(const estimator_design *d);

/* Point estimates with the respondent weights `w` (n values, e.g. a
** bootstrap replicate of estimator_weights; used as they are, not
** post-stratified again) into out[i * n_indicators + k]. `work` holds
** estimator_point_work_size doubles. Allocates nothing and cannot fail; a
** domain with no answers (or a zero denominator) gives NaN. Cost: one pass
** over the answers of each indicator. */
void estimator_estimate_point(const estimator_design *d, const double *w, double *work,
                        double *out);

/* ---- stored statistics --------------------------------------------------------
** Every sum estimator_estimate_all takes from the rows (per province:
** weighted sums of y and x, weighted and plain counts; per (province,
** stratum) combo: the seven sums of the variance and the sums of w and
** w²; the stratum sizes), computed once, for example at import, so that
** the estimates and standard errors can be made again without the rows,
** with the same bits (docs/survey.md, "Stored statistics"). */

/* Encode the statistics of design d (from rows, without
** post-stratification) into a new buffer *out of *len bytes (chiso_free).
** Returns CHISO_EUSAGE (a post-stratified design, or one read from
** statistics) or CHISO_ENOMEM; *out is then NULL. */
int estimator_stats_encode(const estimator_design *d, unsigned char **out, size_t *len,
                           chiso_err *err);

/* A design read from statistics instead of rows: the same domains and
** indicators as estimator_design_new_units(s, reg, era, specs, ...) on the
** rows the statistics came from, and estimator_estimate_all gives the same
** cells bit for bit. Only the ids and kinds of `specs` are used (their
** arrays may be NULL); specs and reg are borrowed and must outlive the
** design. The design has no rows: estimator_weights, estimator_strata and
** estimator_provinces return NULL and estimator_estimate_point must not be
** called (estimator_design_has_rows). Returns CHISO_ENOTFOUND when the
** statistics are for other units, options (post-stratification,
** strata_by_province) or indicators (the caller then uses the rows),
** CHISO_EDATA for a damaged blob, CHISO_ENOMEM; *out is then NULL. */
int estimator_design_from_stats(const unsigned char *blob, size_t len, const geo_registry *reg,
                                geo_era era, const estimator_spec *specs, size_t n_specs,
                                const estimator_options *opt, estimator_design **out,
                                chiso_err *err);

/* 0 for a design read from statistics, 1 for one built on rows. Cannot fail. */
int estimator_design_has_rows(const estimator_design *d);

#endif
