/* jsonio.c — JSON parsing with located errors, and the output rules. */
#include "base/jsonio.h"

#include "base/mem.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int jsonio_parse(const char *text, size_t len, size_t flags, const char *name, json_t **out,
                 chiso_err *err) {
  json_error_t je;
  *out = json_loadb(text, len, flags, &je);
  if (*out) return CHISO_OK;
  /* jansson quotes the text where it stopped ("... near 'root:x:0:0'"):
  ** the location says where, and a message must not show the contents of
  ** a file that was never JSON (a wrong path given as a methodology). */
  char *near = strstr(je.text, " near ");
  if (near) *near = '\0';
  return chiso_err_at(err, CHISO_EDATA, name, je.line > 0 ? je.line : 0,
                      je.column > 0 ? je.column : 0, "bad JSON: %s", je.text);
}

json_t *jsonio_number(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* jansson hands a FILE its text token by token, a locked fwrite each (a
** tenth of a what-if's time): gather the tokens in a buffer instead. */
typedef struct dump_buf {
  FILE *f;
  size_t n;
  int failed;
  char text[16384];
} dump_buf;

static int dump_flush(dump_buf *b) {
  if (b->n && fwrite(b->text, 1, b->n, b->f) != b->n) b->failed = 1;
  b->n = 0;
  return b->failed ? -1 : 0;
}

static int dump_token(const char *text, size_t n, void *ud) {
  dump_buf *b = ud;
  if (b->n + n > sizeof b->text && dump_flush(b)) return -1;
  if (n > sizeof b->text) return fwrite(text, 1, n, b->f) == n ? 0 : (b->failed = 1, -1);
  memcpy(b->text + b->n, text, n);
  b->n += n;
  return 0;
}

int jsonio_dump(json_t *root, FILE *f) {
  dump_buf *b = chiso_malloc(sizeof *b);
  int rc = CHISO_OK;
  size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17);
  if (b) {
    b->f = f;
    b->n = 0;
    b->failed = 0;
    if (json_dump_callback(root, dump_token, b, flags) || dump_flush(b)) rc = CHISO_EIO;
    chiso_free(b);
  } else if (json_dumpf(root, f, flags)) { /* no memory for the buffer: token by token */
    rc = CHISO_EIO;
  }
  if (fputc('\n', f) == EOF) rc = CHISO_EIO;
  json_decref(root);
  return rc;
}

/* ---- writing without a tree ---------------------------------------------------- */

void jsonio_writer_init(jsonio_writer *w, FILE *f) {
  assert(w && f);
  memset(w, 0, offsetof(jsonio_writer, buf));
  w->f = f;
}

static void put(jsonio_writer *w, const char *s, size_t n) {
  if (w->n + n > sizeof w->buf) {
    if (w->n && fwrite(w->buf, 1, w->n, w->f) != w->n) w->failed = 1;
    w->n = 0;
    if (n > sizeof w->buf) {
      if (fwrite(s, 1, n, w->f) != n) w->failed = 1;
      return;
    }
  }
  memcpy(w->buf + w->n, s, n);
  w->n += n;
}

static void put_str(jsonio_writer *w, const char *s) { put(w, s, strlen(s)); }

/* A new line indented to the depth (jansson's JSON_INDENT(2)). */
static void newline(jsonio_writer *w) {
  static const char spaces[] = "                                                                ";
  put(w, "\n", 1);
  for (int d = 2 * w->depth; d > 0; d -= (int)sizeof spaces - 1)
    put(w, spaces, d < (int)sizeof spaces - 1 ? (size_t)d : sizeof spaces - 1);
}

/* What goes before a value (or a key): the separator and the new line of
** an element, nothing after a key or at the top. */
static void before_value(jsonio_writer *w) {
  if (w->after_key) {
    w->after_key = 0;
    return;
  }
  if (w->depth == 0) return;
  if (!w->fresh[w->depth]) put(w, ",", 1);
  w->fresh[w->depth] = 0;
  newline(w);
}

static void begin(jsonio_writer *w, char open) {
  before_value(w);
  put(w, &open, 1);
  assert(w->depth + 1 < (int)sizeof w->fresh);
  w->fresh[++w->depth] = 1;
}

static void end(jsonio_writer *w, char close) {
  assert(w->depth > 0);
  int empty = w->fresh[w->depth];
  w->depth--;
  if (!empty) newline(w);
  put(w, &close, 1);
}

void jsonio_object_begin(jsonio_writer *w) { begin(w, '{'); }
void jsonio_object_end(jsonio_writer *w) { end(w, '}'); }
void jsonio_array_begin(jsonio_writer *w) { begin(w, '['); }
void jsonio_array_end(jsonio_writer *w) { end(w, ']'); }

/* A string between quotes with jansson's escapes: the quote, the backslash
** and the control characters (\b \f \n \r \t by name, the others as
** \u00XX); other code points as they are. */
static void quoted(jsonio_writer *w, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s), run = 0;
  put(w, "\"", 1);
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) { /* plain ASCII: gathered */
      i++;
      run++;
      continue;
    }
    put(w, s + i - run, run);
    run = 0;
    if (c >= 0x80) {
      utf8proc_int32_t cp;
      utf8proc_ssize_t len = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
      if (len > 0) put(w, s + i, (size_t)len);
      else put(w, "\xEF\xBF\xBD", 3); /* U+FFFD for a byte that is not UTF-8 */
      i += len > 0 ? (size_t)len : 1;
      continue;
    }
    char esc[8];
    switch (c) {
    case '"': put(w, "\\\"", 2); break;
    case '\\': put(w, "\\\\", 2); break;
    case '\b': put(w, "\\b", 2); break;
    case '\f': put(w, "\\f", 2); break;
    case '\n': put(w, "\\n", 2); break;
    case '\r': put(w, "\\r", 2); break;
    case '\t': put(w, "\\t", 2); break;
    default: snprintf(esc, sizeof esc, "\\u%04X", c); put(w, esc, 6); break;
    }
    i++;
  }
  put(w, s + n - run, run);
  put(w, "\"", 1);
}

