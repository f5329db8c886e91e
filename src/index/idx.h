/* idx.h — the composite index engine: a tree of indicators and aggregates,
** and the pipeline screen → impute → treat → normalise → aggregate → rank.
**
** Three objects:
**   idx_model  the methodology (tree, methods, parameters); read from a
**              methodology file (idxio.h) or built in memory;
**   idx_data   a unit × indicator table (NaN = missing), e.g. survey
**              estimates per province merged with official indicators;
**   idx_plan   a model bound to a data table: immutable, shareable between
**              threads; and idx_workspace, the per-thread scratch memory in
**              which idx_run recomputes the whole index without allocating.
**
** Node numbering: idx_model_finish puts the indicators first (in the order
** they were declared), then the aggregates bottom-up, the root last. That
** index is used everywhere (weights, scores, options). See
** docs/methodology.md for every formula. */
#ifndef CHISO_IDX_H
#define CHISO_IDX_H

#include "base/err.h"

#include <stddef.h>

/* ---- methods ------------------------------------------------------------ */

typedef enum {
  IDX_NORM_MINMAX = 0,    /* (v-min)/(max-min) scaled to [a,b] (COINr n_minmax) */
  IDX_NORM_ZSCORE = 1,    /* (v-mean)/sd * b + a, sample sd (COINr n_zscore) */
  IDX_NORM_RANK = 2,      /* rank, ties share the smallest (COINr n_rank) */
  IDX_NORM_PRANK = 3,     /* (rank-1)/(n-1) scaled to [a,b] (COINr n_prank) */
  IDX_NORM_GOALPOSTS = 4, /* (x-low)/(target-low) clamped, scaled to [a,b] */
  IDX_NORM_FRACMAX = 5,   /* v/max scaled to [a,b] (COINr n_fracmax) */
  IDX_NORM_DIST2MAX = 6,  /* 1-(max-v)/(max-min) scaled to [a,b] */
  IDX_NORM_DIST2REF = 7,  /* 1-(ref-v)/(ref-min) scaled to [a,b] */
  IDX_NORM_NONE = 8,      /* direction × value, unchanged */
  IDX_NORM_DIST2TARG = 9, /* (v-min)/(target-min) scaled to [a,b], target per
                             indicator (COINr n_dist2targ with iMeta's Target) */
  IDX_NORM_COUNT = 10
} idx_norm;

typedef enum {
  IDX_AGG_ARITHMETIC = 0, /* weighted arithmetic mean (COINr a_amean) */
  IDX_AGG_GEOMETRIC = 1,  /* weighted geometric mean (COINr a_gmean), floored */
  IDX_AGG_HARMONIC = 2,   /* weighted harmonic mean (COINr a_hmean), floored */
  IDX_AGG_POWER = 3,      /* weighted power mean with exponent p */
  IDX_AGG_COUNT = 4
} idx_agg;

typedef enum {
  IDX_IMP_NONE = 0,
  IDX_IMP_MEAN = 1,         /* mean of the indicator over active units */
  IDX_IMP_MEDIAN = 2,
  IDX_IMP_GROUP_MEAN = 3,   /* mean within the unit's group (region) */
  IDX_IMP_GROUP_MEDIAN = 4,
  IDX_IMP_COUNT = 5
} idx_impute;

typedef enum {
  IDX_TX_NONE = 0,
  IDX_TX_LOG = 1,    /* ln(x); x <= 0 becomes missing */
  IDX_TX_LOG_CT = 2  /* ln(x - min + 0.01 (max - min)) (COINr log_CT) */
} idx_transform;

/* Parse/name the methods ("minmax", "arithmetic", "group_median", "log"...).
** The parsers return -1 for an unknown name; names are never NULL. */
int idx_norm_parse(const char *s);
const char *idx_norm_name(idx_norm m);
int idx_agg_parse(const char *s);
const char *idx_agg_name(idx_agg m);
int idx_impute_parse(const char *s);
const char *idx_impute_name(idx_impute m);
int idx_transform_parse(const char *s);
const char *idx_transform_name(idx_transform t);

