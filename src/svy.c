/* svy.c — design-based estimates with Taylor-linearised standard errors.
**
** Formulas (Lumley 2010, "Complex Surveys", sections 2.2-2.4 and 7.4; the
** survey package's svymean, svytotal, svyratio, svyrecvar, onestrat and
** postStratify, read to match them exactly):
**   domain D, answer y_i (NaN = missing), weight w_i, stratum h with n_h
**   respondents in the WHOLE sample.
**   total  T = sum_{i in D} w_i y_i,           z_i = w_i y_i
**   mean   M = T / W, W = sum_{i in D} w_i,    z_i = w_i (y_i - M) / W
**   ratio  R = T_y / T_x,                      z_i = w_i (y_i - R x_i) / T_x
**   (z_i = 0 outside D or without an answer: svyby + na.rm = TRUE)
**   post-stratified (cell g, population N_g, weights already calibrated):
**     e_i = z_i - w_i * (sum_{j in g} z_j) / N_g      (svyrecvar)
**   V = sum_h n_h/(n_h-1) sum_{i in h} (e_i - ebar_h)^2,  ebar_h over n_h
**   and for n_h = 1 (lonely.psu = "adjust"): V_h = e_i^2, i.e. centred at
**   the grand mean of e, which is 0. SE = sqrt(V). */
#include "svy.h"

#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct svy_design {
  size_t n;
  const geo_registry *reg;
  double *w;         /* final weights */
  int *prov;         /* compact province index of each row */
  int *stratum;      /* compact stratum of each row */
  long *n_h;         /* respondents per stratum */
  size_t H;
  size_t P, R;       /* provinces and regions present */
  int *prov_region;  /* P: compact region of each province */
  size_t *prov_off;  /* P + 1: rows of province p are prov_rows[off[p]..off[p+1]) */
  size_t *prov_rows;
  /* post-stratification (G = 0 when none) */
  size_t G;
  int *cell;
  double *N_g;
  size_t *cell_off, *cell_rows;
  /* domains: provinces, then regions, then the nation */
  svy_domain *dom;
  size_t D;
  /* indicators (arrays borrowed) */
  svy_spec *spec;
  size_t K;
};

/* ------------------------------------------------------------------ */
/* Building the design                                                 */
/* ------------------------------------------------------------------ */

/* Sort row indices by key into rows[], with off[0..nk] bucket bounds. */
static int bucket_rows(const int *key, size_t n, size_t nk, size_t **off_out,
                       size_t **rows_out) {
  size_t *off = chiso_calloc(nk + 1, sizeof *off);
  size_t *rows = chiso_malloc((n ? n : 1) * sizeof *rows);
  size_t *fill = chiso_calloc(nk + 1, sizeof *fill);
  int rc = CHISO_ENOMEM;
  if (!off || !rows || !fill) goto done;
  for (size_t i = 0; i < n; i++) off[key[i] + 1]++;
  for (size_t g = 0; g < nk; g++) off[g + 1] += off[g];
  for (size_t i = 0; i < n; i++) rows[off[key[i]] + fill[key[i]]++] = i;
  *off_out = off;
  *rows_out = rows;
  off = NULL;
  rows = NULL;
  rc = CHISO_OK;
done:
  chiso_free(off);
  chiso_free(rows);
  chiso_free(fill);
  return rc;
}

