/* rowpipe.c — a reader thread filling a ring of row batches.
**
** The ring has RP_RING batches; each is either free (the reader may fill
** it) or full (the caller may take rows from it). The reader fills batches
** in ring order and the caller empties them in the same order, so rows keep
** their order. A batch that ends the input (or holds the reader's error)
** is marked `last`. */
#include "io/rowpipe.h"

#include "base/mem.h"

#include <assert.h>
#include <pthread.h>
#include <string.h>

#define RP_RING 4
#define RP_ROWS 1024
#define RP_BYTES (1u << 20)

typedef struct {
  char *text;               /* every field of the batch, NUL-terminated */
  size_t len, cap;
  size_t *off;              /* field offsets in text, then... */
  size_t *lens;             /* field lengths */
  size_t lens_cap;
  unsigned char *typed;     /* per field: a stored number (rowpipe_row.typed) */
  size_t typed_cap;
  unsigned char *null;      /* per field: 1 for a NULL alt */
  size_t null_cap;
  double *aux;              /* per field, for prep */
  unsigned char *note;      /* per field, for prep (zeroed per batch) */
  size_t aux_cap, note_cap;
  char **ptr;               /* ...their addresses, once the batch is full */
  size_t nf, f_cap;
  size_t first[RP_ROWS], nfield[RP_ROWS], bad_field[RP_ROWS], bad_offset[RP_ROWS];
  unsigned char has_alts[RP_ROWS]; /* the row's alts follow its n fields */
  long rowno[RP_ROWS];
  unsigned long long tag[RP_ROWS];
  size_t rows;
  int last, rc;
  chiso_err err;
} rp_batch;

struct rowpipe {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  rowpipe_read_fn read;
  void *ctx;
  rowpipe_prep_fn prep;
  void *prep_ctx;
  rp_batch *ring[RP_RING];
  int full[RP_RING];
  size_t head, tail;        /* the caller's batch, the reader's batch */
  int stop;                 /* the caller wants no more rows */
  size_t cur;               /* next row of the caller's batch */
  int taken;                /* the caller holds ring[head] */
  int done, done_rc;        /* the caller has reached the end */
  chiso_err done_err;
};

/* Copy one row into b (its alts, when it has them, as n more fields);
** CHISO_ENOMEM when it cannot grow. */
static int add_row(rp_batch *b, const rowpipe_row *r) {
  size_t nf = r->alts ? 2 * r->n : r->n;
  if (chiso_grow((void **)&b->off, &b->f_cap, b->nf + nf + 1, sizeof(size_t)) ||
      chiso_grow((void **)&b->lens, &b->lens_cap, b->nf + nf + 1, sizeof(size_t)) ||
      chiso_grow((void **)&b->null, &b->null_cap, b->nf + nf + 1, 1) ||
      chiso_grow((void **)&b->typed, &b->typed_cap, b->nf + nf + 1, 1))
    return CHISO_ENOMEM;
  b->first[b->rows] = b->nf;
  b->nfield[b->rows] = r->n;
  b->has_alts[b->rows] = r->alts != NULL;
  b->rowno[b->rows] = r->row;
  b->bad_field[b->rows] = r->bad_field;
  b->bad_offset[b->rows] = r->bad_offset;
  b->tag[b->rows] = r->tag;
  size_t total = 0;
  if (!r->alts) {
    /* local pointers: the byte stores below would otherwise make the
    ** compiler reload every array and count through memory per field */
    size_t n = r->n, *lens = b->lens + b->nf;
    const size_t *given = r->lens;
    char *const *f = r->fields;
    int in_order = 1; /* each field after the previous one's NUL (a reader that cuts in place) */
    for (size_t k = 0; k < n; k++) {
      size_t len = lens[k] = given ? given[k] : strlen(f[k]);
      total += len + 1;
      if (k && f[k] < f[k - 1] + lens[k - 1] + 1) in_order = 0;
    }
    memset(b->null + b->nf, 0, n);
    if (r->typed) memcpy(b->typed + b->nf, r->typed, n);
    else memset(b->typed + b->nf, 0, n);
    size_t span = n ? (size_t)(f[n - 1] - f[0]) + lens[n - 1] + 1 : 0;
    if (in_order && n && span <= total + total / 4 + 16) {
      /* one copy of the row's bytes (what lies between fields, e.g. the
      ** quotes a reader removed, comes along unused) */
      if (chiso_grow((void **)&b->text, &b->cap, b->len + span, 1)) return CHISO_ENOMEM;
      memcpy(b->text + b->len, f[0], span);
      size_t *off = b->off + b->nf, base = b->len;
      for (size_t k = 0; k < n; k++) off[k] = base + (size_t)(f[k] - f[0]);
      b->nf += n;
      b->len += span;
      b->rows++;
      return CHISO_OK;
    }
  } else {
    for (size_t k = 0; k < nf; k++) {
      const char *s = k < r->n ? r->fields[k] : r->alts[k - r->n];
      b->null[b->nf + k] = s == NULL;
      b->typed[b->nf + k] = r->typed && k < r->n ? r->typed[k] : 0;
      b->lens[b->nf + k] = !s ? 0 : r->lens && k < r->n ? r->lens[k] : strlen(s);
      total += b->lens[b->nf + k] + 1;
    }
  }
  if (chiso_grow((void **)&b->text, &b->cap, b->len + total, 1)) return CHISO_ENOMEM;
  for (size_t k = 0; k < nf; k++) {
    const char *s = k < r->n ? r->fields[k] : r->alts[k - r->n];
    size_t n = b->lens[b->nf] + 1;
    if (s) memcpy(b->text + b->len, s, n);
    else b->text[b->len] = '\0';
    b->off[b->nf++] = b->len;
    b->len += n;
  }
  b->rows++;
  return CHISO_OK;
}