/* A normalisation: method plus its two parameters a, b: the target range
** [a, b] (minmax, prank, goalposts, fracmax, dist2max, dist2ref) or the
** target mean a and sd b (zscore). */
typedef struct idx_normspec {
  idx_norm method;
  double a, b;
  char *ref_unit; /* dist2ref: code of the reference unit (owned) */
  int cap;        /* dist2ref: cap scores above the reference at b */
} idx_normspec;

/* ---- the model ------------------------------------------------------------ */

typedef struct idx_node {
  char *id;
  char *name_vi, *name_en;
  char *parent_id;     /* NULL for the root */
  int parent;          /* node index, -1 for the root (set by idx_model_finish) */
  int is_indicator;    /* 1 for a leaf */
  int level;           /* 1 for indicators, 1 + highest child level otherwise */
  double weight;       /* > 0; NaN = take the level's or 1 */
  int direction;       /* +1 or -1 */
  /* indicators */
  int has_norm;        /* 1: `norm` overrides the model default */
  idx_normspec norm;
  double gp_low, gp_high, gp_target; /* goalposts; NaN when not given */
  idx_transform transform;  /* applied before everything else */
  int treat;           /* -1 = model default, 0 = never, 1 = winsorise */
  char *measures;      /* what it measures (documentation) */
  char *source;        /* "survey", "VNNIC", ... (documentation) */
  char **cite;         /* ids of the model's references that justify the
                          node's weight and placement (n_cite of them) */
  size_t n_cite;
  char *denominator;   /* COINr iMeta Denominator: the data column this
                          indicator is divided by when denomination is on */
  double scale_factor; /* COINr denomby ScaleFactor (the denominator is
                          divided by it); 1 by default */
  int cap_target;      /* 1: dist2targ caps this indicator at the target
                          (COINr iMeta dist2targ_cap_max) */
  /* aggregates */
  int agg_set;         /* 1 when `agg`/`power` were given for this node */
  idx_agg agg;
  double power;        /* exponent of IDX_AGG_POWER */
  double min_data;     /* data availability threshold 0..1 (NaN = none) */
  int first_child, n_children; /* into idx_model.children */
  long src_row, src_col; /* where it was declared, for errors */
  long col_parent, col_weight, col_direction; /* columns of those fields (0 = src_col) */
} idx_node;

/* A reference the methodology cites (a published source, or chiso's own
** documented choice). */
typedef struct idx_ref {
  char *id, *title, *url;  /* url NULL for chiso's own choices */
} idx_ref;

/* A declarative ranking rule on an official indicator: a unit whose raw
** value (before imputation) is below `min` or above `max`, or missing, is
** not ranked (the EBI leaves out provinces whose .vn domains per 1,000
** people are too low). */
typedef struct idx_rank_rule {
  char *indicator;   /* node id */
  int node;          /* its index (set by idx_model_finish) */
  double min, max;   /* NaN = no bound */
  long src_row, src_col; /* where it was declared, for errors */
} idx_rank_rule;

/* A tier of the index score: units with root score >= min (and below the
** next tier up) belong to it. Tiers are kept sorted by min, highest first. */
typedef struct idx_tier {
  char *id, *name_vi, *name_en;
  double min;
  long src_row, src_col;
} idx_tier;

/* Per-level defaults: a weight and an aggregation for every node of that
** level that does not set its own. */
typedef struct idx_level {
  int level;
  double weight;   /* NaN = not set */
  int agg_set;
  idx_agg agg;
  double power;
} idx_level;

