/* out_meta.h — the mark that says an output was made from SYNTHETIC data:
** PATH.meta.json beside a CSV or table file (a JSON output carries
** "synthetic": true itself). The generators write their own, richer
** sidecars (synthfile.h, synthofficial.h). */
#ifndef CHISO_OUT_META_H
#define CHISO_OUT_META_H

#include "base/err.h"

/* Write PATH.meta.json saying that the file at PATH was made by
** `generator` (e.g. "chiso divide") from SYNTHETIC survey data of store
** `db` (NULL: "") and `year` (0: several): {"synthetic": true, "note",
** "generator", "chiso_version", "file" (the base name), "store", "year"}.
** Written to a temporary file and renamed. Returns 0, or CHISO_EIO with
** err located at the sidecar (nothing is left behind). */
int out_meta_synthetic(const char *path, const char *generator, const char *db, int year,
                       chiso_err *err);

#endif
