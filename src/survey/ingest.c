/* ingest.c — survey files to survey_data, with every problem located.
**
** One pass over the rows: the header is matched to the codebook, then each
** row is coded cell by cell into growing column arrays. Problems are
** collected, never fatal, so that one run reports them all; rows with a
** problem are flagged and, with skip_invalid, dropped at the end. The few
** checks that need the whole column (yes/no columns that use "x" marks,
** where blank means no) are settled after the last row. */
#include "survey/ingest.h"

#include "base/hashmap.h"
#include "io/number.h"

#include "base/mem.h"
#include "io/rowpipe.h"
#include "base/text.h"
#include "base/log.h"
#include "io/source.h"
#include "io/vnlegacy.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

/* Files from this size on are read on a second thread (rowpipe). */
#define INGEST_PIPE_MIN_BYTES ((long long)4 << 20)

/* ---- keys, yes/no words and numbers ------------------------------------- */

/* The compact matching key of s (text_compact_key) into buf; an ASCII fast
** path avoids allocation for the common case. Returns 0, or -1 when the
** key does not fit or s is not valid UTF-8. */
static int compact_key(const char *s, char *buf, size_t cap) {
  size_t w = 0;
  const unsigned char *p = (const unsigned char *)s;
  for (; *p; p++) {
    if (*p >= 0x80) goto slow;
    unsigned char c = *p;
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (w + 1 >= cap) return -1;
      buf[w++] = (char)c;
    }
  }
  buf[w] = '\0';
  return 0;
slow:;
  char *k = NULL;
  if (text_compact_key(s, &k) != CHISO_OK) return -1;
  size_t n = strlen(k);
  int rc = n < cap ? (memcpy(buf, k, n + 1), 0) : -1;
  chiso_free(k);
  return rc;
}

/* An x mark: x, X, ✓ (U+2713), ✔ (U+2714) or × (U+00D7), alone. */
static int is_x_mark(const char *s) {
  unsigned char c = (unsigned char)s[0];
  if ((c | 0x20) == 'x') return !s[1];
  if (c != 0xE2 && c != 0xC3) return 0; /* the first byte of each mark below */
  return strcmp(s, "\xE2\x9C\x93") == 0 || strcmp(s, "\xE2\x9C\x94") == 0 ||
         strcmp(s, "\xC3\x97") == 0;
}

int ingest_parse_yesno(const char *s, double *out) {
  static const char *const yes[] = {"co", "yes", "y", "1", "true", "x", "dung", "c"};
  /* "Chưa" (not yet), "Chưa có", "Không có" are how people write no */
  static const char *const no[] = {"khong", "no", "n", "0", "false", "sai", "k",
                                   "chua", "chuaco", "khongco"};
  /* Fast paths: one letter or digit (1 x X y Y; 0 n N), and "Có"/"Không"
  ** as usually typed. */
  switch (s[0]) {
  case '\0': return (*out = NAN, CHISO_OK);
  case 'C': case 'c':
    if ((unsigned char)s[1] == 0xC3 && (unsigned char)s[2] == 0xB3 && !s[3]) /* "ó" */
      return (*out = 1, CHISO_OK);
    break;
  case 'K': case 'k':
    if (s[1] == 'h' && (unsigned char)s[2] == 0xC3 && (unsigned char)s[3] == 0xB4 &&
        s[4] == 'n' && s[5] == 'g' && !s[6]) /* "hông" */
      return (*out = 0, CHISO_OK);
    break;
  default:
    if (!s[1]) switch (s[0]) {
      case '1': case 'x': case 'X': case 'y': case 'Y': return (*out = 1, CHISO_OK);
      case '0': case 'n': case 'N': return (*out = 0, CHISO_OK);
      default: break;
      }
  }
  if (is_x_mark(s)) return (*out = 1, CHISO_OK);
  char key[32];
  *out = NAN;
  if (compact_key(s, key, sizeof key)) return CHISO_EDATA;
  if (!key[0]) {
    for (const char *p = s; *p; p++)
      if (!strchr(" \t", *p)) return CHISO_EDATA; /* punctuation only: "?" */
    return CHISO_OK;
  }
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
    if (strcmp(key, yes[i]) == 0) return (*out = 1, CHISO_OK);
  for (size_t i = 0; i < sizeof no / sizeof *no; i++)
    if (strcmp(key, no[i]) == 0) return (*out = 0, CHISO_OK);
  return CHISO_EDATA;
}

/* ---- the reader of either format ---------------------------------------- */

typedef rowpipe_row view;

/* Open the source of rows of `path`; the report learns its format. */
static int want_variable(void *bp, size_t i, const char *name, const char *label);

static int src_open(source **src, const char *path, const ingest_options *opt, ingest_report *rep,
                    void *b, chiso_err *err) {
  source_options so = {opt ? opt->encoding : CSVREAD_ENC_AUTO, opt ? opt->delimiter : 0,
                       opt ? opt->max_field : 0, opt ? opt->sheet : NULL, want_variable, b,
                       opt && opt->max_bytes > 0 ? opt->max_bytes : INGEST_DEFAULT_MAX_BYTES,
                       opt ? opt->on_read : NULL, opt ? opt->on_read_ctx : NULL};
  int rc = source_open(path, &so, src, err);
  if (!rc) {
    const source_info *in = source_get_info(*src);
    rep->format = in->format;
    rep->encoding = in->encoding;
    rep->delimiter = in->delimiter;
  }
  return rc;
}

/* ---- the builder -------------------------------------------------------- */

typedef enum { T_NONE, T_ID, T_PROV, T_STRATUM, T_WEIGHT, T_SECTOR, T_YEAR, T_QUESTION, T_OPTION } tkind;

typedef struct {
  tkind kind;
  int q;        /* question index (T_QUESTION, T_OPTION) */
  int opt;      /* option index (T_OPTION) */
  int var;      /* first variable */
  int saw_x;     /* a yes/no column with an x mark (x, X, ✓, ✔, ×) */
  int saw_other; /* ... and with another answer: then not a tick-box column */
  int quiet;    /* ignored but already reported: not listed as unused */
  number_column num; /* a number column: what its values show (number.h) */
  int yn;       /* coded by code_yesno: 2 when the answer is required, else 1; 0 not (plan_prep) */
} target;

#define NO_STR ((size_t)-1)

typedef struct {
  char *key;               /* the text of the cell */
  char code[3], old[3];
  int rc;
  char *msg;
} prov_result;

typedef struct {
  size_t i;
  long row, col;
} pending;

/* A number the column must decide ("1.250"), settled after the last row. */
typedef struct {
  size_t i;
  long row, col;
  char *text;
} ambiguous;

typedef struct {
  const codebook *cb;
  const geo_registry *reg;
  int year, plain, max_errors, skip, blank;
  int (*id_known)(void *ctx, const char *id, char *where, size_t n);
  void *id_ctx;
  ingest_report *rep;
  long long file_bytes;    /* the file's size (small ones are read on one thread) */
  ingest_problem *probs;
  size_t probs_cap;
  /* columns */
  long header_row;
  size_t header_problems; /* problems of the header: no row can be skipped for them */
  size_t ncol;
  char **headers;
  target *t;
  int col_of[6];           /* design column index per tkind T_ID..T_YEAR, -1 if none */
  int *q_var;              /* first variable of each question, -1 for text */
  char ***okeys;           /* per question, per option: its keys, '\n'-separated */
  /* header names: every compact key a column may have, once, with what it
  ** fills (made once by setup_columns, so a header of thousands of columns
  ** costs one key and one lookup per column) */
  struct colkey *colkeys;
  size_t n_colkeys, colkeys_cap;
  hashmap colmap;
  /* data */
  size_t n, cap;
  double csv_bytes;   /* size of a CSV file (0: unknown), to size the columns */
  double row_bytes;   /* bytes of the rows read so far */
  size_t *id_off;          /* per row: offset of its id in sbuf, or NO_STR */
  char (*prov)[3], (*prov_old)[3];
  int *strat;
  size_t *sec_off;         /* per row: offset of its sector in sbuf, or NO_STR */
  char *sbuf;              /* every id and (interned) sector, NUL-terminated */
  size_t sbuf_len, sbuf_cap;
  hashmap ids;             /* rows by id (hashmap_hash of the id), for duplicates */
  double *weight;
  long *src_row;
  unsigned char *bad;
  size_t n_vars;
  char **var_ids;
  int *var_q;
  double **vals;
  hashmap sectmap;         /* sectors[] by text */
  size_t *sectors;         /* sbuf offsets of the distinct sectors */
  size_t n_sectors, sectors_cap;
  hashmap provmap;         /* provs[] by the text of the cell */
  hashmap stratmap;        /* strata[] by name */
  prov_result *provs;
  size_t n_provs, provs_cap;
  char **strata;
  size_t n_strata, strata_cap;
  pending *pend;
  size_t n_pend, pend_cap;
  ambiguous *amb;
  size_t n_amb, amb_cap;
  struct prep_plan *plan;  /* what trim_row does (plan_prep), or NULL */
  uint64_t row_tag;        /* the id tag of the row being coded (from trim_row), or 0 */
  struct prefault *pf;     /* the columns' pages faulted in ahead, or NULL */
  /* rows whose year column is not the year read for: one problem per file */
  size_t year_bad;
  long year_row, year_col;
  int year_seen;
  char *year_text;
} build;

static const char *const design_kinds[] = {"respondent id", "province", "stratum",
                                           "weight", "sector", "year"};

/* Show a value with bad bytes and control characters as \xNN, cut at 200. */
static char *show_value(const char *s) {
  char buf[820];
  size_t w = 0, n = strlen(s), ok = text_utf8_check(s, n);
  for (size_t i = 0; i < n && w < 800; i++) {
    unsigned char c = (unsigned char)s[i];
    if (i >= ok || c < 0x20) {
      w += (size_t)snprintf(buf + w, sizeof buf - w, "\\x%02X", c);
      if (i >= ok) ok = i + 1 + text_utf8_check(s + i + 1, n - i - 1);
    } else {
      buf[w++] = (char)c;
    }
    if (w >= 200 && (c < 0x80 || c >= 0xC0)) {
      /* cut at a character boundary */
      while (i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80 && w < 810) buf[w++] = s[++i];
      w += (size_t)snprintf(buf + w, sizeof buf - w, "...");
      break;
    }
  }
  buf[w] = '\0';
  return chiso_strdup(buf);
}

