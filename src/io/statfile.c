/* statfile.c — statistical data files through ReadStat (statfile.h).
**
** ReadStat pushes what it finds to callbacks: the file's metadata, each
** variable, each value (case by case) and each value label (for SPSS in
** the dictionary before the data, for Stata after it). The callbacks keep
** the values of the wanted variables in columns (numbers as doubles,
** strings in one block) and the label sets by name; the label of a value
** is looked up when its row is handed out. */
#include "io/statfile.h"

#include "base/textfile.h"

#include "base/mem.h"
#include "base/text.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <readstat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NO_STR ((size_t)-1)

/* ---- kinds ------------------------------------------------------------------- */

statfile_kind statfile_kind_of_bytes(const void *data, size_t n) {
  const unsigned char *b = data;
  /* SAS data sets start with this 32-byte magic number. */
  static const unsigned char sas_magic[32] = {
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc2, 0xea, 0x81, 0x60,
      0xb3, 0x14, 0x11, 0xcf, 0xbd, 0x92, 0x08, 0x00, 0x09, 0xc7, 0x31, 0x8c, 0x18, 0x1f, 0x10, 0x11};
  static const char xport[] = "HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!";
  if (n >= 4 && (memcmp(b, "$FL2", 4) == 0 || memcmp(b, "$FL3", 4) == 0)) return STATFILE_SAV;
  if (n >= 11 && memcmp(b, "<stata_dta>", 11) == 0) return STATFILE_DTA;
  if (n >= 32 && memcmp(b, sas_magic, 32) == 0) return STATFILE_SAS7BDAT;
  if (n >= sizeof xport - 1 && memcmp(b, xport, sizeof xport - 1) == 0) return STATFILE_XPT;
  return STATFILE_NONE;
}

statfile_kind statfile_kind_of(const char *path) {
  static const struct { const char *ext; statfile_kind k; } exts[] = {
      {".sav", STATFILE_SAV},   {".zsav", STATFILE_SAV},          {".por", STATFILE_POR},
      {".dta", STATFILE_DTA},   {".sas7bdat", STATFILE_SAS7BDAT}, {".xpt", STATFILE_XPT}};
  unsigned char head[64];
  size_t got = 0;
  FILE *f = fopen(path, "rb");
  if (f) {
    got = fread(head, 1, sizeof head, f);
    fclose(f);
  }
  statfile_kind k = statfile_kind_of_bytes(head, got); /* whatever the name says */
  for (size_t i = 0; k == STATFILE_NONE && i < sizeof exts / sizeof exts[0]; i++)
    if (textfile_has_ext(path, exts[i].ext)) k = exts[i].k;
  return k;
}

const char *statfile_kind_name(statfile_kind k) {
  static const char *const names[] = {"", "SPSS", "SPSS portable", "Stata", "SAS", "SAS transport"};
  return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "";
}

/* ---- dates ------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (Hinnant,
** "chrono-Compatible Low-Level Date Algorithms", 2013: days_from_civil and
** civil_from_days, eras of 400 years). */
static long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (long)yoe + era * 400 + (*m <= 2);
}

int statfile_iso_date(double days, double secs, int with_time, char *buf, size_t n) {
  double total = days * 86400.0 + secs;
  if (!isfinite(total) || fabs(total) > 4e11) return CHISO_EDATA;
  double t = with_time ? floor(total + 0.5) : floor(total / 86400.0) * 86400.0;
  long day = (long)floor(t / 86400.0), sod = (long)(t - (double)day * 86400.0);
  long y;
  unsigned m, d;
  civil_from_days(day, &y, &m, &d);
  if (y < 1 || y > 9999) return CHISO_EDATA;
  if (with_time)
    snprintf(buf, n, "%04ld-%02u-%02uT%02ld:%02ld:%02ld", y, m, d, sod / 3600, sod / 60 % 60, sod % 60);
  else
    snprintf(buf, n, "%04ld-%02u-%02u", y, m, d);
  return CHISO_OK;
}

typedef enum { D_NONE, D_DATE, D_DATETIME } date_kind;