/* Map each row to a compact province index and build the domains. */
static int set_provinces(svy_design *d, const survey_data *s,
                         const svy_options *opt, chiso_err *err) {
  geo_era era = geo_era_for_year(s->year);
  size_t nu = geo_count(d->reg, era);
  int *compact = chiso_malloc(nu * sizeof *compact);
  int region_compact[8];
  int rc = CHISO_ENOMEM;
  d->prov = chiso_malloc(d->n * sizeof *d->prov);
  if (!compact || !d->prov) goto done;
  for (size_t u = 0; u < nu; u++) compact[u] = -1;
  for (size_t i = 0; i < d->n; i++) {
    const geo_unit *u = geo_find_code(d->reg, era, s->province[i]);
    if (!u) {
      rc = chiso_err_at(err, CHISO_EDATA, "", s->source_row ? s->source_row[i] : 0, 0,
                        "province code \"%.2s\" is not a unit of %d", s->province[i],
                        s->year);
      goto done;
    }
    compact[u->index] = 0;
    d->prov[i] = u->index;
  }
  for (int r = 0; r < 8; r++) region_compact[r] = -1;
  for (size_t u = 0; u < nu; u++)
    if (compact[u] == 0) {
      compact[u] = (int)d->P++;
      region_compact[geo_unit_at(d->reg, era, u)->region] = 0;
    }
  for (size_t r = 0; r < geo_region_count(era); r++)
    if (region_compact[r] == 0) region_compact[r] = (int)d->R++;
  d->D = d->P + d->R + 1;
  d->dom = chiso_calloc(d->D, sizeof *d->dom);
  d->prov_region = chiso_malloc(d->P * sizeof *d->prov_region);
  if (!d->dom || !d->prov_region) goto done;
  for (size_t i = 0; i < d->n; i++) d->prov[i] = compact[d->prov[i]];
  for (size_t u = 0; u < nu; u++) {
    if (compact[u] < 0) continue;
    const geo_unit *gu = geo_unit_at(d->reg, era, u);
    svy_domain *dm = &d->dom[compact[u]];
    dm->level = SVY_PROVINCE;
    memcpy(dm->code, gu->code, 3);
    dm->name = gu->name;
    d->prov_region[compact[u]] = region_compact[gu->region];
  }
  for (size_t r = 0; r < geo_region_count(era); r++) {
    if (region_compact[r] < 0) continue;
    svy_domain *dm = &d->dom[d->P + (size_t)region_compact[r]];
    dm->level = SVY_REGION;
    snprintf(dm->code, sizeof dm->code, "%s", geo_region_id(era, (int)r));
    dm->name = geo_region_name(era, (int)r, "vi");
    dm->ranked = 1;
  }
  svy_domain *nat = &d->dom[d->D - 1];
  nat->level = SVY_NATION;
  strcpy(nat->code, "VN");
  nat->name = "Việt Nam";
  nat->ranked = 1;
  rc = bucket_rows(d->prov, d->n, d->P, &d->prov_off, &d->prov_rows);
  if (rc) goto done;
  for (size_t p = 0; p < d->P; p++) {
    long m = (long)(d->prov_off[p + 1] - d->prov_off[p]);
    d->dom[p].respondents = m;
    d->dom[p].ranked = m >= opt->min_respondents;
    d->dom[d->P + (size_t)d->prov_region[p]].respondents += m;
  }
  nat->respondents = (long)d->n;
done:
  chiso_free(compact);
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  return rc;
}

/* Strata: the stratum column, crossed with the province when asked. */
static int set_strata(svy_design *d, const survey_data *s, int by_province) {
  size_t ns = s->n_strata ? s->n_strata : 1;
  size_t nk = by_province ? ns * d->P : ns;
  int *map = chiso_malloc(nk * sizeof *map);
  d->stratum = chiso_malloc(d->n * sizeof *d->stratum);
  if (!map || !d->stratum) {
    chiso_free(map);
    return CHISO_ENOMEM;
  }
  for (size_t k = 0; k < nk; k++) map[k] = -1;
  for (size_t i = 0; i < d->n; i++) {
    size_t h = s->n_strata ? (size_t)s->stratum[i] : 0;
    if (by_province) h += ns * (size_t)d->prov[i];
    if (map[h] < 0) map[h] = (int)d->H++;
    d->stratum[i] = map[h];
  }
  chiso_free(map);
  d->n_h = chiso_calloc(d->H, sizeof *d->n_h);
  if (!d->n_h) return CHISO_ENOMEM;
  for (size_t i = 0; i < d->n; i++) d->n_h[d->stratum[i]]++;
  return CHISO_OK;
}

