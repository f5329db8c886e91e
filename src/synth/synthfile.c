/* synthfile.c — synthetic surveys to CSV / XLSX, metadata and the messy
** variants (docs/synth.md, "Messy files"). */
#include "synth/synthfile.h"
#include "base/cleanup.h"

#include "chiso.h"

#include "io/csvwrite.h"
#include "geo/geo.h"
#include "base/mem.h"
#include "base/textfile.h"
#include "base/rng.h"

#include <assert.h>
#include <jansson.h>
#include <pthread.h>
#include <unistd.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xlsxwriter.h>

#define MAX_COLS 32
#define MAX_VARIANTS 12
#define MAX_UNITS 63
#define TAG_MESSY_ROW 0x80 /* + size class: per-row messy draws */
#define TAG_MESSY_BAD 0x90 /* national: the invalid rows */

/* Fixed creation time of XLSX files (2020-01-01T00:00:00Z) so that the same
** seed gives the same bytes; libxlsxwriter otherwise stamps the clock. */
#define XLSX_CREATED ((time_t)1577836800)

enum { BAD_PROVINCE = 0, BAD_PERCENT, BAD_ANSWER, BAD_DUPLICATE };
static const char *const bad_problem[SYNTHFILE_INVALID_ROWS] = {
    "unknown_province", "out_of_range", "invalid_answer", "duplicate_id"};

static const char *const yes_spell[] = {"Có", "Yes", "1", "x", "có", "YES", "Y"};
static const char *const no_spell[] = {"Không", "No", "0", "không", "NO", "N"};
#define N_YES (sizeof yes_spell / sizeof *yes_spell)
#define N_NO (sizeof no_spell / sizeof *no_spell)

typedef struct names {
  char *v[MAX_VARIANTS];
  size_t n;
} names;

typedef struct writer {
  const synth_model *m;
  const synth_plan *p;
  const synthfile_options *o;
  const geo_registry *reg;
  int col_yesno[SYNTH_N_YESNO]; /* output column of each yes/no question */
  int col_pct, col_website, col_software, col_update;
  names variants[MAX_UNITS];  /* messy spellings of each unit, all checked */
  char *old_name[MAX_UNITS];  /* 63-era names valid in this year, for 34-unit years */
  long bad_row[SYNTHFILE_INVALID_ROWS];
  long dup_source;
  char dup_id[96];
  synthfile_summary sum;
  /* the current row's cells */
  char buf[MAX_COLS][96];
  const char *cell[MAX_COLS];
} writer;

/* ---- messy spellings ------------------------------------------------------ */

/* Keep `s` (copied) as a spelling of unit `u` if it resolves to u in the
** plan's year: a messy file must only contain names chiso resolves. */
static int add_variant(writer *w, names *l, const char *s, const geo_unit *u) {
  geo_match mt;
  if (l->n >= MAX_VARIANTS || geo_resolve(w->reg, w->p->year, s, &mt, NULL) != CHISO_OK ||
      mt.unit != u || !strcmp(s, u->name))
    return CHISO_OK;
  return (l->v[l->n++] = chiso_strdup(s)) ? CHISO_OK : CHISO_ENOMEM;
}

static int add_lower(writer *w, names *l, const geo_unit *u) {
  utf8proc_uint8_t *low = NULL;
  if (utf8proc_map((const utf8proc_uint8_t *)u->name, 0, &low,
                   UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) < 0)
    return CHISO_OK;
  int rc = add_variant(w, l, (const char *)low, u);
  free(low); /* utf8proc allocates with malloc */
  return rc;
}

/* Short forms people write, by GSO code; each is checked by add_variant. */
static const char *const extra_forms[][4] = {
    {"79", "TP.HCM", "Tp Hồ Chí Minh", "TPHCM"}, {"01", "HN", "Ha Noi", "TP Hà Nội"},
    {"17", "Hoà Bình", "Hoa Binh", NULL},        {"66", "Dak Lak", "Daklak", NULL},
    {"77", "BR-VT", "Ba Ria Vung Tau", NULL},    {"46", "TT Huế", "Huế", NULL},
    {"31", "TP Hải Phòng", "Hai Phong", NULL},   {"48", "TP. Đà Nẵng", "Da Nang", NULL}};

