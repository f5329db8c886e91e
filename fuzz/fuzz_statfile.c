/* fuzz_statfile.c — SPSS, Stata and SAS files through ReadStat
** (io/statfile): the first byte picks the kind (sav, por, dta, sas7bdat,
** xpt, or told by the signature) and the variables kept, the rest is the
** file, read from memory. Checks: a file that opens gives its header row
** first, then cases numbered 1, 2, ... with one field per variable, every
** field a string (alts NULL or a string), and the bad-UTF-8 flag inside
** the row. ReadStat has had crashes on malformed files: this is where a
** new one would show. */
#include "fuzz.h"

static int keep_odd(void *ctx, size_t i, const char *name, const char *label) {
  (void)ctx, (void)name, (void)label;
  return (int)(i % 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  statfile_kind kind = (statfile_kind)(data[0] % 6);
  if (kind == STATFILE_NONE) kind = statfile_kind_of_bytes(data + 1, size - 1);
  if (kind == STATFILE_NONE) kind = STATFILE_SAV;
  statfile_options o = {(data[0] & 0x80) ? keep_odd : NULL, NULL, (data[0] & 0x40) ? 4096 : 0};
  statfile *f = NULL;
  chiso_err err;
  if (statfile_open_mem(data + 1, size - 1, kind, "fuzz.sav", &o, &f, &err) != CHISO_OK) {
    FUZZ_CHECK(f == NULL);
    return 0;
  }
  statfile_row *row = NULL;
  long expect = 0;
  while (statfile_next(f, &row, &err) == CHISO_OK && row) {
    FUZZ_CHECK(row->row == expect++);
    FUZZ_CHECK(row->n == statfile_vars(f));
    FUZZ_CHECK(row->bad_field <= row->n);
    for (size_t k = 0; k < row->n; k++) {
      FUZZ_CHECK(row->fields[k] != NULL);
      (void)strlen(row->fields[k]);
      if (row->alts[k]) (void)strlen(row->alts[k]);
    }
  }
  FUZZ_CHECK(expect == statfile_cases(f) + 1);
  statfile_close(f);
  return 0;
}
