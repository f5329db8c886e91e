/* out_meta.c — the synthetic mark of an output (out_meta.h). */
#include "out/out_meta.h"
#include "base/cleanup.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

int out_meta_synthetic(const char *path, const char *generator, const char *db, int year,
                       chiso_err *err) {
  char meta[4096], tmp[4200];
  const char *base = strrchr(path, '/');
  snprintf(meta, sizeof meta, "%s.meta.json", path);
  snprintf(tmp, sizeof tmp, "%s.tmp", meta);
  json_t *o = json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:i}", "synthetic", 1, "note",
                        "made from SYNTHETIC survey data (chiso synth): not real figures",
                        "generator", generator, "chiso_version", CHISO_VERSION, "file",
                        base ? base + 1 : path, "store", db ? db : "", "year", year);
  int slot = cleanup_add(tmp, 0);
  int bad = !o || json_dump_file(o, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || rename(tmp, meta);
  int e = errno;
  json_decref(o);
  if (bad) remove(tmp);
  cleanup_forget(slot);
  if (!bad) return CHISO_OK;
  return chiso_err_at(err, CHISO_EIO, meta, 0, 0, "cannot write: %s", strerror(e));
}
