/* export.c — XLSX, CSV and JSON exports of the report model. */
#include "report/export.h"
#include "base/cleanup.h"

#include "io/csvwrite.h"
#include "geo/geo.h"
#include "base/mem.h"
#include "report/i18n.h"
#include "base/text.h"

#include <assert.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

static geo_era era_of(const rmodel *m) { return m->n_era_units == 34 ? GEO_ERA_34 : GEO_ERA_63; }

const char *export_unit_name(const geo_registry *reg, const rmodel *m, size_t i) {
  const geo_unit *u = geo_find_code(reg, era_of(m), m->units[i].code);
  return u ? u->name : "";
}

const char *export_unit_region(const geo_registry *reg, const rmodel *m, size_t i, const char *lang) {
  const geo_unit *u = geo_find_code(reg, era_of(m), m->units[i].code);
  return u ? geo_region_name(era_of(m), u->region, lang) : "";
}

/* ------------------------------------------------------------------ */
/* CSV and JSON                                                        */
/* ------------------------------------------------------------------ */

static int csv_int(FILE *f, long v, int known) {
  char b[32];
  snprintf(b, sizeof b, "%ld", v);
  return csvwrite_field(f, known ? b : NULL, 0);
}

int export_index_csv(const rmodel *m, FILE *f, int bom, int prev, chiso_err *err) {
  static const char *const head[] = {"code", "name", "region", "score", "score_lo", "score_hi",
                               "rank", "rank_lo", "rank_hi", "respondents"};
  geo_registry *reg = NULL;
  size_t order[RMODEL_MAX_UNITS];
  int py = prev ? rmodel_prev_year(m) : 0;
  if (rmodel_check(m, err)) return CHISO_EDATA;
  int rc = geo_registry_new(&reg, err), bad = 0;
  if (rc) return rc;
  if (bom) bad |= csvwrite_bom(f);
  for (int c = 0; c < 10; c++) bad |= csvwrite_field(f, head[c], c == 0);
  for (size_t p = 0; p < m->n_pillars; p++) bad |= csvwrite_field(f, m->pillars[p], 0);
  if (prev) bad |= csvwrite_field(f, "prev_rank", 0) | csvwrite_field(f, "rank_change", 0);
  bad |= csvwrite_end_row(f, bom);
  rmodel_rank_order(m, order);
  for (size_t r = 0; r < m->n_units && r < RMODEL_MAX_UNITS; r++) {
    size_t i = order[r];
    const rmodel_unit *u = &m->units[i];
    int pr = py ? rmodel_trend_rank(m, u, py) : 0;
    bad |= csvwrite_field(f, u->code, 1);
    bad |= csvwrite_field(f, export_unit_name(reg, m, i), 0);
    bad |= csvwrite_field(f, export_unit_region(reg, m, i, "vi"), 0);
    bad |= csvwrite_number(f, u->score, 0);
    bad |= csvwrite_number(f, u->score_lo, 0);
    bad |= csvwrite_number(f, u->score_hi, 0);
    bad |= csv_int(f, u->rank, u->rank > 0);
    bad |= csv_int(f, u->rank_lo, u->rank_lo > 0);
    bad |= csv_int(f, u->rank_hi, u->rank_hi > 0);
    bad |= csv_int(f, u->n_resp, u->n_resp >= 0);
    for (size_t p = 0; p < m->n_pillars; p++) bad |= csvwrite_number(f, u->pillars[p], 0);
    if (prev) bad |= csv_int(f, pr, pr > 0) | csv_int(f, pr - u->rank, pr > 0 && u->rank > 0);
    bad |= csvwrite_end_row(f, bom);
  }
  geo_registry_free(reg);
  return bad ? chiso_err_set(err, CHISO_EIO, "write error") : CHISO_OK;
}

int export_csv(const rmodel *m, FILE *f, int bom, chiso_err *err) {
  return export_index_csv(m, f, bom, 0, err);
}