void jsonio_key(jsonio_writer *w, const char *key) {
  assert(w && key && w->depth > 0 && !w->after_key);
  before_value(w);
  quoted(w, key);
  put(w, ": ", 2);
  w->after_key = 1;
}

void jsonio_string(jsonio_writer *w, const char *s) {
  if (!s) {
    jsonio_null(w);
    return;
  }
  before_value(w);
  quoted(w, s);
}

/* A real as jansson writes one with 17 digits: "%.17g", a ".0" when that
** reads as an integer, and the exponent without "+" or leading zeros. */
void jsonio_real(jsonio_writer *w, double v) {
  if (!isfinite(v)) {
    jsonio_null(w);
    return;
  }
  char t[48];
  int len = snprintf(t, sizeof t - 2, "%.17g", v);
  for (int i = 0; i < len; i++)
    if (t[i] == ',') t[i] = '.'; /* a locale's decimal comma */
  char *e = strchr(t, 'e');
  if (!e && !strchr(t, '.')) {
    memcpy(t + len, ".0", 3);
    len += 2;
  }
  if (e) {
    char *start = e + 1, *digits = e + 2;
    if (*start == '-') start++;
    while (*digits == '0') digits++;
    if (digits != start) {
      memmove(start, digits, strlen(digits) + 1);
      len = (int)strlen(t);
    }
  }
  before_value(w);
  put(w, t, (size_t)len);
}

void jsonio_integer(jsonio_writer *w, long long v) {
  char t[32];
  int len = snprintf(t, sizeof t, "%lld", v);
  before_value(w);
  put(w, t, (size_t)len);
}

void jsonio_null(jsonio_writer *w) {
  before_value(w);
  put(w, "null", 4);
}

void jsonio_bool(jsonio_writer *w, int v) {
  before_value(w);
  put_str(w, v ? "true" : "false");
}

int jsonio_writer_end(jsonio_writer *w) {
  assert(w && w->depth == 0);
  put(w, "\n", 1);
  if (w->n && fwrite(w->buf, 1, w->n, w->f) != w->n) w->failed = 1;
  w->n = 0;
  return w->failed ? CHISO_EIO : CHISO_OK;
}
