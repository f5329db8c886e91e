/* synth.c — the synthetic survey model (docs/synth.md is the reference
** for every number below; change both together and bump
** SYNTH_MODEL_VERSION). */
#include "synth/synth.h"

#include "base/embed.h"
#include "base/mem.h"
#include "base/rng.h"

#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N63 63

/* ---- model constants (docs/synth.md, "Assumptions") ------------------- */

static const char *const size_ids[SYNTH_N_SIZES] = {"micro", "small", "medium", "large"};
static const double size_share[SYNTH_N_SIZES] = {0.70, 0.22, 0.05, 0.03};
static const double size_effect[SYNTH_N_SIZES] = {-0.5, 0.0, 0.6, 1.0};
/* Relative sampling rate: larger firms are oversampled, as in enterprise
** surveys, so design weights differ between strata. */
static const double size_oversample[SYNTH_N_SIZES] = {1.0, 2.0, 4.0, 6.0};
/* Annual revenue, median in million VND, lognormal with sigma REV_SIGMA. */
static const double size_revenue[SYNTH_N_SIZES] = {1500.0, 15000.0, 100000.0, 600000.0};
#define REV_SIGMA 0.8

static const char *const sector_ids[SYNTH_N_SECTORS] = {"manufacturing", "construction",
                                                      "trade", "services"};
static const double sector_share[SYNTH_N_SECTORS] = {0.15, 0.12, 0.40, 0.33};
static const double sector_effect[SYNTH_N_SECTORS] = {0.0, -0.3, 0.3, 0.2};

#define FIRM_SIGMA 1.0       /* sd of the firm's own readiness */
#define CALIB_YEAR 2021
#define GROWTH_BASE 0.05     /* logit units a year for the leader */
#define GROWTH_CATCHUP 0.07  /* extra for the least ready province */
#define EINVOICE_YEAR 2022   /* e-invoices mandatory from July 2022 (Decree 123/2020) */
#define EINVOICE_SHIFT 0.8

/* P(yes) = logistic(a (theta - b)) (a two-parameter logistic item model,
** Birnbaum 1968); `miss` is the item non-response rate. */
typedef struct item { const char *id; double a, b, miss; } item;

static const item yesno_items[SYNTH_N_YESNO] = {
    {"q_email", 1.6, -1.2, 0.01},        {"q_internet", 1.6, -1.0, 0.01},
    {"q_ec_staff", 1.4, 0.6, 0.03},      {"q_recruit_hard", -0.4, -0.5, 0.05},
    {"q_website", 1.5, -0.2, 0.02},      {"q_social", 1.4, -0.4, 0.02},
    {"q_marketplace", 1.4, 0.5, 0.02},   {"q_app", 1.4, 1.2, 0.02},
    {"q_online_orders", 1.5, 0.0, 0.02}, {"q_online_payment", 1.5, 0.2, 0.02},
    {"q_online_ads", 1.4, 0.1, 0.02},    {"q_b2b_orders", 1.4, 0.3, 0.03},
    {"q_econtract", 1.5, 0.4, 0.03},     {"q_einvoice", 1.6, -0.8, 0.02},
    {"q_g2b_lookup", 1.3, -0.3, 0.04},   {"q_g2b_services", 1.3, 0.2, 0.04},
    {"q_g2b_procure", 1.3, 1.2, 0.04},   {"q_esignature", 1.5, 0.6, 0.03}};

static const item software_items[SYNTH_N_SOFTWARE] = {
    {"accounting", 1.5, -2.0, 0}, {"hr", 1.3, 0.3, 0}, {"erp", 1.4, 0.8, 0},
    {"crm", 1.4, 0.9, 0},         {"scm", 1.4, 1.3, 0}};

static const char *const update_ids[SYNTH_N_UPDATE] = {"daily", "weekly", "monthly", "rarely"};
/* Among firms with a website: P(daily or weekly) is an item like the others;
** within that, daily with UPD_DAILY; else monthly with UPD_MONTHLY. */
static const item update_item = {"q_web_update", 1.3, 0.5, 0.03};
#define UPD_DAILY 0.4
#define UPD_MONTHLY 0.55

