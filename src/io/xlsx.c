/* xlsx.c — one worksheet of an .xlsx workbook, streamed row by row.
**
** Parts are inflated with libzip in chunks and pushed through expat with
** namespace processing, so element names are compared by local name and
** files written by Excel, LibreOffice (which adds other prefixes) and
** libxlsxwriter read the same. The worksheet parser suspends itself
** (XML_StopParser resumable) at the end of each row so that rows are
** pulled one at a time without holding the sheet in memory. */
#include "io/xlsx.h"

#include "base/mem.h"
#include "base/textfile.h"

#include <assert.h>
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zip.h>

#define CHUNK (256 * 1024)
#define MAX_COLS 16384   /* XFD, Excel's last column */
#define MAX_ROWS 1048576 /* Excel's last row */
#define MAX_ENTRIES 10000 /* zip entries: a workbook has a few dozen parts */

typedef struct { char *name, *target; } sheet_ref;

struct xlsx {
  zip_t *za;
  char *path;
  size_t max_entry;
  double max_ratio;
  int date1904;
  /* workbook */
  sheet_ref *sheets; size_t n_sheets, sheets_cap;
  sheet_ref *rels; size_t n_rels, rels_cap;  /* id -> target, type in name */
  /* shared strings: NUL-terminated texts one after another in sst_text,
  ** string i at sst_text + sst_off[i] (bounded by max_strings and
  ** max_string_bytes: 40 million empty <si/> must not be 40 million
  ** allocations) */
  char *sst_text; size_t sst_len, sst_text_cap;
  uint32_t *sst_off; size_t n_sst, sst_cap; /* max_string_bytes < 4 GiB */
  size_t max_strings, max_string_bytes, max_total, total_read;
  int *fmt_ids; unsigned char *fmt_kind; size_t n_fmts, fmts_cap; /* custom formats */
  unsigned char *xf_kind; size_t n_xf, xf_cap; /* FMT_* per cell style */
  int in_xfs;
  /* the part being read */
  XML_Parser p;
  zip_file_t *zf;
  const char *part;
  size_t part_size, part_read;
  int final_fed, done, suspended;
  /* text being collected */
  char *text; size_t text_len, text_cap;
  int in_t, in_v, in_is, rph;
  /* the current cell and row */
  char ctype[12];
  long cstyle, ccol, last_col, crow, last_row;
  char *out; size_t out_len, out_cap;  /* cell texts, NUL-separated */
  size_t *cell_col, *cell_off; size_t n_cells, cells_cap;
  char **fields; size_t *lens; size_t fields_cap;
  unsigned char *typed; size_t typed_cap; /* per field: a number cell */
  unsigned char *cell_typed; size_t cell_typed_cap; int ctyped; /* per cell */
  char *sheet_part; /* name of the worksheet part */
  int row_ready;
  xlsx_row cur;
  int rc;          /* error from a handler or a previous call */
  chiso_err herr;
};

/* ---- small helpers ------------------------------------------------------ */

static const char *local(const char *name) {
  const char *s = strrchr(name, '|');
  return s ? s + 1 : name;
}

/* The attribute with this local name; with `ns_part`, its namespace must
** contain that text (to tell r:id from a plain id). */
static const char *attr(const char **atts, const char *name, const char *ns_part) {
  for (int i = 0; atts[i]; i += 2) {
    const char *bar = strrchr(atts[i], '|');
    if (strcmp(bar ? bar + 1 : atts[i], name) != 0) continue;
    if (ns_part && (!bar || !strstr(atts[i], ns_part))) continue;
    if (!ns_part && bar) continue;
    return atts[i + 1];
  }
  return NULL;
}

static void fail(xlsx *x, int rc, const char *fmt, const char *a) {
  if (x->rc) return;
  x->rc = rc;
  if (rc == CHISO_ENOMEM) chiso_err_set(&x->herr, rc, "out of memory");
  else chiso_err_at(&x->herr, rc, x->path, 0, 0, fmt, a ? a : "");
  XML_StopParser(x->p, XML_FALSE);
}

/* A size limit of the options was passed in the part being read. */
static void fail_limit(xlsx *x, const char *fmt, size_t limit) {
  char msg[256];
  if (x->rc) return;
  snprintf(msg, sizeof msg, fmt, x->part, limit);
  x->rc = CHISO_EDATA;
  chiso_err_at(&x->herr, CHISO_EDATA, x->path, 0, 0, "%s", msg);
  XML_StopParser(x->p, XML_FALSE);
}

