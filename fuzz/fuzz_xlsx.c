/* fuzz_xlsx.c — one worksheet of an .xlsx (io/xlsx: libzip and expat,
** shared strings, styles, dates, the zip-bomb limits).
**
** An input that starts with "PK" is the workbook file as it is. Any other
** input lists the parts of a workbook to be zipped, so that mutations
** reach the XML instead of breaking the compression:
**   @@xl/workbook.xml
**   <workbook ...>...</workbook>
**   @@xl/worksheets/sheet1.xml
**   ...
** Checks: a row never has more than 16384 fields, each as long as its
** length says. */
#include "fuzz.h"

#include <zip.h>

/* Zip the parts into a new buffer (*out, *n; free()). Returns 0 or -1. */
static int zip_parts(const uint8_t *data, size_t size, uint8_t **out, size_t *n) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_t *za = mem ? zip_open_from_source(mem, ZIP_TRUNCATE, &ze) : NULL;
  int rc = za ? 0 : -1;
  if (za) zip_source_keep(mem);
  const uint8_t *p = data, *end = data + size;
  while (!rc && p < end) {
    if (end - p < 2 || memcmp(p, "@@", 2) != 0) break;
    const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) break;
    char name[256];
    size_t nlen = (size_t)(nl - p - 2);
    if (nlen >= sizeof name) break;
    memcpy(name, p + 2, nlen);
    name[nlen] = '\0';
    const uint8_t *body = nl + 1, *next = memmem(body, (size_t)(end - body), "\n@@", 3);
    const uint8_t *stop = next ? next : end;
    zip_source_t *s = zip_source_buffer(za, body, (size_t)(stop - body), 0);
    if (!s || zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) < 0) zip_source_free(s);
    p = next ? next + 1 : end;
  }
  if (za && zip_close(za) != 0) {
    zip_discard(za);
    rc = -1;
  }
  *out = NULL;
  *n = 0;
  if (!rc && zip_source_open(mem) == 0) {
    zip_stat_t st;
    if (zip_source_stat(mem, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) {
      *out = malloc(st.size ? st.size : 1);
      if (!*out) abort();
      *n = (size_t)zip_source_read(mem, *out, st.size);
    }
    zip_source_close(mem);
  }
  if (mem) zip_source_free(mem);
  zip_error_fini(&ze);
  return *out ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *zipped = NULL;
  size_t zn = 0;
  const char *path;
  if (size >= 2 && data[0] == 'P' && data[1] == 'K') path = fuzz_file(0, data, size);
  else if (zip_parts(data, size, &zipped, &zn) == 0) path = fuzz_file(0, zipped, zn);
  else return 0;
  xlsx *x = NULL;
  chiso_err err;
  xlsx_options o = {.max_entry = 1 << 24};
  if (xlsx_open(path, &o, &x, &err) == CHISO_OK) {
    xlsx_row *row = NULL;
    while (xlsx_next(x, &row, &err) == CHISO_OK && row) {
      FUZZ_CHECK(row->n <= 16384);
      for (size_t k = 0; k < row->n; k++) FUZZ_CHECK(strlen(row->fields[k]) == row->lens[k]);
    }
    xlsx_close(x);
  }
  free(zipped);
  return 0;
}
