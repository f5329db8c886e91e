/* Tests of export.c: the XLSX workbook is read back with libzip and expat
** (shared strings + first sheet) and compared cell by cell with the CSV
** export of the same model; the CSV BOM and the JSON order are checked. */
#include "testutil.h"

#include <expat.h>
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

#define MAXR 80
#define MAXC 20

typedef struct sheetdata {
  char *sst[4096];
  int n_sst;
  char *cell[MAXR][MAXC]; /* text as read: shared string or number */
  /* parser state */
  int in_si, in_t, in_v, row, col, is_shared;
  char buf[1024];
  size_t blen;
} sheetdata;

static char *read_entry(zip_t *z, const char *name) {
  zip_stat_t st;
  if (zip_stat(z, name, 0, &st) != 0) return NULL;
  zip_file_t *f = zip_fopen(z, name, 0);
  char *s = malloc(st.size + 1);
  zip_int64_t got = zip_fread(f, s, st.size);
  zip_fclose(f);
  s[got < 0 ? 0 : got] = '\0';
  return s;
}

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  sheetdata *d = ud;
  (void)atts;
  if (strcmp(name, "si") == 0) { d->in_si = 1; d->blen = 0; d->buf[0] = '\0'; }
  if (strcmp(name, "t") == 0) d->in_t = 1;
}

static void sst_end(void *ud, const XML_Char *name) {
  sheetdata *d = ud;
  if (strcmp(name, "t") == 0) d->in_t = 0;
  if (strcmp(name, "si") == 0 && d->n_sst < 4096) d->sst[d->n_sst++] = strdup(d->buf);
}

static void text(void *ud, const XML_Char *s, int len) {
  sheetdata *d = ud;
  if (!(d->in_t || d->in_v)) return;
  if (d->blen + (size_t)len >= sizeof d->buf) return;
  memcpy(d->buf + d->blen, s, (size_t)len);
  d->blen += (size_t)len;
  d->buf[d->blen] = '\0';
}

/* "C12" → row 11, col 2 (0-based). */
static void cell_ref(const char *r, int *row, int *col) {
  *col = 0;
  while (*r >= 'A' && *r <= 'Z') *col = *col * 26 + (*r++ - 'A' + 1);
  (*col)--;
  *row = atoi(r) - 1;
}

static void ws_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  sheetdata *d = ud;
  if (strcmp(name, "c") == 0) {
    d->is_shared = 0;
    for (int i = 0; atts[i]; i += 2) {
      if (strcmp(atts[i], "r") == 0) cell_ref(atts[i + 1], &d->row, &d->col);
      if (strcmp(atts[i], "t") == 0 && strcmp(atts[i + 1], "s") == 0) d->is_shared = 1;
    }
  }
  if (strcmp(name, "v") == 0) { d->in_v = 1; d->blen = 0; d->buf[0] = '\0'; }
}

static void ws_end(void *ud, const XML_Char *name) {
  sheetdata *d = ud;
  if (strcmp(name, "v") != 0) return;
  d->in_v = 0;
  if (d->row < 0 || d->row >= MAXR || d->col < 0 || d->col >= MAXC) return;
  const char *v = d->buf;
  if (d->is_shared) v = d->sst[atoi(d->buf)];
  d->cell[d->row][d->col] = strdup(v);
}

static void parse(const char *xml, sheetdata *d, XML_StartElementHandler s, XML_EndElementHandler e) {
  XML_Parser x = XML_ParserCreate("UTF-8");
  XML_SetUserData(x, d);
  XML_SetElementHandler(x, s, e);
  XML_SetCharacterDataHandler(x, text);
  assert_int_equal(XML_Parse(x, xml, (int)strlen(xml), 1), XML_STATUS_OK);
  XML_ParserFree(x);
}

static void free_sheet(sheetdata *d) {
  for (int i = 0; i < d->n_sst; i++) free(d->sst[i]);
  for (int r = 0; r < MAXR; r++)
    for (int c = 0; c < MAXC; c++) free(d->cell[r][c]);
}

/* Split one CSV line (no embedded newlines in this export) into fields. */
static int csv_split(char *line, char **f, int max) {
  int n = 0;
  char *p = line;
  while (n < max) {
    if (*p == '"') {
      char *w = ++p;
      f[n++] = w;
      for (;;) {
        if (*p == '"' && p[1] == '"') { *w++ = '"'; p += 2; }
        else if (*p == '"') { p++; break; }
        else *w++ = *p++;
      }
      *w = '\0';
    } else {
      f[n++] = p;
      p += strcspn(p, ",");
    }
    if (*p != ',') { *p = '\0'; break; }
    *p++ = '\0';
  }
  return n;
}

static rmodel *load63(void) {
  rmodel *m = NULL;
  chiso_err err;
  assert_int_equal(rmodel_load_json("tests/data/report-model-63.json", &m, &err), 0);
  return m;
}