int export_json(const rmodel *m, FILE *f, chiso_err *err) {
  char *s = NULL;
  if (rmodel_check(m, err)) return CHISO_EDATA;
  if (rmodel_to_json(m, &s)) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  int rc = fputs(s, f) == EOF ? chiso_err_set(err, CHISO_EIO, "write error") : CHISO_OK;
  chiso_free(s);
  return rc;
}

/* ------------------------------------------------------------------ */
/* XLSX                                                                */
/* ------------------------------------------------------------------ */

#define MAX_COLS 64

/* A sheet being filled: tracks the widest text per column. */
typedef struct sheet {
  lxw_worksheet *ws;
  lxw_format *head, *f1, *f3, *f0;
  lxw_format *warn;      /* the synthetic banner's format, NULL: real data */
  const char *lang;
  double width[MAX_COLS];
  int row;
  int top;               /* the header row: 1 under a synthetic banner, else 0 */
} sheet;

static void fit(sheet *s, int col, double w) {
  if (col < MAX_COLS && w > s->width[col]) s->width[col] = w;
}

static void put_str(sheet *s, int col, const char *text, lxw_format *fmt) {
  worksheet_write_string(s->ws, (lxw_row_t)s->row, (lxw_col_t)col, text ? text : "", fmt);
  fit(s, col, text ? (double)text_width(text) * 1.1 : 0);
}

/* A number (blank when NaN) with a format of 0, 1 or 3 decimals. */
static void put_num(sheet *s, int col, double v, lxw_format *fmt) {
  if (!isnan(v)) worksheet_write_number(s->ws, (lxw_row_t)s->row, (lxw_col_t)col, v, fmt);
  fit(s, col, 8);
}

static void header(sheet *s, const char *const *keys, int n) {
  for (int c = 0; c < n; c++) put_str(s, c, i18n_text(s->lang, keys[c]), s->head);
}

static void finish(sheet *s, int freeze_cols) {
  worksheet_freeze_panes(s->ws, (lxw_row_t)(s->top + 1), (lxw_col_t)freeze_cols);
  for (int c = 0; c < MAX_COLS; c++)
    if (s->width[c] > 0)
      worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, s->width[c] + 2, NULL);
}

/* A new sheet; with synthetic data its first row is the banner, on every
** sheet (issue 12: only the last sheet said so), and its printed pages
** carry it in the header. */
static void open_sheet(lxw_workbook *wb, sheet *proto, sheet *s, const char *key) {
  *s = *proto;
  memset(s->width, 0, sizeof s->width);
  s->row = s->top = 0;
  s->ws = workbook_add_worksheet(wb, i18n_text(proto->lang, key));
  if (!s->warn) return;
  const char *banner = i18n_text(s->lang, "synthetic_banner");
  worksheet_write_string(s->ws, 0, 0, banner, s->warn);
  char head[300];
  snprintf(head, sizeof head, "&C%s", banner);
  worksheet_set_header(s->ws, head);
  s->row = s->top = 1;
}

static void unit_cols(sheet *s, const geo_registry *reg, const rmodel *m, size_t i) {
  put_str(s, 0, m->units[i].code, NULL);
  put_str(s, 1, export_unit_name(reg, m, i), NULL);
}

static void sheet_index(lxw_workbook *wb, sheet *proto, const geo_registry *reg, const rmodel *m) {
  static const char *const keys[] = {"col_code", "col_name", "col_region", "col_score", "col_score_lo",
                               "col_score_hi", "col_rank", "col_rank_lo", "col_rank_hi",
                               "col_respondents"};
  sheet s;
  size_t order[RMODEL_MAX_UNITS];
  open_sheet(wb, proto, &s, "sheet_index");
  header(&s, keys, 10);
  for (size_t p = 0; p < m->n_pillars; p++)
    put_str(&s, 10 + (int)p, rmodel_node_name(m, m->pillars[p], s.lang), s.head);
  rmodel_rank_order(m, order);
  for (size_t r = 0; r < m->n_units && r < RMODEL_MAX_UNITS; r++) {
    size_t i = order[r];
    const rmodel_unit *u = &m->units[i];
    s.row++;
    unit_cols(&s, reg, m, i);
    put_str(&s, 2, export_unit_region(reg, m, i, s.lang), NULL);
    put_num(&s, 3, u->score, s.f1);
    put_num(&s, 4, u->score_lo, s.f1);
    put_num(&s, 5, u->score_hi, s.f1);
    put_num(&s, 6, u->rank > 0 ? u->rank : NAN, s.f0);
    put_num(&s, 7, u->rank_lo > 0 ? u->rank_lo : NAN, s.f0);
    put_num(&s, 8, u->rank_hi > 0 ? u->rank_hi : NAN, s.f0);
    put_num(&s, 9, u->n_resp >= 0 ? (double)u->n_resp : NAN, s.f0);
    for (size_t p = 0; p < m->n_pillars && p + 10 < MAX_COLS; p++)
      put_num(&s, 10 + (int)p, u->pillars[p], s.f1);
  }
  finish(&s, 2);
}