/* How a value is a date: its unit (seconds or days, milliseconds for
** Stata's %tc) and epoch. */
typedef struct {
  date_kind kind;
  double unit;  /* seconds per unit */
  long epoch;   /* days from 1970-01-01 to the zero of the file's clock */
} date_rule;

static int starts(const char *s, const char *p) { return strncasecmp(s, p, strlen(p)) == 0; }

/* The date rule of a display format. SPSS counts seconds from 1582-10-14
** (the start of the Gregorian calendar), Stata and SAS from 1960-01-01:
** Stata days (%td) or milliseconds (%tc, %tC), SAS days for dates and
** seconds for date-times. */
static date_rule date_rule_of(statfile_kind kind, const char *fmt) {
  date_rule r = {D_NONE, 1, 0};
  if (!fmt || !*fmt) return r;
  if (kind == STATFILE_DTA) {
    if (fmt[0] != '%') return r;
    const char *f = fmt + 1;
    if (*f == '-') f++;
    r.epoch = days_from_civil(1960, 1, 1);
    if (starts(f, "td") || (f[0] == 'd' && !isdigit((unsigned char)f[1]))) r.kind = D_DATE, r.unit = 86400;
    else if (starts(f, "tc") || starts(f, "tC")) r.kind = D_DATETIME, r.unit = 0.001;
    return r;
  }
  if (kind == STATFILE_SAV || kind == STATFILE_POR) {
    static const char *const dates[] = {"DATE", "ADATE", "EDATE", "JDATE", "SDATE", "MOYR", "QYR", "WKYR"};
    r.epoch = days_from_civil(1582, 10, 14);
    if (starts(fmt, "DATETIME") || starts(fmt, "YMDHMS")) return r.kind = D_DATETIME, r;
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
      if (starts(fmt, dates[i]) && !isalpha((unsigned char)fmt[strlen(dates[i])]))
        return r.kind = D_DATE, r;
    return r;
  }
  /* SAS */
  static const char *const sas_dates[] = {"DATE", "YYMMDD", "MMDDYY", "DDMMYY", "E8601DA",
                                          "B8601DA", "WEEKDATE", "WORDDATE", "NLDATE",
                                          "YYMMDDN", "DDMMYYN", "MMDDYYN", "YYMON", "MONYY"};
  r.epoch = days_from_civil(1960, 1, 1);
  if (starts(fmt, "DATETIME") || starts(fmt, "E8601DT") || starts(fmt, "B8601DT") ||
      starts(fmt, "NLDATM"))
    return r.kind = D_DATETIME, r;
  for (size_t i = 0; i < sizeof sas_dates / sizeof sas_dates[0]; i++)
    if (starts(fmt, sas_dates[i]) && !isalpha((unsigned char)fmt[strlen(sas_dates[i])]))
      return r.kind = D_DATE, r.unit = 86400, r;
  return r;
}

/* ---- the parsed file ----------------------------------------------------------- */

typedef struct {
  double key;     /* numeric key */
  char *skey;     /* string key, or NULL */
  char *label;
} lab_entry;

typedef struct {
  char *name;
  lab_entry *e;
  size_t n, cap;
} labset;

typedef struct {
  char *name, *label, *setname;
  int numeric, is_float, kept;
  date_rule date;
  const labset *ls;
  double *num;    /* numeric values, NaN when missing */
  size_t *soff;   /* string values: offsets in sbuf, NO_STR when missing */
} svar;

struct statfile {
  char *name;
  statfile_kind kind;
  char encoding[64];
  svar *vars;
  size_t nvars, vars_cap;
  long declared_vars;
  int format_version;    /* the file's own version number (a .dta's 102..119) */
  long ncases;           /* cases seen (max obs_index + 1) */
  size_t rows_cap;       /* rows allocated in each kept column */
  char *sbuf;
  size_t slen, scap;
  labset *sets;
  size_t nsets, sets_cap;
  size_t bytes, max_bytes;
  int (*keep)(void *ctx, size_t i, const char *name, const char *label);
  void *keep_ctx;
  int asked;             /* keep() has been asked */
  int latin1;            /* the text was read as Latin-1 (a second try) */
  /* while parsing: our own failure (ReadStat is then told to abort) */
  int rc;
  chiso_err *err;
  char rs_msg[512];      /* ReadStat's first error message */
  /* rows */
  long next;             /* the row statfile_next gives next (0 = header) */
  char *rowbuf;
  size_t rowcap;
  size_t *offs;          /* per field, then per alt: offset in rowbuf or NO_STR */
  char **fields, **alts;
  unsigned char *typed; /* per variable of the current row (statfile_row.typed) */
  statfile_row cur;
};

