/* hdoc.c — an HTML document written in memory (hdoc.h). */
#include "hdoc.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void hdoc_init(hdoc *d, const char *lang) {
  memset(d, 0, sizeof *d);
  d->comma = lang && strcmp(lang, "vi") == 0;
  d->f = open_memstream(&d->data, &d->len);
}

void hdoc_free(hdoc *d) {
  if (!d) return;
  if (d->f) fclose(d->f);
  free(d->data);
  memset(d, 0, sizeof *d);
}

char *hdoc_take(hdoc *d, size_t *len) {
  int bad = !d->f || ferror(d->f);
  if (d->f && fclose(d->f)) bad = 1;
  d->f = NULL;
  char *s = bad ? NULL : d->data;
  *len = bad ? 0 : d->len;
  if (bad) free(d->data);
  d->data = NULL;
  d->len = 0;
  return s;
}

void hdoc_rawn(hdoc *d, const char *s, size_t n) {
  if (d->f && s && n) fwrite(s, 1, n, d->f);
}

void hdoc_raw(hdoc *d, const char *s) {
  if (d->f && s) fputs(s, d->f);
}

void hdoc_printf(hdoc *d, const char *fmt, ...) {
  va_list ap;
  if (!d->f) return;
  va_start(ap, fmt);
  vfprintf(d->f, fmt, ap);
  va_end(ap);
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