/* Index of the population cell matching row i's keys, or -1. */
static int find_cell(const svy_population *pop, const survey_data *s, size_t i) {
  for (size_t c = 0; c < pop->n; c++) {
    if (pop->province[c][0] && memcmp(pop->province[c], s->province[i], 2) != 0) continue;
    if (pop->stratum) {
      if (!s->n_strata) continue;
      if (strcmp(pop->stratum[c], s->stratum_names[s->stratum[i]]) != 0) continue;
    }
    return (int)c;
  }
  return -1;
}

/* postStratify(design, ~cell, population, partial = TRUE): w_i *= N_g / Nhat_g. */
static int post_stratify(svy_design *d, const survey_data *s,
                         const svy_population *pop, chiso_err *err) {
  double *nhat = chiso_calloc(pop->n, sizeof *nhat);
  int rc = CHISO_ENOMEM;
  d->cell = chiso_malloc(d->n * sizeof *d->cell);
  d->N_g = chiso_malloc((pop->n ? pop->n : 1) * sizeof *d->N_g);
  if (!nhat || !d->cell || !d->N_g) goto done;
  for (size_t i = 0; i < d->n; i++) {
    int c = find_cell(pop, s, i);
    if (c < 0) {
      rc = chiso_err_at(err, CHISO_EDATA, "", s->source_row ? s->source_row[i] : 0, 0,
                        "no population count for the post-stratum of province %.2s%s%s",
                        s->province[i], s->n_strata ? ", stratum " : "",
                        s->n_strata ? s->stratum_names[s->stratum[i]] : "");
      goto done;
    }
    d->cell[i] = c;
    nhat[c] += d->w[i];
  }
  d->G = pop->n;
  for (size_t c = 0; c < pop->n; c++) d->N_g[c] = pop->count[c];
  for (size_t i = 0; i < d->n; i++) d->w[i] *= d->N_g[d->cell[i]] / nhat[d->cell[i]];
  rc = bucket_rows(d->cell, d->n, d->G, &d->cell_off, &d->cell_rows);
done:
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  chiso_free(nhat);
  return rc;
}

static int set_weights(svy_design *d, const survey_data *s, chiso_err *err) {
  d->w = chiso_malloc(d->n * sizeof *d->w);
  if (!d->w) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < d->n; i++) {
    double w = s->weight ? s->weight[i] : 1.0;
    if (!(w > 0) || !isfinite(w))
      return chiso_err_at(err, CHISO_EDATA, "", s->source_row ? s->source_row[i] : 0, 0,
                          "weight %g is not a positive number", w);
    d->w[i] = w;
  }
  return CHISO_OK;
}

static int check_specs(const svy_spec *specs, size_t n, chiso_err *err) {
  for (size_t k = 0; k < n; k++) {
    if (!specs[k].y || (specs[k].kind == CB_IND_RATIO && !specs[k].x))
      return chiso_err_set(err, CHISO_EUSAGE, "indicator %s has no %s", specs[k].id,
                           specs[k].y ? "denominator" : "values");
  }
  return CHISO_OK;
}

int svy_design_new(const survey_data *s, const geo_registry *reg,
                   const svy_spec *specs, size_t n_specs,
                   const svy_options *opt, svy_design **out, chiso_err *err) {
  svy_options none = {0, 0, NULL};
  svy_design *d = NULL;
  int rc;
  *out = NULL;
  if (!opt) opt = &none;
  if (s->n == 0) return chiso_err_set(err, CHISO_EUSAGE, "the survey has no respondents");
  rc = check_specs(specs, n_specs, err);
  if (rc) return rc;
  d = chiso_calloc(1, sizeof *d);
  if (!d) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  d->n = s->n;
  d->reg = reg;
  d->K = n_specs;
  d->spec = chiso_malloc((n_specs ? n_specs : 1) * sizeof *d->spec);
  rc = d->spec ? CHISO_OK : CHISO_ENOMEM;
  if (rc) goto fail;
  memcpy(d->spec, specs, n_specs * sizeof *specs);
  if ((rc = set_weights(d, s, err)) || (rc = set_provinces(d, s, opt, err))) goto fail;
  if ((rc = set_strata(d, s, opt->strata_by_province))) goto fail;
  if (opt->population && (rc = post_stratify(d, s, opt->population, err))) goto fail;
  *out = d;
  return CHISO_OK;
fail:
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  svy_design_free(d);
  return rc;
}

