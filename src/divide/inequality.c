/* inequality.c — concentration, inequality and convergence measures.
** Formulas and references: docs/divide.md. */
#include "divide/inequality.h"

#include "base/quantile.h"

#include "io/csvtable.h"
#include "io/csvwrite.h"
#include "base/mem.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ----------------------------------------------------------- */

/* Neumaier's compensated sum, so long sums of shares do not drift. */
typedef struct ksum { double s, c; } ksum;
static void ksum_add(ksum *k, double x) {
  double t = k->s + x;
  if (fabs(k->s) >= fabs(x)) k->c += (k->s - t) + x;
  else k->c += (x - t) + k->s;
  k->s = t;
}
static double ksum_get(const ksum *k) { return k->s + k->c; }

/* A sorted (ascending) copy of x, or NULL on out of memory. */
static double *sorted_copy(const double *x, size_t n) {
  double *s = chiso_malloc((n ? n : 1) * sizeof *s);
  if (!s) return NULL;
  memcpy(s, x, n * sizeof *s);
  quantile_sort(s, n);
  return s;
}

static double mean_of(const double *x, size_t n) {
  ksum k = {0, 0};
  for (size_t i = 0; i < n; i++) ksum_add(&k, x[i]);
  return ksum_get(&k) / (double)n;
}

/* Population standard deviation (divides by n). */
static double sd_of(const double *x, size_t n, double mean) {
  ksum k = {0, 0};
  for (size_t i = 0; i < n; i++) ksum_add(&k, (x[i] - mean) * (x[i] - mean));
  return sqrt(ksum_get(&k) / (double)n);
}

static int check_nonneg(const double *x, size_t n, chiso_err *err) {
  for (size_t i = 0; i < n; i++)
    if (!(x[i] >= 0))
      return chiso_err_set(err, CHISO_EDATA, "value %zu is %s: need a number >= 0", i + 1,
                           isnan(x[i]) ? "missing" : "negative");
  return CHISO_OK;
}

/* ---- building blocks ----------------------------------------------------- */

double inequality_gini(const double *x, size_t n) {
  if (n == 0 || check_nonneg(x, n, NULL)) return NAN;
  double *s = sorted_copy(x, n);
  if (!s) return NAN;
  /* With x sorted ascending, sum_i sum_j |x_i - x_j| = 2 sum_i (2i - n - 1) x_(i)
  ** (i 1-based), so G = sum_i (2i - n - 1) x_(i) / (n^2 mean). */
  ksum num = {0, 0}, tot = {0, 0};
  for (size_t i = 0; i < n; i++) {
    ksum_add(&num, (2.0 * (double)(i + 1) - (double)n - 1.0) * s[i]);
    ksum_add(&tot, s[i]);
  }
  chiso_free(s);
  double total = ksum_get(&tot);
  return total > 0 ? ksum_get(&num) / ((double)n * total) : NAN;
}

double inequality_top_k_share(const double *x, size_t n, size_t k) {
  if (n == 0 || check_nonneg(x, n, NULL)) return NAN;
  double *s = sorted_copy(x, n);
  if (!s) return NAN;
  if (k > n) k = n;
  ksum top = {0, 0}, tot = {0, 0};
  for (size_t i = 0; i < n; i++) {
    ksum_add(&tot, s[i]);
    if (i >= n - k) ksum_add(&top, s[i]);
  }
  chiso_free(s);
  return ksum_get(&tot) > 0 ? ksum_get(&top) / ksum_get(&tot) : NAN;
}

int inequality_lorenz(const double *x, size_t n, double *px, double *py, chiso_err *err) {
  int rc = check_nonneg(x, n, err);
  if (rc) return rc;
  double *s = sorted_copy(x, n);
  if (!s) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  ksum tot = {0, 0}, run = {0, 0};
  for (size_t i = 0; i < n; i++) ksum_add(&tot, s[i]);
  double total = ksum_get(&tot);
  if (!(total > 0)) {
    rc = chiso_err_set(err, CHISO_EDATA, "Lorenz curve: the total is not positive");
    goto done;
  }
  px[0] = py[0] = 0;
  for (size_t i = 0; i < n; i++) {
    ksum_add(&run, s[i]);
    px[i + 1] = (double)(i + 1) / (double)n;
    py[i + 1] = ksum_get(&run) / total;
  }
done:
  chiso_free(s);
  return rc;
}