static int build_variants(writer *w, const geo_unit *u, names *l) {
  char tmp[160];
  int rc = CHISO_OK;
  snprintf(tmp, sizeof tmp, "  %s ", u->name);
  rc |= add_variant(w, l, tmp, u);
  rc |= add_variant(w, l, u->name_ascii, u);
  rc |= add_lower(w, l, u);
  /* The centrally-run cities are "Thành phố", the others "Tỉnh". */
  static const char *const cities = " 01 31 48 79 92 46 ";
  char key[5];
  snprintf(key, sizeof key, " %s ", u->code);
  int city = strstr(cities, key) && (strcmp(u->code, "46") || u->era == GEO_ERA_34);
  snprintf(tmp, sizeof tmp, "%s %s", city ? "Thành phố" : "Tỉnh", u->name);
  rc |= add_variant(w, l, tmp, u);
  for (size_t i = 0; i < sizeof extra_forms / sizeof *extra_forms; i++)
    if (!strcmp(extra_forms[i][0], u->code))
      for (int k = 1; k < 4 && extra_forms[i][k]; k++) rc |= add_variant(w, l, extra_forms[i][k], u);
  return rc ? CHISO_ENOMEM : CHISO_OK;
}

/* Former province names valid in a 34-unit year (a name that resolves to
** the member's new unit), indexed by 63-era index. */
static int build_old_names(writer *w) {
  if (w->p->era != GEO_ERA_34) return CHISO_OK;
  for (size_t i = 0; i < geo_count(w->reg, GEO_ERA_63); i++) {
    const geo_unit *old = geo_unit_at(w->reg, GEO_ERA_63, i);
    const geo_unit *succ = geo_successor(w->reg, old);
    geo_match mt;
    if (!strcmp(old->code, succ->code) || !strcmp(old->name, succ->name) ||
        geo_resolve(w->reg, w->p->year, old->name, &mt, NULL) != CHISO_OK || mt.unit != succ)
      continue;
    if (!(w->old_name[i] = chiso_strdup(old->name))) return CHISO_ENOMEM;
  }
  return CHISO_OK;
}

/* The respondent id: year, unit code and position in the unit. */
static void make_id(const writer *w, const synth_row *row, char *id, size_t n) {
  const geo_unit *u = geo_unit_at(w->reg, w->p->era, (size_t)row->unit);
  snprintf(id, n, "%d-%s-%06ld", w->p->year, u->code, row->seq);
}

/* The invalid rows: five distinct rows in increasing order; the first is
** the source of the duplicated id, the other four get the four problems in
** an order drawn from the seed. */
static void pick_bad_rows(writer *w) {
  long pick[SYNTHFILE_INVALID_ROWS + 1];
  rng_stream r;
  rng_init(&r, w->p->seed, synth_stream_id(w->p->year, 0, TAG_MESSY_BAD, 0));
  for (int k = 0; k <= SYNTHFILE_INVALID_ROWS; k++) {
    int again;
    do {
      pick[k] = (long)(rng_uniform(&r) * (double)w->p->total);
      again = 0;
      for (int i = 0; i < k; i++) again |= pick[i] == pick[k];
    } while (again);
  }
  for (int i = 1; i <= SYNTHFILE_INVALID_ROWS; i++) /* sort ascending */
    for (int j = i; j > 0 && pick[j] < pick[j - 1]; j--) {
      long t = pick[j]; pick[j] = pick[j - 1]; pick[j - 1] = t;
    }
  int kind[SYNTHFILE_INVALID_ROWS] = {0, 1, 2, 3};
  for (int i = SYNTHFILE_INVALID_ROWS - 1; i > 0; i--) {
    int j = (int)rng_below(&r, (uint32_t)(i + 1)), t = kind[i];
    kind[i] = kind[j]; kind[j] = t;
  }
  w->dup_source = pick[0];
  for (int i = 0; i < SYNTHFILE_INVALID_ROWS; i++) w->bad_row[kind[i]] = pick[i + 1];
}

