/* methodology.c — a methodology file as a whole (methodology.h). */
#include "year/methodology.h"

#include "base/jsonio.h"
#include "base/mem.h"
#include "base/textfile.h"
#include "index/idxio.h"
#include "survey/store.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

void methodology_free(methodology *m) {
  if (!m) return;
  codebook_free(m->cb);
  chiso_free(m->json);
  chiso_free(m);
}

/* The "id" of the methodology, else the name it was given by; and its
** index tree, when it has one, checked whole now (cycles, weights that
** are not numbers > 0, unknown methods): a methodology stored with an
** import must not be found broken only when a report is made. */
static int read_id(methodology *m, const char *name, chiso_err *err) {
  json_t *root = NULL;
  int rc = jsonio_parse(m->json, m->len, 0, name, &root, err);
  const char *id = rc ? NULL : json_string_value(json_object_get(root, "id"));
  if (!rc) snprintf(m->id, sizeof m->id, "%s", id ? id : name);
  int has_tree = !rc && json_object_get(root, "tree") != NULL;
  json_decref(root);
  idx_model *tree = NULL;
  if (has_tree) rc = idxio_parse_method(m->json, m->len, name, &tree, err);
  idx_model_free(tree);
  return rc;
}

/* Parse the codebook, the id and the hash of m->json (name for errors). */
static int finish(methodology *m, const char *name, chiso_err *err) {
  int rc = codebook_parse(m->json, name, &m->cb, err);
  if (!rc) rc = read_id(m, name, err);
  if (!rc && store_sha256_mem(m->json, m->len, m->hash))
    rc = chiso_err_set(err, CHISO_EINTERNAL, "SHA-256 failed");
  return rc;
}

int methodology_load(const char *path_or_name, methodology **out, chiso_err *err) {
  assert(path_or_name && out);
  *out = NULL;
  methodology *m = chiso_calloc(1, sizeof *m);
  if (!m) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  int rc = textfile_method(path_or_name, &m->json, &m->len, err);
  if (!rc) rc = finish(m, path_or_name, err);
  if (rc) {
    methodology_free(m);
    return rc;
  }
  *out = m;
  return CHISO_OK;
}

int methodology_parse(const char *json, size_t len, const char *name, methodology **out,
                      chiso_err *err) {
  assert(json && name && out);
  *out = NULL;
  methodology *m = chiso_calloc(1, sizeof *m);
  if (!m || !(m->json = chiso_strndup(json, len))) {
    chiso_free(m);
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  m->len = strlen(m->json);
  int rc = finish(m, name, err);
  if (rc) {
    methodology_free(m);
    return rc;
  }
  *out = m;
  return CHISO_OK;
}
