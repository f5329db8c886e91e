/* multipart.c — multipart/form-data bodies as a stream (multipart.h). */
#include "multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { S_PREAMBLE, S_AFTER_DELIM, S_HEADERS, S_BODY, S_DONE, S_FAILED };

struct multipart {
  multipart_sink sink;
  char delim[80];      /* CRLF "--" boundary */
  size_t dlen;
  int state;
  int parts;
  int failed;          /* the code that finished the reader */
  char *buf;           /* bytes not consumed yet */
  size_t len, cap;
};

/* ---- the Content-Type ------------------------------------------------------------------------- */

static int bchar(char c) { /* RFC 2046 bcharsnospace, plus space inside */
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         strchr("'()+_,-./:=? ", c) != NULL;
}

static int boundary_ok(const char *b) {
  size_t n = strlen(b);
  if (n < 1 || n > 70 || b[n - 1] == ' ') return 0;
  for (size_t i = 0; i < n; i++)
    if (!bchar(b[i])) return 0;
  return 1;
}

int multipart_boundary(const char *content_type, char *out, size_t n) {
  static const char type[] = "multipart/form-data";
  if (!content_type || n < 71 || strncasecmp(content_type, type, sizeof type - 1) != 0) return -1;
  const char *p = content_type + sizeof type - 1;
  while (*p) {
    while (*p == ' ' || *p == '\t') p++;
    if (*p != ';') return -1;
    p++;
    while (*p == ' ' || *p == '\t') p++;
    const char *eq = strchr(p, '=');
    if (!eq) return -1;
    int is_b = (size_t)(eq - p) == 8 && strncasecmp(p, "boundary", 8) == 0;
    const char *v = eq + 1;
    size_t k = 0;
    char val[128];
    if (*v == '"') {
      for (v++; *v && *v != '"'; v++) {
        if (*v == '\\' && v[1]) v++;
        if (k + 1 >= sizeof val) return -1;
        val[k++] = *v;
      }
      if (*v != '"') return -1;
      v++;
    } else {
      for (; *v && *v != ';' && *v != ' ' && *v != '\t'; v++) {
        if (k + 1 >= sizeof val) return -1;
        val[k++] = *v;
      }
    }
    val[k] = '\0';
    if (is_b) {
      if (!boundary_ok(val)) return -1;
      memcpy(out, val, k + 1);
      return 0;
    }
    p = v;
  }
  return -1;
}

/* ---- the reader --------------------------------------------------------------------------------- */

multipart *multipart_new(const char *boundary, const multipart_sink *sink) {
  if (!boundary || !boundary_ok(boundary)) return NULL;
  multipart *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->sink = *sink;
  m->dlen = (size_t)snprintf(m->delim, sizeof m->delim, "\r\n--%s", boundary);
  /* the first delimiter may open the body: read as if a line end came before it */
  m->cap = 4096;
  m->buf = malloc(m->cap);
  if (!m->buf) {
    free(m);
    return NULL;
  }
  memcpy(m->buf, "\r\n", 2);
  m->len = 2;
  m->state = S_PREAMBLE;
  return m;
}

void multipart_free(multipart *m) {
  if (!m) return;
  free(m->buf);
  free(m);
}

/* The first place of the delimiter in buf[0..len), or len. */
static size_t find(const multipart *m, const char *buf, size_t len) {
  if (len < m->dlen) return len;
  for (const char *p = buf; (p = memchr(p, '\r', (size_t)(buf + len - p))) != NULL; p++) {
    if ((size_t)(buf + len - p) < m->dlen) return len;
    if (memcmp(p, m->delim, m->dlen) == 0) return (size_t)(p - buf);
  }
  return len;
}

static void consume(multipart *m, size_t n) {
  memmove(m->buf, m->buf + n, m->len - n);
  m->len -= n;
}

/* Copy the value of parameter `name` of a Content-Disposition value into
** out (size n): 1 found, 0 absent, -1 malformed or too long. */
static int param(const char *v, const char *name, char *out, size_t n) {
  size_t nl = strlen(name);
  for (const char *p = strchr(v, ';'); p; p = strchr(p, ';')) {
    p++;
    while (*p == ' ' || *p == '\t') p++;
    if (strncasecmp(p, name, nl) != 0 || p[nl] != '=') continue;
    const char *s = p + nl + 1;
    size_t k = 0;
    if (*s == '"') {
      for (s++; *s && *s != '"'; s++) {
        if (*s == '\\' && s[1]) s++;
        if (k + 1 >= n) return -1;
        out[k++] = *s;
      }
      if (*s != '"') return -1;
    } else {
      for (; *s && *s != ';' && *s != ' ' && *s != '\t'; s++) {
        if (k + 1 >= n) return -1;
        out[k++] = *s;
      }
    }
    out[k] = '\0';
    return 1;
  }
  return 0;
}

