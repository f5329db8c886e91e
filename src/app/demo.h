/* demo.h — `chiso demo`: a whole workspace from SYNTHETIC data. Surveys
** for 2020–2025 (crossing 63 → 34 units) and official indicators are
** generated, imported into DIR/chiso.db, the index is computed for every
** year with ebi-2021 (fixed goalposts, so years are comparable) and every
** output is written under DIR/results, each marked as synthetic. */
#ifndef CHISO_DEMO_H
#define CHISO_DEMO_H

#include "base/err.h"
#include "geo/geo.h"
#include "base/log.h"
#include "year/yearset.h"

#include <stddef.h>
#include <stdint.h>

#define DEMO_FIRST_YEAR 2020
#define DEMO_LAST_YEAR 2025
#define DEMO_N_YEARS (DEMO_LAST_YEAR - DEMO_FIRST_YEAR + 1)
#define DEMO_METHOD "ebi-2021"
#define DEMO_RUNS 200       /* method-uncertainty runs of the last year */
#define DEMO_REPLICATES 200 /* bootstrap replicates of the last year's intervals (the
                               report's default); the HN+HCM share takes the divide's
                               default (500), as `chiso divide`, `chiso report` and the
                               dashboard do, so all of them give the same interval */

typedef struct demo_options {
  const char *dir;        /* workspace directory (created when missing) */
  long respondents;       /* per year (>= 4 per unit) */
  uint64_t seed;
  int threads;            /* synth threads, 0 = one per CPU; output does not depend on it */
  chiso_progress_fn progress; /* may be NULL */
  void *userdata;
} demo_options;

/* One year of the demo. */
typedef struct demo_year {
  int year;
  size_t n_units, n_ranked;
  double mean;            /* mean index score of the ranked units */
  double hn_hcm_share;    /* HN + HCM share of estimated online sales (0..1) */
  double share_lo, share_hi; /* its bootstrap interval, NaN when none */
  double share_level;     /* the interval's level */
  double share_34;        /* the share re-estimated on the 34 units of 2025 (0..1),
                             as the report's chart and workbook show it */
  double gini;            /* Gini of the ranked units' scores */
  const year_result *result; /* the year's index (borrowed from the summary's
                             stored years) */
} demo_year;

/* A KPI of the national plans judged with the demo's estimates. */
typedef struct demo_target {
  char plan[64], kpi[64], status[16];
  double target, actual;  /* actual NaN when none */
  int target_year, actual_year;
} demo_target;

typedef struct demo_summary {
  demo_year years[DEMO_N_YEARS];
  const year_result *latest; /* the last year's index (borrowed from `years`) */
  yearset *stored;         /* the stored years (owned) */
  store *st;               /* the demo store (owned; the set reads it) */
  int *rank_lo, *rank_hi; /* latest->n_units rank intervals (owned), 0 = none */
  double interval_level;  /* their level (UNCERTAINTY_LEVEL) */
  demo_target *targets;   /* n_targets (owned) */
  size_t n_targets;
  char db[4096], results[4096]; /* paths written */
  char report[4096], report_en[4096], xlsx[4096]; /* report dirs, workbook */
  char pdf[4096], pdf_en[4096];   /* the report as PDF books */
  size_t n_files;         /* files written under results/ */
} demo_summary;

/* Build the demo workspace in o->dir: DIR/chiso.db (a db left there by an
** earlier demo is replaced; any other file of that name is refused),
** DIR/inputs (synthetic surveys and official indicators, each with its
** .meta.json), DIR/results: index-YEAR.csv/.json (the compute formats;
** the last year's CSV with score_lo,score_hi,rank_lo,rank_hi),
** uncertainty-LAST.csv and uncertainty-crossed-LAST.csv, estimates-YEAR.csv,
** divide-YEAR.csv (divide_year_compute), series.csv (series_build on the 34
** units), targets.csv (divide_judge), report-LAST.xlsx/.json (exp_*), a
** FILE.meta.json beside every CSV (JSON carries "synthetic": true), and
** the last year's report in DIR/report (vi) and DIR/report-en (en)
** (assemble_from_store + html_write). Same options and seed give
** byte-identical files whatever o->threads. On success *out is
** a new summary freed with demo_summary_free. Returns CHISO_EUSAGE (bad
** options), CHISO_EEXISTS (DIR/chiso.db is not a demo database), CHISO_EIO,
** CHISO_EDATA or CHISO_ENOMEM from the steps, err filled. */
int demo_run(const geo_registry *reg, const demo_options *o, demo_summary **out,
             chiso_err *err);

/* Free a summary of demo_run and everything it owns. NULL is a no-op.
** Cannot fail. */
void demo_summary_free(demo_summary *s);

#endif
