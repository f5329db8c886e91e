/* source.c — one reader over CSV, XLSX and statistical files, with legacy
** Vietnamese text converted (source.h). */
#include "io/source.h"

#include "base/mem.h"
#include "base/text.h"
#include "base/textfile.h"
#include "io/statfile.h"
#include "io/vnlegacy.h"
#include "io/xlsx.h"

#include <assert.h>
#include <string.h>
#include <strings.h>

/* A row read ahead for detection: its own copy of every string. */
typedef struct {
  rowpipe_row r;
  char *text;
} held_row;

struct source {
  csvread *c;
  xlsx *x;
  statfile *s;
  source_info info;
  vnlegacy_enc enc;       /* what cells are converted from */
  int decided;            /* enc is settled */
  held_row *held;         /* rows read ahead, handed out first */
  size_t n_held, next_held;
  int held_rc;            /* the read error met while reading ahead, */
  chiso_err held_err;     /* returned once the held rows are out */
  /* the row handed out last, when converted: its own arrays and strings */
  char **fields, **alts;
  size_t *lens;
  size_t cap;
  char **scratch;
  size_t n_scratch;
};

static const char *stat_format(statfile_kind k) {
  static const char *const names[] = {"csv", "sav", "por", "dta", "sas7bdat", "xpt"};
  return names[k];
}

static int open_reader(source *s, const char *path, const source_options *o, chiso_err *err) {
  /* a regular file within the limit, before anything reads its signature
  ** (a FIFO or /dev/zero must not block or run on) */
  FILE *probe = NULL;
  int rc = textfile_open(path, o->max_bytes, &probe, NULL, err);
  if (rc) return rc;
  fclose(probe);
  statfile_kind kind = statfile_kind_of(path);
  if (kind != STATFILE_NONE) {
    statfile_options so = {o->keep, o->keep_ctx, 0};
    s->info.format = stat_format(kind);
    return statfile_open(path, kind, &so, &s->s, err);
  }
  int is_xlsx = textfile_has_ext(path, ".xlsx") || textfile_has_ext(path, ".xlsm") ||
                (!textfile_has_ext(path, ".csv") && !textfile_has_ext(path, ".txt") && !textfile_has_ext(path, ".tsv") &&
                 xlsx_is_zip(path));
  if (is_xlsx) {
    xlsx_options xo = {.sheet = o->sheet, .max_bytes = o->max_bytes};
    s->info.format = "xlsx";
    return xlsx_open(path, &xo, &s->x, err);
  }
  csvread_options co = {o->encoding, o->delimiter, o->max_field, o->max_bytes, 0,
                        o->on_read, o->on_read_ctx};
  s->info.format = "csv";
  rc = csvread_open(path, &co, &s->c, err);
  if (rc) return rc;
  csvread_encoding used = csvread_encoding_used(s->c);
  s->info.encoding = csvread_encoding_name(used);
  s->info.delimiter = csvread_delimiter(s->c);
  if (used == CSVREAD_ENC_TCVN3 || used == CSVREAD_ENC_VNI) { /* decoded by csvread */
    s->info.legacy = used == CSVREAD_ENC_TCVN3 ? "TCVN3" : "VNI";
    s->info.detected = o->encoding == CSVREAD_ENC_AUTO;
    s->enc = VNLEGACY_NONE; /* its cells are Unicode already */
    s->decided = 1;
  }
  return CHISO_OK;
}

int source_open(const char *path, const source_options *opt, source **out, chiso_err *err) {
  assert(path && out);
  source_options none = {CSVREAD_ENC_AUTO, 0, 0, NULL, NULL, NULL, 0, NULL, NULL};
  const source_options *o = opt ? opt : &none;
  *out = NULL;
  source *s = chiso_calloc(1, sizeof *s);
  if (!s) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  s->info.encoding = s->info.legacy = "";
  if (o->encoding == CSVREAD_ENC_TCVN3 || o->encoding == CSVREAD_ENC_VNI) {
    s->enc = o->encoding == CSVREAD_ENC_TCVN3 ? VNLEGACY_TCVN3 : VNLEGACY_VNI;
    s->info.legacy = vnlegacy_name(s->enc);
    s->decided = 1;
  } else if (o->encoding != CSVREAD_ENC_AUTO) {
    s->decided = 1; /* an encoding named: nothing to detect */
  }
  int rc = open_reader(s, path, o, err);
  if (rc) source_close(s);
  else *out = s;
  return rc;
}