/* Read the header lines of a part (text, NUL-terminated, CRLF-separated). */
static int headers(char *text, multipart_part *p) {
  int disposition = 0;
  memset(p, 0, sizeof *p);
  for (char *line = text; *line;) {
    char *eol = strstr(line, "\r\n");
    if (!eol) return MULTIPART_EBAD;
    *eol = '\0';
    char *colon = strchr(line, ':');
    if (!colon || line[0] == ' ' || line[0] == '\t') return MULTIPART_EBAD; /* no folded lines */
    *colon = '\0';
    char *v = colon + 1;
    while (*v == ' ' || *v == '\t') v++;
    if (strcasecmp(line, "Content-Disposition") == 0) {
      if (disposition++ || strncasecmp(v, "form-data", 9) != 0 || (v[9] && v[9] != ';' && v[9] != ' '))
        return MULTIPART_EBAD;
      if (param(v, "name", p->name, sizeof p->name) != 1 || !p->name[0]) return MULTIPART_EBAD;
      int f = param(v, "filename", p->filename, sizeof p->filename);
      if (f < 0) return MULTIPART_EBAD;
      p->has_filename = f == 1;
    } else if (strcasecmp(line, "Content-Type") == 0) {
      if (strlen(v) >= sizeof p->type) return MULTIPART_EBAD;
      memcpy(p->type, v, strlen(v) + 1);
    }
    line = eol + 2;
  }
  return disposition ? 0 : MULTIPART_EBAD;
}

/* One step of the state machine on m->buf; *more = 0 when it needs more
** bytes. Returns 0 or a code. */
static int step(multipart *m, int *more) {
  *more = 1;
  switch (m->state) {
  case S_PREAMBLE: {
    size_t at = find(m, m->buf, m->len);
    if (at == m->len) { /* keep what could be the start of the delimiter */
      size_t keep = m->len < m->dlen ? m->len : m->dlen - 1;
      consume(m, m->len - keep);
      *more = 0;
      return 0;
    }
    consume(m, at + m->dlen);
    m->state = S_AFTER_DELIM;
    return 0;
  }
  case S_AFTER_DELIM: {
    size_t i = 0;
    if (m->len >= 2 && m->buf[0] == '-' && m->buf[1] == '-') {
      m->state = S_DONE;
      m->len = 0;
      return 0;
    }
    while (i < m->len && i < 64 && (m->buf[i] == ' ' || m->buf[i] == '\t')) i++; /* padding */
    if (i + 2 > m->len) {
      if (i >= 64) return MULTIPART_EBAD;
      *more = 0;
      return 0;
    }
    if (m->buf[i] != '\r' || m->buf[i + 1] != '\n') return MULTIPART_EBAD;
    consume(m, i + 2);
    if (++m->parts > MULTIPART_MAX_PARTS) return MULTIPART_EBAD;
    m->state = S_HEADERS;
    return 0;
  }
  case S_HEADERS: {
    size_t end = 0, skip = 0;
    if (m->len >= 2 && m->buf[0] == '\r' && m->buf[1] == '\n') {
      skip = 2; /* no header at all */
    } else {
      for (size_t i = 0; i + 3 < m->len && i < MULTIPART_MAX_HEADER; i++)
        if (memcmp(m->buf + i, "\r\n\r\n", 4) == 0) {
          end = i + 2;
          skip = i + 4;
          break;
        }
    }
    if (!skip) {
      if (m->len >= MULTIPART_MAX_HEADER) return MULTIPART_EBAD;
      *more = 0;
      return 0;
    }
    char text[MULTIPART_MAX_HEADER + 1];
    multipart_part p;
    memcpy(text, m->buf, end);
    text[end] = '\0';
    if (memchr(m->buf, '\0', end)) return MULTIPART_EBAD;
    int rc = headers(text, &p);
    consume(m, skip);
    if (!rc && m->sink.begin) rc = m->sink.begin(m->sink.ctx, &p);
    m->state = S_BODY;
    return rc;
  }
  case S_BODY: {
    size_t at = find(m, m->buf, m->len);
    int rc = 0;
    if (at == m->len) {
      size_t keep = m->len < m->dlen ? m->len : m->dlen - 1;
      if (m->len > keep && m->sink.data) rc = m->sink.data(m->sink.ctx, m->buf, m->len - keep);
      consume(m, m->len - keep);
      *more = 0;
      return rc;
    }
    if (at && m->sink.data) rc = m->sink.data(m->sink.ctx, m->buf, at);
    if (!rc && m->sink.end) rc = m->sink.end(m->sink.ctx);
    consume(m, at + m->dlen);
    m->state = S_AFTER_DELIM;
    return rc;
  }
  case S_DONE: /* the epilogue is ignored */
    m->len = 0;
    *more = 0;
    return 0;
  default: return m->failed;
  }
}

int multipart_feed(multipart *m, const char *data, size_t n) {
  if (m->state == S_FAILED) return m->failed;
  if (m->state == S_DONE) return 0;
  /* at most one chunk more than what is kept is held */
  if (m->len + n > m->cap) {
    size_t cap = m->len + n;
    char *b = realloc(m->buf, cap);
    if (!b) {
      m->state = S_FAILED;
      return m->failed = 500;
    }
    m->buf = b;
    m->cap = cap;
  }
  memcpy(m->buf + m->len, data, n);
  m->len += n;
  int more = 1, rc = 0;
  while (!rc && more) rc = step(m, &more);
  if (rc) {
    m->state = S_FAILED;
    m->failed = rc;
  }
  return rc;
}

int multipart_finish(multipart *m) {
  if (m->state == S_FAILED) return m->failed;
  return m->state == S_DONE ? 0 : MULTIPART_EBAD;
}