void svy_design_free(svy_design *d) {
  if (!d) return;
  chiso_free(d->w);
  chiso_free(d->prov);
  chiso_free(d->stratum);
  chiso_free(d->n_h);
  chiso_free(d->prov_region);
  chiso_free(d->prov_off);
  chiso_free(d->prov_rows);
  chiso_free(d->cell);
  chiso_free(d->N_g);
  chiso_free(d->cell_off);
  chiso_free(d->cell_rows);
  chiso_free(d->dom);
  chiso_free(d->spec);
  chiso_free(d);
}

size_t svy_domain_count(const svy_design *d) { return d->D; }
size_t svy_indicator_count(const svy_design *d) { return d->K; }
const svy_domain *svy_domain_at(const svy_design *d, size_t i) {
  return i < d->D ? &d->dom[i] : NULL;
}
const char *svy_indicator_id(const svy_design *d, size_t k) { return d->spec[k].id; }
cb_ind_kind svy_indicator_kind(const svy_design *d, size_t k) { return d->spec[k].kind; }
size_t svy_respondents(const svy_design *d) { return d->n; }
const double *svy_weights(const svy_design *d) { return d->w; }

/* ------------------------------------------------------------------ */
/* Point estimates                                                     */
/* ------------------------------------------------------------------ */

/* Per-province sums of indicator k: A = sum w y, B = sum w x (ratio) or
** sum w (others), and when wn/cn are given the weighted and plain counts
** of answers. */
static void province_sums(const svy_design *d, size_t k, const double *w,
                          double *A, double *B, double *wn, double *cn) {
  const double *y = d->spec[k].y, *x = d->spec[k].x;
  memset(A, 0, d->P * sizeof *A);
  memset(B, 0, d->P * sizeof *B);
  if (wn) memset(wn, 0, d->P * sizeof *wn);
  if (cn) memset(cn, 0, d->P * sizeof *cn);
  for (size_t i = 0; i < d->n; i++) {
    double yi = y[i], xi = x ? x[i] : 1.0;
    if (isnan(yi) || isnan(xi)) continue;
    int p = d->prov[i];
    A[p] += w[i] * yi;
    B[p] += w[i] * xi;
    if (wn) {
      wn[p] += w[i];
      cn[p] += 1;
    }
  }
}

/* Sum per-province values into the region and nation slots of v (D long). */
static void roll_up(const svy_design *d, double *v) {
  for (size_t r = d->P; r < d->D; r++) v[r] = 0;
  for (size_t p = 0; p < d->P; p++) {
    v[d->P + (size_t)d->prov_region[p]] += v[p];
    v[d->D - 1] += v[p];
  }
}

static double ratio_of(cb_ind_kind kind, double a, double b) {
  if (!(b != 0)) return NAN;
  return kind == CB_IND_TOTAL ? a : a / b;
}

size_t svy_point_work_size(const svy_design *d) { return 2 * d->D; }

void svy_estimate_point(const svy_design *d, const double *w, double *work,
                        double *out) {
  double *A = work, *B = work + d->D;
  for (size_t k = 0; k < d->K; k++) {
    province_sums(d, k, w, A, B, NULL, NULL);
    roll_up(d, A);
    roll_up(d, B);
    for (size_t i = 0; i < d->D; i++)
      out[i * d->K + k] = ratio_of(d->spec[k].kind, A[i], B[i]);
  }
}

/* ------------------------------------------------------------------ */
/* Variance                                                            */
/* ------------------------------------------------------------------ */

typedef struct scratch {
  double *s1, *q;      /* H: sum of e, sum of (e - mean)^2 */
  long *cnt;           /* H: rows visited */
  int *h_seen;         /* H */
  size_t *h_list, n_h_list;
  double *zg;          /* G: sum of z over the domain in each cell */
  int *g_seen;
  size_t *g_list, n_g_list;
} scratch;

/* The linearised variable of one estimate (see the file comment). */
typedef struct lin {
  const double *y, *x, *w;
  double theta, inv_den;
  int total;
} lin;

