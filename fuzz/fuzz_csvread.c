/* fuzz_csvread.c — the CSV tokenizer and encoding detection (io/csvread):
** the first byte picks the encoding, the delimiter and the field limit,
** the rest is the file. Checks: every field is as long as its length says
** (no NUL inside a cell), rows are numbered upward, a row has >= 1 field,
** and the records cut with vector compares are the ones cut byte by byte
** (same fields, rows, lines, bad UTF-8 places, same error); the UTF-8
** check of the bytes with the vector body finds what the byte-wise one
** finds. */
#include "fuzz.h"

#include "base/cpu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const csvread_encoding enc[] = {CSVREAD_ENC_AUTO, CSVREAD_ENC_UTF8, CSVREAD_ENC_UTF16LE,
                                         CSVREAD_ENC_UTF16BE, CSVREAD_ENC_CP1258};
  static const char delim[] = {0, ',', ';', '\t'};
  csvread_options o = {.encoding = enc[(data[0] & 7) % 5], .delimiter = delim[(data[0] >> 3) & 3],
                       .max_field = (data[0] & 0x20) ? 16 : 0};
  /* Read twice: records cut with vector compares, then byte by byte. Both
  ** must give the same rows, fields and outcome. */
  csvread *r = NULL, *slow = NULL;
  chiso_err err, err_slow;
  csvread_options o_slow = o;
  o_slow.bytewise = 1;
  int rc = csvread_open_mem((const char *)data + 1, size - 1, "fuzz.csv", &o, &r, &err);
  int rc_slow = csvread_open_mem((const char *)data + 1, size - 1, "fuzz.csv", &o_slow, &slow,
                                 &err_slow);
  FUZZ_CHECK(rc == rc_slow);
  if (rc == CHISO_OK) {
    csvread_row *row = NULL, *row_slow = NULL;
    long last = 0;
    for (;;) {
      rc = csvread_next(r, &row, &err);
      rc_slow = csvread_next(slow, &row_slow, &err_slow);
      FUZZ_CHECK(rc == rc_slow && (row == NULL) == (row_slow == NULL));
      if (rc) {
        FUZZ_CHECK(err.row == err_slow.row && err.col == err_slow.col &&
                   strcmp(err.message, err_slow.message) == 0);
        break;
      }
      if (!row) break;
      FUZZ_CHECK(row->n >= 1);
      FUZZ_CHECK(row->row > last);
      last = row->row;
      FUZZ_CHECK(row->n == row_slow->n && row->row == row_slow->row &&
                 row->line == row_slow->line && row->bad_utf8_field == row_slow->bad_utf8_field &&
                 row->bad_utf8_offset == row_slow->bad_utf8_offset);
      for (size_t k = 0; k < row->n; k++) {
        FUZZ_CHECK(strlen(row->fields[k]) == row->lens[k]);
        FUZZ_CHECK(row->lens[k] == row_slow->lens[k] &&
                   memcmp(row->fields[k], row_slow->fields[k], row->lens[k]) == 0);
      }
    }
    csvread_close(r);
    csvread_close(slow);
  }
  /* The UTF-8 check, both bodies (text.c). */
  cpu_allow(CPU_PLAIN);
  size_t plain = text_utf8_check((const char *)data + 1, size - 1);
  cpu_allow(CPU_AVX512);
  FUZZ_CHECK(text_utf8_check((const char *)data + 1, size - 1) == plain);
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
