/* profile.h — a unit's strengths and weaknesses: the one rule that the
** HTML profiles, the exports and the server share.
**
** The idea is COINr's get_str_weak (Becker et al. 2022, "COINr: an R
** package for developing composite indicators", JOSS 7(78) 4567): rank
** the unit on each indicator among the reference units (its direction
** applied, so rank 1 is always the best), leave out indicators whose
** values hardly differ (a yes/no-like indicator where most units share
** a value says nothing about this unit), and report the best and worst
** ranks. chiso adds what a reader takes for granted (issue 12): a
** strength is above the reference mean and a weakness below it, so a
** unit that leads the country everywhere has no weaknesses and one that
** trails everywhere has no strengths. The reference is every unit, or a
** group (its region) through a predicate. */
#ifndef CHISO_PROFILE_H
#define CHISO_PROFILE_H

#include "report/rmodel.h"

#include <stddef.h>

/* One indicator of a unit, against the reference units. */
typedef struct profile_item {
  size_t indicator;  /* index into m->indicators */
  double value;      /* the unit's value (as in the model) */
  double reference;  /* mean of the reference units' values */
  int rank;          /* among the reference units with a value, 1 = best in the
                        indicator's direction; ties share the best rank */
  int n_ranked;      /* reference units with a value */
} profile_item;

typedef struct profile_options {
  size_t top;         /* the most strengths (and weaknesses) to give; 0: 3 */
  double min_unique;  /* leave out indicators whose distinct values are fewer
                         than this share of the reference units (COINr's
                         unq_discard); NaN: 0.2, 0: keep all */
  int (*keep)(size_t unit, const void *ctx); /* the reference units; NULL: all */
  const void *keep_ctx;
} profile_options;

/* Defaults: 3 of each, min_unique 0.2, every unit the reference. Cannot
** fail. */
void profile_options_init(profile_options *o);

/* The strengths and weaknesses of unit `unit` of m. str[0..*n_str) are
** indicators where the unit is above the reference mean (in the
** indicator's direction), best rank first; weak[0..*n_weak) those where it
** is below, worst rank first (ties, in both: the one further from the mean
** first).
** Indicators with fewer than 3 reference units with a value, with too few
** distinct values (o->min_unique), or without a value for the unit are left
** out. str and weak hold o->top entries each (3 by default). o may be NULL
** (defaults). Cannot fail: the work is done in fixed-size scratch (at most
** RMODEL_MAX_UNITS units). */
void profile_strengths(const rmodel *m, size_t unit, const profile_options *o,
                       profile_item *str, size_t *n_str, profile_item *weak, size_t *n_weak);

#endif