static double z_of(const lin *L, size_t i) {
  double y = L->y[i];
  if (isnan(y)) return 0;
  if (L->total) return L->w[i] * y;
  double x = L->x ? L->x[i] : 1.0;
  if (isnan(x)) return 0;
  return L->w[i] * (y - L->theta * x) * L->inv_den;
}

static int in_domain(const svy_design *d, size_t dom, size_t i) {
  if (dom == d->D - 1) return 1;
  if (dom >= d->P) return (size_t)d->prov_region[d->prov[i]] == dom - d->P;
  return (size_t)d->prov[i] == dom;
}

/* e_i of row i: z_i for domain rows, minus the post-stratum adjustment. */
static double e_of(const svy_design *d, const lin *L, const scratch *sc,
                   size_t dom, size_t i) {
  double z = in_domain(d, dom, i) ? z_of(L, i) : 0;
  if (d->G) z -= L->w[i] * sc->zg[d->cell[i]] / d->N_g[d->cell[i]];
  return z;
}

/* Call visit(row) for every row whose e_i may be non-zero. */
typedef struct visitor {
  const svy_design *d;
  const lin *L;
  scratch *sc;
  size_t dom;
  int pass;
} visitor;

static void visit_row(visitor *v, size_t i) {
  scratch *sc = v->sc;
  int h = v->d->stratum[i];
  double e = e_of(v->d, v->L, sc, v->dom, i);
  if (v->pass == 1) {
    if (!sc->h_seen[h]) {
      sc->h_seen[h] = 1;
      sc->h_list[sc->n_h_list++] = (size_t)h;
    }
    sc->s1[h] += e;
    sc->cnt[h]++;
  } else {
    double m = sc->s1[h] / (double)v->d->n_h[h];
    sc->q[h] += (e - m) * (e - m);
  }
}

static void for_domain_rows(visitor *v, void (*fn)(visitor *, size_t)) {
  const svy_design *d = v->d;
  for (size_t p = 0; p < d->P; p++) {
    if (v->dom < d->P && p != v->dom) continue;
    if (v->dom >= d->P && v->dom < d->D - 1 && (size_t)d->prov_region[p] != v->dom - d->P)
      continue;
    for (size_t j = d->prov_off[p]; j < d->prov_off[p + 1]; j++) fn(v, d->prov_rows[j]);
  }
}

static void add_cell_sum(visitor *v, size_t i) {
  scratch *sc = v->sc;
  int g = v->d->cell[i];
  if (!sc->g_seen[g]) {
    sc->g_seen[g] = 1;
    sc->g_list[sc->n_g_list++] = (size_t)g;
  }
  sc->zg[g] += z_of(v->L, i);
}

static void for_support_rows(visitor *v) {
  const svy_design *d = v->d;
  if (!d->G) {
    for_domain_rows(v, visit_row);
    return;
  }
  for (size_t t = 0; t < v->sc->n_g_list; t++) {
    size_t g = v->sc->g_list[t];
    for (size_t j = d->cell_off[g]; j < d->cell_off[g + 1]; j++) visit_row(v, d->cell_rows[j]);
  }
}

static double domain_variance(const svy_design *d, const lin *L, size_t dom,
                              scratch *sc) {
  visitor v = {d, L, sc, dom, 1};
  if (d->G) for_domain_rows(&v, add_cell_sum);
  for_support_rows(&v);
  v.pass = 2;
  for_support_rows(&v);
  double var = 0;
  for (size_t t = 0; t < sc->n_h_list; t++) {
    size_t h = sc->h_list[t];
    double nh = (double)d->n_h[h], m = sc->s1[h] / nh;
    if (d->n_h[h] == 1) var += sc->s1[h] * sc->s1[h]; /* lonely: adjust */
    else var += nh / (nh - 1) * (sc->q[h] + (nh - (double)sc->cnt[h]) * m * m);
    sc->s1[h] = sc->q[h] = 0;
    sc->cnt[h] = 0;
    sc->h_seen[h] = 0;
  }
  sc->n_h_list = 0;
  for (size_t t = 0; t < sc->n_g_list; t++) {
    sc->zg[sc->g_list[t]] = 0;
    sc->g_seen[sc->g_list[t]] = 0;
  }
  sc->n_g_list = 0;
  return var;
}

