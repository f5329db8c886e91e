/* out_targets.c — plan KPIs judged, as a table, CSV or JSON
** (out_targets.h). */
#include "out/out_targets.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "io/csvwrite.h"
#include "out/out_table.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void fmt_num(char *buf, size_t n, double v) {
  if (isnan(v)) buf[0] = '\0';
  else snprintf(buf, n, "%.17g", v);
}

static int write_csv(const targets_result *r, size_t n, FILE *out) {
  const char *head[] = {"plan", "kpi", "scope", "unit", "direction", "baseline_year",
                        "baseline_value", "target_year", "target_value", "actual_year",
                        "actual_value", "progress_pct", "status", "projected_year", "reason",
                        "actual_source"};
  csvwrite_row(out, head, 16, 0);
  for (size_t i = 0; i < n; i++) {
    const targets_kpi *k = r[i].kpi;
    char by[16] = "", bv[32], ty[16], tv[32], ay[16] = "", av[32], pp[32], py[16];
    if (r[i].baseline_year) snprintf(by, sizeof by, "%d", r[i].baseline_year);
    fmt_num(bv, sizeof bv, r[i].baseline_value);
    snprintf(ty, sizeof ty, "%d", k->target_year);
    fmt_num(tv, sizeof tv, k->target_value);
    if (r[i].actual_year) snprintf(ay, sizeof ay, "%d", r[i].actual_year);
    fmt_num(av, sizeof av, r[i].actual_value);
    fmt_num(pp, sizeof pp, r[i].progress_pct);
    targets_projected_text(&r[i], py, sizeof py);
    const char *row[] = {k->plan, k->kpi, k->scope, k->unit, k->direction > 0 ? "up" : "down",
                         by, bv, ty, tv, ay, av, pp, targets_status_name(r[i].status), py,
                         r[i].reason, r[i].actual_source ? r[i].actual_source : ""};
    if (csvwrite_row(out, row, 16, 0)) return CHISO_EIO;
  }
  return CHISO_OK;
}

static json_t *result_json(const targets_result *r) {
  const targets_kpi *k = r->kpi;
  json_t *o = json_object();
  json_object_set_new(o, "kpi", json_string(k->kpi));
  json_object_set_new(o, "description", json_string(k->description_en));
  json_object_set_new(o, "scope", json_string(k->scope));
  json_object_set_new(o, "unit", json_string(k->unit));
  json_object_set_new(o, "direction", json_string(k->direction > 0 ? "up" : "down"));
  json_object_set_new(o, "baseline_year", r->baseline_year ? json_integer(r->baseline_year) : json_null());
  json_object_set_new(o, "baseline_value", jsonio_number(r->baseline_value));
  json_object_set_new(o, "baseline_from_actual", json_boolean(r->baseline_from_actual));
  json_object_set_new(o, "target_year", json_integer(k->target_year));
  json_object_set_new(o, "target_value", jsonio_number(k->target_value));
  json_object_set_new(o, "actual_year", r->actual_year ? json_integer(r->actual_year) : json_null());
  json_object_set_new(o, "actual_value", jsonio_number(r->actual_value));
  json_object_set_new(o, "actual_source", r->actual_source ? json_string(r->actual_source) : json_null());
  json_object_set_new(o, "progress_pct", jsonio_number(r->progress_pct));
  json_object_set_new(o, "status", json_string(targets_status_name(r->status)));
  json_object_set_new(o, "reason", json_string(r->reason));
  int py = targets_projected_whole_year(r->projected_year);
  json_object_set_new(o, "projected_year", py ? json_integer(py) : json_null());
  json_object_set_new(o, "never_at_current_pace", json_boolean(isinf(r->projected_year)));
  json_object_set_new(o, "projected_after",
                      r->projected_after ? json_integer(r->projected_after) : json_null());
  json_object_set_new(o, "at_target_year", json_boolean(r->at_target_year));
  return o;
}

static int write_json(const targets_result *r, size_t n, const char *plan, int as_of_year,
                      int synthetic, FILE *out) {
  json_t *root = json_object(), *list = json_array();
  json_object_set_new(root, "plan", json_string(plan));
  if (synthetic) json_object_set_new(root, "synthetic", json_true());
  json_object_set_new(root, "as_of_year", as_of_year ? json_integer(as_of_year) : json_null());
  for (size_t i = 0; i < n; i++) json_array_append_new(list, result_json(&r[i]));
  json_object_set_new(root, "kpis", list);
  return jsonio_dump(root, out);
}