static int messy_setup(writer *w) {
  for (size_t u = 0; u < w->p->n_units; u++)
    if (build_variants(w, geo_unit_at(w->reg, w->p->era, u), &w->variants[u]) != CHISO_OK)
      return CHISO_ENOMEM;
  if (build_old_names(w) != CHISO_OK) return CHISO_ENOMEM;
  pick_bad_rows(w);
  synth_row src; /* the id the duplicate row repeats */
  synth_row_make(w->m, w->p, w->dup_source, &src);
  make_id(w, &src, w->dup_id, sizeof w->dup_id);
  return CHISO_OK;
}

static void writer_free(writer *w) {
  for (size_t u = 0; u < MAX_UNITS; u++) {
    for (size_t k = 0; k < w->variants[u].n; k++) chiso_free(w->variants[u].v[k]);
    chiso_free(w->old_name[u]);
  }
}

/* ---- one row to cells ------------------------------------------------------ */

static void set_cell(writer *w, int c, const char *s) { w->cell[c] = s; }

/* Write v with `dec` decimals (0-4) into the cell, blank for NaN. Faster
** than printf for the millions of numbers of a large file; values are
** far below 1e13, where the integer arithmetic is exact. */
static void set_fixed(writer *w, int c, double v, int dec) {
  static const long long pow10[] = {1, 10, 100, 1000, 10000};
  char tmp[32], *b = w->buf[c];
  if (isnan(v)) { w->cell[c] = ""; return; }
  long long x = llround(fabs(v) * (double)pow10[dec]);
  int n = 0, neg = v < 0 && x != 0;
  for (int d = 0; d < dec || x > 0 || d == dec; d++) {
    if (d == dec && dec > 0) tmp[n++] = '.';
    tmp[n++] = (char)('0' + x % 10);
    x /= 10;
    if (d >= dec && x == 0) break;
  }
  if (neg) tmp[n++] = '-';
  for (int i = 0; i < n; i++) b[i] = tmp[n - 1 - i];
  b[n] = '\0';
  w->cell[c] = b;
}

static void format_software(writer *w, unsigned set, int fancy) {
  char *b = w->buf[w->col_software];
  size_t used = 0;
  b[0] = '\0';
  for (int o = 0; o < SYNTH_N_SOFTWARE; o++) {
    if (!(set & (1u << o))) continue;
    used += (size_t)snprintf(b + used, sizeof w->buf[0] - used, "%s%s", used ? (fancy ? "; " : ";") : "",
                             synth_software_id(o));
    if (fancy) /* upper case the ids: "ERP; CRM" */
      for (char *q = b + used - strlen(synth_software_id(o)); *q; q++) *q = (char)(*q - 32 * (*q >= 'a' && *q <= 'z'));
  }
  w->cell[w->col_software] = b;
}

static void format_clean(writer *w, const synth_row *row, const char *id) {
  const geo_unit *u = geo_unit_at(w->reg, w->p->era, (size_t)row->unit);
  set_cell(w, 0, id);
  set_cell(w, 1, u->name);
  set_cell(w, 2, synth_size_id(row->size));
  set_cell(w, 3, synth_sector_id(row->sector));
  set_fixed(w, 4, row->weight, 4);
  set_fixed(w, 5, (double)w->p->year, 0);
  for (int q = 0; q < SYNTH_N_YESNO; q++)
    set_cell(w, w->col_yesno[q], row->yes[q] < 0 ? "" : row->yes[q] ? "Có" : "Không");
  format_software(w, row->software, 0);
  set_cell(w, w->col_update, row->web_update < 0 ? "" : synth_update_id(row->web_update));
  set_fixed(w, w->col_pct, row->rev_pct, 0);
  set_fixed(w, w->col_pct + 1, row->sales, 1);
}

