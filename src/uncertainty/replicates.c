/* replicates.c — bootstrap replicates of a stored year's index table (replicates.h). */
#include "uncertainty/replicates.h"

#include "uncertainty/bootstrap.h"
#include "base/mem.h"

#include <assert.h>
#include <string.h>

/* The estimator of a codebook kind as a ratio of linear totals. */
static bootstrap_kind kind_of(codebook_kind k) {
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
  assert(d && nominal && tables);
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