static void scratch_free(scratch *sc) {
  chiso_free(sc->s1);
  chiso_free(sc->q);
  chiso_free(sc->cnt);
  chiso_free(sc->h_seen);
  chiso_free(sc->h_list);
  chiso_free(sc->zg);
  chiso_free(sc->g_seen);
  chiso_free(sc->g_list);
}

static int scratch_init(scratch *sc, size_t H, size_t G) {
  memset(sc, 0, sizeof *sc);
  sc->s1 = chiso_calloc(H, sizeof *sc->s1);
  sc->q = chiso_calloc(H, sizeof *sc->q);
  sc->cnt = chiso_calloc(H, sizeof *sc->cnt);
  sc->h_seen = chiso_calloc(H, sizeof *sc->h_seen);
  sc->h_list = chiso_calloc(H, sizeof *sc->h_list);
  sc->zg = chiso_calloc(G + 1, sizeof *sc->zg);
  sc->g_seen = chiso_calloc(G + 1, sizeof *sc->g_seen);
  sc->g_list = chiso_calloc(G + 1, sizeof *sc->g_list);
  if (sc->s1 && sc->q && sc->cnt && sc->h_seen && sc->h_list && sc->zg && sc->g_seen &&
      sc->g_list)
    return CHISO_OK;
  scratch_free(sc);
  return CHISO_ENOMEM;
}

/* Estimates of indicator k for every domain into out (column k). */
static void estimate_indicator(const svy_design *d, size_t k, double *sums,
                               scratch *sc, svy_cell *out) {
  double *A = sums, *B = sums + d->D, *wn = sums + 2 * d->D, *cn = sums + 3 * d->D;
  cb_ind_kind kind = d->spec[k].kind;
  province_sums(d, k, d->w, A, B, wn, cn);
  roll_up(d, A);
  roll_up(d, B);
  roll_up(d, wn);
  roll_up(d, cn);
  for (size_t i = 0; i < d->D; i++) {
    svy_cell *c = &out[i * d->K + k];
    c->n = (long)cn[i];
    c->weighted_n = wn[i];
    c->estimate = ratio_of(kind, A[i], B[i]);
    c->se = NAN;
    if (isnan(c->estimate)) continue;
    lin L = {d->spec[k].y, kind == CB_IND_RATIO ? d->spec[k].x : NULL, d->w,
             c->estimate, 1.0 / B[i], kind == CB_IND_TOTAL};
    c->se = sqrt(domain_variance(d, &L, i, sc));
  }
}