/* Pillars (which = 0) or indicators (which = 1), one row per unit. */
static void sheet_values(lxw_workbook *wb, sheet *proto, const geo_registry *reg,
                         const rmodel *m, int which) {
  static const char *const keys[] = {"col_code", "col_name"};
  sheet s;
  size_t n = which ? m->n_indicators : m->n_pillars;
  char **ids = which ? m->indicators : m->pillars;
  open_sheet(wb, proto, &s, which ? "sheet_indicators" : "sheet_pillars");
  header(&s, keys, 2);
  for (size_t k = 0; k < n && k + 2 < MAX_COLS; k++)
    put_str(&s, 2 + (int)k, rmodel_node_name(m, ids[k], s.lang), s.head);
  for (size_t i = 0; i < m->n_units; i++) {
    s.row++;
    unit_cols(&s, reg, m, i);
    const double *v = which ? m->units[i].indicators : m->units[i].pillars;
    for (size_t k = 0; k < n && k + 2 < MAX_COLS; k++) put_num(&s, 2 + (int)k, v[k], which ? s.f3 : s.f1);
  }
  finish(&s, 2);
}

static const rmodel_shift *shift_of(const rmodel *m, const char *code) {
  for (size_t i = 0; i < m->n_shifts; i++)
    if (strcmp(m->shifts[i].code, code) == 0) return &m->shifts[i];
  return NULL;
}

static void sheet_uncertainty(lxw_workbook *wb, sheet *proto, const geo_registry *reg, const rmodel *m) {
  static const char *const keys[] = {"col_code", "col_name", "col_score", "col_score_lo", "col_score_hi",
                               "col_rank", "col_rank_lo", "col_rank_hi", "chart_shift_mean",
                               "chart_shift_max"};
  sheet s;
  open_sheet(wb, proto, &s, "sheet_uncertainty");
  header(&s, keys, 10);
  for (size_t i = 0; i < m->n_units; i++) {
    const rmodel_unit *u = &m->units[i];
    const rmodel_shift *sh = shift_of(m, u->code);
    s.row++;
    unit_cols(&s, reg, m, i);
    put_num(&s, 2, u->score, s.f1);
    put_num(&s, 3, u->score_lo, s.f1);
    put_num(&s, 4, u->score_hi, s.f1);
    put_num(&s, 5, u->rank > 0 ? u->rank : NAN, s.f0);
    put_num(&s, 6, u->rank_lo > 0 ? u->rank_lo : NAN, s.f0);
    put_num(&s, 7, u->rank_hi > 0 ? u->rank_hi : NAN, s.f0);
    put_num(&s, 8, sh ? sh->mean_abs : NAN, s.f3);
    put_num(&s, 9, sh ? sh->max_abs : NAN, s.f1);
  }
  finish(&s, 2);
}

/* A titled block of two columns after a blank row: x from xs (or the
** integers xi), y from ys. */
static void two_cols(sheet *s, const char *ka, const char *kb, size_t n, const double *xs,
                     const int *xi, const double *ys, lxw_format *fy) {
  s->row += 2;
  put_str(s, 0, i18n_text(s->lang, ka), s->head);
  put_str(s, 1, i18n_text(s->lang, kb), s->head);
  for (size_t i = 0; i < n; i++) {
    s->row++;
    put_num(s, 0, xs ? xs[i] : (double)xi[i], xs ? s->f3 : s->f0);
    put_num(s, 1, ys[i], fy);
  }
}