/* Valid messiness of one row, drawn from the row's own messy stream so the
** answers are the same as in the clean file. */
static void apply_messy(writer *w, const synth_row *row, int keep_province) {
  const synth_cell *c = &w->p->cells[(size_t)row->unit * SYNTH_N_SIZES + (size_t)row->size];
  const geo_unit *u = geo_unit_at(w->reg, w->p->era, (size_t)row->unit);
  rng_stream r;
  rng_init(&r, w->p->seed, synth_stream_id(w->p->year, atoi(u->code), TAG_MESSY_ROW + row->size,
                                         (uint64_t)(row->index - c->first)));
  double un = rng_uniform(&r), uo = rng_uniform(&r), ua = rng_uniform(&r);
  const names *l = &w->variants[row->unit];
  if (keep_province) {
    /* the row gets an invalid province instead */
  } else if (w->old_name[row->member] && uo < SYNTHFILE_OLD_NAME_SHARE) {
    set_cell(w, 1, w->old_name[row->member]);
    w->sum.old_names++;
  } else if (l->n && un < SYNTHFILE_NAME_VARIANT_SHARE) {
    set_cell(w, 1, l->v[rng_below(&r, (uint32_t)l->n)]);
    w->sum.name_variants++;
  }
  if (ua >= SYNTHFILE_ANSWER_VARIANT_SHARE) return;
  w->sum.answer_variants++;
  for (int q = 0; q < SYNTH_N_YESNO; q++) {
    uint32_t k = rng_u32(&r);
    if (row->yes[q] >= 0) set_cell(w, w->col_yesno[q], row->yes[q] ? yes_spell[k % N_YES] : no_spell[k % N_NO]);
  }
  format_software(w, row->software, 1);
  if (row->web_update >= 0) {
    char *b = w->buf[w->col_update];
    snprintf(b, sizeof w->buf[0], "%s", synth_update_id(row->web_update));
    b[0] = (char)(b[0] - 32);
    set_cell(w, w->col_update, b);
  }
}

/* The invalid kind (BAD_*) of row `index`, or -1. */
static int bad_kind(const writer *w, long index) {
  for (int k = 0; k < SYNTHFILE_INVALID_ROWS; k++)
    if (w->bad_row[k] == index) return k;
  return -1;
}

/* Make the row invalid in the way `k` says (k >= 0). */
static void apply_bad(writer *w, int k) {
  if (k == BAD_PROVINCE) set_cell(w, 1, "Atlantis");
  else if (k == BAD_PERCENT) set_cell(w, w->col_pct, "150");
  else if (k == BAD_ANSWER) set_cell(w, w->col_website, "Maybe");
  else set_cell(w, 0, w->dup_id);
}

/* Build the cells of row `index`; *bad is the invalid kind or -1. */
static void build_row(writer *w, long index, int *bad) {
  synth_row row;
  synth_row_make(w->m, w->p, index, &row);
  make_id(w, &row, w->buf[MAX_COLS - 1], sizeof w->buf[0]);
  format_clean(w, &row, w->buf[MAX_COLS - 1]);
  *bad = -1;
  if (!w->o->messy) return;
  *bad = bad_kind(w, index);
  apply_messy(w, &row, *bad == BAD_PROVINCE);
  if (*bad >= 0) apply_bad(w, *bad);
}

/* ---- output files ------------------------------------------------------- */

typedef struct sink {
  FILE *csv;
  lxw_workbook *wb;
  lxw_worksheet *ws;
  FILE *expected;
  int ncols;
} sink;

static int sink_row(sink *s, writer *w, long line) {
  if (s->csv) return csvwrite_row(s->csv, w->cell, s->ncols, w->o->messy);
  for (int c = 0; c < s->ncols; c++) {
    const char *v = w->cell[c];
    char *end;
    if (!*v) continue;
    double d = strtod(v, &end);
    int numeric = (c == 4 || c == 5 || c == w->col_pct || c == w->col_pct + 1) && *end == '\0';
    lxw_error e = numeric ? worksheet_write_number(s->ws, (lxw_row_t)(line - 1), (lxw_col_t)c, d, NULL)
                          : worksheet_write_string(s->ws, (lxw_row_t)(line - 1), (lxw_col_t)c, v, NULL);
    if (e != LXW_NO_ERROR) return CHISO_EIO;
  }
  return CHISO_OK;
}

static int write_expected(writer *w, FILE *f, long line, int kind) {
  static const char *const head[] = {"row", "respondent_id", "column", "value", "problem"};
  static const int col_of[SYNTHFILE_INVALID_ROWS] = {1, -1, -1, 0};
  if (line < 0) return csvwrite_row(f, head, 5, 0);
  int col = kind == BAD_PERCENT ? w->col_pct : kind == BAD_ANSWER ? w->col_website : col_of[kind];
  char row[32];
  snprintf(row, sizeof row, "%ld", line);
  const char *v[] = {row, w->cell[0], synth_column((size_t)col), w->cell[col], bad_problem[kind]};
  return csvwrite_row(f, v, 5, 0);
}