/* ---- Theil indices ---------------------------------------------------------- */

typedef struct group_acc {
  size_t n;
  ksum sum;     /* sum of x */
  ksum t_terms; /* sum of (x/mu_g) ln(x/mu_g), filled in a second pass */
  ksum l_terms; /* sum of ln(mu_g/x) */
  int has_zero;
} group_acc;

/* Theil T of a group from its accumulators: T_g = (1/n_g) sum (x/mu_g) ln(x/mu_g). */
static double group_t(const group_acc *g) { return ksum_get(&g->t_terms) / (double)g->n; }
static double group_l(const group_acc *g) { return ksum_get(&g->l_terms) / (double)g->n; }

static void theil_combine(const group_acc *acc, size_t n_groups, size_t n, double mu,
                          inequality_decomp *t, inequality_decomp *l, int any_zero) {
  ksum tb = {0, 0}, tw = {0, 0}, lb = {0, 0}, lw = {0, 0};
  for (size_t g = 0; g < n_groups; g++) {
    if (acc[g].n == 0) continue;
    double mug = ksum_get(&acc[g].sum) / (double)acc[g].n;
    double pop = (double)acc[g].n / (double)n;   /* n_g / n */
    double inc = pop * mug / mu;                 /* s_g: the group's share of the total */
    if (mug > 0) ksum_add(&tb, inc * log(mug / mu));
    ksum_add(&tw, inc * group_t(&acc[g]));
    if (!any_zero) {
      ksum_add(&lb, pop * log(mu / mug));
      ksum_add(&lw, pop * group_l(&acc[g]));
    }
  }
  if (t) {
    t->between = ksum_get(&tb);
    t->within = ksum_get(&tw);
    t->total = t->between + t->within;
  }
  if (l) {
    l->between = any_zero ? NAN : ksum_get(&lb);
    l->within = any_zero ? NAN : ksum_get(&lw);
    l->total = any_zero ? NAN : l->between + l->within;
  }
}

static int theil_groups(const double *x, const int *group, size_t n, size_t n_groups,
                        group_acc *acc, int *any_zero, chiso_err *err) {
  for (size_t i = 0; i < n; i++) {
    int g = group ? group[i] : 0;
    if (g < 0 || (size_t)g >= n_groups)
      return chiso_err_set(err, CHISO_EDATA, "unit %zu: group %d out of range 0..%zu", i + 1, g,
                           n_groups - 1);
    acc[g].n++;
    ksum_add(&acc[g].sum, x[i]);
    if (x[i] == 0) *any_zero = acc[g].has_zero = 1;
  }
  for (size_t i = 0; i < n; i++) {
    group_acc *a = &acc[group ? group[i] : 0];
    double mug = ksum_get(&a->sum) / (double)a->n;
    if (x[i] > 0) ksum_add(&a->t_terms, x[i] / mug * log(x[i] / mug));
    if (x[i] > 0) ksum_add(&a->l_terms, log(mug / x[i]));
  }
  return CHISO_OK;
}

int inequality_theil(const double *x, const int *group, size_t n, size_t n_groups, inequality_decomp *t,
              inequality_decomp *l, chiso_err *err) {
  if (!group) n_groups = 1;
  inequality_decomp nan3 = {NAN, NAN, NAN};
  if (t) *t = nan3;
  if (l) *l = nan3;
  if (n == 0 || n_groups == 0) return chiso_err_set(err, CHISO_EDATA, "Theil: no units");
  int rc = check_nonneg(x, n, err);
  if (rc) return rc;
  group_acc *acc = chiso_calloc(n_groups, sizeof *acc);
  if (!acc) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  int any_zero = 0;
  rc = theil_groups(x, group, n, n_groups, acc, &any_zero, err);
  if (rc) goto done;
  ksum tot = {0, 0};
  for (size_t i = 0; i < n; i++) ksum_add(&tot, x[i]);
  double mu = ksum_get(&tot) / (double)n;
  if (!(mu > 0)) { rc = chiso_err_set(err, CHISO_EDATA, "Theil: the mean is not positive"); goto done; }
  theil_combine(acc, n_groups, n, mu, t, l, any_zero);
done:
  chiso_free(acc);
  return rc;
}