static int add_text(xlsx *x, const char *s, size_t n) {
  if (x->text_len + n + 1 > XLSX_MAX_CELL) {
    fail(x, CHISO_EDATA, "a cell in %s holds more than 1 MiB of text", x->part);
    return -1;
  }
  if (x->text_len + n + 1 > x->text_cap &&
      chiso_grow((void **)&x->text, &x->text_cap, x->text_len + n + 1, 1)) {
    fail(x, CHISO_ENOMEM, "", NULL);
    return -1;
  }
  memcpy(x->text + x->text_len, s, n);
  x->text_len += n;
  x->text[x->text_len] = '\0';
  return 0;
}

static void reset_text(xlsx *x) {
  x->text_len = 0;
  if (x->text) x->text[0] = '\0';
}

static void on_text(void *ud, const char *s, int len) {
  xlsx *x = ud;
  if ((x->in_t && !x->rph) || x->in_v) add_text(x, s, (size_t)len);
}

static char *join_path(const char *target) {
  char buf[1024];
  if (target[0] == '/') snprintf(buf, sizeof buf, "%s", target + 1);
  else snprintf(buf, sizeof buf, "xl/%s", target);
  return chiso_strdup(buf);
}

/* ---- streaming one part through expat --------------------------------- */

static int zip_fail(xlsx *x, const char *what, chiso_err *err) {
  return chiso_err_at(err, CHISO_EDATA, x->path, 0, 0,
                      "truncated or corrupt XLSX: cannot read %s (%s)", x->part, what);
}

/* Open part `name`, refusing it when its sizes look like a zip bomb.
** Returns CHISO_ENOTFOUND (no error set) when the part is absent. */
static int open_part(xlsx *x, const char *name, chiso_err *err) {
  zip_stat_t st;
  zip_stat_init(&st);
  x->part = name;
  if (zip_stat(x->za, name, 0, &st) != 0) return CHISO_ENOTFOUND;
  if ((st.valid & ZIP_STAT_SIZE) && st.size > x->max_entry)
    return chiso_err_at(err, CHISO_EDATA, x->path, 0, 0,
                        "%s would inflate to %llu bytes, over the limit of %zu: "
                        "refused (zip bomb?)", name, (unsigned long long)st.size, x->max_entry);
  if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > (1u << 20) &&
      (double)st.size > x->max_ratio * (double)(st.comp_size ? st.comp_size : 1))
    return chiso_err_at(err, CHISO_EDATA, x->path, 0, 0,
                        "%s is compressed %.0f:1, over the limit of %.0f:1: refused (zip bomb?)",
                        name, (double)st.size / (double)(st.comp_size ? st.comp_size : 1),
                        x->max_ratio);
  x->part_size = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size : x->max_entry;
  x->part_read = 0;
  x->final_fed = x->done = x->suspended = 0;
  x->zf = zip_fopen(x->za, name, 0);
  if (!x->zf) return zip_fail(x, zip_strerror(x->za), err);
  return CHISO_OK;
}

static void close_part(xlsx *x) {
  if (x->zf) zip_fclose(x->zf);
  x->zf = NULL;
  if (x->p) XML_ParserFree(x->p);
  x->p = NULL;
}

static int xml_error(xlsx *x, chiso_err *err) {
  if (x->rc) {
    if (err) *err = x->herr;
    return x->rc;
  }
  return chiso_err_at(err, CHISO_EDATA, x->path, 0, 0, "bad XML in %s at line %lu: %s",
                      x->part, (unsigned long)XML_GetCurrentLineNumber(x->p),
                      XML_ErrorString(XML_GetErrorCode(x->p)));
}