/* Why a row reads as it does when the table cannot say it: a past target
** judged at its own year, a KPI without data for a reason (a survey that
** does not cover the nation), a value without a baseline. */
static int table_notes(const targets_result *r, size_t n, int synthetic, int with_store,
                       FILE *out) {
  int head = 0;
  for (size_t i = 0; i < n; i++) {
    const char *why = NULL;
    char buf[400];
    if (with_store && r[i].actual_priority == TARGETS_PRIO_PUBLISHED) {
      snprintf(buf, sizeof buf, "%s (%s), not an estimate from the store%s",
               synthetic ? "a REAL published figure" : "a published figure",
               r[i].actual_source ? r[i].actual_source : "data/plans/actuals.csv",
               synthetic ? "'s SYNTHETIC survey" : "'s survey");
      why = buf;
    } else if (r[i].at_target_year) {
      snprintf(buf, sizeof buf, "judged with the %d actual, the target year; later ones do not "
               "judge it", r[i].kpi->target_year);
      why = buf;
    } else if (r[i].status != TARGETS_ACHIEVED && r[i].status != TARGETS_ON_TRACK &&
               r[i].status != TARGETS_OFF_TRACK && strcmp(r[i].reason, "no actual value") != 0) {
      why = r[i].reason;
    }
    if (!why) continue;
    if (!head++) fputs("\nnotes:\n", out);
    fprintf(out, "  %s (%s): %s\n", r[i].kpi->kpi, r[i].kpi->scope, why);
  }
  return ferror(out) ? CHISO_EIO : CHISO_OK;
}

static int write_table(const targets_result *r, size_t n, int synthetic, int with_store,
                       FILE *out) {
  const char *head[] = {"kpi", "scope", "target", "actual", "progress", "status", "reached"};
  out_table *t = out_table_new(7, head);
  if (!t) return CHISO_ENOMEM;
  int rc = CHISO_OK;
  for (size_t i = 0; !rc && i < n; i++) {
    const targets_kpi *k = r[i].kpi;
    char tgt[96], act[64] = "-", prog[32] = "-", py[16];
    char tv[32];
    out_table_num(tv, sizeof tv, k->target_value);
    for (char *e = tv + strlen(tv) - 1; strchr(tv, '.') && e > tv && (*e == '0' || *e == '.'); e--) {
      int dot = *e == '.';
      *e = '\0'; /* 50.000 reads 50 */
      if (dot) break;
    }
    snprintf(tgt, sizeof tgt, "%s%s %s by %d", k->direction > 0 ? ">= " : "<= ", tv, k->unit,
             k->target_year);
    if (r[i].actual_year) snprintf(act, sizeof act, "%.1f (%d)", r[i].actual_value, r[i].actual_year);
    double pct = r[i].progress_pct; /* within [-100, 100] (targets_evaluate) */
    if (!isnan(pct)) snprintf(prog, sizeof prog, "%.0f%%", pct);
    targets_projected_text(&r[i], py, sizeof py);
    const char *row[] = {k->kpi, k->scope, tgt, act, prog, targets_status_name(r[i].status), py[0] ? py : "-"};
    rc = out_table_add(t, row);
  }
  out_table_right(t, 4);
  if (!rc) rc = out_table_print(t, out);
  out_table_free(t);
  if (!rc) rc = table_notes(r, n, synthetic, with_store, out);
  return rc;
}

int out_targets_write(const targets_result *r, size_t n, const char *plan, int as_of_year,
                      int synthetic, int with_store, chiso_format fmt, FILE *out) {
  assert((r || !n) && out);
  return fmt == CHISO_FORMAT_CSV    ? write_csv(r, n, out)
         : fmt == CHISO_FORMAT_JSON ? write_json(r, n, plan, as_of_year, synthetic, out)
                                    : write_table(r, n, synthetic, with_store, out);
}

int out_targets_plans(const targets_plan_set *set, FILE *out) {
  for (size_t i = 0; i < set->n; i++) {
    size_t j = 0;
    while (j < i && strcmp(set->kpis[j].plan, set->kpis[i].plan)) j++;
    if (j < i) continue;
    fprintf(out, "%s\t%zu KPIs\t%s\n", set->kpis[i].plan, targets_plan_count(set, set->kpis[i].plan),
            set->kpis[i].scope);
  }
  return ferror(out) ? CHISO_EIO : CHISO_OK;
}
