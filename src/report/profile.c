/* profile.c — a unit's strengths and weaknesses (profile.h). */
#include "report/profile.h"

#include <assert.h>
#include <math.h>
#include <string.h>

void profile_options_init(profile_options *o) {
  memset(o, 0, sizeof *o);
  o->top = 3;
  o->min_unique = 0.2;
}

/* The reference units' values of indicator k in its direction (+1/-1):
** vals[0..*n). */
static void reference_values(const rmodel *m, size_t k, int dir, const profile_options *o,
                             double *vals, size_t *n) {
  *n = 0;
  for (size_t u = 0; u < m->n_units && u < RMODEL_MAX_UNITS; u++) {
    double v = m->units[u].indicators[k];
    if (isnan(v) || (o->keep && !o->keep(u, o->keep_ctx))) continue;
    vals[(*n)++] = dir * v;
  }
}

/* Distinct values among vals[0..n) (n is small: a quadratic count). */
static size_t distinct(const double *vals, size_t n) {
  size_t d = 0;
  for (size_t i = 0; i < n; i++) {
    size_t j = 0;
    while (j < i && vals[j] != vals[i]) j++;
    d += j == i;
  }
  return d;
}

/* Unit `unit` on indicator k against the reference: 1 with *it filled
** when it can be judged, 0 otherwise. */
static int judge(const rmodel *m, size_t unit, size_t k, const profile_options *o,
                 profile_item *it) {
  double x = m->units[unit].indicators[k], vals[RMODEL_MAX_UNITS];
  if (isnan(x)) return 0;
  const rmodel_node *node = rmodel_node_find(m, m->indicators[k]);
  int dir = node && node->direction < 0 ? -1 : 1;
  size_t n;
  reference_values(m, k, dir, o, vals, &n);
  if (n < 3 || (o->min_unique > 0 && (double)distinct(vals, n) < o->min_unique * (double)n))
    return 0;
  double sum = 0;
  int better = 0;
  for (size_t j = 0; j < n; j++) {
    sum += vals[j];
    better += vals[j] > dir * x;
  }
  *it = (profile_item){k, x, dir * (sum / (double)n), better + 1, (int)n};
  return 1;
}

/* How far the item is from the reference, in its direction. */
static double gap(const rmodel *m, const profile_item *it) {
  const rmodel_node *node = rmodel_node_find(m, m->indicators[it->indicator]);
  return (node && node->direction < 0 ? -1 : 1) * (it->value - it->reference);
}

/* Insert it into list[0..*n) of at most cap, ordered by `before`. */
static void insert(const rmodel *m, profile_item *list, size_t *n, size_t cap,
                   const profile_item *it, int worst_first) {
  size_t j = *n < cap ? (*n)++ : cap;
  while (j > 0) {
    const profile_item *p = &list[j - 1];
    int ahead = worst_first ? (it->rank > p->rank || (it->rank == p->rank && gap(m, it) < gap(m, p)))
                            : (it->rank < p->rank || (it->rank == p->rank && gap(m, it) > gap(m, p)));
    if (!ahead) break;
    if (j < cap) list[j] = *p;
    j--;
  }
  if (j < cap) list[j] = *it;
}

void profile_strengths(const rmodel *m, size_t unit, const profile_options *o,
                       profile_item *str, size_t *n_str, profile_item *weak, size_t *n_weak) {
  assert(m && unit < m->n_units && str && n_str && weak && n_weak);
  profile_options def;
  profile_options_init(&def);
  if (!o) o = &def;
  size_t cap = o->top ? o->top : 3;
  double min_unique = isnan(o->min_unique) ? 0.2 : o->min_unique;
  profile_options use = *o;
  use.min_unique = min_unique;
  *n_str = *n_weak = 0;
  for (size_t k = 0; k < m->n_indicators; k++) {
    profile_item it;
    if (!judge(m, unit, k, &use, &it)) continue;
    double g = gap(m, &it);
    if (g > 0) insert(m, str, n_str, cap, &it, 0);
    else if (g < 0) insert(m, weak, n_weak, cap, &it, 1);
  }
}