/* ---- concentration ------------------------------------------------------------ */

/* HN+HCM share of one vector; NaN when the total is not positive. */
static double hn_hcm_share(const char *const *codes, const double *v, size_t n, double *total) {
  ksum all = {0, 0}, two = {0, 0};
  for (size_t i = 0; i < n; i++) {
    if (isnan(v[i])) continue;
    ksum_add(&all, v[i]);
    if (strcmp(codes[i], INEQUALITY_CODE_HANOI) == 0 || strcmp(codes[i], INEQUALITY_CODE_HCM) == 0)
      ksum_add(&two, v[i]);
  }
  *total = ksum_get(&all);
  return *total > 0 ? ksum_get(&two) / *total : NAN;
}

int inequality_concentration_compute(const char *const *codes, const double *values, size_t n,
                              inequality_concentration *out, chiso_err *err) {
  assert(codes && values && out);
  memset(out, 0, sizeof *out);
  double *v = chiso_malloc((n ? n : 1) * sizeof *v);
  if (!v) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  int rc = CHISO_OK;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (isnan(values[i])) continue;
    if (values[i] < 0) {
      rc = chiso_err_set(err, CHISO_EDATA, "province %s: negative value %g", codes[i], values[i]);
      goto done;
    }
    v[m++] = values[i];
  }
  out->n = m;
  out->hn_hcm_share = hn_hcm_share(codes, values, n, &out->total);
  if (!(out->total > 0)) {
    rc = chiso_err_set(err, CHISO_EDATA, "concentration: the total of the values is not positive");
    goto done;
  }
  out->outside_share = 1.0 - out->hn_hcm_share;
  ksum h = {0, 0};
  for (size_t i = 0; i < m; i++) ksum_add(&h, (v[i] / out->total) * (v[i] / out->total));
  out->hhi = ksum_get(&h);
  out->top5_share = inequality_top_k_share(v, m, 5);
  out->gini = m >= 2 ? inequality_gini(v, m) : NAN;
done:
  chiso_free(v);
  return rc;
}

int inequality_share_interval(const char *const *codes, const double *rep, size_t n, size_t R,
                       double level, double *lo, double *hi, chiso_err *err) {
  *lo = *hi = NAN;
  double *share = chiso_malloc((R ? R : 1) * sizeof *share);
  if (!share) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  size_t m = 0;
  for (size_t r = 0; r < R; r++) {
    double total, s = hn_hcm_share(codes, rep + r * n, n, &total);
    if (!isnan(s)) share[m++] = s;
  }
  int rc = CHISO_OK;
  if (m < 2) {
    rc = chiso_err_set(err, CHISO_EDATA, "interval: only %zu usable replicates", m);
  } else {
    quantile_sort(share, m);
    *lo = quantile_sorted(share, m, (1 - level) / 2, 1);
    *hi = quantile_sorted(share, m, 1 - (1 - level) / 2, 1);
  }
  chiso_free(share);
  return rc;
}

/* ---- inequality ------------------------------------------------------------------ */

static void spread_measures(const double *s, size_t n, inequality_inequality *o) {
  o->p10 = quantile_sorted(s, n, 0.10, 1);
  o->p90 = quantile_sorted(s, n, 0.90, 1);
  o->p90_p10 = o->p10 > 0 ? o->p90 / o->p10 : NAN;
  size_t k = n < 5 ? n : 5;
  o->bottom5_mean = mean_of(s, k);
  o->top5_mean = mean_of(s + (n - k), k);
  o->top5_bottom5 = o->bottom5_mean > 0 ? o->top5_mean / o->bottom5_mean : NAN;
  o->max = s[n - 1];
  o->median = quantile_sorted(s, n, 0.5, 1);
  o->leader_median_gap = o->max - o->median;
}

