/* out_estimates.c — survey estimates as a table, CSV or JSON
** (out_estimates.h). */
#include "out/out_estimates.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "io/csvwrite.h"
#include "out/out_table.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int write_csv(const estimates *r, int level, FILE *out) {
  const char *head[] = {"code", "indicator", "estimate", "se", "n", "weighted_n", "ranked"};
  int rc = csvwrite_row(out, head, 7, 0);
  size_t K = estimator_indicator_count(r->design);
  for (size_t i = 0; !rc && i < estimator_domain_count(r->design); i++) {
    const estimator_domain *dm = estimator_domain_at(r->design, i);
    if (level >= 0 && (int)dm->level != level) continue;
    for (size_t k = 0; !rc && k < K; k++) {
      const estimator_cell *c = &r->cells[i * K + k];
      char n[32];
      snprintf(n, sizeof n, "%ld", c->n);
      csvwrite_field(out, dm->code, 1);
      csvwrite_field(out, estimator_indicator_id(r->design, k), 0);
      csvwrite_number(out, c->estimate, 0);
      csvwrite_number(out, c->se, 0);
      csvwrite_field(out, n, 0);
      csvwrite_number(out, c->weighted_n, 0);
      csvwrite_field(out, dm->ranked ? "1" : "0", 0);
      rc = csvwrite_end_row(out, 0);
    }
  }
  return rc ? CHISO_EIO : CHISO_OK;
}

static int is_share(codebook_kind k) { return k == CODEBOOK_SHARE_YES || k == CODEBOOK_SHARE_ANY; }

static int wanted(int level, const estimator_domain *dm) { return level < 0 || (int)dm->level == level; }

static int write_json(const estimates *r, int level, int year, int synthetic, FILE *out) {
  static const char *levels[] = {"province", "region", "nation"};
  static const char *kinds[] = {"share_yes", "share_any", "mean", "total", "ratio"};
  json_t *root = json_object(), *list = json_array();
  json_object_set_new(root, "year", json_integer(year));
  if (synthetic) json_object_set_new(root, "synthetic", json_true());
  size_t K = estimator_indicator_count(r->design);
  for (size_t i = 0; i < estimator_domain_count(r->design); i++) {
    const estimator_domain *dm = estimator_domain_at(r->design, i);
    if (!wanted(level, dm)) continue;
    for (size_t k = 0; k < K; k++) {
      const estimator_cell *c = &r->cells[i * K + k];
      json_t *e = json_object();
      json_object_set_new(e, "code", json_string(dm->code));
      json_object_set_new(e, "name", json_string(dm->name));
      json_object_set_new(e, "level", json_string(levels[dm->level]));
      json_object_set_new(e, "indicator", json_string(estimator_indicator_id(r->design, k)));
      json_object_set_new(e, "kind", json_string(kinds[estimator_indicator_kind(r->design, k)]));
      json_object_set_new(e, "estimate", jsonio_number(c->estimate));
      json_object_set_new(e, "se", jsonio_number(c->se));
      json_object_set_new(e, "n", json_integer(c->n));
      json_object_set_new(e, "weighted_n", jsonio_number(c->weighted_n));
      json_object_set_new(e, "ranked", json_boolean(dm->ranked));
      json_array_append_new(list, e);
    }
  }
  json_object_set_new(root, "estimates", list);
  return jsonio_dump(root, out);
}

static int write_table(const estimates *r, int level, FILE *out) {
  const char *head[] = {"code", "name", "indicator", "estimate", "se", "n", "weighted N", "note"};
  out_table *t = out_table_new(8, head);
  if (!t) return CHISO_ENOMEM;
  for (int c = 3; c < 7; c++) out_table_right(t, c);
  size_t K = estimator_indicator_count(r->design);
  int rc = CHISO_OK;
  for (size_t i = 0; !rc && i < estimator_domain_count(r->design); i++) {
    const estimator_domain *dm = estimator_domain_at(r->design, i);
    if (!wanted(level, dm)) continue;
    for (size_t k = 0; !rc && k < K; k++) {
      const estimator_cell *c = &r->cells[i * K + k];
      int pct = is_share(estimator_indicator_kind(r->design, k));
      char est[48] = "", se[48] = "", n[32], wn[48];
      if (!isnan(c->estimate)) {
        if (pct) snprintf(est, sizeof est, "%.1f%%", 100 * c->estimate);
        else out_table_num(est, sizeof est, c->estimate); /* never 1.416e+05 */
      }
      if (!isnan(c->se)) {
        if (pct) snprintf(se, sizeof se, "%.1f", 100 * c->se);
        else out_table_num(se, sizeof se, c->se);
      }
      snprintf(n, sizeof n, "%ld", c->n);
      snprintf(wn, sizeof wn, "%.0f", c->weighted_n);
      const char *row[] = {dm->code, dm->name, estimator_indicator_id(r->design, k), est, se, n, wn,
                           dm->ranked ? "" : "not ranked (too few respondents)"};
      rc = out_table_add(t, row);
    }
  }
  if (!rc) rc = out_table_print(t, out);
  out_table_free(t);
  return rc;
}

int out_estimates_write(const estimates *r, int level, int year, int synthetic, chiso_format fmt,
                        FILE *out) {
  assert(r && out);
  return fmt == CHISO_FORMAT_CSV    ? write_csv(r, level, out)
         : fmt == CHISO_FORMAT_JSON ? write_json(r, level, year, synthetic, out)
                                    : write_table(r, level, out);
}