typedef struct idx_model {
  char *id, *name_vi, *name_en, *version;
  char *source;               /* file name, for error messages */
  idx_node *nodes;
  size_t n_nodes, cap_nodes;
  size_t n_ind;               /* indicators are nodes 0 .. n_ind-1 */
  int root;                   /* n_nodes - 1 after finish */
  int *children;              /* child lists, see idx_node.first_child */
  idx_level *levels;
  size_t n_levels;
  /* defaults */
  idx_normspec norm;          /* default normalisation */
  idx_agg agg;                /* default aggregation */
  double power;
  idx_impute impute;
  int winsorise;              /* 1: COINr winsorisation of every indicator */
  int winmax;                 /* at most this many points (COINr default 5) */
  double skew_max, kurt_max;  /* 2 and 3.5 */
  int log_fallback;           /* 1: log_CT when winsorising does not suffice */
  int denominate;             /* 1: the methodology asks for its indicators'
                                 denominators to be applied (idx_data_denominate) */
  double min_data;            /* unit screening: share of indicators needed */
  double geo_floor;           /* floor for geometric/harmonic means */
  /* the ranking rule, tiers and publication (docs/methodology.md) */
  int min_respondents;        /* a unit with fewer (idx_data.respondents) is
                                 not ranked; 0 = no rule in the model */
  idx_rank_rule *rules;
  size_t n_rules;
  idx_tier *tiers;            /* highest min first */
  size_t n_tiers;
  int top_n;                  /* publish scores and ranks of the top N only
                                 (0 = all), as PCI since 2023 */
  idx_ref *refs;              /* references the nodes cite */
  size_t n_refs;
  int finished;
} idx_model;

/* A new empty model with the defaults: minmax to [0,100], arithmetic
** mean, no imputation, no treatment (winmax 5, |skew| 2, kurtosis 3.5),
** no screening, geometric floor 1% of the range width. NULL on out of
** memory. Free with idx_model_free. */
idx_model *idx_model_new(void);
void idx_model_free(idx_model *m);

/* Append a node with this id and parent id (NULL for the root); the
** strings are copied. Returns the node (valid until the next add) or NULL
** on out of memory. Other fields keep their defaults (weight NaN,
** direction +1, NaN goalposts and thresholds). */
idx_node *idx_model_add(idx_model *m, const char *id, const char *parent_id);

/* Link and check the tree: every parent exists, ids are unique, exactly
** one root, no cycle, weights > 0, directions ±1, goalposts low < high.
** Reorders the nodes (indicators first, aggregates bottom-up, root last),
** computes levels and applies the level defaults. Returns CHISO_EDATA with
** the offending node's declared location (src_row/src_col in m->source),
** or CHISO_ENOMEM. On failure the model is left unusable. */
int idx_model_finish(idx_model *m, chiso_err *err);

/* The index of the node with this id, or -1. */
int idx_model_find(const idx_model *m, const char *id);

/* The normalisation in effect for indicator k (its own or the default). */
const idx_normspec *idx_model_norm(const idx_model *m, int k);

/* Append a ranking rule on indicator `id` (copied; resolved by
** idx_model_finish), a tier (strings copied; sorted by finish) or a
** reference. Return the new entry (valid until the next append of that
** kind) or NULL on out of memory. */
idx_rank_rule *idx_model_add_rule(idx_model *m, const char *id);
idx_tier *idx_model_add_tier(idx_model *m, const char *id);
idx_ref *idx_model_add_ref(idx_model *m, const char *id);
/* The reference with this id, or NULL. */
const idx_ref *idx_model_ref(const idx_model *m, const char *id);
/* The tier of a root score: an index into m->tiers, or -1 when the model
** has no tiers, the score is NaN or below the lowest tier. Cannot fail. */
int idx_model_tier(const idx_model *m, double score);
/* 1 when a unit of this rank (0 = unranked) is published under the
** model's top-N option. Cannot fail. */
int idx_model_published(const idx_model *m, int rank);

/* ---- data ------------------------------------------------------------------ */