/* The HN+HCM share by year, its unit set in the column title; beside it
** the share on the units of that year where it differs (issue 12). */
static void share_block(sheet *s, const rmodel *m) {
  int units = m->share_units ? m->share_units : m->n_era_units, two = 0;
  for (size_t i = 0; m->share_own && i < m->n_share; i++) two |= !isnan(m->share_own[i]);
  s->row += 2;
  put_str(s, 0, i18n_text(s->lang, "col_year"), s->head);
  put_str(s, 1, i18n_text(s->lang, units == 34 ? "col_share_34" : "col_share_63"), s->head);
  if (two) put_str(s, 2, i18n_text(s->lang, "col_share_own"), s->head);
  for (size_t i = 0; i < m->n_share; i++) {
    s->row++;
    put_num(s, 0, m->share_years[i], s->f0);
    put_num(s, 1, m->share[i], s->f1);
    if (two) put_num(s, 2, m->share_own[i], s->f1);
  }
}

static void sheet_divide(lxw_workbook *wb, sheet *proto, const rmodel *m) {
  static const char *const keys[] = {"col_measure", "col_value"};
  sheet s;
  open_sheet(wb, proto, &s, "sheet_divide");
  header(&s, keys, 2);
  for (size_t i = 0; i < m->n_measures; i++) {
    char key[80];
    snprintf(key, sizeof key, "measure_%s", m->measures[i].id);
    s.row++;
    put_str(&s, 0, i18n_has(key) ? i18n_text(s.lang, key) : m->measures[i].id, NULL);
    put_num(&s, 1, m->measures[i].value, s.f3);
  }
  two_cols(&s, "col_lorenz_x", "col_lorenz_y", m->n_lorenz, m->lorenz_x, NULL, m->lorenz_y, s.f3);
  share_block(&s, m);
  finish(&s, 0);
}

static void sheet_targets(lxw_workbook *wb, sheet *proto, const rmodel *m) {
  static const char *const keys[] = {"col_plan", "col_target", "col_scope", "col_target_year",
                               "col_target_value", "col_actual", "col_unit", "col_progress",
                               "col_status"};
  sheet s;
  open_sheet(wb, proto, &s, "sheet_targets");
  header(&s, keys, 9);
  int en = strcmp(s.lang, "en") == 0;
  for (size_t i = 0; i < m->n_targets; i++) {
    const rmodel_target *t = &m->targets[i];
    const char *st = rmodel_target_status(t);
    char skey[48];
    snprintf(skey, sizeof skey, "status_%s", st);
    s.row++;
    put_str(&s, 0, t->plan, NULL);
    put_str(&s, 1, en && *t->desc_en ? t->desc_en : t->desc_vi, NULL);
    put_str(&s, 2, *t->province ? t->province : i18n_text(s.lang, "national"), NULL);
    put_num(&s, 3, t->target_year, s.f0);
    put_num(&s, 4, t->target, s.f1);
    put_num(&s, 5, t->actual, s.f1);
    put_str(&s, 6, t->unit, NULL);
    put_num(&s, 7, rmodel_target_progress(t), s.f3);
    put_str(&s, 8, i18n_text(s.lang, skey), NULL);
  }
  if (s.width[1] > 60) s.width[1] = 60;
  finish(&s, 0);
}

static void meta_row(sheet *s, const char *key, const char *value) {
  s->row++;
  put_str(s, 0, i18n_text(s->lang, key), NULL);
  if (value) put_str(s, 1, value, NULL); /* NULL: the caller writes a number */
}