static int fail(statfile *f, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Record our own error (the first one) and make ReadStat stop. */
static int fail(statfile *f, int rc, const char *fmt, ...) {
  if (!f->rc) {
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    f->rc = chiso_err_at(f->err, rc, f->name, 0, 0, "%s", msg);
  }
  return READSTAT_HANDLER_ABORT;
}

static int oom(statfile *f) { return fail(f, CHISO_ENOMEM, "out of memory"); }

static const char *nz(const char *s) { return s ? s : ""; }

/* Text read as Latin-1 (the second try of run()) whose bytes are UTF-8
** after all (a modern program's text in an old Stata file, which implies
** Windows-1252): a new copy of the UTF-8 text; otherwise a plain copy
** (legacy TCVN3/VNI bytes stay Latin-1 letters for io/vnlegacy). NULL when
** out of memory. */
static char *text_copy(const statfile *f, const char *s) {
  if (!f->latin1) return chiso_strdup(s);
  size_t n = strlen(s), w = 0;
  char *b = chiso_malloc(n + 1);
  if (!b) return NULL;
  int high = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    unsigned cp = *p;
    if (cp >= 0xC2 && cp <= 0xC3 && (p[1] & 0xC0) == 0x80) { /* U+0080..U+00FF */
      cp = ((cp & 0x1F) << 6) | (p[1] & 0x3F);
      p += 2;
    } else if (cp >= 0x80) { /* not a Latin-1 character: keep the text */
      memcpy(b, s, n + 1);
      return b;
    } else {
      p++;
    }
    high |= cp >= 0x80;
    b[w++] = (char)cp;
  }
  b[w] = '\0';
  if (high && text_utf8_check(b, w) == w) return b;
  memcpy(b, s, n + 1); /* n >= w */
  return b;
}

/* ---- callbacks --------------------------------------------------------------------- */

static int on_metadata(readstat_metadata_t *md, void *ctx) {
  statfile *f = ctx;
  const char *enc = readstat_get_file_encoding(md);
  snprintf(f->encoding, sizeof f->encoding, "%s", nz(enc));
  f->declared_vars = readstat_get_var_count(md);
  f->format_version = readstat_get_file_format_version(md);
  return READSTAT_HANDLER_OK;
}

/* Ask the caller which variables to keep (once, when all are known). */
static void ask_keep(statfile *f) {
  f->asked = 1;
  for (size_t i = 0; i < f->nvars; i++)
    f->vars[i].kept = f->keep ? f->keep(f->keep_ctx, i, f->vars[i].name, f->vars[i].label) != 0 : 1;
}

/* The longest a variable's value-label name can be. ReadStat hands a .dta's
** name as a pointer into its table of fixed-width entries (9 bytes before
** format 108, 33 up to 117, 129 from 118: Stata's dta format
** documentation), unterminated when a damaged file fills the entry (found
** by fuzz_statfile), so it is read no further than its entry. */
static size_t labels_name_cap(const statfile *f) {
  if (f->kind != STATFILE_DTA) return (size_t)-1;
  return f->format_version < 108 ? 9 : f->format_version < 118 ? 33 : 129;
}