/* ---- the readers ------------------------------------------------------------------ */

static int raw_next(source *s, rowpipe_row *v, chiso_err *err) {
  memset(v, 0, sizeof *v);
  if (s->s) {
    statfile_row *r = NULL;
    int rc = statfile_next(s->s, &r, err);
    if (rc || !r) return rc;
    v->n = r->n, v->fields = r->fields, v->alts = r->alts, v->row = r->row, v->typed = r->typed;
    v->bad_field = r->bad_field, v->bad_offset = r->bad_offset;
    return CHISO_OK;
  }
  if (s->x) {
    xlsx_row *r = NULL;
    int rc = xlsx_next(s->x, &r, err);
    if (rc || !r) return rc;
    v->n = r->n, v->fields = r->fields, v->lens = r->lens, v->row = r->row, v->typed = r->typed;
    return CHISO_OK;
  }
  csvread_row *r = NULL;
  int rc = csvread_next(s->c, &r, err);
  if (rc || !r) return rc;
  v->n = r->n, v->fields = r->fields, v->lens = r->lens, v->row = r->row;
  v->bad_field = r->bad_utf8_field, v->bad_offset = r->bad_utf8_offset;
  return CHISO_OK;
}

/* ---- detection ---------------------------------------------------------------------- */

/* Copy row v into h (one block of text, arrays after it). */
static int hold(held_row *h, const rowpipe_row *v) {
  size_t n = v->n, bytes = 0, na = v->alts ? n : 0;
  for (size_t k = 0; k < n; k++) bytes += strlen(v->fields[k]) + 1;
  for (size_t k = 0; k < na; k++) bytes += v->alts[k] ? strlen(v->alts[k]) + 1 : 0;
  memset(h, 0, sizeof *h);
  h->text = chiso_malloc(bytes ? bytes : 1);
  h->r.fields = chiso_calloc(n + na + 1, sizeof(char *));
  h->r.lens = chiso_calloc(n + 1, sizeof(size_t));
  h->r.typed = v->typed ? chiso_calloc(n + 1, 1) : NULL;
  if (!h->text || !h->r.fields || !h->r.lens || (v->typed && !h->r.typed)) return CHISO_ENOMEM;
  if (v->typed) memcpy(h->r.typed, v->typed, n);
  char *w = h->text;
  for (size_t k = 0; k < n + na; k++) {
    const char *src = k < n ? v->fields[k] : v->alts[k - n];
    if (!src) continue;
    size_t len = strlen(src);
    memcpy(w, src, len + 1);
    h->r.fields[k] = w;
    if (k < n) h->r.lens[k] = len;
    w += len + 1;
  }
  h->r.n = n;
  h->r.alts = na ? h->r.fields + n : NULL;
  h->r.row = v->row;
  h->r.bad_field = v->bad_field;
  h->r.bad_offset = v->bad_offset;
  return CHISO_OK;
}

static void held_free(held_row *h) {
  chiso_free(h->text);
  chiso_free(h->r.fields);
  chiso_free(h->r.lens);
  chiso_free(h->r.typed);
}

