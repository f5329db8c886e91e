/* hdoc.c — an HTML document built in memory (hdoc.h). */
#include "hdoc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hdoc_init(hdoc *d, const char *lang) {
  memset(d, 0, sizeof *d);
  d->comma = lang && strcmp(lang, "vi") == 0;
}

void hdoc_free(hdoc *d) {
  if (!d) return;
  free(d->data);
  d->data = NULL;
  d->len = d->cap = 0;
}

static int grow(hdoc *d, size_t more);

char *hdoc_take(hdoc *d, size_t *len) {
  if (!d->data) grow(d, 0);
  char *s = d->failed ? NULL : d->data;
  if (d->failed) free(d->data);
  *len = s ? d->len : 0;
  d->data = NULL;
  d->len = d->cap = 0;
  d->failed = 0;
  return s;
}

static int grow(hdoc *d, size_t more) {
  if (d->failed) return 0;
  if (d->data && d->len + more + 1 <= d->cap) return 1;
  size_t cap = d->cap ? d->cap : 4096;
  while (cap < d->len + more + 1) cap *= 2;
  char *p = realloc(d->data, cap);
  if (!p) {
    d->failed = 1;
    return 0;
  }
  if (!d->data) p[0] = '\0';
  d->data = p;
  d->cap = cap;
  return 1;
}

void hdoc_rawn(hdoc *d, const char *s, size_t n) {
  if (!s || !grow(d, n)) return;
  memcpy(d->data + d->len, s, n);
  d->len += n;
  d->data[d->len] = '\0';
}

void hdoc_raw(hdoc *d, const char *s) {
  if (s) hdoc_rawn(d, s, strlen(s));
}

void hdoc_printf(hdoc *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || !grow(d, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(d->data + d->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  d->len += (size_t)n;
}

void hdoc_text(hdoc *d, const char *s) {
  if (!s) return;
  const char *run = s;
  for (; *s; s++) {
    const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                  : *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;
    if (!e) continue;
    hdoc_rawn(d, run, (size_t)(s - run));
    hdoc_raw(d, e);
    run = s + 1;
  }
  hdoc_rawn(d, run, (size_t)(s - run));
}

void hdoc_url(hdoc *d, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '_' || c == '.' || c == '~' || c == ',') {
      hdoc_rawn(d, (const char *)&c, 1);
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      hdoc_rawn(d, e, 3);
    }
  }
}

void hdoc_num(hdoc *d, double v, int dec) {
  char buf[64];
  if (isnan(v) || isinf(v)) {
    hdoc_raw(d, "–");
    return;
  }
  snprintf(buf, sizeof buf, "%.*f", dec, v);
  if (d->comma)
    for (char *p = buf; *p; p++)
      if (*p == '.') *p = ',';
  hdoc_raw(d, buf);
}