static void test_xlsx_matches_csv(void **state) {
  (void)state;
  rmodel *m = load63();
  chiso_err err;
  char path[] = "/tmp/chiso-export-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  assert_int_equal(export_xlsx(m, "vi", path, &err), 0);
  char *csv = NULL;
  size_t csv_len = 0;
  FILE *mf = open_memstream(&csv, &csv_len);
  assert_int_equal(export_csv(m, mf, 0, &err), 0);
  fclose(mf);

  int zerr = 0;
  zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
  assert_non_null(z);
  sheetdata *d = calloc(1, sizeof *d);
  char *sst = read_entry(z, "xl/sharedStrings.xml"), *ws = read_entry(z, "xl/worksheets/sheet1.xml");
  char *wb = read_entry(z, "xl/workbook.xml");
  assert_non_null(sst);
  assert_non_null(ws);
  parse(sst, d, sst_start, sst_end);
  parse(ws, d, ws_start, ws_end);
  /* seven sheets with Vietnamese names; the model is synthetic: the banner
  ** on the first row of every sheet (issue 12), then a frozen header row */
  const char *names[] = {"Chỉ số", "Trụ cột", "Chỉ tiêu", "Độ bất định", "Khoảng cách số", "Mục tiêu", "Siêu dữ liệu"};
  for (int i = 0; i < 7; i++) assert_non_null(strstr(wb, names[i]));
  assert_true(m->synthetic);
  assert_non_null(strstr(ws, "state=\"frozen\""));
  assert_non_null(strstr(ws, "ySplit=\"2\""));
  assert_non_null(strstr(d->cell[0][0], "DỮ LIỆU MÔ PHỎNG"));
  for (int k = 2; k <= 7; k++) { /* every sheet has the banner */
    char name[40];
    snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", k);
    char *other = read_entry(z, name);
    assert_non_null(other);
    assert_non_null(strstr(other, "<c r=\"A1\""));
    assert_non_null(strstr(other, "oddHeader"));
    free(other);
  }
  char *meta = read_entry(z, "xl/worksheets/sheet7.xml");
  assert_non_null(meta); /* the year is a number, not text (issue 12) */
  char *b3 = strstr(meta, "<c r=\"B3\"");
  assert_non_null(b3);
  char *b3head = strndup(b3, 40);
  assert_null(strstr(b3head, "t=\"s\""));
  free(b3head);
  assert_non_null(strstr(b3, "<v>2024</v>"));
  free(meta);
  assert_string_equal(d->cell[1][0], "Mã");
  assert_string_equal(d->cell[1][3], "Điểm");

  int line = 0, checked = 0;
  for (char *s = strtok(csv, "\n"); s; s = strtok(NULL, "\n"), line++) {
    if (line == 0) continue; /* the CSV header has ASCII ids */
    char *f[MAXC];
    int n = csv_split(s, f, MAXC);
    assert_int_equal(n, 13);
    for (int c = 0; c < n; c++) {
      const char *x = d->cell[line + 1][c]; /* under the banner row */
      if (!*f[c]) { assert_null(x); continue; }
      assert_non_null(x);
      if (c < 3) assert_string_equal(x, f[c]);
      else assert_close(strtod(x, NULL), strtod(f[c], NULL), 1e-9 * fabs(strtod(f[c], NULL)) + 1e-12);
      checked++;
    }
  }
  assert_int_equal(line, 64);
  assert_true(checked > 63 * 12);
  free(sst); free(ws); free(wb);
  free_sheet(d);
  free(d);
  zip_close(z);
  free(csv);
  unlink(path);
  rmodel_free(m);
}

static void test_csv_bom_and_json(void **state) {
  (void)state;
  rmodel *m = load63();
  chiso_err err;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_int_equal(export_csv(m, f, 1, &err), 0);
  fclose(f);
  assert_memory_equal(buf, "\xEF\xBB\xBF" "code,name,region,score", 25);
  assert_non_null(strstr(buf, "\r\n"));
  free(buf);
  f = open_memstream(&buf, &len);
  assert_int_equal(export_json(m, f, &err), 0);
  fclose(f);
  const char *order[] = {"\"chiso_report_model\"", "\"year\"", "\"units\"", "\"method\"", "\"nodes\"",
                         "\"provinces\"", "\"divide\"", "\"targets\"", "\"sensitivity\"", "\"provenance\""};
  for (int i = 1; i < 10; i++) assert_true(strstr(buf, order[i - 1]) < strstr(buf, order[i]));
  free(buf);
  rmodel_free(m);
}

static void test_xlsx_unwritable(void **state) {
  (void)state;
  rmodel *m = load63();
  chiso_err err;
  assert_int_equal(export_xlsx(m, "vi", "/nonexistent-dir/x.xlsx", &err), CHISO_EIO);
  assert_string_equal(err.file, "/nonexistent-dir/x.xlsx");
  rmodel_free(m);
}

/* Formula injection: a text from outside (a methodology id, a file name)
** that looks like a formula is a string cell in the workbook, never a
** formula (no <f> anywhere), and gets the apostrophe in CSV. */
static void test_formula_text_stays_text(void **state) {
  (void)state;
  rmodel *m = load63();
  chiso_err err;
  chiso_free(m->method_id);
  m->method_id = chiso_strdup("=HYPERLINK(\"http://x\",\"y\")");
  char path[] = "/tmp/chiso-export-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  assert_int_equal(export_xlsx(m, "en", path, &err), 0);
  int zerr = 0;
  zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
  assert_non_null(z);
  char *sst = read_entry(z, "xl/sharedStrings.xml");
  assert_non_null(strstr(sst, "<t>=HYPERLINK(")); /* a shared string: text */
  for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); i++) {
    const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
    if (strncmp(name, "xl/worksheets/", 14) != 0) continue;
    char *ws = read_entry(z, name);
    assert_null(strstr(ws, "<f>"));
    assert_null(strstr(ws, "<f "));
    free(ws);
  }
  free(sst);
  zip_close(z);
  unlink(path);
  rmodel_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_xlsx_matches_csv),
      cmocka_unit_test(test_formula_text_stays_text),
      cmocka_unit_test(test_csv_bom_and_json),
      cmocka_unit_test(test_xlsx_unwritable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