static int problem(build *b, long row, long col, ingest_rule rule, const char *value,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int problem(build *b, long row, long col, ingest_rule rule, const char *value,
                   const char *fmt, ...) {
  ingest_report *r = b->rep;
  r->n_errors++;
  if (b->max_errors && r->n_problems >= (size_t)b->max_errors && rule != INGEST_R_REQUIRED)
    return CHISO_OK; /* required ones may be deferred and sort earlier: keep them */
  if (chiso_grow((void **)&r->problems, &b->probs_cap, r->n_problems + 1, sizeof(ingest_problem)))
    return CHISO_ENOMEM;
  ingest_problem *p = &r->problems[r->n_problems];
  char raw[1024], msg[1024], column[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(raw, sizeof raw, fmt, ap);
  va_end(ap);
  p->row = row;
  p->col = col;
  p->rule = rule;
  /* values quoted in messages and header texts come from the file: no
  ** byte of them may drive a terminal (text_escape_controls) */
  p->message = chiso_strdup(text_escape_controls(raw, 0, msg, sizeof msg));
  p->value = show_value(value ? value : "");
  p->column = chiso_strdup(text_escape_controls(
      col > 0 && (size_t)col <= b->ncol ? b->headers[col - 1] : "", 0, column, sizeof column));
  if (!p->message || !p->value || !p->column) {
    chiso_free(p->message), chiso_free(p->value), chiso_free(p->column);
    return CHISO_ENOMEM;
  }
  r->n_problems++;
  return CHISO_OK;
}

/* ---- header ------------------------------------------------------------- */

/* A header name and what a column of that name fills. The key of an
** option column "QUESTION.OPTION" is the two compact keys joined by '.'
** (compact keys hold only letters and digits, so it cannot clash). */
typedef struct colkey {
  char *key;
  target t;
} colkey;

/* The target of the header with compact key `key`, or NULL. */
static const target *find_colkey(const build *b, const char *key) {
  uint64_t h = hashmap_hash(key);
  size_t pos = hashmap_start(&b->colmap, h);
  uint32_t k;
  while (hashmap_next(&b->colmap, h, &pos, &k))
    if (strcmp(b->colkeys[k].key, key) == 0) return &b->colkeys[k].t;
  return NULL;
}

/* Add the compact key of `name` (with `suffix`, an option's key, when not
** NULL) as a header of t, unless an earlier name has it: names are added in
** the order that decides (design columns, then the province's Vietnamese
** headers, then questions, then option columns). */
static int add_colkey(build *b, const char *name, const char *suffix, target t) {
  char key[520];
  if (!name || compact_key(name, key, 256) || !key[0]) return CHISO_OK;
  if (suffix) {
    size_t n = strlen(key);
    key[n] = '.';
    snprintf(key + n + 1, sizeof key - n - 1, "%s", suffix);
  }
  if (find_colkey(b, key)) return CHISO_OK;
  if (b->n_colkeys >= HASHMAP_MAX_VALUE ||
      chiso_grow((void **)&b->colkeys, &b->colkeys_cap, b->n_colkeys + 1, sizeof *b->colkeys))
    return CHISO_ENOMEM;
  colkey *c = &b->colkeys[b->n_colkeys];
  if (!(c->key = chiso_strdup(key))) return CHISO_ENOMEM;
  c->t = t;
  b->n_colkeys++;
  return hashmap_add(&b->colmap, hashmap_hash(key), (uint32_t)b->n_colkeys - 1);
}

/* Every name of question q's option o as a compact key, in buf (for
** add_colkey's suffix). */
static int add_option_keys(build *b, const codebook_question *cq, size_t q, size_t o) {
  const codebook_option *op = &cq->options[o];
  target t = {T_OPTION, (int)q, (int)o, b->q_var[q] + (int)o, 0, 0, 0, {0}, 0};
  for (size_t l = 0; l <= op->n_labels; l++) {
    char okey[256];
    const char *lab = l == 0 ? op->id : op->labels[l - 1];
    if (!lab || compact_key(lab, okey, sizeof okey) || !okey[0]) continue;
    int rc = add_colkey(b, cq->id, okey, t);
    for (size_t h = 0; !rc && h < cq->n_headers; h++) rc = add_colkey(b, cq->headers[h], okey, t);
    if (rc) return rc;
  }
  return CHISO_OK;
}

/* The header names of the codebook (see colkey). */
static int setup_columns(build *b) {
  const codebook_design *d = &b->cb->design;
  const char *design[] = {d->respondent_id, d->province, d->stratum, d->weight, d->sector, d->year};
  /* The province column also goes by its usual Vietnamese headers. */
  static const char *const prov_alias[] = {"tinh", "tinhthanhpho", "tinhthanh", "tinhtp",
                                           "province"};
  int rc = CHISO_OK;
  for (int k = 0; !rc && k < 6; k++)
    rc = add_colkey(b, design[k], NULL, (target){(tkind)(T_ID + k), -1, -1, -1, 0, 0, 0, {0}, 0});
  for (size_t a = 0; !rc && a < sizeof prov_alias / sizeof *prov_alias; a++)
    rc = add_colkey(b, prov_alias[a], NULL, (target){T_PROV, -1, -1, -1, 0, 0, 0, {0}, 0});
  for (size_t q = 0; !rc && q < b->cb->n_questions; q++) {
    const codebook_question *cq = &b->cb->questions[q];
    /* text questions match but give no variable */
    target t = {T_QUESTION, (int)q, -1, b->q_var[q], 0, 0, 0, {0}, 0};
    rc = add_colkey(b, cq->id, NULL, t);
    for (size_t h = 0; !rc && h < cq->n_headers; h++) rc = add_colkey(b, cq->headers[h], NULL, t);
  }
  for (size_t q = 0; !rc && q < b->cb->n_questions; q++) {
    const codebook_question *cq = &b->cb->questions[q];
    for (size_t o = 0; !rc && cq->type == CODEBOOK_MULTI && o < cq->n_options; o++)
      rc = add_option_keys(b, cq, q, o);
  }
  return rc;
}

/* What a column with this header fills: a name of the codebook, or
** "QUESTION.OPTION" (the question before the last '.', the option after). */
static void match_column(const build *b, const char *header, target *t) {
  char key[256], left[256], lkey[256], rkey[256], both[520];
  *t = (target){T_NONE, -1, -1, -1, 0, 0, 0, {0}, 0};
  if (compact_key(header, key, sizeof key) || !key[0]) return;
  const target *found = find_colkey(b, key);
  const char *dot = strrchr(header, '.');
  if (!found && dot && (size_t)(dot - header) < sizeof left) {
    memcpy(left, header, (size_t)(dot - header));
    left[dot - header] = '\0';
    if (!compact_key(left, lkey, sizeof lkey) && !compact_key(dot + 1, rkey, sizeof rkey) &&
        lkey[0] && rkey[0]) {
      snprintf(both, sizeof both, "%s.%s", lkey, rkey);
      found = find_colkey(b, both);
    }
  }
  if (found) *t = *found;
}

/* Two columns that fill the same thing (never two ignored columns). */
static int same_target(const target *a, const target *c) {
  return a->kind != T_NONE && a->kind == c->kind && a->q == c->q && a->opt == c->opt;
}

static const char *target_name(const build *b, const target *t, char *buf, size_t n) {
  assert(t->kind != T_NONE);
  if (t->kind >= T_ID && t->kind <= T_YEAR) return design_kinds[t->kind - T_ID];
  if (t->kind == T_OPTION)
    snprintf(buf, n, "%s.%s", b->cb->questions[t->q].id, b->cb->questions[t->q].options[t->opt].id);
  else
    snprintf(buf, n, "%s", b->cb->questions[t->q].id);
  return buf;
}

/* The first column before j that fills what column j fills, or j. */
static size_t first_same(const build *b, size_t j) {
  for (size_t k = 0; k < j; k++)
    if (same_target(&b->t[j], &b->t[k])) return k;
  return j;
}

/* Check that the required columns are there and none is given twice. A
** repeated column is reported once, against the first column that fills
** the same thing, and then ignored (so a third copy is reported against
** the first too). */
static int check_columns(build *b, chiso_err *err) {
  int rc = CHISO_OK;
  for (size_t j = 0; j < b->ncol && !rc; j++) {
    char nb[300];
    size_t k = first_same(b, j);
    if (k == j) continue;
    b->header_problems++;
    rc = problem(b, b->header_row, (long)j + 1, INGEST_R_FILE, b->headers[j],
                 "a second column for %s (the first is column %zu)",
                 target_name(b, &b->t[j], nb, sizeof nb), k + 1);
    b->t[j].kind = T_NONE;
    b->t[j].quiet = 1;
  }
  const char *opt_cols[] = {b->cb->design.stratum, b->cb->design.weight};
  for (int k = 0; k < 2 && b->plain; k++)
    if (opt_cols[k] && b->col_of[2 + k] < 0)
      return chiso_err_at(err, CHISO_EDATA, b->rep->file, b->header_row, 0, "no %s column named \"%s\"",
                          design_kinds[2 + k], opt_cols[k]);
  if (b->col_of[0] < 0 && !b->plain)
    return chiso_err_at(err, CHISO_EDATA, b->rep->file, b->header_row, 0,
                        "no respondent id column (expected a header like \"%s\")",
                        b->cb->design.respondent_id);
  for (size_t q = 0; q < b->cb->n_questions && !rc; q++) {
    const codebook_question *cq = &b->cb->questions[q];
    int found = 0;
    for (size_t j = 0; j < b->ncol; j++) found |= b->t[j].kind >= T_QUESTION && b->t[j].q == (int)q;
    if (!found && b->plain)
      return chiso_err_at(err, CHISO_EDATA, b->rep->file, b->header_row, 0, "no column named \"%s\"",
                          cq->id);
    if (!found && cq->required) {
      b->header_problems++;
      rc = problem(b, b->header_row, 0, INGEST_R_REQUIRED, "",
                   "no column for the required question %s", cq->id);
    }
  }
  return rc;
}

/* A number column's declaration: the question's decimal separator and
** decimals (codebook.h); other columns declare nothing. */
static void init_number_column(const build *b, target *t) {
  number_sep sep = NUMBER_SEP_UNKNOWN;
  int decimals = -1;
  if (t->kind == T_QUESTION && !b->plain) {
    const codebook_question *q = &b->cb->questions[t->q];
    sep = q->decimal_sep == '.' ? NUMBER_SEP_DOT : q->decimal_sep == ',' ? NUMBER_SEP_COMMA
                                                                        : NUMBER_SEP_UNKNOWN;
    decimals = q->decimals;
  }
  number_column_init(&t->num, sep, decimals);
}

static int map_header(build *b, const view *v, chiso_err *err) {
  b->headers = chiso_calloc(v->n, sizeof(char *));
  b->t = chiso_calloc(v->n, sizeof(target));
  if (!b->headers || !b->t) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  b->ncol = v->n;
  for (int k = 0; k < 6; k++) b->col_of[k] = -1;
  for (size_t j = 0; j < v->n; j++) {
    if (!(b->headers[j] = chiso_strdup(v->fields[j])))
      return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    if (v->bad_field == j + 1) {
      b->t[j].kind = T_NONE;
      b->t[j].quiet = 1;
      b->header_problems++;
      if (problem(b, v->row, (long)j + 1, INGEST_R_UTF8, v->fields[j], "invalid UTF-8 in the header"))
        return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      continue;
    }
    match_column(b, v->fields[j], &b->t[j]);
    /* a statistical file's variable goes by its name or its label */
    if (b->t[j].kind == T_NONE && v->alts && v->alts[j]) match_column(b, v->alts[j], &b->t[j]);
    init_number_column(b, &b->t[j]);
    tkind k = b->t[j].kind;
    if (k >= T_ID && k <= T_YEAR && b->col_of[k - T_ID] < 0) b->col_of[k - T_ID] = (int)j;
  }
  int rc = check_columns(b, err);
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  for (size_t j = 0; !rc && j < b->ncol; j++) {
    char shown[1024];
    if (b->t[j].kind != T_NONE || b->t[j].quiet || !b->headers[j][0]) continue;
    size_t cap = b->rep->n_unused;
    if (chiso_grow((void **)&b->rep->unused_columns, &cap, b->rep->n_unused + 1, sizeof(char *)) ||
        !(b->rep->unused_columns[b->rep->n_unused] =
              chiso_strdup(text_escape_controls(b->headers[j], 0, shown, sizeof shown))))
      return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    b->rep->n_unused++;
  }
  return rc;
}

/* ---- variables and option keys ------------------------------------------ */

static int setup_vars(build *b) {
  const codebook *cb = b->cb;
  size_t nq = cb->n_questions;
  b->q_var = chiso_calloc(nq, sizeof(int));
  b->okeys = chiso_calloc(nq, sizeof(char **));
  if (!b->q_var || !b->okeys) return CHISO_ENOMEM;
  size_t nv = 0;
  for (size_t q = 0; q < nq; q++) {
    const codebook_question *cq = &cb->questions[q];
    b->q_var[q] = cq->type == CODEBOOK_TEXT ? -1 : (int)nv;
    nv += cq->type == CODEBOOK_TEXT ? 0 : cq->type == CODEBOOK_MULTI ? cq->n_options : 1;
  }
  b->n_vars = nv;
  b->var_ids = chiso_calloc(nv ? nv : 1, sizeof(char *));
  b->var_q = chiso_calloc(nv ? nv : 1, sizeof(int));
  b->vals = chiso_calloc(nv ? nv : 1, sizeof(double *));
  if (!b->var_ids || !b->var_q || !b->vals) return CHISO_ENOMEM;
  for (size_t q = 0; q < nq; q++) {
    const codebook_question *cq = &cb->questions[q];
    if (cq->type == CODEBOOK_TEXT) continue;
    if (cq->type != CODEBOOK_MULTI) {
      b->var_q[b->q_var[q]] = b->plain ? -1 : (int)q;
      if (!(b->var_ids[b->q_var[q]] = chiso_strdup(cq->id))) return CHISO_ENOMEM;
    }
    if (cq->type != CODEBOOK_SINGLE && cq->type != CODEBOOK_MULTI) continue;
    b->okeys[q] = chiso_calloc(cq->n_options, sizeof(char *));
    if (!b->okeys[q]) return CHISO_ENOMEM;
    for (size_t o = 0; o < cq->n_options; o++) {
      const codebook_option *op = &cq->options[o];
      char key[256];
      /* every accepted spelling, '\n'-separated, as compact keys */
      size_t len = 0, cap = 16;
      char *all = chiso_malloc(cap);
      if (!all) return CHISO_ENOMEM;
      all[0] = '\0';
      for (size_t l = 0; l <= op->n_labels; l++) {
        const char *lab = l == 0 ? op->id : op->labels[l - 1];
        if (compact_key(lab, key, sizeof key) || !key[0]) continue;
        size_t kn = strlen(key);
        if (chiso_grow((void **)&all, &cap, len + kn + 2, 1)) return chiso_free(all), CHISO_ENOMEM;
        memcpy(all + len, key, kn);
        len += kn;
        all[len++] = '\n';
        all[len] = '\0';
      }
      b->okeys[q][o] = all;
      if (cq->type == CODEBOOK_MULTI) {
        char id[600];
        snprintf(id, sizeof id, "%s.%s", cq->id, op->id);
        b->var_q[b->q_var[q] + (int)o] = (int)q;
        if (!(b->var_ids[b->q_var[q] + (int)o] = chiso_strdup(id))) return CHISO_ENOMEM;
      }
    }
  }
  return CHISO_OK;
}

/* Option index of an answer, or -1. */
static int find_option(const build *b, int q, const char *answer) {
  char key[256];
  if (compact_key(answer, key, sizeof key) || !key[0]) return -1;
  size_t kn = strlen(key);
  for (size_t o = 0; o < b->cb->questions[q].n_options; o++) {
    const char *p = b->okeys[q][o];
    while (*p) {
      const char *nl = strchr(p, '\n');
      if ((size_t)(nl - p) == kn && memcmp(p, key, kn) == 0) return (int)o;
      p = nl + 1;
    }
  }
  return -1;
}

static int resize(void *pp, size_t cap, size_t size) {
  void **p = pp;
  void *q = chiso_realloc(*p, cap * size);
  if (!q) return CHISO_ENOMEM;
  *p = q;
  return CHISO_OK;
}

/* Capacity: 64 rows doubling to 1,024, then (for a CSV file) the rows the
** file holds at the bytes per row seen so far, plus a quarter: every later
** doubling copied the columns (8% of an import's time). Pages past the rows read
** are never touched, so an estimate too large costs address space, not
** memory; one too small falls back to doubling. *expect: the rows the
** file holds by that estimate (0 when the capacity merely doubles). */
static size_t next_cap(const build *b, size_t *expect) {
  *expect = 0;
  if (!b->cap) return 64; /* small files stay small */
  if (b->cap == 1024 && b->csv_bytes > 0 && b->row_bytes > 0) {
    double rows = b->csv_bytes / (b->row_bytes / (double)b->n);
    double est = rows * 1.25 + 1024;
    if (est > 2048 && est < 1e10) {
      *expect = (size_t)rows;
      return (size_t)est;
    }
  }
  return b->cap * 2;
}

/* ---- the columns' pages, faulted in ahead -------------------------------- */

/* The first write to a fresh page of a column costs a fault and the
** zeroing of the page: on a virtual machine a third of the coding thread's
** time for 1M rows. Once the columns are sized from the file's size, a
** thread faults their pages in (chiso_mem_prefault, which leaves what they
** hold alone) ahead of the coding, PF_ROWS rows of every column at a time,
** up to the rows the file is expected to hold (not the spare quarter: the
** memory still grows with the rows). It reads only the addresses copied
** when it starts, and is stopped before a column can move (grow_rows) and
** when the rows are read. Nothing but speed depends on it: a failure to
** start it, or a kernel without MADV_POPULATE_WRITE, leaves the faults to
** the coding. */
#define PF_ROWS 8192
#define PF_MIN_ROWS 65536 /* fewer rows: not worth a thread */

typedef struct prefault {
  pthread_t thread;
  atomic_int stop;
  size_t from, to; /* rows */
  size_t n;        /* columns */
  char **base;
  size_t *size;    /* bytes per row of each column */
} prefault;

static void *prefault_main(void *arg) {
  prefault *pf = arg;
  for (size_t a = pf->from; a < pf->to; a += PF_ROWS) {
    if (atomic_load_explicit(&pf->stop, memory_order_relaxed)) break;
    size_t e = a + PF_ROWS < pf->to ? a + PF_ROWS : pf->to;
    for (size_t k = 0; k < pf->n; k++)
      if (chiso_mem_prefault(pf->base[k] + a * pf->size[k], (e - a) * pf->size[k])) return NULL;
  }
  return NULL;
}

static void prefault_stop(build *b) {
  prefault *pf = b->pf;
  if (!pf) return;
  atomic_store_explicit(&pf->stop, 1, memory_order_relaxed);
  pthread_join(pf->thread, NULL);
  chiso_free(pf->base);
  chiso_free(pf->size);
  chiso_free(pf);
  b->pf = NULL;
}

/* Start faulting in rows [b->n, to) of every column (see above). */
static void prefault_start(build *b, size_t to) {
  if (to < b->n + PF_MIN_ROWS) return;
  prefault *pf = chiso_calloc(1, sizeof *pf);
  size_t n = b->n_vars + 8;
  if (!pf || !(pf->base = chiso_malloc(n * sizeof *pf->base)) ||
      !(pf->size = chiso_malloc(n * sizeof *pf->size))) {
    if (pf) chiso_free(pf->base);
    chiso_free(pf);
    return;
  }
#define PF_COL(p)                                                                                  \
  do {                                                                                             \
    if (p) pf->base[pf->n] = (char *)(p), pf->size[pf->n++] = sizeof *(p);                         \
  } while (0)
  PF_COL(b->id_off);
  PF_COL(b->prov);
  PF_COL(b->prov_old);
  PF_COL(b->strat);
  PF_COL(b->sec_off);
  PF_COL(b->src_row);
  PF_COL(b->bad);
  PF_COL(b->weight);
  for (size_t v = 0; v < b->n_vars; v++) PF_COL(b->vals[v]);
#undef PF_COL
  pf->from = b->n;
  pf->to = to;
  atomic_init(&pf->stop, 0);
  if (pthread_create(&pf->thread, NULL, prefault_main, pf)) {
    chiso_free(pf->base);
    chiso_free(pf->size);
    chiso_free(pf);
    return;
  }
  b->pf = pf;
}

static int grow_rows(build *b) {
  if (b->n < b->cap) return CHISO_OK;
  size_t expect, cap = next_cap(b, &expect);
  prefault_stop(b); /* the columns may move */
  if (resize(&b->id_off, cap, sizeof *b->id_off) || resize(&b->prov, cap, sizeof *b->prov) ||
      resize(&b->prov_old, cap, sizeof *b->prov_old) || resize(&b->strat, cap, sizeof *b->strat) ||
      resize(&b->sec_off, cap, sizeof *b->sec_off) || resize(&b->src_row, cap, sizeof *b->src_row) ||
      resize(&b->bad, cap, 1))
    return CHISO_ENOMEM;
  if (b->col_of[T_WEIGHT - T_ID] >= 0 && resize(&b->weight, cap, sizeof *b->weight))
    return CHISO_ENOMEM;
  /* the answers of a row are set to NaN when the row is started
  ** (init_row), not here: filling the whole new capacity touched every
  ** page of it, so the memory of an import grew with the capacity (up to
  ** twice the rows) rather than with the rows (issue 18) */
  for (size_t v = 0; v < b->n_vars; v++)
    if (resize(&b->vals[v], cap, sizeof(double))) return CHISO_ENOMEM;
  b->cap = cap;
  if (expect) prefault_start(b, expect < cap ? expect : cap);
  return CHISO_OK;
}

/* ---- coding one cell ---------------------------------------------------- */

/* Trim *s, n bytes long, in place. */
static void trim_n(char **s, size_t n) {
  char *p = *s, *end = p + n;
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
  n = (size_t)(end - p);
  while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n')) n--;
  /* a no-break space at either end, as Excel users type them */
  while (n >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) p += 2, n -= 2;
  while (n >= 2 && (unsigned char)p[n - 2] == 0xC2 && (unsigned char)p[n - 1] == 0xA0) n -= 2;
  p[n] = '\0';
  *s = p;
}

static void trim(char **s) { trim_n(s, strlen(*s)); }

typedef struct {
  size_t i;   /* builder row */
  long row;   /* file row */
  long col;   /* 1-based column */
  char *s;    /* trimmed value */
  int typed;  /* a number the file stores as one (XLSX): its text is exact */
  unsigned char pre; /* PRE_*: read already on the reader's thread (trim_row) */
  double pv;  /* ... the value read */
} cell;

/* A yes/no cell is read on the reader's thread (trim_row), by the same
** function, and the coding takes the result: PRE_OK (the value in pv;
** PRE_XMARK too for a tick mark) or PRE_BAD (the answer is refused);
** PRE_NONE: not read ahead (numbers, and yes/no without a pipe). */
enum { PRE_NONE = 0, PRE_OK = 1, PRE_BAD = 2, PRE_XMARK = 4 };

static int bad_cell(build *b, const cell *c, ingest_rule rule, const char *msg, const char *what) {
  b->bad[c->i] = 1;
  return problem(b, c->row, c->col, rule, c->s, msg, what);
}

static int add_pending(build *b, const cell *c) {
  if (chiso_grow((void **)&b->pend, &b->pend_cap, b->n_pend + 1, sizeof(pending)))
    return CHISO_ENOMEM;
  b->pend[b->n_pend++] = (pending){c->i, c->row, c->col};
  return CHISO_OK;
}

/* A wrong answer to a question. With blank_invalid and a question that is
** not required, the cell is set to missing and the row kept: the problem
** says so and is not an error (issue 12: one bad optional answer need not
** drop a respondent). Otherwise the row has a problem. */
static int bad_answer(build *b, const target *t, const cell *c, ingest_rule rule,
                      const char *value, const char *fmt, const char *what) {
  const codebook_question *q = &b->cb->questions[t->q];
  if (!b->blank || (q->required && t->kind != T_OPTION) || b->plain) {
    b->bad[c->i] = 1;
    return problem(b, c->row, c->col, rule, value, fmt, what);
  }
  size_t nv = t->kind != T_OPTION && q->type == CODEBOOK_MULTI ? q->n_options : 1;
  for (size_t k = 0; k < nv; k++) b->vals[t->var + (int)k][c->i] = NAN;
  char msg[600];
  snprintf(msg, sizeof msg, fmt, what);
  int rc = problem(b, c->row, c->col, rule, value, "%s; set to missing", msg);
  b->rep->n_errors--;
  b->rep->cells_blanked++;
  return rc;
}

/* A tick-box column: every answer in it is an x mark (blank = no). */
static int x_style(const target *t) { return t->saw_x && !t->saw_other; }

/* What a non-blank yes/no answer tells of its column: an x mark or
** another answer. Each flag is set once: the reader's thread reads beside
** them. */
static void note_mark(target *t, int x_mark) {
  if (x_mark) {
    if (!t->saw_x) t->saw_x = 1;
  } else if (!t->saw_other) {
    t->saw_other = 1;
  }
}

static int code_yesno(build *b, target *t, const cell *c, int required) {
  double v = c->pv;
  const char *qid = b->cb->questions[t->q].id;
  if (c->pre ? (c->pre & PRE_BAD) != 0 : ingest_parse_yesno(c->s, &v) != CHISO_OK)
    return bad_answer(b, t, c, INGEST_R_NOT_ALLOWED, c->s, "not a yes/no answer for %s", qid);
  if (c->s[0]) note_mark(t, c->pre ? (c->pre & PRE_XMARK) != 0 : is_x_mark(c->s));
  b->vals[t->var][c->i] = v;
  return isnan(v) && required ? add_pending(b, c) : CHISO_OK;
}

/* Keep an ambiguous number ("1.250") for settle_numbers. */
static int add_ambiguous(build *b, const cell *c) {
  if (chiso_grow((void **)&b->amb, &b->amb_cap, b->n_amb + 1, sizeof(ambiguous)))
    return CHISO_ENOMEM;
  char *text = chiso_strdup(c->s);
  if (!text) return CHISO_ENOMEM;
  b->amb[b->n_amb++] = (ambiguous){c->i, c->row, c->col, text};
  return CHISO_OK;
}

/* A number answer v of cell c, checked against the question's range. */
static int store_number(build *b, const target *t, const cell *c, double v) {
  const codebook_question *q = &b->cb->questions[t->q];
  if (fabs(v) > INGEST_NUMBER_MAX) {
    b->bad[c->i] = 1;
    return problem(b, c->row, c->col, INGEST_R_RANGE, c->s,
                   "value out of range for %s (valid: at most %g in size)", q->id,
                   INGEST_NUMBER_MAX);
  }
  if ((!isnan(q->min) && v < q->min) || (!isnan(q->max) && v > q->max)) {
    char range[96];
    if (isnan(q->max)) snprintf(range, sizeof range, "at least %g", q->min);
    else if (isnan(q->min)) snprintf(range, sizeof range, "at most %g", q->max);
    else snprintf(range, sizeof range, "%g to %g", q->min, q->max);
    char fmt[200];
    snprintf(fmt, sizeof fmt, "value out of range for %%s (valid: %s)", range);
    return bad_answer(b, t, c, INGEST_R_RANGE, c->s, fmt, q->id);
  }
  b->vals[t->var][c->i] = v;
  return CHISO_OK;
}

/* A cell's number in its column (number_column_read); a number the file
** stores as one is exact and says nothing of how people type. */
static int read_number(target *t, number_rule rule, const cell *c, double *v) {
  if (c->typed) return number_parse_survey(c->s, rule == NUMBER_PERCENT, v) ? NUMBER_BAD : NUMBER_OK;
  return number_column_read(&t->num, rule, c->s, v);
}

static int code_number(build *b, target *t, const cell *c) {
  const codebook_question *q = &b->cb->questions[t->q];
  double v;
  int k = read_number(t, q->type == CODEBOOK_PERCENT ? NUMBER_PERCENT : NUMBER_SURVEY, c, &v);
  if (k == NUMBER_BAD) {
    if (t->num.declared)
      return bad_answer(b, t, c, INGEST_R_NUMBER, c->s,
                        t->num.declared == NUMBER_SEP_DOT
                            ? "not a number written 1,234.5 as declared for %s"
                            : "not a number written 1.234,5 as declared for %s",
                        q->id);
    return bad_answer(b, t, c, INGEST_R_NUMBER, c->s, "not a number for %s", q->id);
  }
  if (k == NUMBER_AMBIGUOUS) return add_ambiguous(b, c);
  return store_number(b, t, c, v);
}

/* Plain mode: a yes/no word, else a number. */
static int code_auto(build *b, target *t, const cell *c) {
  double v;
  int k = ingest_parse_yesno(c->s, &v) ? read_number(t, NUMBER_SURVEY, c, &v) : NUMBER_OK;
  if (k == NUMBER_AMBIGUOUS) return add_ambiguous(b, c);
  if (k != NUMBER_OK)
    return bad_cell(b, c, INGEST_R_NUMBER, "neither yes/no nor a number in %s",
                    b->cb->questions[t->q].id);
  if (fabs(v) > INGEST_NUMBER_MAX) {
    b->bad[c->i] = 1;
    return problem(b, c->row, c->col, INGEST_R_RANGE, c->s,
                   "value out of range for %s (valid: at most %g in size)",
                   b->cb->questions[t->q].id, INGEST_NUMBER_MAX);
  }
  b->vals[t->var][c->i] = v;
  return CHISO_OK;
}

static int code_multi_labels(build *b, const target *t, const cell *c) {
  const codebook_question *q = &b->cb->questions[t->q];
  char sep = strchr(c->s, ';') ? ';' : ',';
  for (size_t o = 0; o < q->n_options; o++) b->vals[t->var + (int)o][c->i] = 0;
  for (char *p = c->s; p;) {
    char *next = strchr(p, sep);
    if (next) *next++ = '\0';
    trim(&p);
    if (*p) {
      int o = find_option(b, t->q, p);
      if (o < 0) return bad_answer(b, t, c, INGEST_R_NOT_ALLOWED, p, "answer not allowed for %s", q->id);
      b->vals[t->var + o][c->i] = 1;
    }
    p = next;
  }
  return CHISO_OK;
}

static int code_question(build *b, target *t, const cell *c) {
  const codebook_question *q = &b->cb->questions[t->q];
  if (t->kind == T_OPTION) return code_yesno(b, t, c, 0);
  if (q->type == CODEBOOK_YESNO && !b->plain) return code_yesno(b, t, c, q->required);
  if (!c->s[0]) {
    if (q->type == CODEBOOK_MULTI)
      for (size_t o = 0; o < q->n_options; o++) b->vals[t->var + (int)o][c->i] = NAN;
    return q->required ? bad_cell(b, c, INGEST_R_REQUIRED, "missing required answer to %s", q->id)
                       : CHISO_OK;
  }
  if (b->plain) return code_auto(b, t, c);
  switch (q->type) {
  case CODEBOOK_SINGLE: {
    int o = find_option(b, t->q, c->s);
    if (o < 0) return bad_answer(b, t, c, INGEST_R_NOT_ALLOWED, c->s, "answer not allowed for %s", q->id);
    b->vals[t->var][c->i] = o;
    return CHISO_OK;
  }
  case CODEBOOK_MULTI: return code_multi_labels(b, t, c);
  default: return code_number(b, t, c);
  }
}

/* ---- design cells ------------------------------------------------------- */

/* Copy s into the string block; *off receives its offset. */
static int block_add(build *b, const char *s, size_t *off) {
  size_t n = strlen(s) + 1;
  if (chiso_grow((void **)&b->sbuf, &b->sbuf_cap, b->sbuf_len + n, 1)) return CHISO_ENOMEM;
  memcpy(b->sbuf + b->sbuf_len, s, n);
  *off = b->sbuf_len;
  b->sbuf_len += n;
  return CHISO_OK;
}

/* The builder row that first had id s, or NO_STR; when none, s is added
** as the id of row i. h is hashmap_hash(s) (0: not computed by trim_row). */
static int id_first(build *b, const char *s, uint64_t h, size_t i, size_t *first) {
  if (!h) h = hashmap_hash(s);
  *first = NO_STR;
  if (i > HASHMAP_MAX_VALUE) return CHISO_ENOMEM;
  size_t pos = hashmap_start(&b->ids, h);
  uint32_t r;
  while (hashmap_next(&b->ids, h, &pos, &r))
    if (strcmp(b->sbuf + b->id_off[r], s) == 0) return (*first = r, CHISO_OK);
  if (block_add(b, s, &b->id_off[i])) return CHISO_ENOMEM;
  return hashmap_add(&b->ids, h, (uint32_t)i);
}

/* An id new in the file but known from elsewhere (ingest_options.id_known). */
static int known_id(build *b, const cell *c) {
  char where[512];
  where[0] = '\0';
  if (!b->id_known || !b->id_known(b->id_ctx, c->s, where, sizeof where)) return CHISO_OK;
  b->bad[c->i] = 1;
  return problem(b, c->row, c->col, INGEST_R_DUPLICATE, c->s, "respondent id \"%s\" %s", c->s,
                 where);
}

static int code_id(build *b, const cell *c) {
  size_t first;
  if (!c->s[0]) return bad_cell(b, c, INGEST_R_REQUIRED, "missing %s", "respondent id");
  if (id_first(b, c->s, b->row_tag, c->i, &first)) return CHISO_ENOMEM;
  if (first == NO_STR) return known_id(b, c);
  b->bad[c->i] = 1;
  return problem(b, c->row, c->col, INGEST_R_DUPLICATE, c->s,
                 "duplicate respondent id (first on row %ld)", b->src_row[first]);
}

/* Sectors repeat: each distinct text is stored once. */
static int code_sector(build *b, const cell *c) {
  uint64_t h = hashmap_hash(c->s);
  size_t pos = hashmap_start(&b->sectmap, h);
  uint32_t k;
  while (hashmap_next(&b->sectmap, h, &pos, &k))
    if (strcmp(b->sbuf + b->sectors[k], c->s) == 0) return (b->sec_off[c->i] = b->sectors[k], CHISO_OK);
  if (b->n_sectors > HASHMAP_MAX_VALUE ||
      chiso_grow((void **)&b->sectors, &b->sectors_cap, b->n_sectors + 1, sizeof *b->sectors) ||
      block_add(b, c->s, &b->sec_off[c->i]))
    return CHISO_ENOMEM;
  b->sectors[b->n_sectors] = b->sec_off[c->i];
  return hashmap_add(&b->sectmap, h, (uint32_t)b->n_sectors++);
}

static int resolve_province(build *b, const char *s, long *slot) {
  chiso_err e;
  geo_match m;
  chiso_err_clear(&e);
  if (chiso_grow((void **)&b->provs, &b->provs_cap, b->n_provs + 1, sizeof(prov_result)))
    return CHISO_ENOMEM;
  prov_result *r = &b->provs[b->n_provs];
  memset(r, 0, sizeof *r);
  if (!(r->key = chiso_strdup(s))) return CHISO_ENOMEM;
  b->n_provs++; /* so that the key is freed with the builder */
  r->rc = geo_resolve(b->reg, b->year, s, &m, &e);
  if (r->rc == CHISO_ENOMEM) return CHISO_ENOMEM;
  if (r->rc == CHISO_OK) {
    memcpy(r->code, m.unit->code, 3);
    if (m.old_unit) memcpy(r->old, m.old_unit->code, 3);
  } else if (!(r->msg = chiso_strdup(e.message))) {
    return CHISO_ENOMEM;
  }
  *slot = (long)b->n_provs - 1;
  return hashmap_add(&b->provmap, hashmap_hash(s), (uint32_t)*slot);
}

/* The index of the resolved province text s in provs, or -1. */
static long find_province(const build *b, const char *s) {
  uint64_t h = hashmap_hash(s);
  size_t pos = hashmap_start(&b->provmap, h);
  uint32_t k;
  while (hashmap_next(&b->provmap, h, &pos, &k))
    if (strcmp(b->provs[k].key, s) == 0) return (long)k;
  return -1;
}

static int code_province(build *b, const cell *c) {
  if (!c->s[0]) return bad_cell(b, c, INGEST_R_REQUIRED, "missing %s", "province");
  long slot = find_province(b, c->s);
  if (slot < 0 && resolve_province(b, c->s, &slot)) return CHISO_ENOMEM;
  const prov_result *r = &b->provs[slot];
  if (r->rc) return bad_cell(b, c, INGEST_R_PROVINCE, "%s", r->msg);
  memcpy(b->prov[c->i], r->code, 3);
  memcpy(b->prov_old[c->i], r->old, 3);
  return CHISO_OK;
}

static int code_stratum(build *b, const cell *c) {
  if (!c->s[0]) return bad_cell(b, c, INGEST_R_REQUIRED, "missing %s", "stratum");
  uint64_t h = hashmap_hash(c->s);
  size_t pos = hashmap_start(&b->stratmap, h);
  uint32_t k;
  while (hashmap_next(&b->stratmap, h, &pos, &k))
    if (strcmp(b->strata[k], c->s) == 0) return (b->strat[c->i] = (int)k, CHISO_OK);
  if (chiso_grow((void **)&b->strata, &b->strata_cap, b->n_strata + 1, sizeof(char *)) ||
      !(b->strata[b->n_strata] = chiso_strdup(c->s)))
    return CHISO_ENOMEM;
  b->strat[c->i] = (int)b->n_strata++;
  return hashmap_add(&b->stratmap, h, (uint32_t)b->n_strata - 1);
}

/* A year other than the one read for: the row is flagged; the first such
** row is kept for the one problem report_year gives the file. */
static int wrong_year(build *b, const cell *c, int v) {
  b->bad[c->i] = 1;
  if (b->year_bad++) return CHISO_OK;
  b->year_row = c->row, b->year_col = c->col, b->year_seen = v;
  return (b->year_text = chiso_strdup(c->s)) ? CHISO_OK : CHISO_ENOMEM;
}

/* The wrong-year problem, once per file, with the number of rows. */
static int report_year(build *b) {
  if (!b->year_bad) return CHISO_OK;
  /* Found after the last row but on an early one: kept past max_errors
  ** like deferred required answers (sort_problems trims after sorting). */
  int keep = b->max_errors, rc;
  b->max_errors = 0;
  if (b->year_bad == 1)
    rc = problem(b, b->year_row, b->year_col, INGEST_R_RANGE, b->year_text,
                 "year %d in the file, but reading for %d", b->year_seen, b->year);
  else
    rc = problem(b, b->year_row, b->year_col, INGEST_R_RANGE, b->year_text,
                 "year %d in the file, but reading for %d (%zu rows with another year, "
                 "the first here)", b->year_seen, b->year, b->year_bad);
  b->max_errors = keep;
  return rc;
}

static int code_design(build *b, target *t, const cell *c) {
  double v;
  int k;
  switch (t->kind) {
  case T_ID: return code_id(b, c);
  case T_PROV: return code_province(b, c);
  case T_STRATUM: return code_stratum(b, c);
  case T_SECTOR: return code_sector(b, c);
  case T_WEIGHT:
    if (!c->s[0]) return bad_cell(b, c, INGEST_R_REQUIRED, "missing %s", "weight");
    k = read_number(t, NUMBER_SURVEY, c, &v);
    if (k == NUMBER_AMBIGUOUS) return add_ambiguous(b, c);
    if (k) return bad_cell(b, c, INGEST_R_NUMBER, "%s", "weight is not a number");
    if (!(v > 0)) return bad_cell(b, c, INGEST_R_RANGE, "%s", "weight must be greater than 0");
    if (v < INGEST_WEIGHT_MIN || v > INGEST_WEIGHT_MAX)
      return bad_cell(b, c, INGEST_R_RANGE, "%s", "weight out of range (valid: 1e-12 to 1e+12)");
    b->weight[c->i] = v;
    return CHISO_OK;
  case T_YEAR:
    if (!c->s[0]) return CHISO_OK;
    if (number_parse_survey(c->s, 0, &v) || v != floor(v) || v < INGEST_YEAR_MIN ||
        v > INGEST_YEAR_MAX)
      return bad_cell(b, c, INGEST_R_NUMBER, "%s", "year is not a whole number from 1900 to 2100");
    if ((int)v != b->year) return wrong_year(b, c, (int)v);
    return CHISO_OK;
  default: return CHISO_OK;
  }
}

/* ---- one row ------------------------------------------------------------ */

static void init_row(build *b, size_t i, long row) {
  b->id_off[i] = b->sec_off[i] = NO_STR;
  b->prov[i][0] = b->prov_old[i][0] = '\0';
  b->strat[i] = 0;
  if (b->weight) b->weight[i] = NAN;
  b->src_row[i] = row;
  b->bad[i] = 0;
  for (size_t v = 0; v < b->n_vars; v++) b->vals[v][i] = NAN; /* no answer yet */
}

/* Does the label of a cell read as an answer of its column? (Statistical
** files: a value label is used as a text cell would be, and the code
** under it when the label is not one of the column's answers, e.g. a
** software question whose codes 0..3 are its options and whose labels
** are words the codebook does not know.) */
static int label_reads(build *b, const target *t, const char *label, int *ok) {
  const codebook_question *q = t->kind >= T_QUESTION ? &b->cb->questions[t->q] : NULL;
  double v;
  *ok = 1;
  switch (t->kind) {
  case T_ID: case T_WEIGHT: case T_YEAR: *ok = 0; return CHISO_OK; /* the number itself */
  case T_STRATUM: case T_SECTOR: return CHISO_OK;
  case T_PROV: {
    long slot = find_province(b, label);
    if (slot < 0 && resolve_province(b, label, &slot)) return CHISO_ENOMEM;
    *ok = b->provs[slot].rc == CHISO_OK;
    return CHISO_OK;
  }
  default: break;
  }
  if (t->kind == T_OPTION || (q->type == CODEBOOK_YESNO && !b->plain))
    *ok = ingest_parse_yesno(label, &v) == CHISO_OK;
  else if (b->plain)
    *ok = ingest_parse_yesno(label, &v) == CHISO_OK || number_parse_survey(label, 0, &v) == CHISO_OK;
  else if (q->type == CODEBOOK_SINGLE || q->type == CODEBOOK_MULTI)
    *ok = find_option(b, t->q, label) >= 0;
  else
    *ok = number_parse_survey(label, q->type == CODEBOOK_PERCENT, &v) == CHISO_OK;
  return CHISO_OK;
}

/* A problem with a labelled value shows the value as "CODE [LABEL]". */
static int show_code(build *b, ingest_problem *p, const char *code, const char *label) {
  (void)b;
  size_t n = strlen(code) + strlen(label) + 4;
  char *both = chiso_malloc(n);
  if (!both) return CHISO_ENOMEM;
  snprintf(both, n, "%s [%s]", code, label);
  chiso_free(p->value);
  p->value = show_value(both);
  chiso_free(both);
  return p->value ? CHISO_OK : CHISO_ENOMEM;
}

static int do_row(build *b, const view *v) {
  if (grow_rows(b)) return CHISO_ENOMEM;
  size_t i = b->n++;
  int rc = CHISO_OK;
  init_row(b, i, v->row);
  b->row_tag = v->tag;
  b->rep->rows_read++;
  for (size_t k = 0; v->lens && k < v->n; k++) b->row_bytes += (double)v->lens[k] + 1;
  if (v->bad_field) {
    b->bad[i] = 1;
    rc = problem(b, v->row, (long)v->bad_field, INGEST_R_UTF8, v->fields[v->bad_field - 1],
                 "invalid UTF-8 (byte %zu of the cell)", v->bad_offset + 1);
  }
  for (size_t j = 0; j < b->ncol && !rc; j++) {
    target *t = &b->t[j];
    if (t->kind == T_NONE || (t->kind == T_QUESTION && t->var < 0) || j + 1 == v->bad_field)
      continue;
    char empty[1] = "";
    cell c = {i, v->row, (long)j + 1, j < v->n ? v->fields[j] : empty, /* trimmed by trim_row */
              j < v->n && v->typed ? v->typed[j] : 0,
              v->note && j < v->n ? v->note[j] : PRE_NONE, v->aux && j < v->n ? v->aux[j] : 0};
    if (t->yn && (c.pre & (PRE_OK | PRE_BAD)) == PRE_OK && !(j < v->n && v->alts && v->alts[j])) {
      /* a yes/no answer read on the reader's thread: what code_yesno
      ** does with it, without the dispatch (the most common cell) */
      if (c.s[0]) note_mark(t, (c.pre & PRE_XMARK) != 0);
      b->vals[t->var][i] = c.pv;
      if (isnan(c.pv) && t->yn == 2) rc = add_pending(b, &c);
      continue;
    }
    int label_ok = 1, code_ok = 1;
    const char *label = c.s;
    if (j < v->n && v->alts && v->alts[j] && c.s[0]) {
      if ((rc = label_reads(b, t, label, &label_ok))) break;
      if (!label_ok && (rc = label_reads(b, t, v->alts[j], &code_ok))) break;
      /* the code when the label is not an answer and the code is; the
      ** label when neither is (shown with its code in the problem) */
      if (!label_ok && (code_ok || t->kind == T_ID || t->kind == T_WEIGHT || t->kind == T_YEAR))
        c.s = v->alts[j], c.pre = PRE_NONE; /* what was read ahead was the label */
    }
    size_t before = b->rep->n_problems;
    rc = t->kind >= T_QUESTION ? code_question(b, t, &c) : code_design(b, t, &c);
    if (!rc && c.s == label && !label_ok && b->rep->n_problems > before)
      rc = show_code(b, &b->rep->problems[b->rep->n_problems - 1], v->alts[j], label);
  }
  if (!rc && b->plain && b->col_of[0] < 0) {
    char id[32];
    snprintf(id, sizeof id, "%ld", v->row);
    rc = block_add(b, id, &b->id_off[i]);
  }
  for (size_t j = b->ncol; j < v->n && !rc; j++)
    if (v->fields[j][0] && !b->bad[i]) {
      b->bad[i] = 1;
      rc = problem(b, v->row, (long)j + 1, INGEST_R_FILE, v->fields[j],
                   "a value beyond the last column of the header (%zu columns)", b->ncol);
    }
  return rc;
}

/* ---- finishing ---------------------------------------------------------- */

/* Yes/no blanks: "no" in a tick-box column (x_style: known only once
** the whole column is read, so blanks stay NaN until here), else a missing
** required answer when the question is required. */
static int settle_yesno(build *b) {
  for (size_t j = 0; j < b->ncol; j++) {
    target *t = &b->t[j];
    if (!x_style(t)) continue;
    for (size_t i = 0; i < b->n; i++)
      if (isnan(b->vals[t->var][i])) b->vals[t->var][i] = 0;
  }
  for (size_t k = 0; k < b->n_pend; k++) {
    const pending *p = &b->pend[k];
    const target *t = &b->t[p->col - 1];
    if (x_style(t)) continue;
    b->bad[p->i] = 1;
    if (problem(b, p->row, p->col, INGEST_R_REQUIRED, "", "missing required answer to %s",
                b->cb->questions[t->q].id))
      return CHISO_ENOMEM;
  }
  return CHISO_OK;
}

/* Numbers the column decides ("1.250"): by the codebook's declaration,
** else the separator the column's other values show, else the one reading
** in the valid range; what is still undecided is a problem, never a
** guess. Found after the last row on early rows: kept past max_errors like
** deferred required answers. */
static int settle_numbers(build *b) {
  int keep = b->max_errors, rc = CHISO_OK;
  number_column file;
  number_column_init(&file, NUMBER_SEP_UNKNOWN, -1);
  for (size_t j = 0; j < b->ncol && b->n_amb; j++) number_column_add(&file, &b->t[j].num);
  b->max_errors = 0;
  for (size_t k = 0; k < b->n_amb && !rc; k++) {
    const ambiguous *a = &b->amb[k];
    target *t = &b->t[a->col - 1];
    const codebook_question *q = t->kind >= T_QUESTION ? &b->cb->questions[t->q] : NULL;
    number_rule rule = q && q->type == CODEBOOK_PERCENT ? NUMBER_PERCENT : NUMBER_SURVEY;
    double lo = q ? q->min : 0, hi = q ? q->max : NAN, v;
    cell c = {a->i, a->row, a->col, a->text, 0, PRE_NONE, 0};
    if (number_column_settle(&t->num, &file, rule, a->text, lo, hi, &v) == NUMBER_OK) {
      if (q) rc = store_number(b, t, &c, v);
      else if (v > 0) b->weight[a->i] = v;
      else rc = bad_cell(b, &c, INGEST_R_RANGE, "%s", "weight must be greater than 0");
      continue;
    }
    char why[400], msg[600];
    number_column_explain(&t->num, &file, a->text, why, sizeof why);
    snprintf(msg, sizeof msg, "%s%s%s", why,
             q ? "; declare \"decimals\" or \"decimal_separator\" for " : "", q ? q->id : "");
    if (q) rc = bad_answer(b, t, &c, INGEST_R_NUMBER, a->text, "%s", msg);
    else rc = bad_cell(b, &c, INGEST_R_NUMBER, "%s", msg);
  }
  b->max_errors = keep;
  return rc;
}

static int cmp_problem(const void *a, const void *c) {
  const ingest_problem *x = a, *y = c;
  if (x->row != y->row) return x->row < y->row ? -1 : 1;
  if (x->col != y->col) return x->col < y->col ? -1 : 1;
  return strcmp(x->message, y->message); /* qsort is not stable: break ties */
}

static void sort_problems(build *b) {
  ingest_report *r = b->rep;
  if (r->n_problems > 1) qsort(r->problems, r->n_problems, sizeof *r->problems, cmp_problem);
  while (b->max_errors && r->n_problems > (size_t)b->max_errors) {
    ingest_problem *p = &r->problems[--r->n_problems];
    chiso_free(p->message), chiso_free(p->value), chiso_free(p->column);
  }
}

/* Keep the elements (of `size` bytes) of array a whose row is not bad. */
static void compact_array(const build *b, void *a, size_t size) {
  char *p = a;
  size_t w = 0;
  for (size_t i = 0; i < b->n; i++)
    if (!b->bad[i]) {
      if (w != i) memcpy(p + w * size, p + i * size, size);
      w++;
    }
}

/* Drop flagged rows, keeping order; one column at a time, as they are
** stored. */
static void compact(build *b) {
  size_t w = 0;
  for (size_t i = 0; i < b->n; i++) w += !b->bad[i];
  b->rep->rows_skipped += b->n - w;
  if (w == b->n) return;
  compact_array(b, b->id_off, sizeof *b->id_off);
  compact_array(b, b->prov, sizeof *b->prov);
  compact_array(b, b->prov_old, sizeof *b->prov_old);
  compact_array(b, b->strat, sizeof *b->strat);
  compact_array(b, b->sec_off, sizeof *b->sec_off);
  if (b->weight) compact_array(b, b->weight, sizeof *b->weight);
  compact_array(b, b->src_row, sizeof *b->src_row);
  for (size_t v = 0; v < b->n_vars; v++) compact_array(b, b->vals[v], sizeof(double));
  b->n = w;
}

static int cmp_str(const void *a, const void *c) {
  return strcmp(*(char *const *)a, *(char *const *)c);
}

/* Strata in name order, so that the same data give the same indices
** whatever the row order. */
static int sort_strata(build *b) {
  if (b->col_of[T_STRATUM - T_ID] < 0) {
    if (chiso_grow((void **)&b->strata, &b->strata_cap, 1, sizeof(char *)) ||
        !(b->strata[0] = chiso_strdup("all")))
      return CHISO_ENOMEM;
    b->n_strata = 1;
    for (size_t i = 0; i < b->n; i++) b->strat[i] = 0;
    return CHISO_OK;
  }
  char **sorted = chiso_malloc((b->n_strata ? b->n_strata : 1) * sizeof(char *));
  int *remap = chiso_malloc((b->n_strata ? b->n_strata : 1) * sizeof(int));
  if (!sorted || !remap) return chiso_free(sorted), chiso_free(remap), CHISO_ENOMEM;
  memcpy(sorted, b->strata, b->n_strata * sizeof(char *));
  qsort(sorted, b->n_strata, sizeof(char *), cmp_str);
  for (size_t h = 0; h < b->n_strata; h++)
    for (size_t k = 0; k < b->n_strata; k++)
      if (b->strata[h] == sorted[k]) remap[h] = (int)k;
  for (size_t i = 0; i < b->n; i++) b->strat[i] = remap[b->strat[i]];
  memcpy(b->strata, sorted, b->n_strata * sizeof(char *));
  chiso_free(sorted);
  chiso_free(remap);
  return CHISO_OK;
}

/* Pointers into the string block for offsets off[0..n). */
static char **strings_at(const build *b, const size_t *off) {
  char **p = chiso_malloc((b->n ? b->n : 1) * sizeof(char *));
  for (size_t i = 0; p && i < b->n; i++) p[i] = off[i] == NO_STR ? NULL : b->sbuf + off[i];
  return p;
}

/* Hand the columns over to a survey_data. */
static survey_data *take_survey(build *b) {
  survey_data *s = chiso_calloc(1, sizeof *s);
  if (!s) return NULL;
  s->year = b->year;
  s->n = b->n;
  s->respondent_id = strings_at(b, b->id_off);
  s->province = b->prov, b->prov = NULL;
  s->province_old = b->prov_old, b->prov_old = NULL;
  s->stratum = b->strat, b->strat = NULL;
  s->stratum_names = b->strata, b->strata = NULL;
  s->n_strata = b->n_strata, b->n_strata = 0;
  s->weight = b->weight, b->weight = NULL;
  s->sector = b->col_of[T_SECTOR - T_ID] >= 0 ? strings_at(b, b->sec_off) : NULL;
  s->strings = b->sbuf, b->sbuf = NULL;
  s->source_row = b->src_row, b->src_row = NULL;
  s->vars = chiso_calloc(b->n_vars ? b->n_vars : 1, sizeof(survey_var));
  s->n_vars = s->vars ? b->n_vars : 0;
  for (size_t v = 0; v < s->n_vars; v++) {
    s->vars[v].id = b->var_ids[v], b->var_ids[v] = NULL;
    s->vars[v].question = b->var_q[v];
    s->vars[v].values = b->vals[v], b->vals[v] = NULL;
  }
  int ok = s->vars && s->respondent_id && (s->sector || b->col_of[T_SECTOR - T_ID] < 0);
  b->n = 0;
  if (!ok) {
    survey_free(s);
    return NULL;
  }
  return s;
}

static void plan_free(struct prep_plan *p);

static void build_free(build *b) {
  prefault_stop(b);
  for (size_t j = 0; j < b->ncol; j++) chiso_free(b->headers[j]);
  for (size_t q = 0; b->okeys && q < b->cb->n_questions; q++) {
    for (size_t o = 0; b->okeys[q] && o < b->cb->questions[q].n_options; o++)
      chiso_free(b->okeys[q][o]);
    chiso_free(b->okeys[q]);
  }
  for (size_t v = 0; v < b->n_vars; v++) {
    if (b->var_ids) chiso_free(b->var_ids[v]);
    if (b->vals) chiso_free(b->vals[v]);
  }
  for (size_t k = 0; k < b->n_provs; k++) {
    chiso_free(b->provs[k].msg);
    chiso_free(b->provs[k].key);
  }
  for (size_t h = 0; h < b->n_strata; h++) chiso_free(b->strata[h]);
  for (size_t k = 0; k < b->n_amb; k++) chiso_free(b->amb[k].text);
  void *arrays[] = {b->headers, b->t, b->q_var, b->okeys, b->id_off, b->prov,
                    b->prov_old, b->strat, b->sec_off, b->weight, b->src_row, b->bad,
                    b->var_ids, b->var_q, b->vals, b->provs, b->strata, b->pend,
                    b->sbuf, b->sectors, b->year_text, b->amb};
  for (size_t k = 0; k < sizeof arrays / sizeof *arrays; k++) chiso_free(arrays[k]);
  plan_free(b->plan);
  hashmap_clear(&b->ids);
  hashmap_clear(&b->sectmap);
  hashmap_clear(&b->provmap);
  hashmap_clear(&b->stratmap);
  for (size_t k = 0; k < b->n_colkeys; k++) chiso_free(b->colkeys[k].key);
  chiso_free(b->colkeys);
  hashmap_clear(&b->colmap);
}

/* ---- the driver --------------------------------------------------------- */

/* Does this row hold the province column? Title rows above the header
** ("PHIẾU KHẢO SÁT ...") do not. */
static int is_header_row(const build *b, const view *v) {
  for (size_t j = 0; j < v->n; j++) {
    target t;
    if (j + 1 == v->bad_field) continue;
    match_column(b, v->fields[j], &t);
    if (t.kind != T_PROV && v->alts && v->alts[j]) match_column(b, v->alts[j], &t);
    if (t.kind == T_PROV) return 1;
  }
  return 0;
}

/* Keep a variable of a statistical file when its name or label is a
** column the codebook reads (ingest decides the same from the header). */
static int want_variable(void *bp, size_t i, const char *name, const char *label) {
  const build *b = bp;
  target t;
  (void)i;
  match_column(b, name, &t);
  if (t.kind == T_NONE && label[0]) match_column(b, label, &t);
  /* a label in TCVN3 or VNI ("TØnh/Thµnh phè") is converted only later */
  for (int e = VNLEGACY_TCVN3; t.kind == T_NONE && e <= VNLEGACY_VNI; e++) {
    char *u = NULL;
    if (vnlegacy_convert(label, (vnlegacy_enc)e, &u) == CHISO_ENOMEM) return 1;
    if (u) match_column(b, u, &t);
    chiso_free(u);
  }
  return t.kind != T_NONE;
}

#define MAX_TITLE_ROWS 10

static int pipe_read(void *src, rowpipe_row *row, chiso_err *err) {
  return source_next(src, row, err);
}

/* What trim_row does with each column (prep_plan.prep, set once the
** header is read): nothing (a column not coded), trim it, or trim it and
** read it as a yes/no answer ahead of the coding (see PRE_OK). Numbers are
** left to the coding thread: on the reader's they cost it more than they
** saved the coding (20 number columns of 1M rows: +0.41, -0.36 CPU-s). */
enum { PREP_SKIP = 0, PREP_TRIM = 1, PREP_YESNO = 2 };

/* All trim_row reads: a block of its own, apart from the builder, which
** the coding thread writes for every row (a line written on one core and
** read on the other moves between them each time). */
typedef struct prep_plan {
  char pad[64];
  size_t ncol;
  long id_col;          /* the id column, or -1 */
  unsigned char *prep;  /* per column, PREP_* */
  char pad_end[64];
} prep_plan;

static void plan_free(struct prep_plan *p) {
  if (!p) return;
  chiso_free(p->prep);
  chiso_free(p);
}

static int plan_prep(build *b) {
  plan_free(b->plan);
  prep_plan *p = b->plan = chiso_calloc(1, sizeof *p);
  if (!p || !(p->prep = chiso_malloc(b->ncol ? b->ncol : 1))) return CHISO_ENOMEM;
  p->ncol = b->ncol;
  p->id_col = b->col_of[0];
  for (size_t j = 0; j < b->ncol; j++) {
    target *t = &b->t[j];
    t->yn = 0;
    if (t->kind == T_NONE || (t->kind == T_QUESTION && t->var < 0)) p->prep[j] = PREP_SKIP;
    else if (!b->plain && (t->kind == T_OPTION || (t->kind == T_QUESTION &&
                                                   b->cb->questions[t->q].type == CODEBOOK_YESNO))) {
      p->prep[j] = PREP_YESNO;
      /* as code_question calls code_yesno */
      t->yn = t->kind == T_QUESTION && b->cb->questions[t->q].required ? 2 : 1;
    } else {
      p->prep[j] = PREP_TRIM;
    }
  }
  return CHISO_OK;
}

/* Whether trim_n may change s (n > 0 bytes): a byte at either end that it
** trims, or may (a control byte, the first or last byte of a no-break
** space). */
static inline int may_trim(const char *s, size_t n) {
  unsigned char a = (unsigned char)s[0], z = (unsigned char)s[n - 1];
  return a <= ' ' || a == 0xC2 || z <= ' ' || z == 0xA0;
}

/* A yes/no cell read ahead with ingest_parse_yesno, as code_yesno would
** read it; "Có", "Không", "1", "0" and a blank, as usually typed, without
** the call. */
static inline void yesno_ahead(const char *s, double *val, unsigned char *note) {
  const unsigned char *u = (const unsigned char *)s;
  if ((u[0] == '0' || u[0] == '1') && !u[1]) *val = u[0] == '1', *note = PRE_OK;
  else if (u[0] == 'C' && u[1] == 0xC3 && u[2] == 0xB3 && !u[3]) *val = 1, *note = PRE_OK;
  else if (u[0] == 'K' && u[1] == 'h' && u[2] == 0xC3 && u[3] == 0xB4 && u[4] == 'n' && u[5] == 'g' &&
           !u[6])
    *val = 0, *note = PRE_OK;
  else if (!u[0]) *val = NAN, *note = PRE_OK;
  else *note = ingest_parse_yesno(s, val) ? PRE_BAD : PRE_OK | (is_x_mark(s) ? PRE_XMARK : 0);
}

/* On the reader's thread: trim the cells do_row codes and read the yes/no
** cells ahead (pp: the prep_plan, only read). */
static void trim_row(void *pp, rowpipe_row *v) {
  const prep_plan *p = pp;
  const unsigned char *prep = p->prep;
  char **f = v->fields;
  size_t n = p->ncol < v->n ? p->ncol : v->n;
  for (size_t j = 0; j < n; j++) {
    if (prep[j] == PREP_SKIP || j + 1 == v->bad_field || !f[j]) continue;
    /* a statistical file's rows come without lengths (the row pipe adds
    ** them; a small file is read here, without the pipe); a field is a C
    ** string, so one that needs no trimming is left as it is */
    size_t len = v->lens ? v->lens[j] : strlen(f[j]);
    if (len && may_trim(f[j], len)) trim_n(&f[j], len);
    if (prep[j] == PREP_YESNO && v->note) yesno_ahead(f[j], &v->aux[j], &v->note[j]);
  }
  size_t idc = (size_t)p->id_col;
  if (p->id_col >= 0 && idc < v->n && idc + 1 != v->bad_field) v->tag = hashmap_hash(v->fields[idc]);
}

/* The data rows of a small file: read, trimmed and coded on this thread
** (a second thread and its batches would cost more than they save). */
static int read_data_here(build *b, source *src, chiso_err *err) {
  view v;
  int rc;
  while (!(rc = source_next(src, &v, err)) && v.fields) {
    trim_row(b->plan, &v);
    if ((rc = do_row(b, &v))) return chiso_err_set(err, rc, "out of memory");
  }
  return rc;
}

/* The data rows: read on a second thread (rowpipe), coded on this one; a
** file under INGEST_PIPE_MIN_BYTES on this thread alone. Either way the
** rows, their order and the result are the same. */
static int read_data(build *b, source *src, chiso_err *err) {
  if (b->file_bytes < INGEST_PIPE_MIN_BYTES) return read_data_here(b, src, err);
  rowpipe *pipe = NULL;
  view v;
  int rc = rowpipe_start(pipe_read, src, trim_row, b->plan, &pipe, err);
  view ahead;
  while (!rc) {
    if ((rc = rowpipe_next(pipe, &v, err)) || !v.fields) break;
    if (rowpipe_peek(pipe, 8, &ahead) && ahead.tag) hashmap_prefetch(&b->ids, ahead.tag);
    if ((rc = do_row(b, &v))) rc = chiso_err_set(err, rc, "out of memory");
  }
  rowpipe_stop(pipe);
  return rc;
}

static int read_rows(build *b, source *src, chiso_err *err) {
  view v;
  int rc, skipped = 0;
  for (;;) { /* the header: the first row, or the first with a province column */
    if ((rc = source_next(src, &v, err))) return rc;
    if (!v.fields && !skipped)
      return chiso_err_at(err, CHISO_EDATA, b->rep->file, 0, 0, "empty file: no header row");
    if (v.alts && !is_header_row(b, &v)) /* a statistical file: its variables are the header */
      return chiso_err_at(err, CHISO_EDATA, b->rep->file, 0, 0,
                          "no province variable (expected a variable named or labelled like "
                          "\"%s\")", b->cb->design.province);
    int csv = source_get_info(src)->delimiter != 0;
    if (!v.fields || ++skipped > MAX_TITLE_ROWS)
      return chiso_err_at(err, CHISO_EDATA, b->rep->file, 1, 0,
                          "no province column (expected a header like \"%s\")%s%s%s",
                          b->cb->design.province,
                          csv ? "; the rows were split at '" : "",
                          csv ? (b->rep->delimiter == '\t' ? "TAB" : (char[2]){b->rep->delimiter, 0}) : "",
                          csv ? "': is that the file's delimiter?" : "");
    if (is_header_row(b, &v)) break;
  }
  b->header_row = v.row;
  if ((rc = map_header(b, &v, err))) return rc;
  if (plan_prep(b)) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (b->col_of[0] >= 0) {
    char shown[1024];
    b->rep->id_col = b->col_of[0] + 1;
    if (!(b->rep->id_header = chiso_strdup(
              text_escape_controls(b->headers[b->col_of[0]], 0, shown, sizeof shown))))
      return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  rc = read_data(b, src, err);
  prefault_stop(b); /* every row is in */
  if (rc) return rc;
  if (b->n == 0)
    return chiso_err_at(err, CHISO_EDATA, b->rep->file, b->header_row, 0,
                        "no data rows: the file has only a header");
  if (settle_yesno(b) || settle_numbers(b) || report_year(b))
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  return CHISO_OK;
}

/* Add a note to the report: at most INGEST_MAX_NOTES - 1, `more` counting
** the rest (more NULL: the last note, which says how many). */
static int add_note(build *b, size_t *more, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int add_note(build *b, size_t *more, const char *fmt, ...) {
  ingest_report *r = b->rep;
  if (more && r->n_notes >= INGEST_MAX_NOTES - 1) return (*more)++, CHISO_OK;
  char raw[512], msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(raw, sizeof raw, fmt, ap);
  va_end(ap);
  size_t cap = r->n_notes;
  if (chiso_grow((void **)&r->notes, &cap, r->n_notes + 1, sizeof *r->notes) ||
      !(r->notes[r->n_notes] = chiso_strdup(text_escape_controls(raw, 0, msg, sizeof msg))))
    return CHISO_ENOMEM;
  r->n_notes++;
  return CHISO_OK;
}

/* Notes on the rows kept: strata of one respondent (the variance then
** uses survey.lonely.psu = "adjust" and the bootstrap cannot resample
** them) and provinces where no question has an answer in any row. */
static int survey_notes(build *b) {
  size_t *count = chiso_calloc(b->n_strata ? b->n_strata : 1, sizeof *count);
  long *first = chiso_calloc(b->n_strata ? b->n_strata : 1, sizeof *first);
  size_t more = 0;
  int rc = count && first ? CHISO_OK : CHISO_ENOMEM;
  for (size_t i = 0; !rc && i < b->n; i++)
    if (count[b->strat[i]]++ == 0) first[b->strat[i]] = b->src_row[i];
  for (size_t h = 0; !rc && h < b->n_strata && b->col_of[T_STRATUM - T_ID] >= 0; h++)
    if (count[h] == 1)
      rc = add_note(b, &more, "stratum \"%s\" has one respondent (row %ld): its variance is "
                    "estimated as R survey's lonely.psu = \"adjust\" does, and the bootstrap "
                    "cannot resample it", b->strata[h], first[h]);
  /* provinces without a single answer: the rows and whether one has an
  ** answer, per code, in one pass over the rows (a code is two bytes and
  ** its NUL; a pass per province cost 34 million compares for 1M rows) */
  size_t *rows_of = NULL;
  unsigned char *answered_of = NULL;
  if (!rc && b->n_provs && b->n_vars) {
    rows_of = chiso_calloc(1u << 16, sizeof *rows_of);
    answered_of = chiso_calloc(1u << 16, 1);
    if (!rows_of || !answered_of) rc = CHISO_ENOMEM;
    for (size_t i = 0; !rc && i < b->n; i++) {
      if (b->prov[i][2]) continue; /* never: codes are two bytes */
      unsigned at = (unsigned char)b->prov[i][0] | (unsigned)(unsigned char)b->prov[i][1] << 8;
      rows_of[at]++;
      for (size_t v = 0; v < b->n_vars && !answered_of[at]; v++)
        answered_of[at] = !isnan(b->vals[v][i]);
    }
  }
  for (size_t k = 0; !rc && k < b->n_provs && b->n_vars; k++) {
    const prov_result *p = &b->provs[k];
    if (p->rc || p->code[2]) continue;
    unsigned at = (unsigned char)p->code[0] | (unsigned)(unsigned char)p->code[1] << 8;
    size_t rows = rows_of[at], answered = answered_of[at];
    if (rows && !answered)
      rc = add_note(b, &more, "province %s: no question is answered in any of its %zu row%s: "
                    "its estimates will be missing", p->code, rows, rows == 1 ? "" : "s");
  }
  if (!rc && more) rc = add_note(b, NULL, "... and %zu more notes", more);
  chiso_free(rows_of);
  chiso_free(answered_of);
  chiso_free(count);
  chiso_free(first);
  return rc;
}

/* ---- the year of a file ------------------------------------------------ */

typedef struct {
  int year, other;            /* the year column's first value, and another */
  long year_row, other_row;
  size_t former;              /* rows naming a province merged in 2025 */
  long former_row;
  char former_name[80];
  unsigned char named[100];   /* 63-era provinces named, by code */
  size_t n_named;
} year_scan;

/* One data row of the scan: its year and province cells (b reads for 2025,
** so a former province comes back with its old code). */
static int scan_row(build *b, const view *v, int ycol, int pcol, year_scan *ys) {
  char buf[256];
  if (ycol >= 0 && (size_t)ycol < v->n && (size_t)ycol + 1 != v->bad_field) {
    snprintf(buf, sizeof buf, "%s", v->fields[ycol]);
    char *p = buf;
    trim(&p);
    double y;
    if (*p && number_parse_survey(p, 0, &y) == CHISO_OK && y == floor(y) && y >= 1900 &&
        y <= 2100) {
      if (!ys->year) ys->year = (int)y, ys->year_row = v->row;
      else if ((int)y != ys->year && !ys->other) ys->other = (int)y, ys->other_row = v->row;
    }
  }
  if (pcol < 0 || (size_t)pcol >= v->n || (size_t)pcol + 1 == v->bad_field) return CHISO_OK;
  snprintf(buf, sizeof buf, "%s", v->fields[pcol]);
  char *p = buf;
  trim(&p);
  if (!*p) return CHISO_OK;
  long slot = find_province(b, p);
  if (slot < 0 && resolve_province(b, p, &slot)) return CHISO_ENOMEM;
  const prov_result *r = &b->provs[slot];
  if (r->rc) return CHISO_OK;
  const char *code = r->old[0] ? r->old : r->code;
  int k = atoi(code);
  if (k > 0 && k < 100 && !ys->named[k]) ys->named[k] = 1, ys->n_named++;
  if (r->old[0] && !ys->former++) {
    ys->former_row = v->row;
    snprintf(ys->former_name, sizeof ys->former_name, "%s", p);
  }
  return CHISO_OK;
}

/* Read the file's header and its province and year columns. */
static int scan_file(build *b, const char *path, const ingest_options *opt, year_scan *ys,
                     chiso_err *err) {
  source *src = NULL;
  view v;
  memset(&v, 0, sizeof v);
  int rc = src_open(&src, path, opt, b->rep, b, err), skipped = 0;
  for (; !rc;) { /* the header, as read_rows finds it */
    if ((rc = source_next(src, &v, err))) break;
    if (!v.fields && !skipped)
      rc = chiso_err_at(err, CHISO_EDATA, path, 0, 0, "empty file: no header row");
    else if (!v.fields || ++skipped > MAX_TITLE_ROWS)
      rc = chiso_err_at(err, CHISO_EDATA, path, 1, 0,
                        "no province column (expected a header like \"%s\")",
                        b->cb->design.province);
    if (rc || is_header_row(b, &v)) break;
  }
  int ycol = -1, pcol = -1;
  for (size_t j = 0; !rc && j < v.n; j++) {
    target t;
    match_column(b, v.fields[j], &t);
    if (t.kind == T_NONE && v.alts && v.alts[j]) match_column(b, v.alts[j], &t);
    if (t.kind == T_YEAR && ycol < 0) ycol = (int)j;
    if (t.kind == T_PROV && pcol < 0) pcol = (int)j;
  }
  while (!rc && !(rc = source_next(src, &v, err)) && v.fields) rc = scan_row(b, &v, ycol, pcol, ys);
  source_close(src);
  return rc;
}

static int guess(const char *path, const codebook *cb, int plain, const geo_registry *reg,
                 const ingest_options *opt, ingest_year *out, chiso_err *err) {
  build b;
  ingest_report scratch;
  year_scan ys;
  memset(&b, 0, sizeof b);
  memset(&scratch, 0, sizeof scratch);
  memset(&ys, 0, sizeof ys);
  memset(out, 0, sizeof *out);
  b.cb = cb, b.reg = reg, b.year = GEO_FIRST_34_YEAR, b.plain = plain, b.rep = &scratch;
  int rc = setup_vars(&b) || setup_columns(&b) ? chiso_err_set(err, CHISO_ENOMEM, "out of memory")
                                                : CHISO_OK;
  if (!rc) rc = scan_file(&b, path, opt, &ys, err);
  build_free(&b);
  if (rc == CHISO_ENOMEM) return chiso_err_set(err, rc, "out of memory");
  if (rc) return rc;
  if (ys.other) {
    rc = chiso_err_at(err, CHISO_EDATA, path, ys.other_row, 0,
                      "the year column holds several years (%d on row %ld, %d on row %ld): "
                      "cannot tell which to read for", ys.year, ys.year_row, ys.other, ys.other_row);
  } else if (ys.year) {
    *out = (ingest_year){ys.year, INGEST_YEAR_COLUMN, ""};
  } else if (ys.former || ys.n_named > 34) {
    *out = (ingest_year){GEO_FIRST_34_YEAR - 1, INGEST_YEAR_NAMES, ""};
    if (ys.former)
      snprintf(out->evidence, sizeof out->evidence, "\"%s\" on row %ld; %zu provinces in all",
               ys.former_name, ys.former_row, ys.n_named);
    else
      snprintf(out->evidence, sizeof out->evidence, "%zu provinces, more than the 34 units",
               ys.n_named);
  } else {
    rc = chiso_err_at(err, CHISO_EDATA, path, 0, 0,
                      "the file does not say its year: no year column, and every province it "
                      "names is a unit both before and after the 2025 change");
  }
  if (rc && err) err->hint = CHISO_HINT_YEAR;
  return rc;
}

int ingest_guess_year(const char *path, const codebook *cb, const geo_registry *reg,
                      const ingest_options *opt, ingest_year *out, chiso_err *err) {
  assert(path && cb && reg && out);
  return guess(path, cb, 0, reg, opt, out, err);
}

void ingest_year_note(const ingest_report *r, char *buf, size_t n) {
  const ingest_year *y = &r->year;
  int w = 0;
  if (y->from == INGEST_YEAR_NAMES)
    w = snprintf(buf, n, "read for %d: no year given and no year column, but it names provinces "
                 "that exist only before 2025 (%s)", y->year, y->evidence);
  else
    w = snprintf(buf, n, "read for %d (%s)", y->year,
                 y->from == INGEST_YEAR_COLUMN ? "from its year column" : "as given");
  if (w < 0 || (size_t)w >= n) return;
  w += snprintf(buf + w, n - (size_t)w, ": the %s",
                geo_era_for_year(y->year) == GEO_ERA_34 ? "34 units of 2025" : "63 provinces");
  if (w < 0 || (size_t)w >= n || !r->former_rows) return;
  int one = r->former_provinces == 1;
  snprintf(buf + w, n - (size_t)w, "; %zu former province%s mapped to %s 2025 unit%s (on %zu row%s)",
           r->former_provinces, one ? "" : "s", one ? "its" : "their", one ? "" : "s",
           r->former_rows, r->former_rows == 1 ? "" : "s");
}

/* Rows naming a former province, and how many distinct ones. */
static void count_former(build *b) {
  unsigned char seen[100] = {0};
  for (size_t i = 0; i < b->n; i++) {
    if (!b->prov_old[i][0]) continue;
    b->rep->former_rows++;
    int k = atoi(b->prov_old[i]);
    if (k > 0 && k < 100 && !seen[k]) seen[k] = 1, b->rep->former_provinces++;
  }
}

/* A problem that is only a note: a wrong optional answer set to missing
** (bad_answer with blank_invalid). */
static int is_blanked(const ingest_problem *p) {
  static const char tail[] = "; set to missing";
  size_t n = strlen(p->message), t = sizeof tail - 1;
  return n >= t && strcmp(p->message + n - t, tail) == 0;
}

/* A statistical file (its rows are cases, its columns variables)? */
static int is_stat(const ingest_report *r) {
  return r->format && strcmp(r->format, "csv") && strcmp(r->format, "xlsx");
}

/* "case 12, variable q_web: " (either part left out when unknown). */
static void stat_location(const ingest_problem *p, char *buf, size_t n) {
  size_t w = 0;
  buf[0] = '\0';
  if (p->row > 0) w += (size_t)snprintf(buf, n, "case %ld", p->row);
  if (w < n && p->col > 0 && p->column[0])
    w += (size_t)snprintf(buf + w, n - w, "%svariable %s", w ? ", " : "", p->column);
  if (w && w < n) snprintf(buf + w, n - w, ": ");
}

static int finish(build *b, survey_data **out, chiso_err *err) {
  ingest_report *r = b->rep;
  if (r->n_errors && (!b->skip || b->header_problems)) {
    const ingest_problem *p = NULL;
    for (size_t k = 0; k < r->n_problems && !p; k++)
      if (!is_blanked(&r->problems[k])) p = &r->problems[k];
    if (p && is_stat(r)) { /* located by case and variable, in the message */
      char where[300];
      stat_location(p, where, sizeof where);
      return chiso_err_at(err, CHISO_EDATA, r->file, 0, 0, "%zu problem%s in the file (first: %s%s)",
                          r->n_errors, r->n_errors == 1 ? "" : "s", where, p->message);
    }
    return chiso_err_at(err, CHISO_EDATA, r->file, p ? p->row : 0, p ? p->col : 0,
                        "%zu problem%s in the file (first: %s)", r->n_errors,
                        r->n_errors == 1 ? "" : "s", p ? p->message : "?");
  }
  compact(b);
  r->rows_kept = b->n;
  count_former(b);
  if (b->n == 0)
    return chiso_err_at(err, CHISO_EDATA, r->file, 0, 0, "every row has a problem: nothing to keep");
  if (sort_strata(b) || survey_notes(b) || !(*out = take_survey(b)))
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  return CHISO_OK;
}

/* Legacy text converted: in the report, and said in the log. */
static void note_legacy(ingest_report *rep, const source_info *in) {
  if (!in->legacy[0]) return;
  rep->legacy = in->legacy;
  rep->legacy_detected = in->detected;
  chiso_log(CHISO_LOG_NOTE, "%s: text in %s, %s, converted to Unicode", rep->file,
            strcmp(in->legacy, "TCVN3") == 0 ? "TCVN3 (ABC, TCVN 5712:1993)" : "VNI (VNI Windows)",
            in->detected ? "detected" : "as asked");
}

static int run(const char *path, const codebook *cb, int plain, const geo_registry *reg,
               int year, const ingest_options *opt, survey_data **out, ingest_report **report,
               chiso_err *err) {
  build b;
  source *src = NULL;
  memset(&b, 0, sizeof b);
  *out = NULL;
  if (report) *report = NULL;
  ingest_report *rep = chiso_calloc(1, sizeof *rep);
  char shown[1024];
  if (!rep || !(rep->file = chiso_strdup(text_escape_controls(path, 0, shown, sizeof shown)))) {
    chiso_free(rep);
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  rep->format = "csv";
  rep->encoding = rep->legacy = "";
  rep->year = (ingest_year){year, INGEST_YEAR_GIVEN, ""};
  int rc = year ? CHISO_OK : guess(path, cb, plain, reg, opt, &rep->year, err);
  year = rep->year.year;
  b.cb = cb, b.reg = reg, b.year = year, b.plain = plain, b.rep = rep;
  struct stat sb;
  int sized = stat(path, &sb) == 0;
  b.file_bytes = sized ? (long long)sb.st_size : INGEST_PIPE_MIN_BYTES;
  b.max_errors = opt ? (int)opt->max_errors : 0;
  b.skip = opt ? opt->skip_invalid : 0;
  b.blank = opt ? opt->blank_invalid : 0;
  b.id_known = opt ? opt->id_known : NULL;
  b.id_ctx = opt ? opt->id_ctx : NULL;
  if (!rc && (setup_vars(&b) || setup_columns(&b)))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = src_open(&src, path, opt, rep, &b, err);
  /* a CSV file's size sizes the columns (next_cap) */
  if (!rc && sized && strcmp(source_get_info(src)->format, "csv") == 0)
    b.csv_bytes = (double)sb.st_size;
  if (!rc) rc = read_rows(&b, src, err);
  if (src) note_legacy(rep, source_get_info(src));
  rep->fatal = rc != CHISO_OK;
  sort_problems(&b);
  if (!rc) rc = finish(&b, out, err);
  source_close(src);
  build_free(&b);
  if (report) *report = rep;
  else ingest_report_free(rep);
  return rc;
}

int ingest_file(const char *path, const codebook *cb, const geo_registry *reg, int year,
                const ingest_options *opt, survey_data **out, ingest_report **report,
                chiso_err *err) {
  assert(path && cb && reg && out);
  return run(path, cb, 0, reg, year, opt, out, report, err);
}

/* A codebook of number questions, one per variable, for plain mode. */
static int plain_codebook(const ingest_plain_spec *spec, codebook **out) {
  codebook *cb = chiso_calloc(1, sizeof *cb);
  *out = cb;
  if (!cb) return CHISO_ENOMEM;
  cb->questions = chiso_calloc(spec->n_vars ? spec->n_vars : 1, sizeof(codebook_question));
  if (!cb->questions) return CHISO_ENOMEM;
  for (size_t v = 0; v < spec->n_vars; v++) {
    cb->n_questions = v + 1;
    cb->questions[v].type = CODEBOOK_NUMBER;
    cb->questions[v].min = cb->questions[v].max = NAN;
    cb->questions[v].decimals = -1;
    if (!(cb->questions[v].id = chiso_strdup(spec->vars[v]))) return CHISO_ENOMEM;
  }
  codebook_design *d = &cb->design;
  d->province = chiso_strdup(spec->province_col);
  d->respondent_id = spec->id_col ? chiso_strdup(spec->id_col) : NULL;
  d->weight = spec->weight_col ? chiso_strdup(spec->weight_col) : NULL;
  d->stratum = spec->strata_col ? chiso_strdup(spec->strata_col) : NULL;
  if (!d->province || (spec->id_col && !d->respondent_id) ||
      (spec->weight_col && !d->weight) || (spec->strata_col && !d->stratum))
    return CHISO_ENOMEM;
  return CHISO_OK;
}

int ingest_file_plain(const char *path, const ingest_plain_spec *spec,
                      const geo_registry *reg, int year, const ingest_options *opt,
                      survey_data **out, ingest_report **report, chiso_err *err) {
  assert(path && spec && spec->province_col && reg && out);
  codebook *cb = NULL;
  *out = NULL;
  if (report) *report = NULL;
  if (!spec->province_col)
    return chiso_err_set(err, CHISO_EUSAGE, "a province column is needed");
  int rc = plain_codebook(spec, &cb);
  if (rc) rc = chiso_err_set(err, rc, "out of memory");
  else rc = run(path, cb, 1, reg, year, opt, out, report, err);
  codebook_free(cb);
  return rc;
}

/* ---- reports ------------------------------------------------------------ */

void ingest_report_free(ingest_report *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n_problems; i++) {
    chiso_free(r->problems[i].message);
    chiso_free(r->problems[i].value);
    chiso_free(r->problems[i].column);
  }
  for (size_t i = 0; i < r->n_unused; i++) chiso_free(r->unused_columns[i]);
  chiso_free(r->unused_columns);
  chiso_free(r->id_header);
  for (size_t i = 0; i < r->n_notes; i++) chiso_free(r->notes[i]);
  chiso_free(r->notes);
  chiso_free(r->problems);
  chiso_free(r->file);
  chiso_free(r);
}

int ingest_report_add(ingest_report *r, long row, long col, const char *column,
                      ingest_rule rule, const char *value, const char *fmt, ...) {
  assert(r && fmt);
  char raw[1024], msg[1024], shown[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(raw, sizeof raw, fmt, ap);
  va_end(ap);
  size_t cap = r->n_problems;
  if (chiso_grow((void **)&r->problems, &cap, r->n_problems + 1, sizeof *r->problems))
    return CHISO_ENOMEM;
  ingest_problem p = {row, col, NULL, NULL, NULL, rule};
  p.message = chiso_strdup(text_escape_controls(raw, 0, msg, sizeof msg));
  p.value = show_value(value ? value : "");
  p.column = chiso_strdup(text_escape_controls(column, 0, shown, sizeof shown));
  if (!p.message || !p.value || !p.column) {
    chiso_free(p.message), chiso_free(p.value), chiso_free(p.column);
    return CHISO_ENOMEM;
  }
  size_t at = r->n_problems;
  while (at > 0 && cmp_problem(&r->problems[at - 1], &p) > 0) at--;
  memmove(r->problems + at + 1, r->problems + at, (r->n_problems - at) * sizeof p);
  r->problems[at] = p;
  r->n_problems++;
  r->n_errors++;
  return CHISO_OK;
}

/* A spreadsheet cell reference: column 3, row 5 -> "C5". */
static void cell_ref(long col, long row, char *buf, size_t n) {
  char letters[8];
  int k = (int)sizeof letters - 1;
  letters[k] = '\0';
  for (long c = col; c > 0 && k > 0; c = (c - 1) / 26) letters[--k] = (char)('A' + (c - 1) % 26);
  snprintf(buf, n, "%s%ld", letters + k, row);
}

void ingest_problem_format(const ingest_report *r, const ingest_problem *p, char *buf, size_t n) {
  if (is_stat(r)) { /* FILE: case 12, variable q_web: message (value "7") */
    char where[300];
    stat_location(p, where, sizeof where);
    size_t w = (size_t)snprintf(buf, n, "%s: %s%s", r->file, where, p->message);
    if (w < n && p->value[0]) snprintf(buf + w, n - w, " (value \"%s\")", p->value);
    return;
  }
  size_t w = (size_t)snprintf(buf, n, "%s:%ld:", r->file, p->row);
  if (w < n && p->col > 0) w += (size_t)snprintf(buf + w, n - w, "%ld:", p->col);
  if (w < n && p->col > 0 && r->format && strcmp(r->format, "xlsx") == 0) {
    char ref[32];
    cell_ref(p->col, p->row, ref, sizeof ref);
    w += (size_t)snprintf(buf + w, n - w, " [%s]", ref);
  }
  if (w < n) w += (size_t)snprintf(buf + w, n - w, " %s", p->message);
  if (w < n && p->column[0]) w += (size_t)snprintf(buf + w, n - w, " (column \"%s\"", p->column);
  if (w < n && p->column[0] && p->value[0])
    w += (size_t)snprintf(buf + w, n - w, ", value \"%s\")", p->value);
  else if (w < n && p->column[0])
    w += (size_t)snprintf(buf + w, n - w, ")");
  else if (w < n && p->value[0])
    snprintf(buf + w, n - w, " (value \"%s\")", p->value);
}

const char *ingest_rule_name(ingest_rule rule) {
  static const char *const names[] = {"file structure", "bad UTF-8", "unknown province",
                                      "out of range", "answer not allowed", "missing required",
                                      "duplicate id", "not a number"};
  return (unsigned)rule < sizeof names / sizeof *names ? names[rule] : "problem";
}
