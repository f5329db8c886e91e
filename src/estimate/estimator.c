/* estimator.c — design-based estimates with Taylor-linearised standard errors.
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
#include "estimate/estimator.h"

#include "base/mem.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct estimator_design {
  size_t n;
  const geo_registry *reg;
  double *w;         /* final weights */
  int *prov;         /* compact province index of each row */
  int *stratum;      /* compact stratum of each row */
  long *n_h;         /* respondents per stratum */
  size_t H;
  size_t P, R;       /* provinces and regions present */
  int *prov_region;  /* P: compact region of each province */
  /* post-stratification (G = 0 when none) */
  size_t G;
  int *cell;
  double *N_g;
  /* combos: the (province, stratum, post-stratum) triples present */
  size_t C;
  int *combo;          /* n: combo of each row */
  int *combo_prov, *combo_stratum, *combo_cell;
  double *combo_w, *combo_ww; /* sum of w and of w^2 over the combo's rows */
  /* domains: provinces, then regions, then the nation */
  estimator_domain *dom;
  size_t D;
  /* indicators (arrays borrowed) */
  estimator_spec *spec;
  size_t K;
  /* a design read from statistics (estimator_design_from_stats) has no
  ** rows: these hold the sums the rows would give, for every indicator */
  int from_stats;
  geo_era era;
  int by_province;      /* strata are province × stratum */
  double *pre_prov;     /* K × 4 × P: A, B, wn, cn per province */
  double *pre_combo;    /* K × C × N_SUMS */
};

/* ------------------------------------------------------------------ */
/* Building the design                                                 */
/* ------------------------------------------------------------------ */

/* The domains from the units present (compact[u] == 0 for a unit of the
** era with respondents, -1 otherwise; renumbered 0..P-1 here, in unit
** order) and the respondents of each unit (resp[u]). */
static int build_domains(estimator_design *d, geo_era era, int *compact, const long *resp,
                         const estimator_options *opt) {
  size_t nu = geo_count(d->reg, era);
  int region_compact[8];
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
  d->prov_region = chiso_malloc((d->P ? d->P : 1) * sizeof *d->prov_region);
  if (!d->dom || !d->prov_region) return CHISO_ENOMEM;
  for (size_t u = 0; u < nu; u++) {
    if (compact[u] < 0) continue;
    const geo_unit *gu = geo_unit_at(d->reg, era, u);
    estimator_domain *dm = &d->dom[compact[u]];
    dm->level = ESTIMATOR_PROVINCE;
    memcpy(dm->code, gu->code, 3);
    dm->name = gu->name;
    dm->respondents = resp[u];
    d->prov_region[compact[u]] = region_compact[gu->region];
  }
  for (size_t r = 0; r < geo_region_count(era); r++) {
    if (region_compact[r] < 0) continue;
    estimator_domain *dm = &d->dom[d->P + (size_t)region_compact[r]];
    dm->level = ESTIMATOR_REGION;
    snprintf(dm->code, sizeof dm->code, "%s", geo_region_id(era, (int)r));
    dm->name = geo_region_name(era, (int)r, "vi");
    dm->ranked = 1;
  }
  estimator_domain *nat = &d->dom[d->D - 1];
  nat->level = ESTIMATOR_NATION;
  strcpy(nat->code, "VN");
  nat->name = "Việt Nam";
  nat->ranked = 1;
  for (size_t p = 0; p < d->P; p++) {
    long m = d->dom[p].respondents;
    d->dom[p].ranked = m >= opt->min_respondents;
    d->dom[d->P + (size_t)d->prov_region[p]].respondents += m;
  }
  nat->respondents = (long)d->n;
  return CHISO_OK;
}

/* Map each row to a compact province index and build the domains. */
static int set_provinces(estimator_design *d, const survey_data *s, geo_era era,
                         const estimator_options *opt, chiso_err *err) {
  size_t nu = geo_count(d->reg, era);
  int *compact = chiso_malloc(nu * sizeof *compact);
  long *resp = chiso_calloc(nu, sizeof *resp);
  int rc = CHISO_ENOMEM;
  d->prov = chiso_malloc(d->n * sizeof *d->prov);
  if (!compact || !resp || !d->prov) goto done;
  for (size_t u = 0; u < nu; u++) compact[u] = -1;
  for (size_t i = 0; i < d->n; i++) {
    const geo_unit *u = geo_find_code(d->reg, era, s->province[i]);
    if (!u) {
      rc = chiso_err_at(err, CHISO_EDATA, "", s->source_row ? s->source_row[i] : 0, 0,
                        "province code \"%.2s\" is not a unit of %d%s", s->province[i],
                        s->year, era != geo_era_for_year(s->year) ? " on the 34 units" : "");
      goto done;
    }
    compact[u->index] = 0;
    resp[u->index]++;
    d->prov[i] = u->index;
  }
  rc = build_domains(d, era, compact, resp, opt);
  for (size_t i = 0; !rc && i < d->n; i++) d->prov[i] = compact[d->prov[i]];
done:
  chiso_free(compact);
  chiso_free(resp);
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  return rc;
}