/* ---- parallel CSV rows ------------------------------------------------------
** Rows are pure functions of their index, so chunks of rows are made by
** several threads into memory and written in order: the bytes do not depend
** on the thread count. */

#define CHUNK_ROWS 32768
#define MAX_THREADS 8

typedef struct chunk {
  writer w;      /* a private copy: cells and counters */
  long first, end;
  char *text;
  size_t len, cap;
  int rc;
} chunk;

/* Append one CSV row (RFC 4180 quoting, as csvwrite_field). */
static int chunk_row(chunk *c, const char *const *cells, int n, int crlf) {
  for (int i = 0; i < n; i++) {
    const char *v = cells[i];
    size_t k = strlen(v), need = c->len + 2 * k + 8;
    if (need > c->cap && chiso_grow((void **)&c->text, &c->cap, need, 1) != CHISO_OK) return CHISO_ENOMEM;
    char *o = c->text + c->len;
    if (i) *o++ = ',';
    if (strpbrk(v, ",\"\r\n")) {
      *o++ = '"';
      for (; *v; v++) {
        if (*v == '"') *o++ = '"';
        *o++ = *v;
      }
      *o++ = '"';
    } else {
      memcpy(o, v, k);
      o += k;
    }
    c->len = (size_t)(o - c->text);
  }
  if (crlf) c->text[c->len++] = '\r';
  c->text[c->len++] = '\n';
  return CHISO_OK;
}

static void *chunk_run(void *arg) {
  chunk *c = arg;
  int bad;
  c->len = 0;
  for (long i = c->first; i < c->end && c->rc == CHISO_OK; i++) {
    build_row(&c->w, i, &bad);
    c->rc = chunk_row(c, c->w.cell, (int)synth_column_count(), c->w.o->messy);
  }
  return NULL;
}