static int on_variable(int index, readstat_variable_t *v, const char *val_labels, void *ctx) {
  statfile *f = ctx;
  if (f->asked || index < 0 || (size_t)index != f->nvars)
    return fail(f, CHISO_EDATA, "variable %d is out of order", index + 1);
  if (chiso_grow((void **)&f->vars, &f->vars_cap, f->nvars + 1, sizeof(svar))) return oom(f);
  svar *s = &f->vars[f->nvars];
  memset(s, 0, sizeof *s);
  f->nvars++; /* so that what is allocated is freed with the file */
  s->name = chiso_strdup(nz(readstat_variable_get_name(v)));
  s->label = text_copy(f, nz(readstat_variable_get_label(v)));
  s->setname = val_labels && *val_labels
                  ? chiso_strndup(val_labels, strnlen(val_labels, labels_name_cap(f)))
                  : NULL;
  if (!s->name || !s->label || (val_labels && *val_labels && !s->setname)) return oom(f);
  s->numeric = readstat_variable_get_type_class(v) == READSTAT_TYPE_CLASS_NUMERIC;
  s->is_float = readstat_variable_get_type(v) == READSTAT_TYPE_FLOAT;
  if (s->numeric) s->date = date_rule_of(f->kind, readstat_variable_get_format(v));
  if (f->declared_vars > 0 && (long)f->nvars == f->declared_vars) ask_keep(f);
  return READSTAT_HANDLER_OK;
}

/* Make room for row `obs` in every kept column. */
static int grow_rows(statfile *f, size_t obs) {
  size_t cap = f->rows_cap ? f->rows_cap : 256;
  while (cap <= obs) cap *= 2;
  size_t per_row = 0;
  for (size_t i = 0; i < f->nvars; i++) per_row += f->vars[i].kept ? 8 : 0;
  size_t old = f->rows_cap * per_row;
  if (per_row && (cap > (f->max_bytes - f->bytes + old) / per_row))
    return fail(f, CHISO_EDATA, "more than %zu MB of values: too large to read",
                f->max_bytes >> 20);
  for (size_t i = 0; i < f->nvars; i++) {
    svar *s = &f->vars[i];
    if (!s->kept) continue;
    if (s->numeric) {
      double *p = chiso_realloc(s->num, cap * sizeof(double));
      if (!p) return oom(f);
      for (size_t k = f->rows_cap; k < cap; k++) p[k] = NAN;
      s->num = p;
    } else {
      size_t *p = chiso_realloc(s->soff, cap * sizeof(size_t));
      if (!p) return oom(f);
      for (size_t k = f->rows_cap; k < cap; k++) p[k] = NO_STR;
      s->soff = p;
    }
  }
  f->bytes += cap * per_row - old;
  f->rows_cap = cap;
  return READSTAT_HANDLER_OK;
}

static int add_string(statfile *f, const char *s, size_t *off) {
  size_t n = strlen(s) + 1;
  if (f->bytes + n > f->max_bytes)
    return fail(f, CHISO_EDATA, "more than %zu MB of values: too large to read", f->max_bytes >> 20);
  if (chiso_grow((void **)&f->sbuf, &f->scap, f->slen + n, 1)) return oom(f);
  memcpy(f->sbuf + f->slen, s, n);
  *off = f->slen;
  f->slen += n;
  f->bytes += n;
  return READSTAT_HANDLER_OK;
}

static int on_value(int obs, readstat_variable_t *v, readstat_value_t value, void *ctx) {
  statfile *f = ctx;
  int vi = readstat_variable_get_index(v);
  if (!f->asked) ask_keep(f);
  if (vi < 0 || (size_t)vi >= f->nvars || obs < 0)
    return fail(f, CHISO_EDATA, "a value of an unknown variable or case");
  svar *s = &f->vars[vi];
  if ((long)obs >= f->ncases) f->ncases = (long)obs + 1;
  if (!s->kept) return READSTAT_HANDLER_OK;
  if ((size_t)obs >= f->rows_cap && grow_rows(f, (size_t)obs)) return READSTAT_HANDLER_ABORT;
  int missing = readstat_value_is_missing(value, v);
  if (s->numeric) {
    if (readstat_value_type_class(value) != READSTAT_TYPE_CLASS_NUMERIC)
      return fail(f, CHISO_EDATA, "case %d, variable %s: text in a numeric variable", obs + 1, s->name);
    double x = missing ? NAN : readstat_double_value(value);
    s->num[obs] = isfinite(x) ? x : NAN;
    return READSTAT_HANDLER_OK;
  }
  const char *str = readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING
                        ? readstat_string_value(value) : NULL;
  if (missing || !str || !*str) return READSTAT_HANDLER_OK;
  char *t = text_copy(f, str);
  if (!t) return oom(f);
  int r = add_string(f, t, &s->soff[obs]);
  chiso_free(t);
  return r;
}