/* The alts of row i of b, or NULL. */
static char **alts_of(const rp_batch *b, size_t i) {
  return b->has_alts[i] ? b->ptr + b->first[i] + b->nfield[i] : NULL;
}

/* Fill b from the reader until it is full, the input ends or fails. */
static void fill(rowpipe *p, rp_batch *b) {
  /* read once: the caller's thread writes beside them for every row */
  rowpipe_read_fn read = p->read;
  void *ctx = p->ctx;
  rowpipe_prep_fn prep = p->prep;
  void *prep_ctx = p->prep_ctx;
  b->len = b->nf = b->rows = 0;
  b->last = 0;
  b->rc = CHISO_OK;
  chiso_err_clear(&b->err);
  while (b->rows < RP_ROWS && b->len < RP_BYTES) {
    rowpipe_row r;
    memset(&r, 0, sizeof r);
    int rc = read(ctx, &r, &b->err);
    if (!rc && r.fields && add_row(b, &r)) rc = chiso_err_set(&b->err, CHISO_ENOMEM, "out of memory");
    if (rc || !r.fields) {
      b->rc = rc;
      b->last = 1;
      break;
    }
  }
  size_t cap = b->nf ? b->nf : 1;
  char **ptr = chiso_realloc(b->ptr, cap * sizeof(char *));
  if (!ptr) {
    b->rows = 0, b->last = 1;
    b->rc = chiso_err_set(&b->err, CHISO_ENOMEM, "out of memory");
    return;
  }
  b->ptr = ptr;
  for (size_t k = 0; k < b->nf; k++) b->ptr[k] = b->null[k] ? NULL : b->text + b->off[k];
  if (chiso_grow((void **)&b->aux, &b->aux_cap, cap, sizeof *b->aux) ||
      chiso_grow((void **)&b->note, &b->note_cap, cap, 1)) {
    b->rows = 0, b->last = 1;
    b->rc = chiso_err_set(&b->err, CHISO_ENOMEM, "out of memory");
    return;
  }
  memset(b->note, 0, cap);
  for (size_t i = 0; prep && i < b->rows; i++) {
    rowpipe_row r = {b->nfield[i], b->ptr + b->first[i], b->lens + b->first[i], b->rowno[i],
                     b->bad_field[i], b->bad_offset[i], 0, b->typed + b->first[i], alts_of(b, i),
                     b->aux + b->first[i], b->note + b->first[i]};
    prep(prep_ctx, &r);
    b->tag[i] = r.tag;
  }
}

