/* fuzz_csvread.c — the CSV tokenizer and encoding detection (io/csvread):
** the first byte picks the encoding, the delimiter and the field limit,
** the rest is the file. Checks: every field is as long as its length says
** (no NUL inside a cell), rows are numbered upward, a row has >= 1 field. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const csvread_encoding enc[] = {CSVREAD_ENC_AUTO, CSVREAD_ENC_UTF8, CSVREAD_ENC_UTF16LE,
                                         CSVREAD_ENC_UTF16BE, CSVREAD_ENC_CP1258};
  static const char delim[] = {0, ',', ';', '\t'};
  csvread_options o = {.encoding = enc[(data[0] & 7) % 5], .delimiter = delim[(data[0] >> 3) & 3],
                       .max_field = (data[0] & 0x20) ? 16 : 0};
  csvread *r = NULL;
  chiso_err err;
  if (csvread_open_mem((const char *)data + 1, size - 1, "fuzz.csv", &o, &r, &err) == CHISO_OK) {
    csvread_row *row = NULL;
    long last = 0;
    while (csvread_next(r, &row, &err) == CHISO_OK && row) {
      FUZZ_CHECK(row->n >= 1);
      FUZZ_CHECK(row->row > last);
      last = row->row;
      for (size_t k = 0; k < row->n; k++) FUZZ_CHECK(strlen(row->fields[k]) == row->lens[k]);
    }
    csvread_close(r);
  }
  /* The decoder alone, on every encoding. */
  char *out = NULL;
  size_t n = 0;
  if (o.encoding != CSVREAD_ENC_AUTO &&
      csvread_decode((const char *)data + 1, size - 1, o.encoding, "fuzz.csv", &out, &n, &err) ==
          CHISO_OK)
    FUZZ_CHECK(text_utf8_check(out, n) == n);
  chiso_free(out);
  return 0;
}