int inequality_inequality_compute(const double *x, const int *group, size_t n, size_t n_groups,
                           inequality_inequality *out, chiso_err *err) {
  assert(x && out);
  memset(out, 0, sizeof *out);
  if (n < 2) return chiso_err_set(err, CHISO_EDATA, "inequality needs at least 2 units, got %zu", n);
  int rc = check_nonneg(x, n, err);
  if (rc) return rc;
  out->n = n;
  out->mean = mean_of(x, n);
  if (!(out->mean > 0)) return chiso_err_set(err, CHISO_EDATA, "inequality: the mean score is not positive");
  out->sd = sd_of(x, n, out->mean);
  out->cv = out->sd / out->mean;
  out->gini = inequality_gini(x, n);
  rc = inequality_theil(x, group, n, n_groups, &out->theil_t, &out->theil_l, err);
  if (rc) return rc;
  double *s = sorted_copy(x, n);
  if (!s) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  spread_measures(s, n, out);
  chiso_free(s);
  if (isnan(out->gini)) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  return CHISO_OK;
}

/* ---- convergence ------------------------------------------------------------------- */

void inequality_sigma_convergence(const double *panel, size_t n_units, const int *years, size_t n_years,
                           inequality_sigma *out) {
  for (size_t t = 0; t < n_years; t++) {
    ksum sum = {0, 0}, lsum = {0, 0};
    size_t m = 0;
    for (size_t u = 0; u < n_units; u++) {
      double v = panel[u * n_years + t];
      if (!(v > 0)) continue;
      m++;
      ksum_add(&sum, v);
      ksum_add(&lsum, log(v));
    }
    out[t].year = years ? years[t] : (int)t;
    out[t].n = m;
    out[t].cv = out[t].sd_log = NAN;
    if (m < 2) continue;
    double mu = ksum_get(&sum) / (double)m, lmu = ksum_get(&lsum) / (double)m;
    ksum ss = {0, 0}, lss = {0, 0};
    for (size_t u = 0; u < n_units; u++) {
      double v = panel[u * n_years + t];
      if (!(v > 0)) continue;
      ksum_add(&ss, (v - mu) * (v - mu));
      ksum_add(&lss, (log(v) - lmu) * (log(v) - lmu));
    }
    out[t].cv = sqrt(ksum_get(&ss) / (double)m) / mu;
    out[t].sd_log = sqrt(ksum_get(&lss) / (double)m);
  }
}

double inequality_log_growth(double y_start, double y_end, double years) {
  if (!(y_start > 0) || !(y_end > 0) || !(years > 0)) return NAN;
  return log(y_end / y_start) / years;
}

/* OLS of g on x = ln y0 over the usable units: fills alpha, beta, se, r2. */
static int beta_ols(const double *y0, const double *y1, size_t n, double years, inequality_beta *o) {
  ksum sx = {0, 0}, sg = {0, 0};
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (!(y0[i] > 0) || !(y1[i] > 0)) continue;
    m++;
    ksum_add(&sx, log(y0[i]));
    ksum_add(&sg, inequality_log_growth(y0[i], y1[i], years));
  }
  o->n = m;
  if (m < 3) return CHISO_EDATA;
  double mx = ksum_get(&sx) / (double)m, mg = ksum_get(&sg) / (double)m;
  ksum sxx = {0, 0}, sxg = {0, 0}, sgg = {0, 0};
  for (size_t i = 0; i < n; i++) {
    if (!(y0[i] > 0) || !(y1[i] > 0)) continue;
    double dx = log(y0[i]) - mx, dg = inequality_log_growth(y0[i], y1[i], years) - mg;
    ksum_add(&sxx, dx * dx);
    ksum_add(&sxg, dx * dg);
    ksum_add(&sgg, dg * dg);
  }
  double Sxx = ksum_get(&sxx), Sxg = ksum_get(&sxg), Sgg = ksum_get(&sgg);
  if (!(Sxx > 0)) return CHISO_EDATA;
  o->beta = Sxg / Sxx;
  o->alpha = mg - o->beta * mx;
  double rss = Sgg - o->beta * Sxg;
  if (rss < 0) rss = 0;
  o->se_beta = sqrt(rss / (double)(m - 2) / Sxx);
  o->t_beta = o->se_beta > 0 ? o->beta / o->se_beta : NAN;
  o->r2 = Sgg > 0 ? 1.0 - rss / Sgg : NAN;
  return CHISO_OK;
}