static void *reader_main(void *arg) {
  rowpipe *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (p->full[p->tail] && !p->stop) pthread_cond_wait(&p->cv, &p->mu);
    int stop = p->stop;
    pthread_mutex_unlock(&p->mu);
    if (stop) break;
    rp_batch *b = p->ring[p->tail];
    fill(p, b);
    pthread_mutex_lock(&p->mu);
    p->full[p->tail] = 1;
    p->tail = (p->tail + 1) % RP_RING;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    if (b->last) break;
  }
  return NULL;
}

static void free_pipe(rowpipe *p) {
  for (int k = 0; k < RP_RING; k++) {
    if (!p->ring[k]) continue;
    chiso_free(p->ring[k]->text);
    chiso_free(p->ring[k]->off);
    chiso_free(p->ring[k]->lens);
    chiso_free(p->ring[k]->typed);
    chiso_free(p->ring[k]->null);
    chiso_free(p->ring[k]->ptr);
    chiso_free(p->ring[k]->aux);
    chiso_free(p->ring[k]->note);
    chiso_free(p->ring[k]);
  }
  pthread_cond_destroy(&p->cv);
  pthread_mutex_destroy(&p->mu);
  chiso_free(p);
}

int rowpipe_start(rowpipe_read_fn read, void *ctx, rowpipe_prep_fn prep, void *prep_ctx,
                  rowpipe **out, chiso_err *err) {
  assert(read && out);
  *out = NULL;
  rowpipe *p = chiso_calloc(1, sizeof *p);
  if (!p) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
  p->read = read;
  p->ctx = ctx;
  p->prep = prep;
  p->prep_ctx = prep_ctx;
  for (int k = 0; k < RP_RING; k++)
    if (!(p->ring[k] = chiso_calloc(1, sizeof(rp_batch)))) {
      free_pipe(p);
      return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    }
  if (pthread_create(&p->thread, NULL, reader_main, p)) {
    free_pipe(p);
    return chiso_err_set(err, CHISO_EINTERNAL, "cannot start a reader thread");
  }
  *out = p;
  return CHISO_OK;
}

/* Give ring[head] back to the reader and move on. */
static void release(rowpipe *p) {
  pthread_mutex_lock(&p->mu);
  p->full[p->head] = 0;
  p->head = (p->head + 1) % RP_RING;
  p->taken = 0;
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
}

int rowpipe_next(rowpipe *p, rowpipe_row *row, chiso_err *err) {
  memset(row, 0, sizeof *row);
  while (!p->done) {
    if (!p->taken) {
      pthread_mutex_lock(&p->mu);
      while (!p->full[p->head]) pthread_cond_wait(&p->cv, &p->mu);
      pthread_mutex_unlock(&p->mu);
      p->taken = 1;
      p->cur = 0;
    }
    rp_batch *b = p->ring[p->head];
    if (p->cur < b->rows) {
      size_t i = p->cur++;
      row->n = b->nfield[i];
      row->fields = b->ptr + b->first[i];
      row->lens = b->lens + b->first[i];
      row->row = b->rowno[i];
      row->bad_field = b->bad_field[i];
      row->bad_offset = b->bad_offset[i];
      row->tag = b->tag[i];
      row->typed = b->typed + b->first[i];
      row->alts = alts_of(b, i);
      row->aux = b->aux + b->first[i];
      row->note = b->note + b->first[i];
      return CHISO_OK;
    }
    if (b->last) {
      p->done = 1;
      p->done_rc = b->rc;
      p->done_err = b->err;
      break;
    }
    release(p);
  }
  if (p->done_rc && err) *err = p->done_err;
  return p->done_rc;
}

int rowpipe_peek(const rowpipe *p, size_t k, rowpipe_row *row) {
  if (!p->taken || p->done) return 0;
  const rp_batch *b = p->ring[p->head];
  size_t i = p->cur + k - 1;
  if (i >= b->rows) return 0;
  *row = (rowpipe_row){b->nfield[i], b->ptr + b->first[i], b->lens + b->first[i], b->rowno[i],
                       b->bad_field[i], b->bad_offset[i], b->tag[i], b->typed + b->first[i],
                       alts_of(b, i), b->aux + b->first[i], b->note + b->first[i]};
  return 1;
}

void rowpipe_stop(rowpipe *p) {
  if (!p) return;
  pthread_mutex_lock(&p->mu);
  p->stop = 1;
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->thread, NULL);
  free_pipe(p);
}
