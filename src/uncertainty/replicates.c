/* urep.c — bootstrap replicates of a stored year's index table (urep.h). */
#include "uncertainty/replicates.h"

#include "uncertainty/bootstrap.h"
#include "survey/codebook.h"
#include "base/mem.h"

#include <string.h>

/* The estimator of a codebook kind as a ratio of linear totals. */
static bootstrap_kind kind_of(codebook_ind_kind k) {
  return k == CODEBOOK_RATIO ? BOOTSTRAP_RATIO : k == CODEBOOK_TOTAL ? BOOTSTRAP_TOTAL : BOOTSTRAP_MEAN;
}

typedef struct mapping {
  size_t P;           /* province domains of the design */
  long *unit;         /* P: data unit of each province (-1 = none) */
  size_t kk;          /* survey indicators that are data columns */
  int *col;           /* kk data columns */
  bootstrap_var *vars;     /* kk */
} mapping;

static void mapping_free(mapping *m) {
  chiso_free(m->unit);
  chiso_free(m->col);
  chiso_free(m->vars);
}

static long find_unit(const idx_data *t, const char *code) {
  for (size_t i = 0; i < t->n_units; i++)
    if (strcmp(t->code[i], code) == 0) return (long)i;
  return -1;
}

/* Which design cells go where in the data table. */
static int map_design(const estimator_design *d, const idx_data *t, mapping *m, chiso_err *err) {
  size_t K = estimator_indicator_count(d), D = estimator_domain_count(d);
  memset(m, 0, sizeof *m);
  while (m->P < D && estimator_domain_at(d, m->P)->level == ESTIMATOR_PROVINCE) m->P++;
  m->unit = chiso_malloc((m->P ? m->P : 1) * sizeof *m->unit);
  m->col = chiso_malloc((K ? K : 1) * sizeof *m->col);
  m->vars = chiso_malloc((K ? K : 1) * sizeof *m->vars);
  if (!m->unit || !m->col || !m->vars) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t p = 0; p < m->P; p++) m->unit[p] = find_unit(t, estimator_domain_at(d, p)->code);
  for (size_t k = 0; k < K; k++) {
    int c = idx_data_col(t, estimator_indicator_id(d, k));
    if (c < 0) continue;
    const estimator_spec *sp = estimator_indicator_spec(d, k);
    m->col[m->kk] = c;
    m->vars[m->kk++] = (bootstrap_var){sp->y, sp->x, kind_of(sp->kind)};
  }
  return CHISO_OK;
}

/* Write the replicate estimates est (R × P × kk) into copies of t. */
static void fill_tables(const mapping *m, const idx_data *t, size_t R, const double *est,
                        double *tables) {
  size_t cells = t->n_cols * t->n_units;
  for (size_t r = 0; r < R; r++) {
    double *tab = tables + r * cells;
    memcpy(tab, t->values, cells * sizeof *tab);
    for (size_t p = 0; p < m->P; p++) {
      if (m->unit[p] < 0) continue;
      const double *e = est + (r * m->P + p) * m->kk;
      for (size_t v = 0; v < m->kk; v++)
        tab[(size_t)m->col[v] * t->n_units + (size_t)m->unit[p]] = e[v];
    }
  }
}

int replicates_tables(const estimator_design *d, const idx_data *nominal, size_t R, uint64_t seed,
                int threads, chiso_progress_fn progress, void *progress_ud, double *tables,
                size_t *n_replaced, chiso_err *err) {
  mapping m;
  bootstrap_design *bd = NULL;
  double *est = NULL;
  int rc = map_design(d, nominal, &m, err);
  if (!rc) rc = bootstrap_design_new(estimator_respondents(d), estimator_strata(d), estimator_weights(d), seed, &bd, err);
  if (!rc && m.kk && m.P) {
    if (!(est = chiso_malloc(R * m.P * m.kk * sizeof *est)))
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory for %zu replicates", R);
    if (!rc)
      rc = bootstrap_domain_stats(bd, estimator_provinces(d), m.P, m.vars, m.kk, R, threads, est,
                             progress, progress_ud, err);
  }
  if (!rc) {
    fill_tables(&m, nominal, R, est, tables);
    if (n_replaced) *n_replaced = m.P ? m.kk : 0;
  }
  chiso_free(est);
  bootstrap_design_free(bd);
  mapping_free(&m);
  return rc;
}

void replicates_free(replicates_set *s) {
  if (!s) return;
  pipeline_result_free(s->nominal);
  chiso_free(s->tables);
  chiso_free(s);
}

/* The survey of the year and its design, as the pipeline built it. */
typedef struct micro {
  survey_data *s;
  codebook *cb;
  estimator_spec *specs;
  double **owned;
  estimator_design *d;
} micro;

static void micro_free(micro *mi) {
  estimator_design_free(mi->d);
  if (mi->cb) estimator_specs_free(mi->specs, mi->owned, mi->cb->n_indicators);
  codebook_free(mi->cb);
  survey_free(mi->s);
}

static int load_micro(store *st, int year, const geo_registry *reg, const pipeline_options *po,
                      int min_resp, micro *mi, chiso_err *err) {
  char *json = NULL;
  memset(mi, 0, sizeof *mi);
  int rc = store_load_year(st, year, &mi->s, &json, err);
  if (rc == CHISO_ENOTFOUND)
    chiso_err_set(err, rc, "no survey imported for %d: sampling uncertainty needs microdata",
                  year);
  if (!rc) rc = codebook_parse(json, "stored methodology", &mi->cb, err);
  chiso_free(json);
  if (!rc) rc = estimator_specs_from_codebook(mi->s, mi->cb, &mi->specs, &mi->owned, err);
  estimator_options so = {min_resp, 0, po ? po->population : NULL};
  if (!rc) rc = estimator_design_new(mi->s, reg, mi->specs, mi->cb->n_indicators, &so, &mi->d, err);
  return rc;
}

int replicates_from_store(store *st, int year, const geo_registry *reg, const pipeline_options *po,
                    size_t R, uint64_t seed, int threads, chiso_progress_fn progress,
                    void *progress_ud, replicates_set **out, chiso_err *err) {
  *out = NULL;
  if (R < 2) return chiso_err_set(err, CHISO_EUSAGE, "sampling uncertainty needs at least 2 replicates");
  replicates_set *u = chiso_calloc(1, sizeof *u);
  if (!u) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  micro mi;
  memset(&mi, 0, sizeof mi);
  int rc = pipeline_compute(st, year, reg, po, &u->nominal, err);
  if (!rc) rc = load_micro(st, year, reg, po, u->nominal->min_respondents, &mi, err);
  const idx_data *t = rc ? NULL : u->nominal->data;
  if (!rc && !(u->tables = chiso_malloc(R * t->n_cols * t->n_units * sizeof *u->tables)))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory for %zu replicate tables", R);
  if (!rc)
    rc = replicates_tables(mi.d, t, R, seed, threads, progress, progress_ud, u->tables,
                     &u->n_replaced, err);
  micro_free(&mi);
  if (rc) {
    replicates_free(u);
    return rc;
  }
  u->n_replicates = R;
  u->n_fixed = u->nominal->model->n_ind - u->n_replaced;
  *out = u;
  return CHISO_OK;
}