static void sheet_metadata(lxw_workbook *wb, sheet *proto, const rmodel *m) {
  static const char *const keys[] = {"col_key", "col_value", "col_rows"};
  sheet s;
  open_sheet(wb, proto, &s, "sheet_metadata");
  header(&s, keys, 2);
  meta_row(&s, "col_year", NULL); /* numbers, not text (issue 12) */
  put_num(&s, 1, m->year, s.f0);
  meta_row(&s, "units_word", NULL);
  put_num(&s, 1, m->n_era_units, s.f0);
  meta_row(&s, "sec_method", m->method_id);
  meta_row(&s, "method_hash", m->method_hash);
  meta_row(&s, "seed", m->seed);
  meta_row(&s, "chiso_version", m->chiso_version);
  if (m->synthetic) meta_row(&s, "synthetic_banner", "1");
  for (size_t i = 0; i < m->n_imports; i++) {
    s.row++;
    put_str(&s, 0, m->imports[i].file, NULL);
    put_str(&s, 1, m->imports[i].sha256, NULL);
    put_num(&s, 2, m->imports[i].rows >= 0 ? (double)m->imports[i].rows : NAN, s.f0);
  }
  if (s.width[0] > 50) s.width[0] = 50;
  finish(&s, 0);
}

static lxw_format *num_format(lxw_workbook *wb, const char *pattern) {
  lxw_format *f = workbook_add_format(wb);
  format_set_num_format(f, pattern);
  return f;
}

/* Seconds since 1970 of 1 January (year + 1), 00:00 UTC (days from civil,
** proleptic Gregorian; years 1970..9999). */
static time_t fixed_created(int year) {
  long y = year + 1 < 1970 ? 1970 : year + 1, days = 0;
  for (long k = 1970; k < y; k++) days += (k % 4 == 0 && (k % 100 != 0 || k % 400 == 0)) ? 366 : 365;
  return (time_t)(days * 86400L);
}

int export_xlsx(const rmodel *m, const char *lang, const char *path, chiso_err *err) {
  assert(m && lang && path);
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp%ld.xlsx", path, (long)getpid());
  if (rmodel_check(m, err)) return CHISO_EDATA;
  geo_registry *reg = NULL;
  int rc = geo_registry_new(&reg, err);
  if (rc) return rc;
  int slot = cleanup_add(tmp, 0);
  lxw_workbook *wb = workbook_new(tmp);
  if (!wb) {
    cleanup_forget(slot);
    geo_registry_free(reg);
    return chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot create the workbook");
  }
  /* A fixed creation time (1 January after the report year, UTC) so the
  ** same model gives the same bytes (libxlsxwriter stamps "now" otherwise). */
  lxw_doc_properties props = {0};
  props.title = "chiso";
  props.created = fixed_created(m->year);
  workbook_set_properties(wb, &props);
  sheet proto = {0};
  proto.lang = lang && strcmp(lang, "en") == 0 ? "en" : "vi";
  proto.head = workbook_add_format(wb);
  format_set_bold(proto.head);
  format_set_bg_color(proto.head, 0xDCE6F1);
  format_set_bottom(proto.head, LXW_BORDER_THIN);
  proto.f0 = num_format(wb, "0");
  proto.f1 = num_format(wb, "0.0");
  proto.f3 = num_format(wb, "0.000");
  if (m->synthetic) {
    proto.warn = workbook_add_format(wb);
    format_set_bold(proto.warn);
    format_set_font_color(proto.warn, 0x7A4D00);
    format_set_bg_color(proto.warn, 0xFFF3CD);
  }
  sheet_index(wb, &proto, reg, m);
  sheet_values(wb, &proto, reg, m, 0);
  sheet_values(wb, &proto, reg, m, 1);
  sheet_uncertainty(wb, &proto, reg, m);
  sheet_divide(wb, &proto, m);
  sheet_targets(wb, &proto, m);
  sheet_metadata(wb, &proto, m);
  lxw_error e = workbook_close(wb);
  geo_registry_free(reg);
  rc = CHISO_OK;
  if (e != LXW_NO_ERROR)
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot write the workbook: %s", lxw_strerror(e));
  else if (rename(tmp, path) != 0)
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot move the workbook into place");
  if (rc) remove(tmp);
  cleanup_forget(slot);
  return rc;
}
