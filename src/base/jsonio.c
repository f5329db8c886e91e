/* jsonio.c — JSON parsing with located errors, and the output rules. */
#include "base/jsonio.h"

#include "base/mem.h"

#include <math.h>
#include <string.h>

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
