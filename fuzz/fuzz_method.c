/* fuzz_method.c — a methodology file (JSON): its codebook
** (survey/codebook), its index tree (index/idxio) and the whole-file check
** import makes (year/methodology). Check: a tree that parses is written
** back (idxio_write_method) as a file that parses again to the same
** number of nodes. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_string(data, size);
  chiso_err err;
  codebook *cb = NULL;
  if (codebook_parse(text, "fuzz.json", &cb, &err) == CHISO_OK) codebook_free(cb);
  idx_model *m = NULL;
  if (idxio_parse_method(text, size, "fuzz.json", &m, &err) == CHISO_OK) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    FUZZ_CHECK(f != NULL);
    int rc = idxio_write_method(m, f, &err);
    fclose(f);
    if (rc == CHISO_OK) {
      idx_model *back = NULL;
      FUZZ_CHECK(idxio_parse_method(buf, len, "back.json", &back, &err) == CHISO_OK);
      FUZZ_CHECK(back->n_nodes == m->n_nodes);
      idx_model_free(back);
    }
    free(buf);
    idx_model_free(m);
  }
  methodology *meth = NULL;
  if (methodology_load(fuzz_file(0, data, size), &meth, &err) == CHISO_OK) methodology_free(meth);
  free(text);
  return 0;
}
