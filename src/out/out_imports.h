/* out_imports.h — the imports of a store (store_list) as a table, CSV or
** JSON (the formats of `chiso imports`). */
#ifndef CHISO_OUT_IMPORTS_H
#define CHISO_OUT_IMPORTS_H

#include "chiso.h"
#include "survey/store.h"

#include <stdio.h>

/* Write x[0..n): CSV and JSON id,year,file,rows,skipped,size,sha256,
** method,method_hash,imported_at; the table shortens the SHA-256 to 12
** digits. Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int out_imports_write(const store_import_info *x, size_t n, chiso_format fmt, FILE *out);

/* Write what store_verify found: one row per import (id, year, file,
** blocks, unchecked, damaged, status: "ok", "ok, N blocks without a
** checksum" or the first damage) and, as a table, a last line with
** SQLite's integrity_check; CSV and JSON carry the same fields (JSON:
** {"integrity", "imports": [...]}). Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int out_imports_verify_write(const store_verify_result *v, chiso_format fmt, FILE *out);

#endif