/* Strata: the stratum column, crossed with the province when asked. */
static int set_strata(estimator_design *d, const survey_data *s, int by_province) {
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
static int find_cell(const estimator_population *pop, const survey_data *s, size_t i) {
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
static int post_stratify(estimator_design *d, const survey_data *s,
                         const estimator_population *pop, chiso_err *err) {
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
  rc = CHISO_OK;
done:
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  chiso_free(nhat);
  return rc;
}

static int set_weights(estimator_design *d, const survey_data *s, chiso_err *err) {
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

static int check_specs(const estimator_spec *specs, size_t n, chiso_err *err) {
  for (size_t k = 0; k < n; k++) {
    if (!specs[k].y || (specs[k].kind == CODEBOOK_RATIO && !specs[k].x))
      return chiso_err_set(err, CHISO_EUSAGE, "indicator %s has no %s", specs[k].id,
                           specs[k].y ? "denominator" : "values");
  }
  return CHISO_OK;
}

/* Number the (province, stratum, post-stratum) triples present, in two
** dense steps: (province, stratum) pairs, then (pair, post-stratum). */
static int number_pairs(const estimator_design *d, int *pair, size_t *n_pairs, int **pair_prov,
                        int **pair_stratum) {
  int *map = chiso_malloc(d->P * d->H * sizeof *map);
  *pair_prov = chiso_malloc(d->P * d->H * sizeof **pair_prov);
  *pair_stratum = chiso_malloc(d->P * d->H * sizeof **pair_stratum);
  if (!map || !*pair_prov || !*pair_stratum) {
    chiso_free(map);
    return CHISO_ENOMEM;
  }
  for (size_t j = 0; j < d->P * d->H; j++) map[j] = -1;
  *n_pairs = 0;
  for (size_t i = 0; i < d->n; i++) {
    size_t key = (size_t)d->prov[i] * d->H + (size_t)d->stratum[i];
    if (map[key] < 0) {
      (*pair_prov)[*n_pairs] = d->prov[i];
      (*pair_stratum)[*n_pairs] = d->stratum[i];
      map[key] = (int)(*n_pairs)++;
    }
    pair[i] = map[key];
  }
  chiso_free(map);
  return CHISO_OK;
}

static int number_combos(estimator_design *d) {
  size_t G = d->G ? d->G : 1, np = 0;
  int *pair = chiso_malloc(d->n * sizeof *pair), *pp = NULL, *ps = NULL, *map = NULL;
  int rc = pair ? number_pairs(d, pair, &np, &pp, &ps) : CHISO_ENOMEM;
  if (!rc && !(map = chiso_malloc(np * G * sizeof *map))) rc = CHISO_ENOMEM;
  d->combo = chiso_malloc(d->n * sizeof *d->combo);
  d->combo_prov = chiso_malloc(np * G * sizeof(int) + 1);
  d->combo_stratum = chiso_malloc(np * G * sizeof(int) + 1);
  d->combo_cell = chiso_malloc(np * G * sizeof(int) + 1);
  d->combo_w = chiso_calloc(np * G + 1, sizeof(double));
  d->combo_ww = chiso_calloc(np * G + 1, sizeof(double));
  if (!d->combo || !d->combo_prov || !d->combo_stratum || !d->combo_cell || !d->combo_w ||
      !d->combo_ww)
    rc = CHISO_ENOMEM;
  for (size_t j = 0; !rc && j < np * G; j++) map[j] = -1;
  for (size_t i = 0; !rc && i < d->n; i++) {
    int g = d->G ? d->cell[i] : 0;
    size_t key = (size_t)pair[i] * G + (size_t)g;
    if (map[key] < 0) {
      d->combo_prov[d->C] = pp[pair[i]];
      d->combo_stratum[d->C] = ps[pair[i]];
      d->combo_cell[d->C] = g;
      map[key] = (int)d->C++;
    }
    int c = d->combo[i] = map[key];
    d->combo_w[c] += d->w[i];
    d->combo_ww[c] += d->w[i] * d->w[i];
  }
  chiso_free(pair);
  chiso_free(pp);
  chiso_free(ps);
  chiso_free(map);
  return rc;
}

int estimator_design_new(const survey_data *s, const geo_registry *reg,
                   const estimator_spec *specs, size_t n_specs,
                   const estimator_options *opt, estimator_design **out, chiso_err *err) {
  return estimator_design_new_units(s, reg, geo_era_for_year(s->year), specs, n_specs, opt, out, err);
}

int estimator_design_new_units(const survey_data *s, const geo_registry *reg, geo_era era,
                         const estimator_spec *specs, size_t n_specs,
                         const estimator_options *opt, estimator_design **out, chiso_err *err) {
  assert(s && reg && out);
  estimator_options none = {0, 0, NULL};
  estimator_design *d = NULL;
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
  d->era = era;
  d->by_province = opt->strata_by_province != 0;
  d->spec = chiso_malloc((n_specs ? n_specs : 1) * sizeof *d->spec);
  rc = d->spec ? CHISO_OK : CHISO_ENOMEM;
  if (rc) goto fail;
  memcpy(d->spec, specs, n_specs * sizeof *specs);
  if ((rc = set_weights(d, s, err)) || (rc = set_provinces(d, s, era, opt, err))) goto fail;
  if ((rc = set_strata(d, s, opt->strata_by_province))) goto fail;
  if (opt->population && (rc = post_stratify(d, s, opt->population, err))) goto fail;
  if ((rc = number_combos(d))) goto fail;
  *out = d;
  return CHISO_OK;
fail:
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  estimator_design_free(d);
  return rc;
}

void estimator_design_free(estimator_design *d) {
  if (!d) return;
  chiso_free(d->w);
  chiso_free(d->prov);
  chiso_free(d->stratum);
  chiso_free(d->n_h);
  chiso_free(d->prov_region);
  chiso_free(d->cell);
  chiso_free(d->N_g);
  chiso_free(d->combo);
  chiso_free(d->combo_prov);
  chiso_free(d->combo_stratum);
  chiso_free(d->combo_cell);
  chiso_free(d->combo_w);
  chiso_free(d->combo_ww);
  chiso_free(d->dom);
  chiso_free(d->spec);
  chiso_free(d->pre_prov);
  chiso_free(d->pre_combo);
  chiso_free(d);
}

size_t estimator_domain_count(const estimator_design *d) { return d->D; }
size_t estimator_indicator_count(const estimator_design *d) { return d->K; }
const estimator_domain *estimator_domain_at(const estimator_design *d, size_t i) {
  return i < d->D ? &d->dom[i] : NULL;
}
const char *estimator_indicator_id(const estimator_design *d, size_t k) { return d->spec[k].id; }
codebook_kind estimator_indicator_kind(const estimator_design *d, size_t k) { return d->spec[k].kind; }
size_t estimator_respondents(const estimator_design *d) { return d->n; }
const double *estimator_weights(const estimator_design *d) { return d->w; }
const int *estimator_strata(const estimator_design *d) { return d->stratum; }
const int *estimator_provinces(const estimator_design *d) { return d->prov; }
const estimator_spec *estimator_indicator_spec(const estimator_design *d, size_t k) { return &d->spec[k]; }

/* ------------------------------------------------------------------ */
/* Point estimates                                                     */
/* ------------------------------------------------------------------ */

/* Per-province sums of indicator k: A = sum w y, B = sum w x (ratio) or
** sum w (others), and when wn/cn are given the weighted and plain counts
** of answers. */
static void province_sums(const estimator_design *d, size_t k, const double *w,
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
static void roll_up(const estimator_design *d, double *v) {
  for (size_t r = d->P; r < d->D; r++) v[r] = 0;
  for (size_t p = 0; p < d->P; p++) {
    v[d->P + (size_t)d->prov_region[p]] += v[p];
    v[d->D - 1] += v[p];
  }
}

static double ratio_of(codebook_kind kind, double a, double b) {
  if (!(b != 0)) return NAN;
  return kind == CODEBOOK_TOTAL ? a : a / b;
}

size_t estimator_point_work_size(const estimator_design *d) { return 2 * d->D; }

void estimator_estimate_point(const estimator_design *d, const double *w, double *work,
                        double *out) {
  assert(!d->from_stats);
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

/* The linearised variable of a domain estimate is z_i = (a_i - theta b_i) / Den
** with a_i = w_i y_i and b_i = w_i x_i (x = 1 for means; theta = 0, Den = 1
** for totals), zero outside the domain or without an answer. Every sum the
** variance needs is then a combination of per-combo sums of a, b and their
** products, so one sequential pass over the rows per indicator is enough
** (a combo is a (province, stratum, post-stratum) triple). */
enum { S_A, S_B, S_AA, S_AB, S_BB, S_AW, S_BW, N_SUMS };

/* The province sums (with the counts) and the combo sums of indicator k
** in one pass over the rows, each sum in row order. */
static void all_sums(const estimator_design *d, size_t k, double *A, double *B, double *wn,
                     double *cn, double *cs) {
  const double *y = d->spec[k].y, *x = d->spec[k].x, *w = d->w;
  memset(A, 0, d->P * sizeof *A);
  memset(B, 0, d->P * sizeof *B);
  memset(wn, 0, d->P * sizeof *wn);
  memset(cn, 0, d->P * sizeof *cn);
  memset(cs, 0, d->C * N_SUMS * sizeof *cs);
  for (size_t i = 0; i < d->n; i++) {
    double yi = y[i], xi = x ? x[i] : 1.0;
    if (isnan(yi) || isnan(xi)) continue;
    int p = d->prov[i];
    double a = w[i] * yi, b = w[i] * xi, *c = cs + (size_t)d->combo[i] * N_SUMS;
    A[p] += a;
    B[p] += b;
    wn[p] += w[i];
    cn[p] += 1;
    c[S_A] += a;
    c[S_B] += b;
    c[S_AA] += a * a;
    c[S_AB] += a * b;
    c[S_BB] += b * b;
    c[S_AW] += a * w[i];
    c[S_BW] += b * w[i];
  }
}

static int combo_in_domain(const estimator_design *d, size_t dom, size_t c) {
  int p = d->combo_prov[c];
  if (dom == d->D - 1) return 1;
  if (dom >= d->P) return (size_t)d->prov_region[p] == dom - d->P;
  return (size_t)p == dom;
}

typedef struct scratch {
  double *sh, *qh;  /* H: sum of e and of e^2 per stratum */
  double *zg;       /* G: sum of z over the domain per post-stratum */
  char *g_on;       /* G: post-stratum touched by the domain */
} scratch;

/* Variance of the estimate theta (denominator den) of domain dom. */
static double domain_variance(const estimator_design *d, const double *cs, size_t dom, double theta,
                              double den, scratch *sc) {
  size_t G = d->G ? d->G : 1;
  memset(sc->sh, 0, d->H * sizeof *sc->sh);
  memset(sc->qh, 0, d->H * sizeof *sc->qh);
  memset(sc->zg, 0, G * sizeof *sc->zg);
  memset(sc->g_on, 0, G);
  for (size_t c = 0; c < d->C; c++) {
    if (!combo_in_domain(d, dom, c)) continue;
    const double *v = cs + c * N_SUMS;
    sc->zg[d->combo_cell[c]] += (v[S_A] - theta * v[S_B]) / den;
    sc->g_on[d->combo_cell[c]] = 1;
  }
  for (size_t c = 0; c < d->C; c++) {
    int g = d->combo_cell[c], h = d->combo_stratum[c];
    if (!sc->g_on[g]) continue;
    const double *v = cs + c * N_SUMS;
    double m = d->G ? sc->zg[g] / d->N_g[g] : 0.0;
    double s = -m * d->combo_w[c], q = m * m * d->combo_ww[c];
    if (combo_in_domain(d, dom, c)) {
      s += (v[S_A] - theta * v[S_B]) / den;
      q += (v[S_AA] - 2 * theta * v[S_AB] + theta * theta * v[S_BB]) / (den * den);
      q -= 2 * m * (v[S_AW] - theta * v[S_BW]) / den;
    }
    sc->sh[h] += s;
    sc->qh[h] += q;
  }
  double var = 0;
  for (size_t h = 0; h < d->H; h++) {
    double nh = (double)d->n_h[h];
    if (d->n_h[h] == 1) var += sc->qh[h]; /* lonely stratum: survey.lonely.psu = "adjust" */
    else var += nh / (nh - 1) * (sc->qh[h] - sc->sh[h] * sc->sh[h] / nh);
  }
  return var > 0 ? var : 0;
}

/* Estimates of indicator k for every domain into out (column k). */
static void estimate_indicator(const estimator_design *d, size_t k, double *sums, double *cs,
                               scratch *sc, estimator_cell *out) {
  double *A = sums, *B = sums + d->D, *wn = sums + 2 * d->D, *cn = sums + 3 * d->D;
  codebook_kind kind = d->spec[k].kind;
  if (d->from_stats) {
    const double *pp = d->pre_prov + k * 4 * d->P;
    memcpy(A, pp, d->P * sizeof *A);
    memcpy(B, pp + d->P, d->P * sizeof *B);
    memcpy(wn, pp + 2 * d->P, d->P * sizeof *wn);
    memcpy(cn, pp + 3 * d->P, d->P * sizeof *cn);
    memcpy(cs, d->pre_combo + k * d->C * N_SUMS, d->C * N_SUMS * sizeof *cs);
  } else {
    all_sums(d, k, A, B, wn, cn, cs);
  }
  roll_up(d, A);
  roll_up(d, B);
  roll_up(d, wn);
  roll_up(d, cn);
  for (size_t i = 0; i < d->D; i++) {
    estimator_cell *c = &out[i * d->K + k];
    c->n = (long)cn[i];
    c->weighted_n = wn[i];
    c->estimate = ratio_of(kind, A[i], B[i]);
    c->se = NAN;
    if (isnan(c->estimate)) continue;
    int total = kind == CODEBOOK_TOTAL;
    c->se = sqrt(domain_variance(d, cs, i, total ? 0 : c->estimate, total ? 1 : B[i], sc));
  }
}

int estimator_estimate_all(const estimator_design *d, estimator_cell *out, chiso_err *err) {
  assert(d && out);
  size_t G = d->G ? d->G : 1;
  scratch sc = {chiso_malloc(d->H * sizeof(double)), chiso_malloc(d->H * sizeof(double)),
                chiso_malloc(G * sizeof(double)), chiso_malloc(G)};
  double *sums = chiso_malloc(4 * d->D * sizeof *sums);
  double *cs = chiso_malloc(d->C * N_SUMS * sizeof *cs);
  int rc = CHISO_OK;
  if (!sc.sh || !sc.qh || !sc.zg || !sc.g_on || !sums || !cs)
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t k = 0; !rc && k < d->K; k++) estimate_indicator(d, k, sums, cs, &sc, out);
  chiso_free(sc.sh);
  chiso_free(sc.qh);
  chiso_free(sc.zg);
  chiso_free(sc.g_on);
  chiso_free(sums);
  chiso_free(cs);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Sufficient statistics                                               */
/* ------------------------------------------------------------------ */

/* The statistics are every sum estimator_estimate_all takes from the rows,
** computed by the same code in the same order, so that a design read back
** from them gives the same bits (docs/survey.md, "Stored statistics").
** Layout, little-endian 64-bit words: the magic "CHISOES1"; n, era,
** strata-by-province, P, H, C, K; P unit indices and P respondent counts;
** H stratum sizes; C provinces, C strata, C sums of w, C sums of w²; per
** indicator its kind, the length of its id and the id (padded to 8
** bytes); then per indicator 4 × P province sums (A, B, weighted and plain
** counts) and C × 7 combo sums. */
static const char stats_magic[8] = {'C', 'H', 'I', 'S', 'O', 'E', 'S', '1'};

typedef struct wbuf {
  unsigned char *p;
  size_t n, cap;
  int fail;
} wbuf;

static void put_bytes(wbuf *b, const void *src, size_t n) {
  if (b->fail) return;
  if (chiso_grow((void **)&b->p, &b->cap, b->n + n, 1)) {
    b->fail = 1;
    return;
  }
  memcpy(b->p + b->n, src, n);
  b->n += n;
}

static void put_u64(wbuf *b, uint64_t v) {
  unsigned char x[8];
  for (int i = 0; i < 8; i++) x[i] = (unsigned char)(v >> (8 * i));
  put_bytes(b, x, 8);
}

static void put_f64(wbuf *b, double v) {
  uint64_t u;
  memcpy(&u, &v, 8);
  put_u64(b, u);
}

/* The sums were written per indicator (province sums, combo sums); the
** layout wants every indicator's province sums first: move them there. */
static void reorder_sums(wbuf *b, size_t at, size_t K, size_t np, size_t nc) {
  if (b->fail || !K) return;
  unsigned char *tmp = chiso_malloc(K * (np + nc) * 8);
  if (!tmp) {
    b->fail = 1;
    return;
  }
  for (size_t k = 0; k < K; k++) {
    memcpy(tmp + k * np * 8, b->p + at + k * (np + nc) * 8, np * 8);
    memcpy(tmp + K * np * 8 + k * nc * 8, b->p + at + (k * (np + nc) + np) * 8, nc * 8);
  }
  memcpy(b->p + at, tmp, K * (np + nc) * 8);
  chiso_free(tmp);
}

int estimator_stats_encode(const estimator_design *d, unsigned char **out, size_t *len,
                           chiso_err *err) {
  assert(d && out && len);
  *out = NULL;
  *len = 0;
  if (d->from_stats || d->G)
    return chiso_err_set(err, CHISO_EUSAGE, "statistics are kept for designs from rows, "
                         "without post-stratification");
  wbuf b = {0};
  double *sums = chiso_malloc(4 * (d->D ? d->D : 1) * sizeof *sums);
  double *cs = chiso_malloc((d->C ? d->C : 1) * N_SUMS * sizeof *cs);
  b.fail = !sums || !cs;
  put_bytes(&b, stats_magic, 8);
  put_u64(&b, d->n);
  put_u64(&b, (uint64_t)d->era);
  put_u64(&b, (uint64_t)d->by_province);
  put_u64(&b, d->P);
  put_u64(&b, d->H);
  put_u64(&b, d->C);
  put_u64(&b, d->K);
  for (size_t p = 0; p < d->P; p++)
    put_u64(&b, (uint64_t)geo_find_code(d->reg, d->era, d->dom[p].code)->index);
  for (size_t p = 0; p < d->P; p++) put_u64(&b, (uint64_t)d->dom[p].respondents);
  for (size_t h = 0; h < d->H; h++) put_u64(&b, (uint64_t)d->n_h[h]);
  for (size_t c = 0; c < d->C; c++) put_u64(&b, (uint64_t)d->combo_prov[c]);
  for (size_t c = 0; c < d->C; c++) put_u64(&b, (uint64_t)d->combo_stratum[c]);
  for (size_t c = 0; c < d->C; c++) put_f64(&b, d->combo_w[c]);
  for (size_t c = 0; c < d->C; c++) put_f64(&b, d->combo_ww[c]);
  for (size_t k = 0; k < d->K; k++) {
    size_t n = strlen(d->spec[k].id);
    static const char zeros[8] = {0};
    put_u64(&b, (uint64_t)d->spec[k].kind);
    put_u64(&b, n);
    put_bytes(&b, d->spec[k].id, n);
    put_bytes(&b, zeros, (8 - n % 8) % 8);
  }
  size_t at = b.n; /* the combo sums follow all the province sums */
  for (size_t k = 0; !b.fail && k < d->K; k++) {
    all_sums(d, k, sums, sums + d->P, sums + 2 * d->P, sums + 3 * d->P, cs);
    for (size_t j = 0; j < 4 * d->P; j++) put_f64(&b, sums[j]);
    for (size_t j = 0; j < d->C * N_SUMS; j++) put_f64(&b, cs[j]);
  }
  reorder_sums(&b, at, d->K, 4 * d->P, d->C * N_SUMS);
  chiso_free(sums);
  chiso_free(cs);
  if (b.fail) {
    chiso_free(b.p);
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  *out = b.p;
  *len = b.n;
  return CHISO_OK;
}

typedef struct rbuf {
  const unsigned char *p;
  size_t n, at;
  int fail;
} rbuf;

static uint64_t get_u64(rbuf *b) {
  if (b->fail || b->n - b->at < 8) {
    b->fail = 1;
    return 0;
  }
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= (uint64_t)b->p[b->at + (size_t)i] << (8 * i);
  b->at += 8;
  return v;
}

static double get_f64(rbuf *b) {
  uint64_t u = get_u64(b);
  double v;
  memcpy(&v, &u, 8);
  return v;
}

/* A count read from the blob, checked against a bound. */
static size_t get_count(rbuf *b, size_t max) {
  uint64_t v = get_u64(b);
  if (v > max) b->fail = 1;
  return b->fail ? 0 : (size_t)v;
}

/* The header and the structure of the design (no sums). CHISO_EDATA for a
** damaged blob, CHISO_ENOTFOUND when it is for other options or units. */
static int read_structure(estimator_design *d, rbuf *b, const estimator_options *opt, long *resp,
                          int *compact, chiso_err *err) {
  size_t nu = geo_count(d->reg, d->era);
  if (b->n < 8 || memcmp(b->p, stats_magic, 8) != 0)
    return chiso_err_set(err, CHISO_EDATA, "estimation statistics: not a statistics block");
  b->at = 8;
  d->n = get_count(b, SIZE_MAX / 16);
  size_t era = get_count(b, 1), byp = get_count(b, 1);
  d->P = get_count(b, nu);
  d->H = get_count(b, d->n);
  d->C = get_count(b, d->n);
  size_t K = get_count(b, 1u << 20);
  if (b->fail || b->n / 8 < d->C * 4 + d->P * 2 + d->H)
    return chiso_err_set(err, CHISO_EDATA, "estimation statistics: damaged header");
  if (era != (size_t)d->era || byp != (size_t)d->by_province || K != d->K || opt->population)
    return chiso_err_set(err, CHISO_ENOTFOUND, "estimation statistics: other units or options");
  size_t unit[64];
  for (size_t u = 0; u < nu; u++) compact[u] = -1;
  for (size_t p = 0; p < d->P && p < 64; p++) {
    unit[p] = get_count(b, nu - 1);
    if (p && unit[p] <= unit[p - 1]) b->fail = 1; /* units in increasing order */
    if (!b->fail) compact[unit[p]] = 0;
  }
  uint64_t total = 0;
  for (size_t p = 0; p < d->P && p < 64 && !b->fail; p++)
    total += (uint64_t)(resp[unit[p]] = (long)get_count(b, d->n));
  d->n_h = chiso_calloc(d->H ? d->H : 1, sizeof *d->n_h);
  d->combo_prov = chiso_malloc((d->C ? d->C : 1) * sizeof(int));
  d->combo_stratum = chiso_malloc((d->C ? d->C : 1) * sizeof(int));
  d->combo_cell = chiso_calloc(d->C ? d->C : 1, sizeof(int));
  d->combo_w = chiso_malloc((d->C ? d->C : 1) * sizeof(double));
  d->combo_ww = chiso_malloc((d->C ? d->C : 1) * sizeof(double));
  if (!d->n_h || !d->combo_prov || !d->combo_stratum || !d->combo_cell || !d->combo_w ||
      !d->combo_ww)
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  uint64_t nh_total = 0;
  for (size_t h = 0; h < d->H; h++) nh_total += (uint64_t)(d->n_h[h] = (long)get_count(b, d->n));
  for (size_t c = 0; c < d->C; c++) d->combo_prov[c] = (int)get_count(b, d->P ? d->P - 1 : 0);
  for (size_t c = 0; c < d->C; c++) d->combo_stratum[c] = (int)get_count(b, d->H ? d->H - 1 : 0);
  for (size_t c = 0; c < d->C; c++) d->combo_w[c] = get_f64(b);
  for (size_t c = 0; c < d->C; c++) d->combo_ww[c] = get_f64(b);
  if (b->fail || total != d->n || nh_total != d->n || !d->P || !d->H)
    return chiso_err_set(err, CHISO_EDATA, "estimation statistics: damaged structure");
  d->P = 0; /* build_domains numbers the provinces again */
  return CHISO_OK;
}

/* The indicators must be those asked for, in order; then their sums. */
static int read_sums(estimator_design *d, rbuf *b, chiso_err *err) {
  for (size_t k = 0; k < d->K && !b->fail; k++) {
    size_t kind = get_count(b, CODEBOOK_RATIO), n = get_count(b, 4096);
    if (b->fail || b->n - b->at < n) break;
    int same = kind == (size_t)d->spec[k].kind && strlen(d->spec[k].id) == n &&
               memcmp(b->p + b->at, d->spec[k].id, n) == 0;
    if (!same)
      return chiso_err_set(err, CHISO_ENOTFOUND, "estimation statistics: other indicators");
    b->at += n + (8 - n % 8) % 8;
    if (b->at > b->n) b->fail = 1;
  }
  size_t np = d->K * 4 * d->P, nc = d->K * d->C * N_SUMS;
  if (b->fail || (b->n - b->at) / 8 != np + nc || (b->n - b->at) % 8)
    return chiso_err_set(err, CHISO_EDATA, "estimation statistics: damaged sums");
  d->pre_prov = chiso_malloc((np ? np : 1) * sizeof *d->pre_prov);
  d->pre_combo = chiso_malloc((nc ? nc : 1) * sizeof *d->pre_combo);
  if (!d->pre_prov || !d->pre_combo) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t j = 0; j < np; j++) d->pre_prov[j] = get_f64(b);
  for (size_t j = 0; j < nc; j++) d->pre_combo[j] = get_f64(b);
  return CHISO_OK;
}

int estimator_design_from_stats(const unsigned char *blob, size_t len, const geo_registry *reg,
                                geo_era era, const estimator_spec *specs, size_t n_specs,
                                const estimator_options *opt, estimator_design **out,
                                chiso_err *err) {
  assert(blob && reg && out && (specs || !n_specs));
  estimator_options none = {0, 0, NULL};
  *out = NULL;
  if (!opt) opt = &none;
  size_t nu = geo_count(reg, era);
  estimator_design *d = chiso_calloc(1, sizeof *d);
  int *compact = chiso_malloc(nu * sizeof *compact);
  long *resp = chiso_calloc(nu, sizeof *resp);
  int rc = d && compact && resp ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  rbuf b = {blob, len, 0, 0};
  if (!rc) {
    d->reg = reg;
    d->era = era;
    d->by_province = opt->strata_by_province != 0;
    d->from_stats = 1;
    d->K = n_specs;
    d->spec = chiso_malloc((n_specs ? n_specs : 1) * sizeof *d->spec);
    if (!d->spec) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    else memcpy(d->spec, specs, n_specs * sizeof *specs);
  }
  if (!rc) rc = read_structure(d, &b, opt, resp, compact, err);
  if (!rc && build_domains(d, era, compact, resp, opt))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = read_sums(d, &b, err);
  chiso_free(compact);
  chiso_free(resp);
  if (rc) {
    estimator_design_free(d);
    return rc;
  }
  *out = d;
  return CHISO_OK;
}

int estimator_design_has_rows(const estimator_design *d) { return !d->from_stats; }

/* ------------------------------------------------------------------ */
/* Indicators from a codebook                                          */
/* ------------------------------------------------------------------ */

static const codebook_question *find_question(const codebook *cb, const char *id) {
  for (size_t q = 0; q < cb->n_questions; q++)
    if (strcmp(cb->questions[q].id, id) == 0) return &cb->questions[q];
  return NULL;
}

/* share_any over a single-choice question: 1 when the option index is in
** the set. */
static int share_any_single(const survey_data *s, const codebook_indicator *ind,
                            const codebook_question *q, const double *v, double *out,
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
static int share_any_multi(const survey_data *s, const codebook_indicator *ind,
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
                               const codebook_indicator *ind, estimator_spec *sp,
                               double **owned, chiso_err *err) {
  sp->id = ind->id;
  sp->kind = ind->kind;
  const survey_var *v = survey_var_find(s, ind->question);
  const codebook_question *q = find_question(cb, ind->question);
  if (ind->kind == CODEBOOK_SHARE_ANY && q && q->type == CODEBOOK_MULTI) {
    *owned = chiso_malloc((s->n ? s->n : 1) * sizeof **owned);
    if (!*owned) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    sp->y = *owned;
    return share_any_multi(s, ind, *owned, err);
  }
  if (!v)
    return chiso_err_set(err, CHISO_EDATA, "indicator %s: no variable %s in the survey",
                         ind->id, ind->question);
  sp->y = v->values;
  if (ind->kind == CODEBOOK_RATIO) {
    const survey_var *x = ind->denominator ? survey_var_find(s, ind->denominator) : NULL;
    if (!x)
      return chiso_err_set(err, CHISO_EDATA, "indicator %s: no denominator variable %s",
                           ind->id, ind->denominator ? ind->denominator : "(none)");
    sp->x = x->values;
  }
  if (ind->kind != CODEBOOK_SHARE_ANY) return CHISO_OK;
  if (!q) return chiso_err_set(err, CHISO_EDATA, "indicator %s: unknown question %s", ind->id, ind->question);
  *owned = chiso_malloc((s->n ? s->n : 1) * sizeof **owned);
  if (!*owned) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  sp->y = *owned;
  return share_any_single(s, ind, q, v->values, *owned, err);
}

int estimator_specs_from_codebook(const survey_data *s, const codebook *cb,
                            estimator_spec **specs_out, double ***owned_out,
                            chiso_err *err) {
  size_t n = cb->n_indicators;
  estimator_spec *specs = chiso_calloc(n ? n : 1, sizeof *specs);
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
  estimator_specs_free(specs, owned, n);
  return rc;
}

void estimator_specs_free(estimator_spec *specs, double **owned, size_t n) {
  for (size_t k = 0; owned && k < n; k++) chiso_free(owned[k]);
  chiso_free(owned);
  chiso_free(specs);
}