int svy_estimate_all(const svy_design *d, svy_cell *out, chiso_err *err) {
  scratch sc;
  double *sums = chiso_malloc(4 * d->D * sizeof *sums);
  if (!sums || scratch_init(&sc, d->H, d->G) != CHISO_OK) {
    chiso_free(sums);
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  for (size_t k = 0; k < d->K; k++) estimate_indicator(d, k, sums, &sc, out);
  scratch_free(&sc);
  chiso_free(sums);
  return CHISO_OK;
}

/* ------------------------------------------------------------------ */
/* Indicators from a codebook                                          */
/* ------------------------------------------------------------------ */

static const cb_question *find_question(const codebook *cb, const char *id) {
  for (size_t q = 0; q < cb->n_questions; q++)
    if (strcmp(cb->questions[q].id, id) == 0) return &cb->questions[q];
  return NULL;
}

/* share_any over a single-choice question: 1 when the option index is in
** the set. */
static int share_any_single(const survey_data *s, const cb_indicator *ind,
                            const cb_question *q, const double *v, double *out,
                            chiso_err *err) {
  int want[64] = {0};
  for (size_t o = 0; o < ind->n_options; o++) {
    size_t j = 0;
    while (j < q->n_options && strcmp(q->options[j].id, ind->options[o]) != 0) j++;
    if (j == q->n_options || j >= 64)
      return chiso_err_set(err, CHISO_EDATA, "indicator %s: question %s has no option %s",
                           ind->id, q->id, ind->options[o]);
    want[j] = 1;
  }
  for (size_t i = 0; i < s->n; i++) {
    double x = v[i];
    out[i] = isnan(x) ? NAN : (x >= 0 && x < 64 && want[(int)x]) ? 1.0 : 0.0;
  }
  return CHISO_OK;
}

/* share_any over the 0/1 variables "Q.OPT" of a multi question. */
static int share_any_multi(const survey_data *s, const cb_indicator *ind,
                           double *out, chiso_err *err) {
  for (size_t i = 0; i < s->n; i++) out[i] = NAN;
  for (size_t o = 0; o < ind->n_options; o++) {
    char name[512];
    snprintf(name, sizeof name, "%s.%s", ind->question, ind->options[o]);
    const survey_var *v = survey_var_find(s, name);
    if (!v)
      return chiso_err_set(err, CHISO_EDATA, "indicator %s: no variable %s in the survey",
                           ind->id, name);
    for (size_t i = 0; i < s->n; i++) {
      double x = v->values[i];
      if (isnan(x)) continue;
      if (x != 0) out[i] = 1.0;
      else if (isnan(out[i])) out[i] = 0.0;
    }
  }
  return CHISO_OK;
}

static int spec_from_indicator(const survey_data *s, const codebook *cb,
                               const cb_indicator *ind, svy_spec *sp,
                               double **owned, chiso_err *err) {
  sp->id = ind->id;
  sp->kind = ind->kind;
  const survey_var *v = survey_var_find(s, ind->question);
  const cb_question *q = find_question(cb, ind->question);
  if (ind->kind == CB_IND_SHARE_ANY && q && q->type == CB_MULTI) {
    *owned = chiso_malloc((s->n ? s->n : 1) * sizeof **owned);
    if (!*owned) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    sp->y = *owned;
    return share_any_multi(s, ind, *owned, err);
  }
  if (!v)
    return chiso_err_set(err, CHISO_EDATA, "indicator %s: no variable %s in the survey",
                         ind->id, ind->question);
  sp->y = v->values;
  if (ind->kind == CB_IND_RATIO) {
    const survey_var *x = ind->denominator ? survey_var_find(s, ind->denominator) : NULL;
    if (!x)
      return chiso_err_set(err, CHISO_EDATA, "indicator %s: no denominator variable %s",
                           ind->id, ind->denominator ? ind->denominator : "(none)");
    sp->x = x->values;
  }
  if (ind->kind != CB_IND_SHARE_ANY) return CHISO_OK;
  if (!q) return chiso_err_set(err, CHISO_EDATA, "indicator %s: unknown question %s", ind->id, ind->question);
  *owned = chiso_malloc((s->n ? s->n : 1) * sizeof **owned);
  if (!*owned) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  sp->y = *owned;
  return share_any_single(s, ind, q, v->values, *owned, err);
}

int svy_specs_from_codebook(const survey_data *s, const codebook *cb,
                            svy_spec **specs_out, double ***owned_out,
                            chiso_err *err) {
  size_t n = cb->n_indicators;
  svy_spec *specs = chiso_calloc(n ? n : 1, sizeof *specs);
  double **owned = chiso_calloc(n ? n : 1, sizeof *owned);
  int rc = CHISO_OK;
  *specs_out = NULL;
  *owned_out = NULL;
  if (!specs || !owned) {
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    goto fail;
  }
  for (size_t k = 0; k < n && rc == CHISO_OK; k++)
    rc = spec_from_indicator(s, cb, &cb->indicators[k], &specs[k], &owned[k], err);
  if (rc) goto fail;
  *specs_out = specs;
  *owned_out = owned;
  return CHISO_OK;
fail:
  svy_specs_free(specs, owned, n);
  return rc;
}

void svy_specs_free(svy_spec *specs, double **owned, size_t n) {
  for (size_t k = 0; owned && k < n; k++) chiso_free(owned[k]);
  chiso_free(owned);
  chiso_free(specs);
}