static labset *find_set(statfile *f, const char *name) {
  for (size_t i = 0; i < f->nsets; i++)
    if (strcmp(f->sets[i].name, name) == 0) return &f->sets[i];
  return NULL;
}

static int on_label(const char *set, readstat_value_t value, const char *label, void *ctx) {
  statfile *f = ctx;
  if (!set || !label) return READSTAT_HANDLER_OK;
  /* A label of a missing value (.a "Refused", SPSS 9 = "No answer" is kept:
  ** only the missing ones are left out, being empty cells anyway). */
  if (readstat_value_is_tagged_missing(value) || readstat_value_is_system_missing(value))
    return READSTAT_HANDLER_OK;
  labset *ls = find_set(f, set);
  if (!ls) {
    if (chiso_grow((void **)&f->sets, &f->sets_cap, f->nsets + 1, sizeof(labset))) return oom(f);
    ls = &f->sets[f->nsets++];
    memset(ls, 0, sizeof *ls);
    if (!(ls->name = chiso_strdup(set))) return oom(f);
  }
  if (chiso_grow((void **)&ls->e, &ls->cap, ls->n + 1, sizeof(lab_entry))) return oom(f);
  lab_entry *e = &ls->e[ls->n];
  memset(e, 0, sizeof *e);
  if (readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING) {
    if (!(e->skey = chiso_strdup(nz(readstat_string_value(value))))) return oom(f);
  } else {
    e->key = readstat_double_value(value);
  }
  if (!(e->label = text_copy(f, label))) {
    chiso_free(e->skey);
    return oom(f);
  }
  ls->n++;
  return READSTAT_HANDLER_OK;
}

static void on_error(const char *msg, void *ctx) {
  statfile *f = ctx;
  if (!f->rs_msg[0] && msg) {
    snprintf(f->rs_msg, sizeof f->rs_msg, "%s", msg);
    size_t n = strlen(f->rs_msg);
    while (n && (f->rs_msg[n - 1] == '\n' || f->rs_msg[n - 1] == '.')) f->rs_msg[--n] = '\0';
  }
}

/* ---- label lookup -------------------------------------------------------------------- */

static int cmp_entry(const void *a, const void *b) {
  const lab_entry *x = a, *y = b;
  if (x->skey || y->skey) return strcmp(x->skey ? x->skey : "", y->skey ? y->skey : "");
  return x->key < y->key ? -1 : x->key > y->key;
}

/* Sort every set for lookup and attach the sets to their variables. */
static void attach_labels(statfile *f) {
  for (size_t i = 0; i < f->nsets; i++)
    qsort(f->sets[i].e, f->sets[i].n, sizeof(lab_entry), cmp_entry);
  for (size_t v = 0; v < f->nvars; v++)
    f->vars[v].ls = f->vars[v].setname ? find_set(f, f->vars[v].setname) : NULL;
}

