/* Tests of the PDF report (pdf.c, pdfdoc.c) through pdf_write: a PDF
** file comes out (its header and trailer), the same model gives the same
** bytes, a unit set that is not the model's is refused, a disk that is
** full is an I/O error, and the page tree holds one page per unit plus
** the front matter. The pages themselves are checked with poppler in
** tests/cli/test_pdf.sh. */
#include "testutil.h"

static rmodel *load(const char *path) {
  rmodel *m = NULL;
  chiso_err err;
  int rc = rmodel_load_json(path, &m, &err);
  if (rc) print_error("%s\n", err.message);
  assert_int_equal(rc, 0);
  return m;
}

/* Write the PDF of m into memory. */
static int write_mem(const rmodel *m, const char *lang, int units, char **buf, size_t *n,
                     chiso_err *err) {
  FILE *f = open_memstream(buf, n);
  pdf_options o = {lang, units};
  int rc = pdf_write(m, &o, f, err);
  fclose(f);
  return rc;
}

static size_t count(const char *buf, size_t n, const char *what) {
  size_t k = 0, w = strlen(what);
  for (size_t i = 0; i + w <= n; i++) k += memcmp(buf + i, what, w) == 0;
  return k;
}

static void test_book(void **state) {
  (void)state;
  rmodel *m = load("tests/data/report-model-34.json");
  char *a = NULL, *b = NULL;
  size_t na = 0, nb = 0;
  chiso_err err;
  assert_int_equal(write_mem(m, "vi", 0, &a, &na, &err), 0);
  assert_true(na > 50000);
  assert_memory_equal(a, "%PDF-1.5", 8);
  assert_int_equal(count(a + na - 16, 16, "%%EOF"), 1);
  /* the page objects: at least a page per unit and eight before them */
  size_t pages = count(a, na, "/Type /Page\n") + count(a, na, "/Type /Page ");
  assert_true(pages >= 34 + 8);
  /* fixed dates: 1 January after the report year */
  assert_int_equal(count(a, na, "/CreationDate (20260101000000Z)"), 1); /* cairo 1.16: no "D:" */
  assert_int_equal(write_mem(m, "vi", 34, &b, &nb, &err), 0);
  assert_int_equal(na, nb);
  assert_memory_equal(a, b, na); /* the same bytes */
  free(b);
  b = NULL;
  assert_int_equal(write_mem(m, "en", 0, &b, &nb, &err), 0);
  assert_true(nb != na || memcmp(a, b, na) != 0); /* the English book differs */
  free(a);
  free(b);
  rmodel_free(m);
}

static void test_errors(void **state) {
  (void)state;
  rmodel *m = load("tests/data/report-model-34.json");
  char *a = NULL;
  size_t na = 0;
  chiso_err err;
  chiso_err_clear(&err);
  assert_int_equal(write_mem(m, "vi", 63, &a, &na, &err), CHISO_EUSAGE);
  assert_non_null(strstr(err.message, "34 units"));
  free(a);
  FILE *full = fopen("/dev/full", "w");
  if (full) { /* writes fail with ENOSPC */
    pdf_options o = {"vi", 0};
    setvbuf(full, NULL, _IONBF, 0);
    chiso_err_clear(&err);
    assert_int_equal(pdf_write(m, &o, full, &err), CHISO_EIO);
    fclose(full);
  }
  rmodel_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_book),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
