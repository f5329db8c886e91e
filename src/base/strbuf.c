/* strbuf.c — growable string buffer (see strbuf.h). */
#include "base/strbuf.h"
#include "base/cleanup.h"

#include "base/err.h"
#include "base/mem.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void strbuf_init(strbuf_buf *b) { memset(b, 0, sizeof *b); }

void strbuf_free(strbuf_buf *b) {
  if (!b) return;
  chiso_free(b->data);
  strbuf_init(b);
}

static int reserve(strbuf_buf *b, size_t extra) {
  if (b->failed) return -1;
  if (b->len + extra + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  char *p = chiso_realloc(b->data, cap);
  if (!p) {
    b->failed = 1;
    return -1;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

void strbuf_putn(strbuf_buf *b, const char *s, size_t n) {
  if (reserve(b, n)) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void strbuf_puts(strbuf_buf *b, const char *s) {
  if (s) strbuf_putn(b, s, strlen(s));
}

void strbuf_printf(strbuf_buf *b, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof small) {
    strbuf_putn(b, small, (size_t)n);
    return;
  }
  if (reserve(b, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void strbuf_esc(strbuf_buf *b, const char *s) {
  if (!s) return;
  const char *run = s;
  for (; *s; s++) {
    const char *rep = NULL;
    switch (*s) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'': rep = "&#39;"; break;
    default: continue;
    }
    strbuf_putn(b, run, (size_t)(s - run));
    strbuf_puts(b, rep);
    run = s + 1;
  }
  strbuf_putn(b, run, (size_t)(s - run));
}

void strbuf_fmt_num(char *buf, size_t n, double v, int decimals, int comma) {
  snprintf(buf, n, "%.*f", decimals, v);
  char *dot = comma ? strchr(buf, '.') : NULL;
  if (dot) *dot = ',';
}

void strbuf_num(strbuf_buf *b, double v, int decimals, const char *missing) {
  char t[64];
  if (isnan(v)) {
    strbuf_puts(b, missing);
    return;
  }
  strbuf_fmt_num(t, sizeof t, v, decimals, b->comma);
  strbuf_puts(b, t);
}

int strbuf_error(const strbuf_buf *b) { return b->failed ? CHISO_ENOMEM : 0; }

int strbuf_write_file(const strbuf_buf *b, const char *path, chiso_err *err) {
  if (b->failed) return chiso_err_set(err, CHISO_ENOMEM, "out of memory building %s", path);
  size_t n = strlen(path) + 16;
  char *tmp = chiso_malloc(n);
  if (!tmp) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
  int rc = CHISO_OK, slot = cleanup_add(tmp, 0);
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    goto done;
  }
  size_t wrote = b->len ? fwrite(b->data, 1, b->len, f) : 0;
  if (fclose(f) != 0 || wrote != b->len) {
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "write failed: %s", strerror(errno));
    remove(tmp);
    goto done;
  }
  if (rename(tmp, path) != 0) {
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot rename into place: %s",
                      strerror(errno));
    remove(tmp);
  }
done:
  cleanup_forget(slot);
  chiso_free(tmp);
  return rc;
}
