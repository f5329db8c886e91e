/* whatif.c — the index re-run with other weights, with its intervals
** (whatif.h). */
#include "year/whatif.h"

#include "base/mem.h"
#include "io/number.h"
#include "year/uncertainty.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct whatif {
  const year_result *nominal;   /* borrowed from the context */
  double *rep;                  /* a copy of the replicate tables (the
                                   context recomputes its own when asked
                                   for another R or seed); NULL: method
                                   draws alone */
  size_t n_rep;
  montecarlo_spec *spec;        /* the default spec (with a sampling input
                                   when rep is set) */
  size_t runs;
  uint64_t seed;
  int threads;
  /* the analyses kept at the model's weights: a what-if that moves only
  ** the weights of the root's children (the pillars) aggregates their
  ** runs' roots again (montecarlo_prepare); NULL: none */
  montecarlo_prepared *draws, *sampling;
};

/* The replicates of the report's crossed analysis (assemble.c,
** crossed_runs): only on the year's own units, and none when the survey
** cannot be resampled. */
static int replicates(year_ctx *y, geo_era era, whatif *w, chiso_err *err) {
  const year_replicates *rep = NULL;
  if (era != year_own_era(y) || !year_has_survey(y) || w->runs < 2) return CHISO_OK;
  int rc = year_replicates_get(y, era, w->runs, uncertainty_boot_seed(w->seed), w->threads, NULL,
                               NULL, &rep, err);
  if (rc == CHISO_ENOTFOUND || rc == CHISO_EDATA) {
    chiso_err_clear(err);
    return CHISO_OK;
  }
  if (rc) return rc;
  const idx_data *d = w->nominal->data;
  size_t n = rep->n_replicates * d->n_cols * d->n_units;
  if (!(w->rep = chiso_malloc((n ? n : 1) * sizeof *w->rep)))
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  memcpy(w->rep, rep->tables, n * sizeof *w->rep);
  w->n_rep = rep->n_replicates;
  return CHISO_OK;
}

/* The setup of the intervals' analyses at weights (NULL: the model's). */
static montecarlo_setup setup_of(const whatif *w, const double *weights) {
  /* the what-if shows the intervals alone: leave out the MRSW rank sets
  ** and the other statistics (the intervals are the same either way) */
  montecarlo_setup su = {w->nominal->plan, w->spec, w->rep, w->n_rep, w->seed, w->threads, NULL,
                         NULL, weights, 1, 1};
  return su;
}

/* Keep the runs of the intervals' analyses at the model's weights. A year
** where nothing is ranked has no intervals: nothing is kept. */
static int prepare(whatif *w, chiso_err *err) {
  montecarlo_setup su = setup_of(w, NULL);
  int rc = w->rep ? montecarlo_prepare(&su, 0, &w->sampling, err) : CHISO_OK;
  if (!rc) rc = montecarlo_prepare(&su, w->runs, &w->draws, err);
  if (rc == CHISO_EDATA) {
    chiso_err_clear(err);
    montecarlo_prepared_free(w->sampling);
    w->sampling = NULL;
    rc = CHISO_OK;
  }
  return rc;
}

int whatif_new(year_ctx *y, geo_era era, size_t runs, uint64_t seed, int threads, whatif **out,
               chiso_err *err) {
  assert(y && out);
  *out = NULL;
  whatif *w = chiso_calloc(1, sizeof *w);
  if (!w) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  w->runs = runs;
  w->seed = seed;
  w->threads = threads < 1 ? 1 : threads;
  int rc = year_result_get(y, era, &w->nominal, err);
  if (!rc) rc = replicates(y, era, w, err);
  if (!rc && runs >= 2) rc = montecarlo_spec_default(w->nominal->model, w->rep != NULL, &w->spec, err);
  if (!rc && w->spec) rc = prepare(w, err);
  if (rc) {
    whatif_free(w);
    return rc;
  }
  *out = w;
  return CHISO_OK;
}

void whatif_free(whatif *w) {
  if (!w) return;
  montecarlo_prepared_free(w->draws);
  montecarlo_prepared_free(w->sampling);
  montecarlo_spec_free(w->spec);
  chiso_free(w->rep);
  chiso_free(w);
}

const year_result *whatif_nominal(const whatif *w) { return w->nominal; }

int whatif_crossed(const whatif *w) { return w->rep != NULL; }

/* "ebi, hr_it, b2c, ..." into buf: the nodes a weight can be given to. */
static void node_list(const idx_model *m, char *buf, size_t n) {
  size_t len = 0;
  buf[0] = '\0';
  for (size_t k = m->n_nodes; k-- > 0 && len + 4 < n;) {
    if ((int)k == m->root) continue;
    len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", m->nodes[k].id);
  }
}

static int bad_weight(const idx_model *m, const char *id, chiso_err *err, const char *what,
                      const char *value) {
  char list[640];
  int rc;
  if (!what) {
    node_list(m, list, sizeof list);
    rc = chiso_err_set(err, CHISO_EUSAGE, "unknown node '%s' (nodes: %s)", id, list);
  } else {
    rc = chiso_err_set(err, CHISO_EUSAGE, "the weight of '%s' %s: \"%s\"", id, what, value);
  }
  if (err) snprintf(err->column, sizeof err->column, "%s", id);
  return rc;
}