/* Online revenue share given online orders: 100 logistic(PCT_A + PCT_B theta
** + PCT_S z), a logit-normal share. */
#define PCT_A (-2.2)
#define PCT_B 0.45
#define PCT_S 0.9
#define PCT_MISS 0.10
#define SALES_MISS 0.15

static const char *const design_columns[] = {"respondent_id", "province", "size_class",
                                             "sector", "weight", "year"};

struct synth_model {
  const geo_registry *reg;
  double firm_share[N63]; /* share of the country's enterprises */
  double target[N63];     /* score proxy target in CALIB_YEAR */
  double r0[N63];         /* calibrated readiness in CALIB_YEAR */
  double growth[N63];     /* readiness gain per year */
  int city[N63];          /* 1 for Hà Nội (01) and Hồ Chí Minh (79) */
  double gh_x[5], gh_w[5];
  char sha[65];
};

/* ---- small helpers -------------------------------------------------------- */

static double logistic(double x) { return 1.0 / (1.0 + exp(-x)); }

static double item_p(const item *it, double theta, double shift) {
  return logistic(it->a * (theta - (it->b + shift)));
}

static double einvoice_shift(int year) { return year >= EINVOICE_YEAR ? -EINVOICE_SHIFT : 0.0; }

/* 5-point Gauss–Hermite rule for E[f(Z)], Z ~ N(0,1) (probabilists'
** Hermite polynomials): nodes are the roots of He5 = x^5 - 10x^3 + 15x, i.e.
** 0 and ±sqrt(5 ± sqrt(10)); weights n! / (n^2 He4(x)^2) with
** He4 = x^4 - 6x^2 + 3 (Abramowitz & Stegun 25.4.46, rescaled). */
static void gauss_hermite5(double x[5], double w[5]) {
  double r1 = sqrt(5.0 - sqrt(10.0)), r2 = sqrt(5.0 + sqrt(10.0));
  const double nodes[5] = {-r2, -r1, 0.0, r1, r2};
  for (int i = 0; i < 5; i++) {
    double t = nodes[i], he4 = t * t * t * t - 6.0 * t * t + 3.0;
    x[i] = t;
    w[i] = 120.0 / (25.0 * he4 * he4);
  }
}

const char *synth_size_id(int s) { return s >= 0 && s < SYNTH_N_SIZES ? size_ids[s] : NULL; }
const char *synth_sector_id(int s) { return s >= 0 && s < SYNTH_N_SECTORS ? sector_ids[s] : NULL; }
const char *synth_software_id(int o) { return o >= 0 && o < SYNTH_N_SOFTWARE ? software_items[o].id : NULL; }
const char *synth_update_id(int o) { return o >= 0 && o < SYNTH_N_UPDATE ? update_ids[o] : NULL; }
const char *synth_yesno_id(int q) { return q >= 0 && q < SYNTH_N_YESNO ? yesno_items[q].id : NULL; }

/* Column order: design columns, then the questions in the order of
** docs/ebi-indicators.md. */
static const char *const question_columns[] = {
    "q_email", "q_internet", "q_ec_staff", "q_recruit_hard", "q_software", "q_website",
    "q_web_update", "q_social", "q_marketplace", "q_app", "q_online_orders",
    "q_online_payment", "q_online_ads", "q_online_rev_pct", "q_online_sales",
    "q_b2b_orders", "q_econtract", "q_einvoice", "q_g2b_lookup", "q_g2b_services",
    "q_g2b_procure", "q_esignature"};
#define N_DESIGN (sizeof design_columns / sizeof *design_columns)
#define N_QCOLS (sizeof question_columns / sizeof *question_columns)

size_t synth_column_count(void) { return N_DESIGN + N_QCOLS; }