/* A unit × column table. values are column-major: values[c * n_units + i]
** is column c of unit i (NaN = missing). Strings are owned by the table. */
typedef struct idx_data {
  size_t n_units, n_cols;
  char **code;    /* unit codes (e.g. "01"), unique */
  char **name;    /* display names */
  char **group;   /* group (region) per unit, NULL = none */
  char **note;    /* a reason not to rank the unit given by the caller,
                     NULL = may be ranked */
  long *respondents; /* survey respondents per unit, -1 = unknown (no
                     survey): the ranking rule's minimum applies to >= 0,
                     and a unit with 0 is never ranked */
  int min_respondents; /* the minimum in force: -1 (idx_data_new) = the
                     model's ranking rule; else this one (0 = none), e.g.
                     a command-line override or the codebook's */
  char **col_id;  /* indicator ids */
  double *values;
  long *src_row;  /* source row of each unit (0 when built in memory) */
} idx_data;

/* A table of n_units × n_cols, all values NaN and all strings NULL. NULL on
** out of memory. Free with idx_data_free. */
idx_data *idx_data_new(size_t n_units, size_t n_cols);
void idx_data_free(idx_data *d);

/* Set unit i's code, name and group (group may be NULL); strings copied.
** Returns 0 or CHISO_ENOMEM. */
int idx_data_set_unit(idx_data *d, size_t i, const char *code, const char *name,
                      const char *group);
/* Mark unit i as not to be ranked, with a reason (copied); NULL clears.
** Returns 0 or CHISO_ENOMEM (the old note is then kept). */
int idx_data_set_note(idx_data *d, size_t i, const char *note);
/* Set unit i's number of survey respondents (-1 = unknown). Cannot fail. */
void idx_data_set_respondents(idx_data *d, size_t i, long n);
/* Set column c's indicator id (copied). Returns 0 or CHISO_ENOMEM. */
int idx_data_set_col(idx_data *d, size_t c, const char *id);
/* The column with this id, or -1. */
int idx_data_col(const idx_data *d, const char *id);
/* Indicators of m that name a denominator (COINr iMeta Denominator).
** Cannot fail. */
size_t idx_model_denominated(const idx_model *m);
/* COINr's Denominate step, in place: every indicator of m with a
** denominator becomes value / (denominator / scale_factor), the
** denominator being a column of d; a zero or missing denominator gives
** NaN. Call it once, before idx_plan_new. Returns 0, or CHISO_EDATA when a
** denominator column is not in d (d is then unchanged). */
int idx_data_denominate(const idx_model *m, idx_data *d, chiso_err *err);
/* Pointer to the value of column c, unit i. */
double *idx_data_at(idx_data *d, size_t c, size_t i);

/* ---- plan, workspace, run --------------------------------------------- */

typedef struct idx_plan idx_plan;
typedef struct idx_workspace idx_workspace;

/* Bind a finished model to a data table: map every indicator to its data
** column, groups to small integers, the dist2ref reference units to rows.
** Both are borrowed and must outlive the plan. Returns CHISO_EDATA when an
** indicator has no column ("indicator X is not in the data"), a reference
** unit is unknown or unit codes repeat; CHISO_ENOMEM. Free with
** idx_plan_free. The plan is read-only afterwards: any number of threads
** may run it, each with its own workspace. */
int idx_plan_new(const idx_model *m, const idx_data *d, idx_plan **out,
                 chiso_err *err);
void idx_plan_free(idx_plan *p);
const idx_model *idx_plan_model(const idx_plan *p);
/* 1 when ranking rule r is applied: its indicator has a value for some
** unit of the plan's data (a rule on an indicator absent from the data,
** e.g. a survey without official indicators, is not applied; callers say
** so). Cannot fail. */
int idx_plan_rule_applied(const idx_plan *p, size_t r);
const idx_data *idx_plan_data(const idx_plan *p);

/* All the scratch memory one run needs. NULL on out of memory. Free with
** idx_workspace_free. One per thread; reusing it keeps sorts cheap (the
** previous orders are the starting point). */
idx_workspace *idx_workspace_new(const idx_plan *p);
void idx_workspace_free(idx_workspace *ws);