/* The label of a numeric value or a string, or NULL. */
static const char *label_of(const labset *ls, double x, const char *str) {
  if (!ls) return NULL;
  size_t lo = 0, hi = ls->n;
  lab_entry probe = {x, (char *)str, NULL};
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = cmp_entry(&ls->e[mid], &probe);
    if (!c) return ls->e[mid].label;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* ---- reading from memory ------------------------------------------------------------- */

typedef struct {
  const unsigned char *data;
  size_t n, pos;
} memio;

static int mem_open(const char *path, void *io_ctx) {
  (void)path;
  ((memio *)io_ctx)->pos = 0;
  return 0;
}

static int mem_close(void *io_ctx) {
  (void)io_ctx;
  return 0;
}

static readstat_off_t mem_seek(readstat_off_t off, readstat_io_flags_t whence, void *io_ctx) {
  memio *m = io_ctx;
  readstat_off_t base = whence == READSTAT_SEEK_SET ? 0
                        : whence == READSTAT_SEEK_CUR ? (readstat_off_t)m->pos
                                                      : (readstat_off_t)m->n;
  if (off > (readstat_off_t)m->n || off < -(readstat_off_t)m->n) return -1;
  readstat_off_t to = base + off;
  if (to < 0 || to > (readstat_off_t)m->n) return -1;
  m->pos = (size_t)to;
  return to;
}

static ssize_t mem_read(void *buf, size_t nbyte, void *io_ctx) {
  memio *m = io_ctx;
  size_t k = m->n - m->pos < nbyte ? m->n - m->pos : nbyte;
  /* ReadStat asks for 0 bytes into a NULL buffer on some damaged .dta files
  ** (found by fuzz_statfile): nothing to copy, and memcpy may not get NULL */
  if (k == 0) return 0;
  if (!buf) return -1;
  memcpy(buf, m->data + m->pos, k);
  m->pos += k;
  return (ssize_t)k;
}

static readstat_error_t mem_update(long size, readstat_progress_handler h, void *user_ctx,
                                   void *io_ctx) {
  (void)size, (void)h, (void)user_ctx, (void)io_ctx;
  return READSTAT_OK;
}

/* ---- parsing ------------------------------------------------------------------------- */

static readstat_error_t parse(readstat_parser_t *p, statfile_kind kind, const char *path,
                              statfile *f) {
  switch (kind) {
  case STATFILE_SAV: return readstat_parse_sav(p, path, f);
  case STATFILE_POR: return readstat_parse_por(p, path, f);
  case STATFILE_DTA: return readstat_parse_dta(p, path, f);
  case STATFILE_SAS7BDAT: return readstat_parse_sas7bdat(p, path, f);
  default: return readstat_parse_xport(p, path, f);
  }
}

/* Our error from ReadStat's code, unless a callback recorded its own. */
static int map_error(statfile *f, readstat_error_t e) {
  if (f->rc) return f->rc;
  if (e == READSTAT_OK) return CHISO_OK;
  const char *why = f->rs_msg[0] ? f->rs_msg : nz(readstat_error_message(e));
  if (e == READSTAT_ERROR_OPEN)
    return chiso_err_at(f->err, CHISO_EIO, f->name, 0, 0, "cannot open the file");
  if (e == READSTAT_ERROR_READ || e == READSTAT_ERROR_SEEK)
    return chiso_err_at(f->err, CHISO_EDATA, f->name, 0, 0,
                        "not a complete %s file: truncated or damaged (%s)",
                        statfile_kind_name(f->kind), why);
  if (e == READSTAT_ERROR_MALLOC)
    return chiso_err_at(f->err, CHISO_EDATA, f->name, 0, 0,
                        "cannot be read as a %s file: it asks for more memory than it can "
                        "hold (%s)", statfile_kind_name(f->kind), why);
  return chiso_err_at(f->err, CHISO_EDATA, f->name, 0, 0, "not a valid %s file (%s)",
                      statfile_kind_name(f->kind), why);
}

static int finish_parse(statfile *f, readstat_error_t e, chiso_err *err);

/* Forget what a parse kept (for a second try). */
static void clear_parsed(statfile *f) {
  for (size_t i = 0; i < f->nvars; i++) {
    svar *s = &f->vars[i];
    chiso_free(s->name), chiso_free(s->label), chiso_free(s->setname);
    chiso_free(s->num), chiso_free(s->soff);
  }
  for (size_t i = 0; i < f->nsets; i++) {
    for (size_t k = 0; k < f->sets[i].n; k++) {
      chiso_free(f->sets[i].e[k].skey);
      chiso_free(f->sets[i].e[k].label);
    }
    chiso_free(f->sets[i].e);
    chiso_free(f->sets[i].name);
  }
  f->nvars = f->nsets = f->slen = f->rows_cap = f->bytes = 0;
  f->ncases = 0;
  f->declared_vars = 0;
  f->asked = 0;
  f->rc = 0;
  f->rs_msg[0] = '\0';
}

static int is_convert_error(readstat_error_t e) {
  return e == READSTAT_ERROR_CONVERT || e == READSTAT_ERROR_CONVERT_BAD_STRING ||
         e == READSTAT_ERROR_CONVERT_SHORT_STRING || e == READSTAT_ERROR_CONVERT_LONG_STRING ||
         e == READSTAT_ERROR_UNSUPPORTED_CHARSET;
}

/* Parse once; when the text is not in the encoding the file declares (or
** implies: Windows-1252 for Stata before 14), once more reading every
** byte as Latin-1, which loses nothing: legacy TCVN3 or VNI text is then
** recognised by its letters (io/vnlegacy via io/source). */
static int run(statfile *f, const memio *mem, const char *path, chiso_err *err) {
  readstat_error_t e = READSTAT_OK;
  for (int latin1 = 0; latin1 < 2; latin1++) {
    readstat_parser_t *p = readstat_parser_init();
    if (!p) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    if (latin1) {
      clear_parsed(f);
      readstat_set_file_character_encoding(p, "ISO-8859-1");
    }
    f->err = err;
    readstat_set_metadata_handler(p, on_metadata);
    readstat_set_variable_handler(p, on_variable);
    readstat_set_value_handler(p, on_value);
    readstat_set_value_label_handler(p, on_label);
    readstat_set_error_handler(p, on_error);
    if (mem) {
      readstat_set_open_handler(p, mem_open);
      readstat_set_close_handler(p, mem_close);
      readstat_set_seek_handler(p, mem_seek);
      readstat_set_read_handler(p, mem_read);
      readstat_set_update_handler(p, mem_update);
      readstat_set_io_ctx(p, (void *)mem);
    }
    e = parse(p, f->kind, path, f);
    readstat_parser_free(p);
    if (f->rc || !is_convert_error(e)) break;
    f->latin1 = 1;
  }
  return finish_parse(f, e, err);
}

static int finish_parse(statfile *f, readstat_error_t e, chiso_err *err) {
  int rc = map_error(f, e);
  if (!rc && !f->asked) ask_keep(f); /* a file without cases */
  if (!rc && f->nvars == 0)
    rc = chiso_err_at(err, CHISO_EDATA, f->name, 0, 0, "the %s file has no variables",
                      statfile_kind_name(f->kind));
  if (!rc) attach_labels(f);
  f->err = NULL;
  return rc;
}

static int open_common(const memio *mem, const char *path, const char *name, statfile_kind kind,
                       const statfile_options *opt, statfile **out, chiso_err *err) {
  assert(kind != STATFILE_NONE && out);
  *out = NULL;
  statfile *f = chiso_calloc(1, sizeof *f);
  if (!f || !(f->name = chiso_strdup(name))) {
    chiso_free(f);
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  f->kind = kind;
  f->max_bytes = opt && opt->max_bytes ? opt->max_bytes : STATFILE_DEFAULT_MAX_BYTES;
  f->keep = opt ? opt->keep : NULL;
  f->keep_ctx = opt ? opt->keep_ctx : NULL;
  int rc = run(f, mem, path, err);
  if (rc) statfile_close(f);
  else *out = f;
  return rc;
}

int statfile_open(const char *path, statfile_kind kind, const statfile_options *opt,
                  statfile **out, chiso_err *err) {
  assert(path);
  return open_common(NULL, path, path, kind, opt, out, err);
}

int statfile_open_mem(const void *data, size_t n, statfile_kind kind, const char *name,
                      const statfile_options *opt, statfile **out, chiso_err *err) {
  assert((data || !n) && name);
  memio m = {data, n, 0};
  return open_common(&m, name, name, kind, opt, out, err);
}

/* ---- rows ---------------------------------------------------------------------------- */

/* The shortest text of x that reads back exactly (as a float for a
** float variable: Stata and SAS floats show their 7 digits). */
static void number_text(double x, int is_float, char *buf, size_t n) {
  if (is_float) {
    float fx = (float)x;
    for (int p = 6; p <= 9; p++) {
      snprintf(buf, n, "%.*g", p, (double)fx);
      if (strtof(buf, NULL) == fx) return;
    }
    return;
  }
  for (int p = 15; p <= 17; p++) {
    snprintf(buf, n, "%.*g", p, x);
    if (strtod(buf, NULL) == x) return;
  }
}

static int put(statfile *f, size_t *w, const char *s, size_t *off) {
  size_t n = strlen(s) + 1;
  if (chiso_grow((void **)&f->rowbuf, &f->rowcap, *w + n, 1)) return CHISO_ENOMEM;
  memcpy(f->rowbuf + *w, s, n);
  *off = *w;
  *w += n;
  return CHISO_OK;
}

/* The text of cell (case i, variable v) into the row buffer; its code
** underneath when a value label applies. */
static int cell(statfile *f, size_t v, long i, size_t *w, size_t *off, size_t *alt,
                unsigned char *typed) {
  const svar *s = &f->vars[v];
  char buf[64];
  *alt = NO_STR;
  *typed = 0;
  if (!s->kept || (size_t)i >= f->rows_cap) return put(f, w, "", off);
  if (!s->numeric) {
    const char *str = s->soff[i] == NO_STR ? "" : f->sbuf + s->soff[i];
    const char *lab = *str ? label_of(s->ls, 0, str) : NULL;
    if (lab && put(f, w, str, alt)) return CHISO_ENOMEM;
    return put(f, w, lab ? lab : str, off);
  }
  double x = s->num[i];
  if (isnan(x)) return put(f, w, "", off);
  const char *lab = label_of(s->ls, x, NULL);
  number_text(x, s->is_float, buf, sizeof buf);
  if (lab) {
    if (put(f, w, buf, alt)) return CHISO_ENOMEM;
    return put(f, w, lab, off);
  }
  if (s->date.kind != D_NONE) {
    double secs = x * s->date.unit;
    char iso[32];
    if (statfile_iso_date((double)s->date.epoch, secs, s->date.kind == D_DATETIME, iso,
                          sizeof iso) == CHISO_OK)
      return put(f, w, iso, off);
  }
  *typed = 1; /* a number the file stores as one: no reading rule applies (issue 12) */
  return put(f, w, buf, off);
}

static int make_row(statfile *f, long r) {
  size_t n = f->nvars, w = 0;
  for (size_t v = 0; v < n; v++) {
    int rc;
    if (r == 0) {
      rc = put(f, &w, f->vars[v].name, &f->offs[v]);
      f->offs[n + v] = NO_STR;
      f->typed[v] = 0;
      if (!rc && f->vars[v].label[0]) rc = put(f, &w, f->vars[v].label, &f->offs[n + v]);
    } else {
      rc = cell(f, v, r - 1, &w, &f->offs[v], &f->offs[n + v], &f->typed[v]);
    }
    if (rc) return rc;
  }
  statfile_row *row = &f->cur;
  memset(row, 0, sizeof *row);
  row->n = n;
  row->fields = f->fields;
  row->alts = f->alts;
  row->typed = f->typed;
  row->row = r;
  for (size_t v = 0; v < n; v++) {
    f->fields[v] = f->rowbuf + f->offs[v];
    f->alts[v] = f->offs[n + v] == NO_STR ? NULL : f->rowbuf + f->offs[n + v];
    size_t len = strlen(f->fields[v]), ok = text_utf8_check(f->fields[v], len);
    if (ok != len && !row->bad_field) row->bad_field = v + 1, row->bad_offset = ok;
  }
  return CHISO_OK;
}

int statfile_next(statfile *f, statfile_row **row, chiso_err *err) {
  assert(f && row);
  *row = NULL;
  if (f->next > f->ncases) return CHISO_OK;
  if (!f->offs) {
    f->offs = chiso_malloc(2 * f->nvars * sizeof(size_t));
    f->fields = chiso_malloc(f->nvars * sizeof(char *));
    f->alts = chiso_malloc(f->nvars * sizeof(char *));
    f->typed = chiso_malloc(f->nvars ? f->nvars : 1);
    if (!f->offs || !f->fields || !f->alts || !f->typed) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  if (make_row(f, f->next)) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  f->next++;
  *row = &f->cur;
  return CHISO_OK;
}

size_t statfile_vars(const statfile *f) { return f->nvars; }
long statfile_cases(const statfile *f) { return f->ncases; }
const char *statfile_encoding(const statfile *f) { return f->latin1 ? "ISO-8859-1" : f->encoding; }

void statfile_close(statfile *f) {
  if (!f) return;
  clear_parsed(f);
  void *arrays[] = {f->vars, f->sets, f->sbuf, f->rowbuf, f->offs, f->fields, f->alts, f->typed, f->name};
  for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) chiso_free(arrays[k]);
  chiso_free(f);
}