int inequality_beta_convergence(const double *y0, const double *y1, size_t n, double years,
                         inequality_beta *out, chiso_err *err) {
  memset(out, 0, sizeof *out);
  out->years = years;
  if (!(years > 0)) return chiso_err_set(err, CHISO_EDATA, "β-convergence: the period must be > 0 years");
  if (beta_ols(y0, y1, n, years, out))
    return chiso_err_set(err, CHISO_EDATA,
                         "β-convergence needs at least 3 units with positive scores in both "
                         "years and differing initial levels (got %zu units)", out->n);
  /* Barro & Sala-i-Martin (1992): beta = -(1 - e^{-λT}) / T, so λ = -ln(1 + βT) / T. */
  double k = 1.0 + out->beta * years;
  out->speed = k > 0 ? -log(k) / years : NAN;
  out->half_life = out->speed > 0 ? log(2.0) / out->speed : NAN;
  return CHISO_OK;
}

double inequality_catch_up_years(double y, double g, double y_ref, double g_ref) {
  if (!(y > 0) || !(y_ref > 0) || isnan(g) || isnan(g_ref)) return NAN;
  if (y >= y_ref) return 0;
  if (g <= g_ref) return INFINITY;
  return log(y_ref / y) / (g - g_ref);
}

/* ---- the measure table ------------------------------------------------------------- */

static void put(inequality_measure *out, size_t *k, const char *name, double v, double lo, double hi) {
  out[*k].name = name;
  out[*k].value = v;
  out[*k].lo = lo;
  out[*k].hi = hi;
  (*k)++;
}

size_t inequality_measures(const inequality_concentration *c, double c_lo, double c_hi, const inequality_inequality *q,
                    inequality_measure out[INEQUALITY_N_MEASURES]) {
  size_t k = 0;
  if (c) { /* of the volume (online sales, or --volume) */
    put(out, &k, "hn_hcm_share", c->hn_hcm_share, c_lo, c_hi);
    put(out, &k, "outside_share", c->outside_share, 1 - c_hi, 1 - c_lo);
    put(out, &k, "volume_gini", c->gini, NAN, NAN);
    put(out, &k, "volume_top5_share", c->top5_share, NAN, NAN);
    put(out, &k, "volume_hhi", c->hhi, NAN, NAN);
  }
  if (q) { /* of the ranked units' index scores */
    put(out, &k, "score_gini", q->gini, NAN, NAN);
    put(out, &k, "score_theil_t", q->theil_t.total, NAN, NAN);
    put(out, &k, "score_theil_t_between", q->theil_t.between, NAN, NAN);
    put(out, &k, "score_theil_t_within", q->theil_t.within, NAN, NAN);
    put(out, &k, "score_theil_l", q->theil_l.total, NAN, NAN);
    put(out, &k, "score_theil_l_between", q->theil_l.between, NAN, NAN);
    put(out, &k, "score_theil_l_within", q->theil_l.within, NAN, NAN);
    put(out, &k, "score_cv", q->cv, NAN, NAN);
    put(out, &k, "score_p90_p10", q->p90_p10, NAN, NAN);
    put(out, &k, "score_top5_bottom5", q->top5_bottom5, NAN, NAN);
    put(out, &k, "score_leader_median_gap", q->leader_median_gap, NAN, NAN);
  }
  return k;
}

int inequality_measure_is_share(const char *name) {
  return name && (!strcmp(name, "hn_hcm_share") || !strcmp(name, "outside_share") ||
                  !strcmp(name, "volume_top5_share"));
}

/* ---- input vectors ------------------------------------------------------------------ */


void inequality_vector_free(inequality_vector *v) {
  if (!v) return;
  chiso_free(v->code);
  chiso_free(v->codes);
  chiso_free(v->value);
  chiso_free(v->region);
  chiso_free(v);
}