/* Keep the treated and normalised indicators of up to `slots` earlier
** settings per indicator (keyed by the data table pointer, the active
** units, imputation, treatment and normalisation) and reuse them in later
** runs, with the logs the geometric mean needs: runs that vary only the
** weights or the aggregation cost a fraction of a full run. Results are
** bit-identical to uncached runs. Contract: while the cache is on, the
** values behind the plan's data and any idx_options.values passed must not
** change (a new pointer is a new table). slots <= 0 turns it off (and
** frees it). Memory: 3 · slots · n_ind · n_units doubles. Returns 0 or
** CHISO_ENOMEM (the cache is then off). */
int idx_workspace_cache(idx_workspace *ws, int slots);

/* Per-run overrides. idx_options_init sets "as in the model" everywhere. */
typedef struct idx_options {
  const double *weight_mult; /* n_nodes multipliers of the node weights, or NULL */
  const double *weights;     /* n_nodes absolute weights replacing the model's
                                (NaN = keep), or NULL; applied before weight_mult */
  int norm;                  /* -1 or an idx_norm for every indicator */
  double norm_a, norm_b;     /* its range (or mean, sd); NaN = model default */
  int agg;                   /* -1 or an idx_agg for every aggregate */
  double agg_power;          /* exponent with IDX_AGG_POWER (NaN = 2) */
  int winsorise;             /* -1 model, 0 off, 1 on */
  int winmax;                /* -1 model, else the limit */
  int impute;                /* -1 or an idx_impute */
  int exclude;               /* -1 or an indicator (node) index to leave out */
  const double *values;      /* replacement table with idx_data's layout
                                (n_cols × n_units, column-major), or NULL */
  int root_only;             /* 1: the caller reads only the root's scores and
                                the ranks of this run: the indicator rows of
                                idx_scores and idx_treated may then hold an
                                earlier run's values (cached indicators,
                                idx_workspace_cache, are read in place) */
} idx_options;

/* Set every field of *o to "as in the model": NULL arrays, -1 choices,
** NaN parameters. Cannot fail; *o is caller-owned. */
void idx_options_init(idx_options *o);

/* Why a unit has no rank. */
typedef enum {
  IDX_RANKED = 0,
  IDX_UNRANKED_NOTE = 1,   /* the data said so (idx_data.note) */
  IDX_UNRANKED_DATA = 2,   /* too few indicators overall (model min_data) */
  IDX_UNRANKED_NODE = 3,   /* too few indicators under an aggregate node */
  IDX_UNRANKED_NOSCORE = 4, /* no index score at all */
  IDX_UNRANKED_RESPONDENTS = 5, /* fewer respondents than the minimum */
  IDX_UNRANKED_RULE = 6     /* an official indicator fails the ranking rule
                               (idx_unranked_reason's *node is the rule index) */
} idx_unranked;

/* Recompute the whole index in ws. Allocates nothing. Returns 0, or
** CHISO_EUSAGE for an invalid option (bad method number, exclude out of
** range, a multiplier < 0). Results stay in ws until the next run. */
int idx_run(const idx_plan *p, idx_workspace *ws, const idx_options *opt,
            chiso_err *err);

/* Results of the last run. Scores: node n (0..n_nodes-1) for unit i at
** scores[n * n_units + i]; rows 0..n_ind-1 are the normalised indicators
** (NaN = missing). The pointers are borrowed from ws. */
const double *idx_scores(const idx_workspace *ws);
double idx_score(const idx_workspace *ws, int node, size_t unit);
/* Rank by the root (1 = best, ties share the smallest); 0 = unranked. */
const int *idx_ranks(const idx_workspace *ws);
/* Why unit i is unranked, and which node caused it (or -1). */
idx_unranked idx_unranked_reason(const idx_workspace *ws, size_t unit, int *node);
/* The reason as text, "not ranked, because ..." (e.g. "not ranked,
** because B2B: data for 1 of 3 indicators (33%) < 50%") into buf of size
** n; "" for a ranked unit. idx_unranked_text_lang writes it in `lang`
** ("vi" or "en"; anything else is English). Cannot fail. */
void idx_unranked_text(const idx_plan *p, const idx_workspace *ws, size_t unit,
                       char *buf, size_t n);
