/* test_httpbody.c — the server's readers of request bodies (issue 15):
** cookies (RFC 6265), urlencoded forms, multipart/form-data as a stream
** fed in pieces of every size, and the body of an upload with its limit
** (one byte over is a 413) and its file that no client name can place.
** The server is a front end outside libchiso: its reader sources are
** compiled into this test. Expected values are written out by hand. */
#include "testutil.h"

#include "../src/server/body.c"
#include "../src/server/cookie.c"
#include "../src/server/form.c"
#include "../src/server/multipart.c"

#include <dirent.h>
#include <sys/stat.h>

/* ---- cookies ----------------------------------------------------------------------------------- */

static void test_cookies(void **state) {
  (void)state;
  char v[200];
  assert_true(cookie_get("a=1; chiso_session=abc_DEF-9; b=2", "chiso_session", v, sizeof v));
  assert_string_equal(v, "abc_DEF-9");
  assert_true(cookie_get("chiso_csrf=\"quoted\"", "chiso_csrf", v, sizeof v));
  assert_string_equal(v, "quoted");
  /* a longer name that ends the same is another cookie */
  assert_false(cookie_get("xchiso_session=evil", "chiso_session", v, sizeof v));
  /* the first of two wins */
  assert_true(cookie_get("s=first;s=second", "s", v, sizeof v));
  assert_string_equal(v, "first");
  /* no value, a bad character, too long: never used */
  assert_false(cookie_get("s=", "s", v, sizeof v));
  assert_false(cookie_get("s=a\\b", "s", v, sizeof v));
  assert_false(cookie_get("s=a,b", "s", v, sizeof v));
  char big[300] = "s=";
  memset(big + 2, 'x', 129);
  assert_false(cookie_get(big, "s", v, sizeof v));
  assert_false(cookie_get(NULL, "s", v, sizeof v));
  assert_false(cookie_get("s=abc", "s", v, 3)); /* no room */
  char out[320], name[64];
  cookie_name("chiso_session", 1, name, sizeof name);
  assert_string_equal(name, "__Host-chiso_session");
  assert_int_equal(cookie_set(out, sizeof out, name, "tok", 3600, 1), 0);
  assert_string_equal(out, "__Host-chiso_session=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600; Secure");
  assert_int_equal(cookie_set(out, sizeof out, "c", "x", -1, 0), 0);
  assert_string_equal(out, "c=x; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  assert_int_equal(cookie_set(out, sizeof out, "c", "a;b", 0, 0), -1);
}

/* ---- forms ---------------------------------------------------------------------------------------- */

static void test_forms(void **state) {
  (void)state;
  form f;
  const char body[] = "a=1&&b=x+y%2Bz&c=%C3%A0&d&a=2&e=";
  assert_int_equal(form_parse(body, strlen(body), 10, &f), 0);
  assert_int_equal(f.n, 6);
  assert_string_equal(form_get(&f, "a"), "1");
  assert_string_equal(form_get(&f, "b"), "x y+z");
  assert_string_equal(form_get(&f, "c"), "\xC3\xA0");
  assert_string_equal(form_get(&f, "d"), "");
  assert_string_equal(form_get(&f, "e"), "");
  assert_null(form_get(&f, "z"));
  const char *vals[4];
  assert_int_equal(form_get_all(&f, "a", vals, 4), 2);
  assert_string_equal(vals[1], "2");
  form_clear(&f);
  /* bad escapes and NUL bytes make the whole body malformed */
  assert_int_equal(form_parse("a=%zz", 5, 10, &f), -1);
  assert_int_equal(f.n, 0);
  assert_int_equal(form_parse("a=%4", 4, 10, &f), -1);
  assert_int_equal(form_parse("a=%00", 5, 10, &f), -1);
  assert_int_equal(form_parse("%00=b", 5, 10, &f), -1);
  /* at most max_fields */
  assert_int_equal(form_parse("a=1&b=2&c=3", 11, 2, &f), -1);
  assert_int_equal(form_parse("", 0, 2, &f), 0);
  assert_int_equal(f.n, 0);
  form_clear(&f);
}

/* ---- multipart ------------------------------------------------------------------------------------ */

typedef struct seen {
  char log[4096];
  size_t len;
} seen;

static int on_begin(void *ctx, const multipart_part *p) {
  seen *s = ctx;
  s->len += (size_t)snprintf(s->log + s->len, sizeof s->log - s->len, "[%s|%s|%d|%s]", p->name, p->filename,
                             p->has_filename, p->type);
  return 0;
}

static int on_data(void *ctx, const char *d, size_t n) {
  seen *s = ctx;
  if (s->len + n < sizeof s->log) {
    memcpy(s->log + s->len, d, n);
    s->len += n;
    s->log[s->len] = '\0';
  }
  return 0;
}

static int on_end(void *ctx) {
  seen *s = ctx;
  s->len += (size_t)snprintf(s->log + s->len, sizeof s->log - s->len, "<end>");
  return 0;
}

/* Feed body to a reader in pieces of `step` bytes; the log and the result. */
static int feed(const char *boundary, const char *body, size_t n, size_t step, seen *s) {
  multipart_sink sink = {on_begin, on_data, on_end, s};
  memset(s, 0, sizeof *s);
  multipart *m = multipart_new(boundary, &sink);
  assert_non_null(m);
  int rc = 0;
  for (size_t i = 0; !rc && i < n; i += step) rc = multipart_feed(m, body + i, n - i < step ? n - i : step);
  if (!rc) rc = multipart_finish(m);
  multipart_free(m);
  return rc;
}

static const char form_body[] =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
    "tok123\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"../../a \\\"b\\\".csv\"\r\n"
    "Content-Type: text/csv\r\n\r\n"
    "id,x\r\n1,\r\n--XyZ is not the end\r\n--XyZa\r\n"
    "\r\n--XyZ--\r\nepilogue";

static void test_multipart(void **state) {
  (void)state;
  seen whole, piece;
  const char *want = "[csrf||0|]tok123<end>[file|../../a \"b\".csv|1|text/csv]id,x\r\n1,\r\n--XyZ is not the end"
                     "\r\n--XyZa\r\n<end>";
  /* "\r\n--XyZa": CRLF and the boundary, but not a delimiter (no CRLF or "--" after) */
  size_t n = sizeof form_body - 1;
  int rc = feed("XyZ", form_body, n, n, &whole);
  assert_int_equal(rc, MULTIPART_EBAD);
  /* the RFC: a boundary must not occur in the content; with a longer one it reads */
  char body[1024];
  const char *b = "----chisoBoundary7";
  snprintf(body, sizeof body,
           "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok123\r\n"
           "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../a \\\"b\\\".csv\"\r\n"
           "Content-Type: text/csv\r\n\r\nid,x\r\n1,\r\n--XyZ is not the end\r\n--XyZa\r\n\r\n--%s--\r\n", b, b, b);
  n = strlen(body);
  assert_int_equal(feed(b, body, n, n, &whole), 0);
  assert_string_equal(whole.log, want);
  /* pieces of any size give the same parts */
  for (size_t step = 1; step < n; step++) {
    assert_int_equal(feed(b, body, n, step, &piece), 0);
    assert_string_equal(piece.log, want);
  }
  /* a body cut before its closing delimiter is malformed */
  assert_int_equal(feed(b, body, n - 10, 7, &piece), MULTIPART_EBAD);
  /* a part without a name, a part that is not form-data, folded headers */
  const char *bad[] = {
      "--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--\r\n",
      "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--\r\n",
      "--B\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nx\r\n--B--\r\n",
      "--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--B--\r\n",
      "--B\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nx\r\n--B--\r\n",
      "--Bx\r\n",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(feed("B", bad[i], strlen(bad[i]), 3, &piece), MULTIPART_EBAD);
  /* headers beyond their limit */
  static char huge[MULTIPART_MAX_HEADER + 200];
  size_t k = (size_t)snprintf(huge, sizeof huge, "--B\r\nX-Long: ");
  memset(huge + k, 'a', MULTIPART_MAX_HEADER);
  assert_int_equal(feed("B", huge, k + MULTIPART_MAX_HEADER, 4096, &piece), MULTIPART_EBAD);
  /* too many parts */
  static char many[16384];
  size_t m = 0;
  for (int i = 0; i <= MULTIPART_MAX_PARTS; i++)
    m += (size_t)snprintf(many + m, sizeof many - m, "--B\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
  m += (size_t)snprintf(many + m, sizeof many - m, "--B--\r\n");
  assert_int_equal(feed("B", many, m, 100, &piece), MULTIPART_EBAD);
  /* boundaries from Content-Type */
  char out[80];
  assert_int_equal(multipart_boundary("multipart/form-data; boundary=abc", out, sizeof out), 0);
  assert_string_equal(out, "abc");
  assert_int_equal(multipart_boundary("Multipart/Form-Data; charset=x; boundary=\"a b:c\"", out, sizeof out), 0);
  assert_string_equal(out, "a b:c");
  assert_int_equal(multipart_boundary("multipart/form-data", out, sizeof out), -1);
  assert_int_equal(multipart_boundary("text/plain; boundary=abc", out, sizeof out), -1);
  assert_int_equal(multipart_boundary("multipart/form-data; boundary=a\"", out, sizeof out), -1);
  char long_b[120] = "multipart/form-data; boundary=";
  memset(long_b + strlen(long_b), 'x', 71);
  assert_int_equal(multipart_boundary(long_b, out, sizeof out), -1);
  assert_null(multipart_new("", &(multipart_sink){0}));
}

/* ---- bodies ------------------------------------------------------------------------------------------ */

static int files_in(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));) n += e->d_name[0] != '.';
  if (d) closedir(d);
  return n;
}