/* Inflate the next chunk into expat's buffer and parse it. */
static enum XML_Status feed(xlsx *x, chiso_err *err, int *rc) {
  void *buf = XML_GetBuffer(x->p, CHUNK);
  if (!buf) return (*rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"), XML_STATUS_ERROR);
  zip_int64_t got = zip_fread(x->zf, buf, CHUNK);
  if (got < 0) return (*rc = zip_fail(x, zip_file_strerror(x->zf), err), XML_STATUS_ERROR);
  x->part_read += (size_t)got;
  x->total_read += (size_t)got;
  if (x->total_read > x->max_total)
    return (*rc = chiso_err_at(err, CHISO_EDATA, x->path, 0, 0,
                               "the workbook inflates past the limit of %zu bytes in all: "
                               "refused (zip bomb?)", x->max_total),
            XML_STATUS_ERROR);
  if (x->part_read > x->part_size || x->part_read > x->max_entry)
    return (*rc = chiso_err_at(err, CHISO_EDATA, x->path, 0, 0,
                               "%s inflates past its declared size or the limit of %zu "
                               "bytes: refused (zip bomb?)", x->part, x->max_entry),
            XML_STATUS_ERROR);
  x->final_fed = got == 0;
  return XML_ParseBuffer(x->p, (int)got, x->final_fed);
}

/* Advance the current part until a row is ready or the part ends. */
static int pump(xlsx *x, chiso_err *err) {
  while (!x->row_ready && !x->done) {
    int rc = CHISO_OK;
    enum XML_Status st;
    if (x->suspended) {
      x->suspended = 0;
      st = XML_ResumeParser(x->p);
    } else if (x->final_fed) {
      x->done = 1;
      break;
    } else {
      st = feed(x, err, &rc);
      if (rc) return rc;
    }
    if (st == XML_STATUS_ERROR) return xml_error(x, err);
    if (st == XML_STATUS_SUSPENDED) x->suspended = 1;
  }
  return CHISO_OK;
}

static XML_Parser new_parser(xlsx *x, XML_StartElementHandler s, XML_EndElementHandler e) {
  XML_Parser p = XML_ParserCreateNS(NULL, '|');
  if (!p) return NULL;
  XML_SetUserData(p, x);
  XML_SetElementHandler(p, s, e);
  XML_SetCharacterDataHandler(p, on_text);
  return p;
}

/* Parse a whole part; a missing optional part is fine. */
static int parse_part(xlsx *x, const char *name, int required, XML_StartElementHandler s,
                      XML_EndElementHandler e, chiso_err *err) {
  int rc = open_part(x, name, err);
  if (rc == CHISO_ENOTFOUND)
    return required ? chiso_err_at(err, CHISO_EDATA, x->path, 0, 0,
                                   "not an XLSX workbook: no %s inside", name)
                    : CHISO_OK;
  if (rc) return rc;
  if (!(x->p = new_parser(x, s, e))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = pump(x, err);
  close_part(x);
  return rc;
}

/* ---- workbook, relationships, shared strings, styles -------------------- */

static int push_ref(sheet_ref **list, size_t *n, size_t *cap, const char *a, const char *b) {
  if (chiso_grow((void **)list, cap, *n + 1, sizeof **list)) return CHISO_ENOMEM;
  sheet_ref *r = &(*list)[*n];
  r->name = chiso_strdup(a ? a : "");
  r->target = chiso_strdup(b ? b : "");
  (*n)++;
  return r->name && r->target ? CHISO_OK : CHISO_ENOMEM;
}

static void wb_start(void *ud, const char *name, const char **atts) {
  xlsx *x = ud;
  const char *l = local(name);
  if (strcmp(l, "workbookPr") == 0) {
    const char *d = attr(atts, "date1904", NULL);
    x->date1904 = d && (strcmp(d, "1") == 0 || strcasecmp(d, "true") == 0);
  } else if (strcmp(l, "sheet") == 0) {
    if (push_ref(&x->sheets, &x->n_sheets, &x->sheets_cap, attr(atts, "name", NULL),
                 attr(atts, "id", "relationships")))
      fail(x, CHISO_ENOMEM, "", NULL);
  }
}

static void rels_start(void *ud, const char *name, const char **atts) {
  xlsx *x = ud;
  if (strcmp(local(name), "Relationship") != 0) return;
  const char *id = attr(atts, "Id", NULL), *target = attr(atts, "Target", NULL);
  const char *type = attr(atts, "Type", NULL);
  char key[600];
  /* Keep "Id" and the type's last word: "rId3 sharedStrings". */
  const char *slash = type ? strrchr(type, '/') : NULL;
  snprintf(key, sizeof key, "%s %s", id ? id : "", slash ? slash + 1 : "");
  if (target && push_ref(&x->rels, &x->n_rels, &x->rels_cap, key, target))
    fail(x, CHISO_ENOMEM, "", NULL);
}

static void no_end(void *ud, const char *name) {
  (void)ud;
  (void)name;
}

static void sst_start(void *ud, const char *name, const char **atts) {
  xlsx *x = ud;
  const char *l = local(name);
  (void)atts;
  if (strcmp(l, "si") == 0) reset_text(x);
  else if (strcmp(l, "t") == 0) x->in_t = 1;
  else if (strcmp(l, "rPh") == 0) x->rph++;
}

static void sst_end(void *ud, const char *name) {
  xlsx *x = ud;
  const char *l = local(name);
  if (strcmp(l, "t") == 0) x->in_t = 0;
  else if (strcmp(l, "rPh") == 0) x->rph--;
  else if (strcmp(l, "si") == 0) {
    size_t n = x->text_len + 1;
    if (x->n_sst >= x->max_strings) {
      fail_limit(x, "%s holds more than %zu shared strings: refused", x->max_strings);
      return;
    }
    if (x->sst_len + n > x->max_string_bytes) {
      fail_limit(x, "the shared strings of %s exceed %zu bytes: refused", x->max_string_bytes);
      return;
    }
    if (chiso_grow((void **)&x->sst_off, &x->sst_cap, x->n_sst + 1, sizeof *x->sst_off) ||
        chiso_grow((void **)&x->sst_text, &x->sst_text_cap, x->sst_len + n, 1)) {
      fail(x, CHISO_ENOMEM, "", NULL);
      return;
    }
    memcpy(x->sst_text + x->sst_len, x->text ? x->text : "", n - 1);
    x->sst_text[x->sst_len + n - 1] = '\0';
    x->sst_off[x->n_sst++] = (uint32_t)x->sst_len;
    x->sst_len += n;
  }
}

enum { FMT_PLAIN = 0, FMT_DATE = 1, FMT_PERCENT = 2 };

/* A number format is a date or time when, outside quoted text, escapes and
** [brackets], it uses d, m, y, h or s (ECMA-376 18.8.31); a percentage when
** it has a '%' there. */
static int format_kind(const char *f) {
  int pct = 0;
  for (; *f; f++) {
    if (*f == '"') {
      while (f[1] && f[1] != '"') f++;
      if (f[1]) f++;
    } else if (*f == '[') {
      while (f[1] && f[1] != ']') f++;
      if (f[1]) f++;
    } else if (*f == '\\' || *f == '_' || *f == '*') {
      if (f[1]) f++;
    } else if (strchr("dDmMyYhHsS", *f)) {
      return FMT_DATE;
    } else if (*f == '%') {
      pct = 1;
    }
  }
  return pct ? FMT_PERCENT : FMT_PLAIN;
}

/* Built-in formats: 14-22, 27-36, 45-47, 50-58 are dates and times; 9 and
** 10 are percentages. */
static int builtin_kind(long id) {
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
      (id >= 50 && id <= 58))
    return FMT_DATE;
  return id == 9 || id == 10 ? FMT_PERCENT : FMT_PLAIN;
}

static int fmt_kind_of(const xlsx *x, long id) {
  for (size_t i = 0; i < x->n_fmts; i++)
    if (x->fmt_ids[i] == id) return x->fmt_kind[i];
  return builtin_kind(id);
}

static void styles_start(void *ud, const char *name, const char **atts) {
  xlsx *x = ud;
  const char *l = local(name);
  if (strcmp(l, "numFmt") == 0) {
    const char *id = attr(atts, "numFmtId", NULL), *code = attr(atts, "formatCode", NULL);
    size_t cap = x->fmts_cap;
    if (!id || !code) return;
    if (chiso_grow((void **)&x->fmt_ids, &cap, x->n_fmts + 1, sizeof(int)) ||
        chiso_grow((void **)&x->fmt_kind, &x->fmts_cap, x->n_fmts + 1, 1)) {
      fail(x, CHISO_ENOMEM, "", NULL);
      return;
    }
    x->fmt_ids[x->n_fmts] = atoi(id);
    x->fmt_kind[x->n_fmts++] = (unsigned char)format_kind(code);
  } else if (strcmp(l, "cellXfs") == 0) {
    x->in_xfs = 1;
  } else if (strcmp(l, "xf") == 0 && x->in_xfs) {
    const char *id = attr(atts, "numFmtId", NULL);
    if (chiso_grow((void **)&x->xf_kind, &x->xf_cap, x->n_xf + 1, 1)) {
      fail(x, CHISO_ENOMEM, "", NULL);
      return;
    }
    x->xf_kind[x->n_xf++] = (unsigned char)(id ? fmt_kind_of(x, atol(id)) : FMT_PLAIN);
  }
}

static void styles_end(void *ud, const char *name) {
  xlsx *x = ud;
  if (strcmp(local(name), "cellXfs") == 0) x->in_xfs = 0;
}

/* The target of relationship `id`, or of the first one of `type`. */
static const char *rel_target(const xlsx *x, const char *id, const char *type) {
  size_t idn = id ? strlen(id) : 0;
  for (size_t i = 0; i < x->n_rels; i++) {
    const char *k = x->rels[i].name;
    if (id && strncmp(k, id, idn) == 0 && k[idn] == ' ') return x->rels[i].target;
    if (type && strcmp(strchr(k, ' ') + 1, type) == 0) return x->rels[i].target;
  }
  return NULL;
}

/* ---- dates -------------------------------------------------------------- */

/* Civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible
** Low-Level Date Algorithms", days_from_civil inverse). */
static void civil_from_days(long z, int *y, int *m, int *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

int xlsx_serial_to_iso(double serial, int date1904, char *buf, size_t n) {
  if (!(serial >= 0) || serial >= 2958466) return CHISO_EDATA;
  long days = (long)floor(serial);
  long secs = lround((serial - (double)days) * 86400.0);
  if (secs >= 86400) {
    days++;
    secs -= 86400;
  }
  int y, m, d;
  if (date1904) {
    civil_from_days(days - 24107, &y, &m, &d); /* 1904-01-01 is day -24107 */
  } else if (days == 60) { /* Excel's 29 Feb 1900, which never was */
    y = 1900, m = 2, d = 29;
  } else {
    /* Serial 1 is 1900-01-01 (day -25567); from 61 on, one day less for
    ** the fictitious 29 Feb. */
    civil_from_days(days - 25568 - (days > 60 ? 1 : 0), &y, &m, &d);
  }
  if (secs)
    snprintf(buf, n, "%04d-%02d-%02dT%02ld:%02ld:%02ld", y, m, d, secs / 3600,
             secs / 60 % 60, secs % 60);
  else
    snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
  return CHISO_OK;
}

/* ---- the worksheet ------------------------------------------------------ */

/* The column of a cell reference ("C5" is 3), or 0 when it has no letters
** or more than three (XFD, 16384, is the last column: longer runs would
** overflow and wrap into range). */
static long col_of_ref(const char *ref) {
  long c = 0;
  int n = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
    if (++n > 3) return 0;
    c = c * 26 + (*ref - 'A' + 1);
  }
  return c;
}

/* A row number "1".."1048576" (Excel's last row), or 0. */
static long row_number(const char *r) {
  long v = 0;
  if (!*r) return 0;
  for (; *r; r++) {
    if (*r < '0' || *r > '9') return 0;
    v = v * 10 + (*r - '0');
    if (v > MAX_ROWS) return 0;
  }
  return v;
}

static void format_number(const char *v, char *buf, size_t n) {
  char *end;
  double d = strtod(v, &end);
  if (end == v) {
    snprintf(buf, n, "%s", v);
    return;
  }
  snprintf(buf, n, "%.15g", d);
  if (strtod(buf, NULL) != d) snprintf(buf, n, "%.17g", d);
}

/* The text of the finished cell, given its type and style. */
static const char *cell_value(xlsx *x, char *buf, size_t n) {
  const char *v = x->text ? x->text : "";
  const char *t = x->ctype;
  x->ctyped = 0;
  if (strcmp(t, "s") == 0) {
    char *end;
    unsigned long i = strtoul(v, &end, 10);
    if (end == v || i >= x->n_sst) {
      fail(x, CHISO_EDATA, "bad shared string index in %s", x->part);
      return "";
    }
    return x->sst_text + x->sst_off[i];
  }
  if (strcmp(t, "b") == 0) return strcmp(v, "1") == 0 ? "TRUE" : "FALSE";
  if (t[0] && strcmp(t, "n") != 0) return v; /* str, inlineStr, e, d */
  if (!v[0]) return v;
  int kind = x->cstyle >= 0 && (size_t)x->cstyle < x->n_xf ? x->xf_kind[x->cstyle] : FMT_PLAIN;
  if (kind == FMT_DATE && xlsx_serial_to_iso(strtod(v, NULL), x->date1904, buf, n) == CHISO_OK)
    return buf;
  if (kind == FMT_PERCENT) { /* shown as 35%, stored as 0.35: give what is shown */
    snprintf(buf, n, "%.15g%%", strtod(v, NULL) * 100);
    x->ctyped = 1;
    return buf;
  }
  format_number(v, buf, n);
  x->ctyped = 1;
  return buf;
}

static void add_cell(xlsx *x, const char *val) {
  size_t len = strlen(val);
  if (!len) return;
  if (chiso_grow((void **)&x->out, &x->out_cap, x->out_len + len + 1, 1)) {
    fail(x, CHISO_ENOMEM, "", NULL);
    return;
  }
  size_t cap = x->cells_cap;
  if (chiso_grow((void **)&x->cell_col, &cap, x->n_cells + 1, sizeof(size_t)) ||
      chiso_grow((void **)&x->cell_typed, &x->cell_typed_cap, x->n_cells + 1, 1) ||
      chiso_grow((void **)&x->cell_off, &x->cells_cap, x->n_cells + 1, sizeof(size_t))) {
    fail(x, CHISO_ENOMEM, "", NULL);
    return;
  }
  memcpy(x->out + x->out_len, val, len + 1);
  x->cell_col[x->n_cells] = (size_t)x->ccol;
  x->cell_typed[x->n_cells] = (unsigned char)x->ctyped;
  x->cell_off[x->n_cells++] = x->out_len;
  x->out_len += len + 1;
}

/* Lay the row's cells out by column; the NUL at out[0] is every empty
** field. */
static void finish_row(xlsx *x) {
  size_t n = 0;
  for (size_t i = 0; i < x->n_cells; i++)
    if (x->cell_col[i] > n) n = x->cell_col[i];
  size_t cap = x->fields_cap;
  if (chiso_grow((void **)&x->fields, &cap, n, sizeof(char *)) ||
      chiso_grow((void **)&x->typed, &x->typed_cap, n ? n : 1, 1) ||
      chiso_grow((void **)&x->lens, &x->fields_cap, n, sizeof(size_t))) {
    fail(x, CHISO_ENOMEM, "", NULL);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    x->fields[i] = x->out;
    x->lens[i] = 0;
    x->typed[i] = 0;
  }
  for (size_t i = 0; i < x->n_cells; i++) {
    size_t c = x->cell_col[i] - 1;
    x->fields[c] = x->out + x->cell_off[i];
    x->lens[c] = strlen(x->fields[c]);
    x->typed[c] = x->cell_typed[i];
  }
  x->cur.n = n;
  x->cur.fields = x->fields;
  x->cur.lens = x->lens;
  x->cur.typed = x->typed;
  x->cur.row = x->crow;
  x->row_ready = 1;
  XML_StopParser(x->p, XML_TRUE);
}

static void sheet_start(void *ud, const char *name, const char **atts) {
  xlsx *x = ud;
  const char *l = local(name);
  if (strcmp(l, "row") == 0) {
    const char *r = attr(atts, "r", NULL);
    x->crow = r ? row_number(r) : x->last_row + 1;
    if (x->crow < 1 || x->crow > MAX_ROWS) {
      fail(x, CHISO_EDATA, "bad row number in %s", x->part);
      return;
    }
    x->last_col = 0;
    x->n_cells = 0;
    if (!x->out && chiso_grow((void **)&x->out, &x->out_cap, 64, 1)) {
      fail(x, CHISO_ENOMEM, "", NULL);
      return;
    }
    x->out[0] = '\0';
    x->out_len = 1; /* out[0] is the shared empty string */
  } else if (strcmp(l, "c") == 0) {
    const char *r = attr(atts, "r", NULL), *t = attr(atts, "t", NULL), *s = attr(atts, "s", NULL);
    x->ccol = r ? col_of_ref(r) : x->last_col + 1;
    if (x->ccol < 1 || x->ccol > MAX_COLS) {
      fail(x, CHISO_EDATA, "bad cell reference in %s", x->part);
      return;
    }
    size_t k = 0;
    for (; t && t[k] && k + 1 < sizeof x->ctype; k++) x->ctype[k] = t[k];
    x->ctype[k] = '\0';
    x->cstyle = s ? atol(s) : -1;
    reset_text(x);
  } else if (strcmp(l, "v") == 0) {
    x->in_v = 1;
  } else if (strcmp(l, "is") == 0) {
    x->in_is = 1;
  } else if (strcmp(l, "t") == 0 && x->in_is) {
    x->in_t = 1;
  } else if (strcmp(l, "rPh") == 0) {
    x->rph++;
  }
}

static void sheet_end(void *ud, const char *name) {
  xlsx *x = ud;
  const char *l = local(name);
  char buf[64];
  if (strcmp(l, "v") == 0) x->in_v = 0;
  else if (strcmp(l, "t") == 0) x->in_t = 0;
  else if (strcmp(l, "is") == 0) x->in_is = 0;
  else if (strcmp(l, "rPh") == 0) x->rph--;
  else if (strcmp(l, "c") == 0) {
    if (!x->rc) add_cell(x, cell_value(x, buf, sizeof buf));
    x->last_col = x->ccol;
  } else if (strcmp(l, "row") == 0) {
    x->last_row = x->crow;
    if (x->n_cells && !x->rc) finish_row(x);
  }
}

/* ---- open / next / close ------------------------------------------------ */

static int pick_sheet(xlsx *x, const char *want, char **part, chiso_err *err) {
  const sheet_ref *s = NULL;
  for (size_t i = 0; i < x->n_sheets && !s; i++)
    if (!want || strcasecmp(x->sheets[i].name, want) == 0) s = &x->sheets[i];
  if (!s) {
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < x->n_sheets && used < sizeof list; i++)
      used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "",
                               x->sheets[i].name);
    return want ? chiso_err_at(err, CHISO_EDATA, x->path, 0, 0,
                               "no sheet named \"%s\" (sheets: %s)", want, list)
                : chiso_err_at(err, CHISO_EDATA, x->path, 0, 0, "the workbook has no sheet");
  }
  const char *target = rel_target(x, s->target, NULL);
  if (!target)
    return chiso_err_at(err, CHISO_EDATA, x->path, 0, 0,
                        "sheet \"%s\" has no part in the workbook relationships", s->name);
  *part = join_path(target);
  return *part ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
}