void idx_unranked_text_lang(const idx_plan *p, const idx_workspace *ws, size_t unit,
                            const char *lang, char *buf, size_t n);
/* The values after imputation and treatment, before normalisation:
** indicator k of unit i at [k * n_units + i]. Borrowed. */
const double *idx_treated(const idx_workspace *ws);
/* Number of points winsorised in indicator k by the last run, and in
** *logged (may be NULL) 1 when log_CT was used. Cannot fail. */
int idx_treated_points(const idx_workspace *ws, int k, int *logged);

/* How many values the last run raised to the model's geometric_floor in a
** geometric, harmonic or power (p <= 0) mean, and in *negative (may be
** NULL) how many of them were below 0 (a root_only run counts none in its
** geometric means). Cannot fail. */
size_t idx_floored(const idx_workspace *ws, size_t *negative);

/* The check of a single run (not of Monte Carlo draws): a geometric or
** harmonic mean of a value below 0 is undefined (COINr's a_gmean refuses
** it): returns CHISO_EDATA saying how many and what to use instead. Values
** in [0, floor) raised to the floor are allowed, and said in note[0..n)
** (may be NULL; "" when none). Returns 0 otherwise. */
int idx_check_means(const idx_plan *p, const idx_workspace *ws, char *note, size_t n,
                    chiso_err *err);

/* ---- the root again, at other weights ------------------------------------
** A run keeps in a "root state" what the root's aggregate reads: the
** scores of the root's children, the root's data counts and why each unit
** is unranked. idx_run_root then aggregates the root again from such a
** state with other options (the root children's weights, the aggregation)
** and ranks: for options whose weights are positive wherever the saved
** run's were, and that equal the saved run's below the root's children,
** the root's scores, the ranks and the reasons are bit for bit those of
** idx_run with the same options (the levels below do not read the root's
** weights). A Monte Carlo what-if re-weights hundreds of runs this way at
** the cost of one aggregate each (montecarlo_prepare). */

/* Bytes of one root state of plan p (a multiple of 8). Cannot fail. */
size_t idx_root_state_size(const idx_plan *p);

/* Save what the root of the last run of ws read into state (root state
** size bytes, 8-byte aligned, caller-owned). Cannot fail. */
void idx_root_state_save(const idx_plan *p, const idx_workspace *ws, void *state);

/* Aggregate the root again from a saved state with options opt (as
** idx_run; the data options, values and normalisation, are not read) and
** rank, into ws: idx_scores' root row, idx_ranks and idx_unranked_reason
** are then valid; the other rows hold what an earlier run left, and
** idx_floored counts nothing. state is only read (any number of threads
** may share it). Returns 0, or the CHISO_EUSAGE of idx_run for a bad
** option. */
int idx_run_root(const idx_plan *p, idx_workspace *ws, const idx_options *opt, const void *state,
                 chiso_err *err);

/* Rank units by any node of the last run into ranks[n_units] (1 best, ties
** share the smallest, 0 for NaN or an inactive unit). */
void idx_rank_node(const idx_plan *p, const idx_workspace *ws, int node, int *ranks);

/* ---- statistics shared with the audit ---------------------------------- */

/* Sample skewness and kurtosis as COINr (type 2, as Excel's SKEW and
** KURT; e1071 type 2) over the non-NaN values. NaN with fewer than 3 / 4
** values or zero variance. */
double idx_skew(const double *x, size_t n);
double idx_kurt(const double *x, size_t n);

#endif