/* Read the first rows ahead, count their words under each reading and
** settle the encoding. Read errors are kept for when the rows before
** them have been handed out: they end the held rows. */
static int detect(source *s, chiso_err *err) {
  vnlegacy_detector d;
  memset(&d, 0, sizeof d);
  s->held = chiso_calloc(SOURCE_SAMPLE_ROWS + 1, sizeof *s->held);
  if (!s->held) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  int rc = CHISO_OK;
  while (s->n_held <= SOURCE_SAMPLE_ROWS) {
    rowpipe_row v;
    if ((rc = raw_next(s, &v, err)) || !v.fields) break;
    held_row *h = &s->held[s->n_held];
    if (hold(h, &v)) {
      held_free(h);
      return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    }
    s->n_held++;
    for (size_t k = 0; k < v.n; k++)
      if (vnlegacy_feed(&d, v.fields[k]) || (v.alts && v.alts[k] && vnlegacy_feed(&d, v.alts[k])))
        return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  s->decided = 1;
  s->enc = vnlegacy_decide(&d);
  if (s->enc != VNLEGACY_NONE) s->info.legacy = vnlegacy_name(s->enc), s->info.detected = 1;
  return rc;
}

/* ---- conversion --------------------------------------------------------------------- */

static void free_scratch(source *s) {
  for (size_t k = 0; k < s->n_scratch; k++) chiso_free(s->scratch[k]);
  s->n_scratch = 0;
}

/* Convert every cell of v that holds legacy bytes; v then points into the
** source's arrays. */
static int convert_row(source *s, rowpipe_row *v) {
  size_t n = v->n, na = v->alts ? n : 0;
  free_scratch(s);
  if (n + na > s->cap) {
    size_t cap = n + na;
    char **f = chiso_realloc(s->fields, cap * sizeof(char *));
    if (f) s->fields = f;
    char **sc = f ? chiso_realloc(s->scratch, cap * sizeof(char *)) : NULL;
    if (sc) s->scratch = sc;
    size_t *l = sc ? chiso_realloc(s->lens, cap * sizeof(size_t)) : NULL;
    if (!l) return CHISO_ENOMEM;
    s->lens = l;
    s->cap = cap;
  }
  for (size_t k = 0; k < n + na; k++) {
    char *src = k < n ? v->fields[k] : v->alts[k - n], *t = NULL;
    if (src && vnlegacy_convert(src, s->enc, &t)) return CHISO_ENOMEM;
    if (t) s->scratch[s->n_scratch++] = t;
    s->fields[k] = t ? t : src;
    if (k < n) s->lens[k] = t ? strlen(t) : v->lens ? v->lens[k] : strlen(src);
  }
  v->fields = s->fields;
  v->alts = na ? s->fields + n : NULL;
  v->lens = s->lens;
  v->bad_field = v->bad_offset = 0; /* converted bytes are UTF-8 now; check again */
  for (size_t k = 0; k < n && !v->bad_field; k++) {
    size_t ok = text_utf8_check(v->fields[k], v->lens[k]);
    if (ok != v->lens[k]) v->bad_field = k + 1, v->bad_offset = ok;
  }
  return CHISO_OK;
}

int source_next(source *s, rowpipe_row *row, chiso_err *err) {
  int rc;
  memset(row, 0, sizeof *row);
  if (!s->decided) {
    chiso_err_clear(&s->held_err);
    rc = detect(s, &s->held_err);
    if (rc == CHISO_ENOMEM) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    s->held_rc = rc; /* after the rows read before it */
  }
  if (s->next_held < s->n_held) {
    *row = s->held[s->next_held++].r;
  } else if (s->held_rc) {
    if (err) *err = s->held_err;
    return s->held_rc;
  } else if ((rc = raw_next(s, row, err)) || !row->fields) {
    return rc;
  }
  if (s->enc != VNLEGACY_NONE && convert_row(s, row))
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  return CHISO_OK;
}

const source_info *source_get_info(const source *s) { return &s->info; }

void source_close(source *s) {
  if (!s) return;
  csvread_close(s->c);
  xlsx_close(s->x);
  statfile_close(s->s);
  for (size_t k = 0; s->held && k < s->n_held; k++) held_free(&s->held[k]);
  free_scratch(s);
  chiso_free(s->held);
  chiso_free(s->fields);
  chiso_free(s->lens);
  chiso_free(s->scratch);
  chiso_free(s);
}