static int load_workbook(xlsx *x, const xlsx_options *opt, chiso_err *err) {
  int rc = parse_part(x, "xl/workbook.xml", 1, wb_start, no_end, err);
  if (!rc) rc = parse_part(x, "xl/_rels/workbook.xml.rels", 1, rels_start, no_end, err);
  if (rc) return rc;
  const char *t = rel_target(x, NULL, "sharedStrings");
  char *sst = join_path(t ? t : "sharedStrings.xml");
  t = rel_target(x, NULL, "styles");
  char *sty = join_path(t ? t : "styles.xml");
  if (!sst || !sty) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = parse_part(x, sst, 0, sst_start, sst_end, err);
  if (!rc) rc = parse_part(x, sty, 0, styles_start, styles_end, err);
  chiso_free(sst);
  chiso_free(sty);
  char *part = NULL;
  if (!rc) rc = pick_sheet(x, opt ? opt->sheet : NULL, &part, err);
  if (!rc) {
    rc = open_part(x, part, err);
    if (rc == CHISO_ENOTFOUND)
      rc = chiso_err_at(err, CHISO_EDATA, x->path, 0, 0, "sheet part %s is missing", part);
    if (!rc && !(x->p = new_parser(x, sheet_start, sheet_end)))
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    x->sheet_part = part;
    x->part = part;
    part = NULL;
  }
  chiso_free(part);
  return rc;
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A part name we accept: relative, no "..", no backslash, no empty segment. */
static int name_ok(const char *n) {
  if (!n[0] || n[0] == '/' || strchr(n, '\\')) return 0;
  for (const char *seg = n; seg;) {
    const char *slash = strchr(seg, '/');
    size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
    if ((len == 2 && seg[0] == '.' && seg[1] == '.') || (len == 0 && slash)) return 0;
    seg = slash ? slash + 1 : NULL;
  }
  return 1;
}

/* The archive's directory: a sane number of entries, every name a plain
** relative path, and no name twice (compared in lower case). */
static int check_archive(xlsx *x, chiso_err *err) {
  zip_int64_t n = zip_get_num_entries(x->za, 0);
  if (n < 0 || n > MAX_ENTRIES)
    return chiso_err_at(err, CHISO_EDATA, x->path, 0, 0,
                        "not an XLSX workbook: %lld entries in the archive (at most %d)",
                        (long long)n, MAX_ENTRIES);
  char **names = chiso_calloc(n ? (size_t)n : 1, sizeof *names);
  int rc = names ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (zip_int64_t i = 0; !rc && i < n; i++) {
    const char *name = zip_get_name(x->za, (zip_uint64_t)i, 0);
    if (!name || !name_ok(name)) {
      rc = chiso_err_at(err, CHISO_EDATA, x->path, 0, 0,
                        "not an XLSX workbook: entry %lld has a bad name (absolute, with "
                        "\"..\" or a backslash)", (long long)i + 1);
      break;
    }
    if (!(names[i] = chiso_strdup(name))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    for (char *p = names[i]; p && *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  }
  if (!rc && n > 1) qsort(names, (size_t)n, sizeof *names, cmp_name);
  for (zip_int64_t i = 1; !rc && i < n; i++)
    if (strcmp(names[i - 1], names[i]) == 0)
      rc = chiso_err_at(err, CHISO_EDATA, x->path, 0, 0,
                        "not an XLSX workbook: the archive holds %s twice", names[i]);
  for (zip_int64_t i = 0; names && i < n; i++) chiso_free(names[i]);
  chiso_free(names);
  return rc;
}

int xlsx_open(const char *path, const xlsx_options *opt, xlsx **out, chiso_err *err) {
  assert(path && out);
  int zerr = 0, rc = CHISO_OK;
  *out = NULL;
  xlsx *x = chiso_calloc(1, sizeof *x);
  if (!x || !(x->path = chiso_strdup(path))) {
    chiso_free(x);
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  x->max_entry = opt && opt->max_entry ? opt->max_entry : XLSX_DEFAULT_MAX_ENTRY;
  x->max_ratio = opt && opt->max_ratio > 0 ? opt->max_ratio : XLSX_DEFAULT_MAX_RATIO;
  x->max_total = opt && opt->max_total ? opt->max_total : XLSX_DEFAULT_MAX_TOTAL;
  x->max_strings = opt && opt->max_strings ? opt->max_strings : XLSX_DEFAULT_MAX_STRINGS;
  x->max_string_bytes =
      opt && opt->max_string_bytes ? opt->max_string_bytes : XLSX_DEFAULT_MAX_STRING_BYTES;
  if (x->max_string_bytes > UINT32_MAX) x->max_string_bytes = UINT32_MAX; /* sst_off */
  FILE *f = NULL;
  if ((rc = textfile_open(path, opt ? opt->max_bytes : 0, &f, NULL, err))) goto done;
  /* libzip reads through its own descriptor of the file just checked */
  int fd = dup(fileno(f));
  fclose(f);
  if (fd < 0) {
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    goto done;
  }
  /* No ZIP_CHECKCONS: it rejects the valid ZIP64 archives libxlsxwriter
  ** writes with use_zip64; damage still shows when inflating. */
  x->za = zip_fdopen(fd, ZIP_RDONLY, &zerr);
  if (!x->za) close(fd);
  if (!x->za) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    rc = chiso_err_at(err, CHISO_EDATA, path, 0, 0,
                      "not a readable XLSX file: truncated, corrupt or not a zip archive (%s)",
                      zip_error_strerror(&ze));
    zip_error_fini(&ze);
    goto done;
  }
  rc = check_archive(x, err);
  if (!rc) rc = load_workbook(x, opt, err);
done:
  if (rc) {
    xlsx_close(x);
    return rc;
  }
  *out = x;
  return CHISO_OK;
}

int xlsx_next(xlsx *x, xlsx_row **row, chiso_err *err) {
  *row = NULL;
  if (x->rc) {
    if (err) *err = x->herr;
    return x->rc;
  }
  x->row_ready = 0;
  int rc = pump(x, err);
  if (rc) {
    if (!x->rc) {
      x->rc = rc;
      if (err) x->herr = *err;
    }
    return rc;
  }
  if (x->row_ready) *row = &x->cur;
  return CHISO_OK;
}

void xlsx_close(xlsx *x) {
  if (!x) return;
  close_part(x);
  if (x->za) zip_discard(x->za);
  for (size_t i = 0; i < x->n_sheets; i++) {
    chiso_free(x->sheets[i].name);
    chiso_free(x->sheets[i].target);
  }
  for (size_t i = 0; i < x->n_rels; i++) {
    chiso_free(x->rels[i].name);
    chiso_free(x->rels[i].target);
  }
  chiso_free(x->sheets);
  chiso_free(x->rels);
  chiso_free(x->sst_text);
  chiso_free(x->sst_off);
  chiso_free(x->fmt_ids);
  chiso_free(x->fmt_kind);
  chiso_free(x->xf_kind);
  chiso_free(x->text);
  chiso_free(x->out);
  chiso_free(x->cell_col);
  chiso_free(x->cell_off);
  chiso_free(x->fields);
  chiso_free(x->lens);
  chiso_free(x->typed);
  chiso_free(x->cell_typed);
  chiso_free(x->sheet_part);
  chiso_free(x->path);
  chiso_free(x);
}

int xlsx_is_zip(const char *path) {
  unsigned char b[4] = {0};
  FILE *f = NULL;
  if (textfile_open(path, 0, &f, NULL, NULL)) return 0;
  size_t n = fread(b, 1, 4, f);
  fclose(f);
  return n == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
}