const char *synth_column(size_t i) {
  if (i < N_DESIGN) return design_columns[i];
  return i < N_DESIGN + N_QCOLS ? question_columns[i - N_DESIGN] : NULL;
}

/* Active enterprises in the country (rounded assumptions in the order of
** GSO's annual enterprise counts; docs/synth.md): 2020-2026 from the table,
** 3% a year outside it. */
double synth_national_firms(int year) {
  static const double tab[] = {811000, 857000, 880000, 910000, 940000, 970000, 1000000};
  if (year < 2020) return tab[0] * pow(1.03, year - 2020);
  if (year > 2026) return tab[6] * pow(1.03, year - 2026);
  return tab[year - 2020];
}

/* HN + HCM share of weighted online sales: 70% in 2020 (EBI 2021 preface:
** "over 70%" in 2016-2020), drifting one point a year toward the provinces. */
double synth_target_city_share(int year) {
  double s = 0.70 - 0.01 * (year - 2020);
  return s < 0.40 ? 0.40 : s > 0.80 ? 0.80 : s;
}

/* ---- expectations over firms ---------------------------------------------- */

/* The score proxy of one firm with readiness theta: the mean of the 15
** positive survey indicators of ebi-2021 (recruit_difficulty left out). */
static double firm_score(double theta, int year) {
  double s = 0.0;
  static const int pos[] = {SYNTH_Q_EMAIL, SYNTH_Q_INTERNET, SYNTH_Q_EC_STAFF, SYNTH_Q_WEBSITE,
                            SYNTH_Q_SOCIAL, SYNTH_Q_MARKETPLACE, SYNTH_Q_APP, SYNTH_Q_ONLINE_ORDERS,
                            SYNTH_Q_ONLINE_PAYMENT, SYNTH_Q_ONLINE_ADS, SYNTH_Q_B2B_ORDERS,
                            SYNTH_Q_ECONTRACT, SYNTH_Q_EINVOICE};
  for (size_t i = 0; i < sizeof pos / sizeof *pos; i++) {
    int q = pos[i];
    s += item_p(&yesno_items[q], theta, q == SYNTH_Q_EINVOICE ? einvoice_shift(year) : 0.0);
  }
  double none = 1.0;
  for (int o = SYNTH_SW_ERP; o <= SYNTH_SW_SCM; o++) none *= 1.0 - item_p(&software_items[o], theta, 0);
  s += 1.0 - none;                          /* mgmt_software */
  s += item_p(&update_item, theta, 0.0);    /* website_update */
  return s / 15.0;
}

/* Expected online revenue percent of a firm with readiness theta (0 when
** it takes no orders online). */
static double firm_pct(const synth_model *m, double theta) {
  double e = 0.0;
  for (int g = 0; g < 5; g++) e += m->gh_w[g] * logistic(PCT_A + PCT_B * theta + PCT_S * m->gh_x[g]);
  return 100.0 * e * item_p(&yesno_items[SYNTH_Q_ONLINE_ORDERS], theta, 0.0);
}

typedef double (*firm_fn)(const synth_model *m, double theta, int year, int size);

static double score_fn(const synth_model *m, double theta, int year, int size) {
  (void)m; (void)size;
  return firm_score(theta, year);
}

static double sales_fn(const synth_model *m, double theta, int year, int size) {
  (void)year;
  double mean_rev = size_revenue[size] * exp(0.5 * REV_SIGMA * REV_SIGMA);
  return mean_rev * firm_pct(m, theta) / 100.0;
}

/* E[f] over the firms of a province with readiness r: size classes and
** sectors by their population shares, the firm effect by Gauss–Hermite. */
static double expect(const synth_model *m, double r, int year, firm_fn f) {
  double e = 0.0;
  for (int h = 0; h < SYNTH_N_SIZES; h++)
    for (int k = 0; k < SYNTH_N_SECTORS; k++)
      for (int g = 0; g < 5; g++) {
        double theta = r + size_effect[h] + sector_effect[k] + FIRM_SIGMA * m->gh_x[g];
        e += size_share[h] * sector_share[k] * m->gh_w[g] * f(m, theta, year, h);
      }
  return e;
}