static int thread_count(int asked) {
  long n = asked > 0 ? asked : sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* Make rows [0, total) in rounds of one chunk per thread. */
static int csv_rows(writer *w, FILE *f, chiso_progress_fn progress, void *ud) {
  int nt = thread_count(w->o->threads), rc = CHISO_OK;
  chunk *ch = chiso_calloc((size_t)nt, sizeof *ch);
  if (!ch) return CHISO_ENOMEM;
  for (int t = 0; t < nt; t++) ch[t].w = *w;
  for (long r0 = 0; r0 < w->p->total && rc == CHISO_OK; r0 += (long)nt * CHUNK_ROWS) {
    pthread_t tid[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    for (int t = 0; t < nt; t++) {
      ch[t].first = r0 + (long)t * CHUNK_ROWS;
      ch[t].end = ch[t].first + CHUNK_ROWS < w->p->total ? ch[t].first + CHUNK_ROWS : w->p->total;
      if (t > 0 && ch[t].first < ch[t].end) started[t] = !pthread_create(&tid[t], NULL, chunk_run, &ch[t]);
      if (t > 0 && !started[t] && ch[t].first < ch[t].end) chunk_run(&ch[t]); /* no thread: run here */
    }
    chunk_run(&ch[0]);
    for (int t = 0; t < nt; t++) {
      if (started[t]) pthread_join(tid[t], NULL);
      if (ch[t].first >= ch[t].end) continue;
      if (ch[t].rc != CHISO_OK) rc = ch[t].rc;
      else if (fwrite(ch[t].text, 1, ch[t].len, f) != ch[t].len) rc = CHISO_EIO;
    }
    if (progress) progress(ud, "synth", (double)ch[nt - 1].end, (double)w->p->total);
  }
  for (int t = 0; t < nt; t++) {
    w->sum.name_variants += ch[t].w.sum.name_variants;
    w->sum.answer_variants += ch[t].w.sum.answer_variants;
    w->sum.old_names += ch[t].w.sum.old_names;
    chiso_free(ch[t].text);
  }
  chiso_free(ch);
  return rc;
}

/* XLSX rows, one by one (libxlsxwriter's constant-memory mode wants rows in
** order from one thread). */
static int xlsx_rows(writer *w, sink *s, chiso_progress_fn progress, void *ud) {
  int rc = CHISO_OK, bad;
  for (long i = 0; i < w->p->total && rc == CHISO_OK; i++) {
    build_row(w, i, &bad);
    rc = sink_row(s, w, i + 2);
    if (progress && (i & 0xFFFF) == 0) progress(ud, "synth", (double)i, (double)w->p->total);
  }
  if (progress) progress(ud, "synth", (double)w->p->total, (double)w->p->total);
  return rc;
}

/* The sidecar rows: each invalid row is made again (rows are pure). */
static int expected_rows(writer *w, FILE *f) {
  int rc = write_expected(w, f, -1, 0), bad;
  long rows[SYNTHFILE_INVALID_ROWS];
  synthfile_summary keep = w->sum; /* remaking rows must not count them twice */
  memcpy(rows, w->bad_row, sizeof rows);
  for (int i = 1; i < SYNTHFILE_INVALID_ROWS; i++) /* in file order */
    for (int j = i; j > 0 && rows[j] < rows[j - 1]; j--) {
      long t = rows[j]; rows[j] = rows[j - 1]; rows[j - 1] = t;
    }
  for (int i = 0; i < SYNTHFILE_INVALID_ROWS && rc == CHISO_OK; i++) {
    build_row(w, rows[i], &bad);
    rc = write_expected(w, f, rows[i] + 2, bad);
  }
  w->sum = keep;
  return rc;
}

static int write_rows(writer *w, sink *s, chiso_progress_fn progress, void *ud) {
  int rc = CHISO_OK;
  for (int c = 0; c < s->ncols; c++) w->cell[c] = synth_column((size_t)c);
  if (s->csv && w->o->messy) rc |= csvwrite_bom(s->csv);
  rc |= sink_row(s, w, 1);
  if (rc == CHISO_OK) rc = s->csv ? csv_rows(w, s->csv, progress, ud) : xlsx_rows(w, s, progress, ud);
  if (rc == CHISO_OK && s->expected) rc = expected_rows(w, s->expected);
  w->sum.rows = w->p->total;
  w->sum.invalid = w->o->messy ? SYNTHFILE_INVALID_ROWS : 0;
  return rc ? CHISO_EIO : CHISO_OK;
}

/* The metadata: everything needed to regenerate the file, and the mark. */
static json_t *meta_json(const writer *w, const char *path) {
  const char *base = strrchr(path, '/');
  json_t *o = json_object(), *thin = json_array(), *cols = json_array();
  json_object_set_new(o, "synthetic", json_true());
  json_object_set_new(o, "note", json_string("SYNTHETIC DATA made by chiso synth: not real survey answers"));
  json_object_set_new(o, "generator", json_string("chiso synth"));
  json_object_set_new(o, "chiso_version", json_string(CHISO_VERSION));
  json_object_set_new(o, "model_version", json_string(SYNTH_MODEL_VERSION));
  json_object_set_new(o, "params_sha256", json_string(synth_params_sha256(w->m)));
  char seed[32];
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)w->o->seed);
  json_object_set_new(o, "seed", json_string(seed));
  json_object_set_new(o, "year", json_integer(w->o->year));
  json_object_set_new(o, "method", json_string(w->o->method ? w->o->method : "ebi-2021"));
  json_object_set_new(o, "file", json_string(base ? base + 1 : path));
  json_object_set_new(o, "format", json_string(w->o->format == SYNTHFILE_XLSX ? "xlsx" : "csv"));
  json_object_set_new(o, "respondents", json_integer(w->p->total));
  json_object_set_new(o, "units", json_integer((json_int_t)w->p->n_units));
  json_object_set_new(o, "floor", json_integer(w->p->floor));
  json_object_set_new(o, "cap", json_integer(w->p->cap));
  for (size_t u = 0; u < w->p->n_units; u++)
    if (w->p->thin[u]) json_array_append_new(thin, json_string(geo_unit_at(w->reg, w->p->era, u)->code));
  json_object_set_new(o, "units_below_floor", thin);
  json_object_set_new(o, "messy", json_boolean(w->o->messy));
  json_object_set_new(o, "invalid_rows", json_integer(w->sum.invalid));
  json_object_set_new(o, "name_variant_rows", json_integer(w->sum.name_variants));
  json_object_set_new(o, "answer_variant_rows", json_integer(w->sum.answer_variants));
  json_object_set_new(o, "old_name_rows", json_integer(w->sum.old_names));
  for (size_t c = 0; c < synth_column_count(); c++) json_array_append_new(cols, json_string(synth_column(c)));
  json_object_set_new(o, "columns", cols);
  return o;
}