static int value_column(const csvtable *t, const char *want, chiso_err *err) {
  static const char *const auto_cols[] = {"value", "score", "total", "online_sales", "online_sales_total"};
  if (want) {
    int c = csvtable_col(t, want);
    if (c < 0) return chiso_err_at(err, CHISO_EDATA, t->name, 1, 0, "no column '%s'", want);
    return c;
  }
  for (size_t i = 0; i < sizeof auto_cols / sizeof auto_cols[0]; i++)
    if (csvtable_col(t, auto_cols[i]) >= 0) return csvtable_col(t, auto_cols[i]);
  return chiso_err_at(err, CHISO_EDATA, t->name, 1, 0,
                      "no value column (value, score, total, online_sales or online_sales_total)");
}

static inequality_vector *vector_new(size_t n, int year) {
  inequality_vector *v = chiso_calloc(1, sizeof *v);
  if (!v) return NULL;
  v->year = year;
  v->code = chiso_calloc(n + 1, sizeof *v->code);
  v->codes = chiso_calloc(n + 1, sizeof *v->codes);
  v->value = chiso_calloc(n + 1, sizeof *v->value);
  v->region = chiso_calloc(n + 1, sizeof *v->region);
  if (!v->code || !v->codes || !v->value || !v->region) {
    inequality_vector_free(v);
    return NULL;
  }
  return v;
}

/* Add row r of t to v when it has a value (and a rank, if asked). */
static int vector_row(const csvtable *t, size_t r, const geo_registry *reg, int cc, int cv,
                      int cr, inequality_vector *v, chiso_err *err) {
  double x;
  int rc = csvtable_number(t, r, cv, 1, &x, err);
  if (rc || isnan(x) || (cr >= 0 && !csvtable_cell(t, r, cr)[0])) return rc;
  const char *raw = csvtable_cell(t, r, cc);
  char code[3];
  snprintf(code, sizeof code, "%s%s", strlen(raw) == 1 ? "0" : "", raw);
  geo_era era = geo_era_for_year(v->year);
  const geo_unit *u = strlen(raw) <= 2 ? geo_find_code(reg, era, code) : NULL;
  if (!u)
    return csvtable_error(t, r, cc, err, "code: '%s' is not a unit in force in %d%s", raw, v->year,
                       era == GEO_ERA_34 ? " (34 units)" : " (63 provinces)");
  for (size_t i = 0; i < v->n; i++)
    if (!strcmp(v->code[i], u->code))
      return csvtable_error(t, r, cc, err, "code: %s appears twice", u->code);
  memcpy(v->code[v->n], u->code, 3);
  v->codes[v->n] = v->code[v->n];
  v->value[v->n] = x;
  v->region[v->n++] = u->region;
  return CHISO_OK;
}

int inequality_vector_read(const char *path, const geo_registry *reg, int year, const char *value_col,
                    int ranked_only, inequality_vector **out, chiso_err *err) {
  csvtable *t = NULL;
  inequality_vector *v = NULL;
  *out = NULL;
  int rc = csvtable_read(path, &t, err);
  if (rc) goto done;
  int cc = csvtable_col(t, "code"), cv = value_column(t, value_col, err);
  int cr = ranked_only ? csvtable_col(t, "rank") : -1;
  if (cv < 0) { rc = CHISO_EDATA; goto done; }
  if (cc < 0) { rc = chiso_err_at(err, CHISO_EDATA, path, 1, 0, "no column 'code'"); goto done; }
  if (!(v = vector_new(t->n_rows, year))) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  for (size_t r = 0; r < t->n_rows && !rc; r++) rc = vector_row(t, r, reg, cc, cv, cr, v, err);
done:
  csvtable_free(t);
  if (rc) inequality_vector_free(v);
  else *out = v;
  return rc;
}

int inequality_measures_csv(const inequality_measure *m, size_t n, FILE *f) {
  const char *head[] = {"measure", "value", "lo", "hi"};
  if (csvwrite_row(f, head, 4, 0)) return CHISO_EIO;
  for (size_t i = 0; i < n; i++) {
    if (csvwrite_field(f, m[i].name, 1) || csvwrite_number(f, m[i].value, 0) ||
        csvwrite_number(f, m[i].lo, 0) || csvwrite_number(f, m[i].hi, 0) || csvwrite_end_row(f, 0))
      return CHISO_EIO;
  }
  return CHISO_OK;
}
