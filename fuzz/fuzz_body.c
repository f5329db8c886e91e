/* fuzz_body.c — the readers of request bodies of the server's write side
** (src/server, issue 15): a body received in chunks (body_new, body_feed,
** body_finish) as a form, an upload or a JSON document, which runs the
** urlencoded form parser (form_parse) and the streaming multipart reader
** (multipart_*); and the Cookie header reader (cookie_get). These face the
** network before any credential is known (a login form, a questionnaire).
**
** Input: byte 0 picks the kind (form, upload, JSON) and byte 1 the chunk
** size (1 to 256 bytes); then line 1 is the Content-Type, line 2 the
** Cookie header, and the rest is the body.
** Oracles: every status is one the server knows (0, 400, 413, 415, 500);
** a form's fields are NUL-free C strings; an upload's file lies in the
** private directory, holds at most the file limit and exactly the size
** reported, its client name is never its path, and it is gone once the
** body is freed; a JSON body is at most its limit and NUL-terminated; a
** cookie value found has 1 to COOKIE_MAX_VALUE cookie-octets. */
#include "fuzz.h"

#include "body.h"
#include "cookie.h"
#include "form.h"

#include <sys/stat.h>

#define FIELDS_LIMIT 4096
#define FILE_LIMIT 65536

static char dir[64];

static void remove_dir(void) { rmdir(dir); } /* its files go with their bodies */

static const char *private_dir(void) {
  if (!dir[0]) {
    snprintf(dir, sizeof dir, "/tmp/chiso-fuzz-body-XXXXXX");
    if (!mkdtemp(dir)) abort();
    atexit(remove_dir);
  }
  return dir;
}

static int known_status(int st) { return st == 0 || st == 400 || st == 413 || st == 415 || st == 500; }

static void check_form(const form *f) {
  FUZZ_CHECK(f);
  for (size_t i = 0; i < f->n; i++) FUZZ_CHECK(f->fields[i].key && f->fields[i].value);
}

static void check_cookie(const char *header) {
  char v[COOKIE_MAX_VALUE + 8];
  static const char *const names[] = {"chiso_session", "chiso_csrf", "__Host-chiso_session", "a"};
  for (size_t k = 0; k < 4; k++) {
    if (!cookie_get(header, names[k], v, sizeof v)) continue;
    size_t n = strlen(v);
    FUZZ_CHECK(n >= 1 && n <= COOKIE_MAX_VALUE);
    for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)v[i];
      FUZZ_CHECK(c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\');
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  body_kind kind = (body_kind)(1 + data[0] % 3);
  size_t chunk = 1 + data[1];
  char *text = fuzz_string(data + 2, size - 2);
  size_t len = size - 2;
  char *type = text, *cookie = NULL, *payload = text + len;
  char *nl = memchr(text, '\n', len);
  if (nl) {
    *nl = '\0';
    cookie = nl + 1;
    char *nl2 = memchr(cookie, '\n', (size_t)(text + len - cookie));
    if (nl2) {
      *nl2 = '\0';
      payload = nl2 + 1;
    } else {
      payload = text + len;
    }
  }
  size_t plen = (size_t)(text + len - payload);
  if (cookie) check_cookie(cookie);

  body_limits lim = {FIELDS_LIMIT, FILE_LIMIT, private_dir()};
  body *b = NULL;
  int st = body_new(kind, type[0] ? type : NULL, &lim, &b);
  FUZZ_CHECK(known_status(st));
  if (!st) {
    FUZZ_CHECK(b);
    for (size_t i = 0; !st && i < plen; i += chunk)
      st = body_feed(b, payload + i, plen - i < chunk ? plen - i : chunk);
    FUZZ_CHECK(known_status(st));
    if (!st) st = body_finish(b);
    FUZZ_CHECK(known_status(st));
    char path[600] = "";
    if (!st) {
      if (kind != BODY_JSON) check_form(body_form(b));
      const char *name = NULL;
      size_t fsize = 0;
      const char *p = body_file(b, &name, &fsize);
      if (p) {
        struct stat sb;
        FUZZ_CHECK(strncmp(p, lim.dir, strlen(lim.dir)) == 0 && p[strlen(lim.dir)] == '/');
        FUZZ_CHECK(!strstr(p + strlen(lim.dir) + 1, "/") && !strstr(p, ".."));
        FUZZ_CHECK(stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == fsize);
        FUZZ_CHECK(fsize <= FILE_LIMIT);
        FUZZ_CHECK(name && (!name[0] || strcmp(name, p) != 0));
        snprintf(path, sizeof path, "%s", p);
      }
      if (kind == BODY_JSON) {
        size_t jl = 0;
        const char *j = body_json(b, &jl);
        FUZZ_CHECK(jl <= FIELDS_LIMIT && (!j || j[jl] == '\0'));
      }
    }
    body_free(b);
    if (path[0]) {
      struct stat sb;
      FUZZ_CHECK(stat(path, &sb) != 0); /* removed with the body */
    }
  }
  /* the urlencoded parser on its own, on the whole payload */
  form f = {0};
  int fr = form_parse(payload, plen, 256, &f);
  FUZZ_CHECK(fr == 0 || fr == -1 || fr == -2);
  if (fr == 0) check_form(&f);
  else FUZZ_CHECK(f.n == 0);
  form_clear(&f);
  free(text);
  return 0;
}