/* A multipart upload of a file of `size` bytes named `name` through a body
** with limit `limit`; the body's status after feeding and finishing. */
static int upload(const char *dir, const char *name, size_t size, size_t limit, body **out) {
  char head[512], *data = malloc(size + 1);
  memset(data, 'x', size);
  int h = snprintf(head, sizeof head, "--Q\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nt\r\n"
                                     "--Q\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n\r\n", name);
  body_limits lim = {1024, limit, dir};
  int rc = body_new(BODY_UPLOAD, "multipart/form-data; boundary=Q", &lim, out);
  if (!rc) rc = body_feed(*out, head, (size_t)h);
  if (!rc) rc = body_feed(*out, data, size);
  if (!rc) rc = body_feed(*out, "\r\n--Q--\r\n", 9);
  if (!rc) rc = body_finish(*out);
  free(data);
  return rc;
}

static void test_bodies(void **state) {
  (void)state;
  char dir[] = "/tmp/chiso-body-XXXXXX";
  assert_non_null(mkdtemp(dir));
  body *b = NULL;
  const char *name = NULL, *path;
  size_t size = 0;
  /* a file of exactly the limit is taken; the path names nothing the client chose */
  assert_int_equal(upload(dir, "../../../etc/passwd.csv", 1000, 1000, &b), 0);
  path = body_file(b, &name, &size);
  assert_non_null(path);
  assert_int_equal(size, 1000);
  assert_string_equal(name, "../../../etc/passwd.csv");
  assert_int_equal(strncmp(path, dir, strlen(dir)), 0);
  assert_null(strstr(path + strlen(dir), ".."));
  assert_null(strstr(path, "passwd"));
  assert_string_equal(path + strlen(path) - 4, ".csv");
  assert_string_equal(form_get(body_form(b), "csrf"), "t");
  struct stat sb;
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_size, 1000);
  body_free(b);
  assert_int_equal(files_in(dir), 0); /* removed with the body */
  /* one byte more: 413 */
  b = NULL;
  assert_int_equal(upload(dir, "a.xlsx", 1001, 1000, &b), 413);
  body_free(b);
  assert_int_equal(files_in(dir), 0);
  /* an extension not on the list is not kept */
  b = NULL;
  assert_int_equal(upload(dir, "a.sh", 10, 1000, &b), 0);
  path = body_file(b, NULL, NULL);
  assert_null(strchr(strrchr(path, '/'), '.'));
  body_free(b);
  /* the raw bytes of a file */
  body_limits lim = {1024, 5, dir};
  assert_int_equal(body_new(BODY_UPLOAD, "text/csv; charset=utf-8", &lim, &b), 0);
  assert_int_equal(body_feed(b, "12345", 5), 0);
  assert_int_equal(body_feed(b, "6", 1), 413);
  body_free(b);
  /* forms and JSON: their types only, their limits */
  assert_int_equal(body_new(BODY_FORM, "application/x-www-form-urlencoded", &lim, &b), 0);
  assert_int_equal(body_feed(b, "a=1&b=2", 7), 0);
  assert_int_equal(body_finish(b), 0);
  assert_string_equal(form_get(body_form(b), "b"), "2");
  body_free(b);
  assert_int_equal(body_new(BODY_FORM, "application/x-www-form-urlencoded", &lim, &b), 0);
  assert_int_equal(body_feed(b, "a=%zz", 5), 0);
  assert_int_equal(body_finish(b), 400);
  body_free(b);
  assert_int_equal(body_new(BODY_JSON, "text/plain", &lim, &b), 415);
  assert_int_equal(body_new(BODY_FORM, "text/csv", &lim, &b), 415);
  body_limits small = {10, 5, dir};
  assert_int_equal(body_new(BODY_JSON, "application/json", &small, &b), 0);
  assert_int_equal(body_feed(b, "{\"a\": 1, \"b\": 2}", 16), 413);
  body_free(b);
  assert_int_equal(body_new(BODY_FORM, "multipart/form-data; boundary=Q", &lim, &b), 0);
  const char fileform[] = "--Q\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nx\r\n--Q--\r\n";
  assert_int_equal(body_feed(b, fileform, sizeof fileform - 1), 400); /* a form takes no file */
  body_free(b);
  assert_string_equal(body_extension("A.XLSX"), "xlsx");
  assert_string_equal(body_extension("x.tar.gz"), "");
  assert_string_equal(body_extension(NULL), "");
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cookies),
      cmocka_unit_test(test_forms),
      cmocka_unit_test(test_multipart),
      cmocka_unit_test(test_bodies),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