/* The Metadata sheet: one key and value per row. */
static int xlsx_meta(lxw_workbook *wb, json_t *meta) {
  lxw_worksheet *ws = workbook_add_worksheet(wb, "Metadata");
  const char *key;
  json_t *v;
  lxw_row_t r = 0;
  if (!ws) return CHISO_EIO;
  worksheet_write_string(ws, r++, 0, "SYNTHETIC DATA — dữ liệu tổng hợp, không phải khảo sát thật", NULL);
  json_object_foreach(meta, key, v) {
    char *text = json_is_string(v) ? NULL : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    worksheet_write_string(ws, r, 0, key, NULL);
    worksheet_write_string(ws, r++, 1, text ? text : json_string_value(v), NULL);
    free(text); /* jansson allocates with malloc */
  }
  return CHISO_OK;
}

/* ---- temporary files and the whole job ------------------------------------ */

typedef struct paths {
  char out[4096], out_tmp[4096], meta[4096], meta_tmp[4096], exp[4096], export_tmp[4096];
} paths;

static int make_paths(paths *p, const char *path) {
  int n = snprintf(p->out, sizeof p->out, "%s", path);
  snprintf(p->out_tmp, sizeof p->out_tmp, "%s.tmp", path);
  snprintf(p->meta, sizeof p->meta, "%s.meta.json", path);
  snprintf(p->meta_tmp, sizeof p->meta_tmp, "%s.meta.json.tmp", path);
  snprintf(p->exp, sizeof p->exp, "%s.expected.csv", path);
  snprintf(p->export_tmp, sizeof p->export_tmp, "%s.expected.csv.tmp", path);
  return n > 0 && (size_t)n < sizeof p->out - 32 ? CHISO_OK : CHISO_EUSAGE;
}

static int open_sink(sink *s, const writer *w, const paths *ps) {
  memset(s, 0, sizeof *s);
  s->ncols = (int)synth_column_count();
  if (w->o->messy && !(s->expected = fopen(ps->export_tmp, "wb"))) return CHISO_EIO;
  if (w->o->format == SYNTHFILE_CSV) {
    if (!(s->csv = fopen(ps->out_tmp, "wb"))) return CHISO_EIO;
    setvbuf(s->csv, NULL, _IOFBF, 1 << 20);
    return CHISO_OK;
  }
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
  if (!(s->wb = workbook_new_opt(ps->out_tmp, &opt))) return CHISO_EIO;
  lxw_doc_properties props = {.title = "Synthetic EBI survey (chiso synth)",
                              .comments = "SYNTHETIC DATA: not real survey answers",
                              .created = XLSX_CREATED};
  workbook_set_properties(s->wb, &props);
  s->ws = workbook_add_worksheet(s->wb, "Survey");
  return s->ws ? CHISO_OK : CHISO_EIO;
}