double synth_readiness(const synth_model *m, int i, int year) {
  return m->r0[i] + m->growth[i] * (year - CALIB_YEAR);
}

double synth_firm_share(const synth_model *m, int i) { return m->firm_share[i]; }

double synth_expected_score(const synth_model *m, int i, int year) {
  return 100.0 * expect(m, synth_readiness(m, i, year), year, score_fn);
}

/* Bisection for the readiness whose expected score is `target` (the score
** is increasing in r). */
static double calibrate_one(const synth_model *m, double target) {
  double lo = -12.0, hi = 12.0;
  for (int it = 0; it < 60; it++) {
    double mid = 0.5 * (lo + hi);
    if (100.0 * expect(m, mid, CALIB_YEAR, score_fn) < target) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/* Readiness in CALIB_YEAR for every province, then growth: lagging
** provinces gain up to GROWTH_CATCHUP more a year than the leader. */
static void calibrate(synth_model *m) {
  double rmin = 1e9, rmax = -1e9;
  for (int i = 0; i < N63; i++) {
    m->r0[i] = calibrate_one(m, m->target[i]);
    if (m->r0[i] < rmin) rmin = m->r0[i];
    if (m->r0[i] > rmax) rmax = m->r0[i];
  }
  for (int i = 0; i < N63; i++) {
    double q = rmax > rmin ? (m->r0[i] - rmin) / (rmax - rmin) : 1.0;
    m->growth[i] = GROWTH_BASE + GROWTH_CATCHUP * (1.0 - q);
  }
}

/* ---- parameters ------------------------------------------------------------ */

/* Split the CSV line at `p` into up to `max` fields (the last takes the rest
** of the line, commas included). Returns the number of fields; *next is the
** start of the next line. Writes NULs into the buffer. */
static int split_line(char *p, char **f, int max, char **next) {
  char *eol = strchr(p, '\n');
  *next = eol ? eol + 1 : p + strlen(p);
  if (eol) *eol = '\0';
  if (eol && eol > p && eol[-1] == '\r') eol[-1] = '\0';
  int n = 0;
  f[n++] = p;
  while (n < max && (p = strchr(p, ',')) != NULL) {
    *p++ = '\0';
    f[n++] = p;
  }
  return n;
}

/* Read the rows of synth/provinces.csv: a fixed share of the country's
** enterprises (percent) for the two cities, a size proxy for the others,
** and the 2021 target score. */
static int parse_params(synth_model *m, char *buf, chiso_err *err) {
  char *line = buf, *f[6], *next;
  int rows = 0, has_fixed[N63] = {0};
  double fixed = 0.0, proxy = 0.0;
  split_line(line, f, 6, &next); /* header */
  for (line = next; *line; line = next) {
    if (split_line(line, f, 6, &next) != 6)
      return chiso_err_at(err, CHISO_EINTERNAL, "synth/provinces.csv", rows + 2, 0, "expected 6 fields");
    const geo_unit *u = geo_find_code(m->reg, GEO_ERA_63, f[0]);
    if (!u) return chiso_err_at(err, CHISO_EINTERNAL, "synth/provinces.csv", rows + 2, 1, "unknown code %s", f[0]);
    int i = u->index;
    has_fixed[i] = *f[2] != '\0';
    m->firm_share[i] = has_fixed[i] ? atof(f[2]) / 100.0 : atof(f[3]);
    if (has_fixed[i]) fixed += m->firm_share[i];
    else proxy += m->firm_share[i];
    m->target[i] = atof(f[4]);
    m->city[i] = !strcmp(f[0], "01") || !strcmp(f[0], "79");
    rows++;
  }
  if (rows != N63 || fixed >= 1.0 || proxy <= 0.0)
    return chiso_err_set(err, CHISO_EINTERNAL, "synth/provinces.csv: %d rows, fixed shares %.2f", rows, fixed);
  /* Provinces without a fixed share split the rest by their proxy. */
  for (int i = 0; i < N63; i++)
    if (!has_fixed[i]) m->firm_share[i] = (1.0 - fixed) * m->firm_share[i] / proxy;
  return CHISO_OK;
}

static int hash_params(synth_model *m, const char *data, size_t len) {
  unsigned char md[32];
  unsigned int mdlen = 0;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
           EVP_DigestUpdate(ctx, SYNTH_MODEL_VERSION, strlen(SYNTH_MODEL_VERSION)) &&
           EVP_DigestUpdate(ctx, data, len) && EVP_DigestFinal_ex(ctx, md, &mdlen);
  EVP_MD_CTX_free(ctx);
  if (!ok) return CHISO_EINTERNAL;
  for (unsigned i = 0; i < 32; i++) snprintf(m->sha + 2 * i, 3, "%02x", md[i]);
  return CHISO_OK;
}

int synth_model_new(const geo_registry *reg, synth_model **out, chiso_err *err) {
  int rc = CHISO_OK;
  char *buf = NULL;
  size_t len = 0;
  *out = NULL;
  const char *data = embed_find("synth/provinces.csv", &len);
  synth_model *m = chiso_calloc(1, sizeof *m);
  if (!m) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  m->reg = reg;
  if (!data || geo_count(reg, GEO_ERA_63) != N63) {
    rc = chiso_err_set(err, CHISO_EINTERNAL, "synth/provinces.csv is not embedded");
    goto done;
  }
  if (!(buf = chiso_strndup(data, len))) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  if ((rc = parse_params(m, buf, err)) != CHISO_OK) goto done;
  if ((rc = hash_params(m, data, len)) != CHISO_OK) { chiso_err_set(err, rc, "sha256 failed"); goto done; }
  gauss_hermite5(m->gh_x, m->gh_w);
  calibrate(m);
  *out = m;
  m = NULL;
done:
  chiso_free(buf);
  chiso_free(m);
  return rc;
}

void synth_model_free(synth_model *m) { chiso_free(m); }

const char *synth_params_sha256(const synth_model *m) { return m->sha; }

const geo_registry *synth_registry(const synth_model *m) { return m->reg; }

/* ---- the sample plan ------------------------------------------------------- */

/* Stream ids: (year, GSO code, size class or a tag, index). Code 0 is no
** province: it carries the plan's national draws. */
uint64_t synth_stream_id(int year, int code, int tag, uint64_t j) {
  return ((uint64_t)(year & 0xFFFF) << 48) | ((uint64_t)(code & 0xFF) << 40) |
         ((uint64_t)(tag & 0xFF) << 32) | (j & 0xFFFFFFFFu);
}

enum { TAG_THIN = 0x40 };

/* Largest-remainder (Hamilton) apportionment of `total` over k quotas x
** (summing to total): floors first, then one more to the largest
** fractional parts, ties to the lower index. */
static void apportion(const double *x, size_t k, long total, long *out) {
  long used = 0;
  for (size_t i = 0; i < k; i++) used += out[i] = (long)floor(x[i] + 1e-9);
  while (used < total) {
    size_t best = 0;
    double bf = -1.0;
    for (size_t i = 0; i < k; i++) {
      double fr = x[i] - (double)out[i];
      if (fr > bf + 1e-12) { bf = fr; best = i; }
    }
    out[best]++;
    used++;
  }
}

static double unit_firms(const synth_model *m, const geo_unit *u, int year) {
  double share = 0.0;
  if (u->era == GEO_ERA_63) share = m->firm_share[u->index];
  else
    for (int k = 0; k < u->n_members; k++) share += m->firm_share[u->members[k]];
  return share * synth_national_firms(year);
}

/* Units the EBI could not rank for lack of answers: 63 - ranked (56 ranked
** in the 2022 report on 2021, 58 in 2024 on 2023, all 63 in 2025). */
static int thin_count(int year, geo_era era) {
  if (era == GEO_ERA_34 || year >= 2024) return 0;
  return year <= 2021 ? 7 : year == 2022 ? 6 : 5;
}

/* Mark thin units: k of the 20 smallest by enterprises, chosen by seed. */
static void pick_thin(const synth_model *m, synth_plan *p, const double *firms) {
  int k = thin_count(p->year, p->era), order[N63];
  if (k == 0 || p->floor < 30) return;
  for (int i = 0; i < N63; i++) order[i] = i;
  for (int i = 1; i < N63; i++) /* insertion sort by firms, ties by index */
    for (int j = i; j > 0 && firms[order[j]] < firms[order[j - 1]]; j--) {
      int t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
    }
  rng_stream r;
  rng_init(&r, p->seed, synth_stream_id(p->year, 0, TAG_THIN, 0));
  for (int i = 0; i < k; i++) { /* partial Fisher–Yates over the 20 smallest */
    int j = i + (int)rng_below(&r, (uint32_t)(20 - i));
    int t = order[i]; order[i] = order[j]; order[j] = t;
    p->thin[order[i]] = 1;
    p->unit_n[order[i]] = (long)(0.4 * p->floor) + (long)rng_below(&r, (uint32_t)(p->floor - (long)(0.4 * p->floor)));
  }
  (void)m;
}

/* Respondents per unit: thin units first, then the rest in proportion to
** sqrt(enterprises) (a compromise allocation), clamped to [floor, cap]
** by water-filling, then rounded by largest remainder. */
static void allocate_units(synth_plan *p, const double *firms) {
  size_t n = p->n_units;
  double x[N63], a[N63];
  int fixed[N63];
  long rest = p->total;
  for (size_t u = 0; u < n; u++) {
    fixed[u] = p->thin[u];
    a[u] = sqrt(firms[u]);
    x[u] = (double)p->unit_n[u];
    if (p->thin[u]) rest -= p->unit_n[u];
  }
  for (int changed = 1; changed;) {
    double free_total = (double)rest, asum = 0.0;
    changed = 0;
    for (size_t u = 0; u < n; u++) {
      if (!fixed[u]) asum += a[u];
      else if (!p->thin[u]) free_total -= x[u];
    }
    for (size_t u = 0; u < n; u++) {
      if (fixed[u]) continue;
      x[u] = asum > 0 ? free_total * a[u] / asum : 0.0;
      if (x[u] < (double)p->floor) { x[u] = (double)p->floor; fixed[u] = changed = 1; }
      else if (x[u] > (double)p->cap) { x[u] = (double)p->cap; fixed[u] = changed = 1; }
    }
  }
  apportion(x, n, p->total, p->unit_n);
}

/* Size classes within a unit: at least one respondent each, the rest in
** proportion to N_h times the oversampling rate. */
static void allocate_cells(synth_plan *p, size_t u, double firms) {
  double x[SYNTH_N_SIZES], sum = 0.0;
  long out[SYNTH_N_SIZES];
  long extra = p->unit_n[u] - SYNTH_N_SIZES;
  for (int h = 0; h < SYNTH_N_SIZES; h++) sum += size_share[h] * size_oversample[h];
  for (int h = 0; h < SYNTH_N_SIZES; h++) x[h] = (double)extra * size_share[h] * size_oversample[h] / sum;
  apportion(x, SYNTH_N_SIZES, extra, out);
  for (int h = 0; h < SYNTH_N_SIZES; h++) {
    synth_cell *c = &p->cells[u * SYNTH_N_SIZES + h];
    c->unit = (int)u;
    c->size = h;
    c->N = fmax(1.0, round(firms * size_share[h]));
    c->n = out[h] + 1;
    c->weight = c->N / (double)c->n;
  }
}

/* The scale of online sales outside HN and HCM that gives the target city
** share: share = C / (C + s R) solved for s, with C and R the expected
** weighted sales of the two cities and of the rest. */
static double sales_scale(const synth_model *m, int year) {
  double c = 0.0, rest = 0.0;
  for (int i = 0; i < N63; i++) {
    double e = m->firm_share[i] * expect(m, synth_readiness(m, i, year), year, sales_fn);
    if (m->city[i]) c += e;
    else rest += e;
  }
  double s = synth_target_city_share(year);
  return c * (1.0 - s) / (s * rest);
}

int synth_plan_new(const synth_model *m, int year, long respondents, uint64_t seed,
                 synth_plan **out, chiso_err *err) {
  int rc = CHISO_OK;
  double firms[N63];
  *out = NULL;
  synth_plan *p = NULL;
  if (year < SYNTH_YEAR_MIN || year > SYNTH_YEAR_MAX) {
    rc = chiso_err_set(err, CHISO_EUSAGE, "year %d is outside %d-%d", year, SYNTH_YEAR_MIN, SYNTH_YEAR_MAX);
    goto fail;
  }
  geo_era era = geo_era_for_year(year);
  size_t n = geo_count(m->reg, era);
  if (respondents < (long)(SYNTH_N_SIZES * n) || respondents > 2000000000L) {
    rc = chiso_err_set(err, CHISO_EUSAGE, "respondents must be between %zu (4 per unit) and 2000000000",
                       SYNTH_N_SIZES * n);
    goto fail;
  }
  p = chiso_calloc(1, sizeof *p);
  if (!p || !(p->unit_n = chiso_calloc(n, sizeof *p->unit_n)) ||
      !(p->thin = chiso_calloc(n, sizeof *p->thin)) ||
      !(p->cells = chiso_calloc(n * SYNTH_N_SIZES, sizeof *p->cells))) {
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    goto fail;
  }
  p->year = year;
  p->era = era;
  p->seed = seed;
  p->total = respondents;
  p->n_units = n;
  double s = respondents > 25000 ? (double)respondents / 25000.0 : 1.0;
  p->floor = lround(30 * s);
  p->cap = lround(500 * s);
  if (respondents < p->floor * (long)n) { p->floor = SYNTH_N_SIZES; p->cap = respondents; }
  for (size_t u = 0; u < n; u++) firms[u] = unit_firms(m, geo_unit_at(m->reg, era, u), year);
  pick_thin(m, p, firms);
  allocate_units(p, firms);
  long first = 0;
  for (size_t u = 0; u < n; u++) {
    allocate_cells(p, u, firms[u]);
    for (int h = 0; h < SYNTH_N_SIZES; h++) {
      p->cells[u * SYNTH_N_SIZES + h].first = first;
      first += p->cells[u * SYNTH_N_SIZES + h].n;
    }
  }
  p->sales_scale = sales_scale(m, year);
  *out = p;
  return CHISO_OK;
fail:
  synth_plan_free(p);
  return rc;
}

void synth_plan_free(synth_plan *p) {
  if (!p) return;
  chiso_free(p->unit_n);
  chiso_free(p->thin);
  chiso_free(p->cells);
  chiso_free(p);
}

/* ---- one respondent ------------------------------------------------------ */

static size_t find_cell(const synth_plan *p, long index) {
  size_t lo = 0, hi = p->n_units * SYNTH_N_SIZES;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (p->cells[mid].first <= index) lo = mid;
    else hi = mid;
  }
  return lo;
}

static int draw_member(const synth_model *m, const geo_unit *u, double uni) {
  if (u->era == GEO_ERA_63) return u->index;
  double tot = 0.0, acc = 0.0;
  for (int k = 0; k < u->n_members; k++) tot += m->firm_share[u->members[k]];
  for (int k = 0; k < u->n_members; k++) {
    acc += m->firm_share[u->members[k]];
    if (uni * tot < acc) return u->members[k];
  }
  return u->members[u->n_members - 1];
}

static int draw_sector(double uni) {
  double acc = 0.0;
  for (int k = 0; k < SYNTH_N_SECTORS - 1; k++) {
    acc += sector_share[k];
    if (uni < acc) return k;
  }
  return SYNTH_N_SECTORS - 1;
}

/* Every draw is made whether or not it is used, so each answer sits at a
** fixed position of the respondent's stream. */
static void draw_answers(const synth_model *m, const synth_plan *p, rng_stream *r, double theta,
                         synth_row *row) {
  int truth[SYNTH_N_YESNO];
  for (int q = 0; q < SYNTH_Q_ESIGNATURE; q++) {
    double shift = q == SYNTH_Q_EINVOICE ? einvoice_shift(p->year) : 0.0;
    double u = rng_uniform(r), miss = rng_uniform(r);
    truth[q] = u < item_p(&yesno_items[q], theta, shift);
    row->yes[q] = miss < yesno_items[q].miss ? -1 : (signed char)truth[q];
  }
  row->software = 0;
  for (int o = 0; o < SYNTH_N_SOFTWARE; o++)
    if (rng_uniform(r) < item_p(&software_items[o], theta, 0.0)) row->software |= 1u << o;
  double hi = rng_uniform(r), which = rng_uniform(r), miss = rng_uniform(r);
  int high = hi < item_p(&update_item, theta, 0.0);
  row->web_update = !truth[SYNTH_Q_WEBSITE] || miss < update_item.miss ? -1
                    : high ? (which < UPD_DAILY ? SYNTH_UPD_DAILY : SYNTH_UPD_WEEKLY)
                           : (which < UPD_MONTHLY ? SYNTH_UPD_MONTHLY : SYNTH_UPD_RARELY);
  double zp = rng_normal(r), mp = rng_uniform(r), zr = rng_normal(r), ms = rng_uniform(r);
  double pct = truth[SYNTH_Q_ONLINE_ORDERS] ? round(100.0 * logistic(PCT_A + PCT_B * theta + PCT_S * zp)) : 0.0;
  double scale = m->city[row->member] ? 1.0 : p->sales_scale;
  double sales = size_revenue[row->size] * exp(REV_SIGMA * zr) * pct / 100.0 * scale;
  row->rev_pct = mp < PCT_MISS ? NAN : pct;
  row->sales = ms < SALES_MISS ? NAN : round(sales * 10.0) / 10.0;
  for (int q = SYNTH_Q_ESIGNATURE; q < SYNTH_N_YESNO; q++) { /* model 2 items, last */
    double u = rng_uniform(r), miss = rng_uniform(r);
    row->yes[q] = miss < yesno_items[q].miss ? -1 : (signed char)(u < item_p(&yesno_items[q], theta, 0.0));
  }
}

void synth_row_make(const synth_model *m, const synth_plan *p, long index, synth_row *row) {
  size_t ci = find_cell(p, index);
  const synth_cell *c = &p->cells[ci];
  const geo_unit *u = geo_unit_at(m->reg, p->era, (size_t)c->unit);
  long j = index - c->first, before = 0;
  for (size_t k = (size_t)c->unit * SYNTH_N_SIZES; k < ci; k++) before += p->cells[k].n;
  rng_stream r;
  rng_init(&r, p->seed, synth_stream_id(p->year, atoi(u->code), c->size, (uint64_t)j));
  row->index = index;
  row->seq = before + j + 1;
  row->unit = c->unit;
  row->size = c->size;
  row->weight = c->weight;
  row->member = draw_member(m, u, rng_uniform(&r));
  row->sector = draw_sector(rng_uniform(&r));
  double theta = synth_readiness(m, row->member, p->year) + size_effect[row->size] +
                 sector_effect[row->sector] + FIRM_SIGMA * rng_normal(&r);
  draw_answers(m, p, &r, theta, row);
}