int whatif_parse(const whatif *w, const char *const *ids, const char *const *values, size_t n,
                 double *weights, chiso_err *err) {
  assert(w && weights && (n == 0 || (ids && values)));
  const idx_model *m = w->nominal->model;
  unsigned char *seen = chiso_calloc(m->n_nodes ? m->n_nodes : 1, 1);
  if (!seen) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t k = 0; k < m->n_nodes; k++) weights[k] = m->nodes[k].weight;
  int rc = CHISO_OK;
  for (size_t i = 0; i < n && !rc; i++) {
    int k = idx_model_find(m, ids[i]);
    double v;
    if (k < 0) rc = bad_weight(m, ids[i], err, NULL, NULL);
    else if (seen[k]) rc = bad_weight(m, ids[i], err, "is given twice", values[i]);
    else if (number_parse_data(values[i], &v) != NUMBER_OK)
      rc = bad_weight(m, ids[i], err, "is not a number", values[i]);
    else if (!(v > 0)) rc = bad_weight(m, ids[i], err, "must be > 0", values[i]);
    else {
      weights[k] = v;
      seen[k] = 1;
    }
  }
  chiso_free(seen);
  return rc;
}

void whatif_result_clear(whatif_result *r) {
  if (!r) return;
  idx_workspace_free(r->ws);
  chiso_free(r->score_lo);
  chiso_free(r->score_hi);
  chiso_free(r->rank_lo);
  chiso_free(r->rank_hi);
  memset(r, 0, sizeof *r);
}

/* The report's intervals at these weights (assemble.c, apply_method_runs):
** ranks from the crossed (or method) draws, scores from the sampling runs
** (or from the method draws when their scores stay comparable). */
static int intervals(const whatif *w, const double *weights, whatif_result *out, chiso_err *err) {
  montecarlo_result draws, sampling;
  memset(&draws, 0, sizeof draws);
  memset(&sampling, 0, sizeof sampling);
  montecarlo_setup su = setup_of(w, weights);
  /* kept runs give the same bytes when only the pillars' weights move */
  int kept = w->draws && montecarlo_prepared_fits(w->draws, weights) &&
             (!w->rep || (w->sampling && montecarlo_prepared_fits(w->sampling, weights)));
  int rc = CHISO_OK;
  if (w->rep)
    rc = kept ? montecarlo_prepared_analysis(w->sampling, weights, &sampling, err)
              : montecarlo_sampling_analysis(&su, &sampling, err);
  if (!rc)
    rc = kept ? montecarlo_prepared_analysis(w->draws, weights, &draws, err)
              : montecarlo_method_analysis(&su, w->runs, &draws, err);
  if (rc == CHISO_EDATA) { /* nothing ranked: no intervals */
    chiso_err_clear(err);
    rc = CHISO_OK;
  } else if (!rc) {
    const montecarlo_result *sc = w->rep ? &sampling : draws.scores_comparable ? &draws : NULL;
    const int *rank = idx_ranks(out->ws);
    out->level = UNCERTAINTY_LEVEL;
    for (size_t i = 0; i < draws.n_units; i++) {
      if (!draws.unit[i].ranked || rank[i] <= 0) continue;
      uncertainty_rank_interval(&draws, i, &out->rank_lo[i], &out->rank_hi[i]);
      if (sc) {
        out->score_lo[i] = sc->unit[i].r.lo95; /* UNCERTAINTY_LEVEL */
        out->score_hi[i] = sc->unit[i].r.hi95;
      }
    }
  }
  montecarlo_result_free(&draws);
  montecarlo_result_free(&sampling);
  return rc;
}

int whatif_run(const whatif *w, const double *weights, whatif_result *out, chiso_err *err) {
  assert(w && weights && out);
  size_t U = w->nominal->n_units;
  memset(out, 0, sizeof *out);
  out->plan = w->nominal->plan;
  out->weights = weights;
  out->level = NAN;
  out->ws = idx_workspace_new(out->plan);
  out->score_lo = chiso_malloc((U ? U : 1) * sizeof *out->score_lo);
  out->score_hi = chiso_malloc((U ? U : 1) * sizeof *out->score_hi);
  out->rank_lo = chiso_calloc(U ? U : 1, sizeof *out->rank_lo);
  out->rank_hi = chiso_calloc(U ? U : 1, sizeof *out->rank_hi);
  int rc = out->ws && out->score_lo && out->score_hi && out->rank_lo && out->rank_hi
               ? CHISO_OK
               : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; !rc && i < U; i++) out->score_lo[i] = out->score_hi[i] = NAN;
  idx_options o;
  idx_options_init(&o);
  o.weights = weights;
  if (!rc) rc = idx_run(out->plan, out->ws, &o, err);
  if (!rc && w->spec) rc = intervals(w, weights, out, err);
  if (rc) whatif_result_clear(out);
  return rc;
}