/* Close the sink and write the metadata file (and sheet). */
static int close_sink(sink *s, writer *w, const paths *ps, const char *path) {
  int rc = CHISO_OK;
  json_t *meta = meta_json(w, path);
  if (s->wb) {
    if (xlsx_meta(s->wb, meta) != CHISO_OK) rc = CHISO_EIO;
    if (workbook_close(s->wb) != LXW_NO_ERROR) rc = CHISO_EIO;
    s->wb = NULL;
  }
  if (s->csv && fclose(s->csv) != 0) rc = CHISO_EIO;
  if (s->expected && fclose(s->expected) != 0) rc = CHISO_EIO;
  s->csv = s->expected = NULL;
  if (rc == CHISO_OK && json_dump_file(meta, ps->meta_tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
    rc = CHISO_EIO;
  json_decref(meta);
  return rc;
}

static void abort_sink(sink *s, const paths *ps) {
  if (s->csv) fclose(s->csv);
  if (s->expected) fclose(s->expected);
  if (s->wb) workbook_close(s->wb);
  remove(ps->out_tmp);
  remove(ps->meta_tmp);
  remove(ps->export_tmp);
}

static int commit(const writer *w, const paths *ps) {
  if (rename(ps->out_tmp, ps->out) != 0 || rename(ps->meta_tmp, ps->meta) != 0) return CHISO_EIO;
  if (w->o->messy && rename(ps->export_tmp, ps->exp) != 0) return CHISO_EIO;
  return CHISO_OK;
}

static void find_columns(writer *w) {
  for (size_t c = 0; c < synth_column_count(); c++) {
    const char *id = synth_column(c);
    for (int q = 0; q < SYNTH_N_YESNO; q++)
      if (!strcmp(id, synth_yesno_id(q))) w->col_yesno[q] = (int)c;
    if (!strcmp(id, "q_online_rev_pct")) w->col_pct = (int)c; /* q_online_sales follows */
    if (!strcmp(id, "q_software")) w->col_software = (int)c;
    if (!strcmp(id, "q_web_update")) w->col_update = (int)c;
  }
  w->col_website = w->col_yesno[SYNTH_Q_WEBSITE];
}

int synthfile_write(const synth_model *m, const synthfile_options *o, const char *path,
               chiso_progress_fn progress, void *userdata, synthfile_summary *sum,
               chiso_err *err) {
  assert(m && o && path);
  int rc = CHISO_OK;
  synth_plan *plan = NULL;
  writer *w = NULL;
  paths *ps = NULL;
  int slots[3] = {-1, -1, -1};
  sink s;
  memset(&s, 0, sizeof s);
  if (o->format == SYNTHFILE_XLSX && o->respondents >= 1048576)
    return chiso_err_set(err, CHISO_EUSAGE, "XLSX holds at most 1048575 respondents (asked %ld)", o->respondents);
  if ((rc = synth_plan_new(m, o->year, o->respondents, o->seed, &plan, err)) != CHISO_OK) return rc;
  w = chiso_calloc(1, sizeof *w);
  ps = chiso_calloc(1, sizeof *ps);
  if (!w || !ps) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  if (make_paths(ps, path) != CHISO_OK) { rc = chiso_err_set(err, CHISO_EUSAGE, "output path too long"); goto done; }
  /* the temporaries go on a signal too (chiso_remove_temporaries) */
  slots[0] = cleanup_add(ps->out_tmp, 0);
  slots[1] = cleanup_add(ps->meta_tmp, 0);
  slots[2] = cleanup_add(ps->export_tmp, 0);
  *w = (writer){.m = m, .p = plan, .o = o, .reg = synth_registry(m)};
  w->sum.units = plan->n_units;
  find_columns(w);
  if (o->messy && messy_setup(w) != CHISO_OK) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  if (open_sink(&s, w, ps) != CHISO_OK || write_rows(w, &s, progress, userdata) != CHISO_OK ||
      close_sink(&s, w, ps, path) != CHISO_OK || commit(w, ps) != CHISO_OK) {
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot write the synthetic survey");
    abort_sink(&s, ps);
    goto done;
  }
  if (sum) *sum = w->sum;
done:
  for (int k = 0; k < 3; k++) cleanup_forget(slots[k]);
  if (w) writer_free(w);
  chiso_free(w);
  chiso_free(ps);
  synth_plan_free(plan);
  return rc;
}

int synthfile_sidecar_synthetic(const char *data_path) {
  size_t n = strlen(data_path);
  char *meta = chiso_malloc(n + sizeof ".meta.json");
  if (!meta) return 0;
  memcpy(meta, data_path, n);
  memcpy(meta + n, ".meta.json", sizeof ".meta.json");
  char *text = NULL;
  size_t len = 0;
  /* textfile_read: a FIFO or a device named like a sidecar is not read */
  int yes = access(meta, F_OK) == 0 && textfile_read(meta, &text, &len, NULL) == CHISO_OK &&
            synthfile_sidecar_parse(text, len);
  chiso_free(text);
  chiso_free(meta);
  return yes;
}

int synthfile_sidecar_parse(const char *text, size_t len) {
  json_t *root = json_loadb(text, len, 0, NULL);
  int yes = root && json_is_true(json_object_get(root, "synthetic"));
  json_decref(root);
  return yes;
}
