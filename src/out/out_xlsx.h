/* out_xlsx.h — a CSV table (as every result is written, out/) as a
** one-sheet XLSX workbook, for a front end that offers each table as a
** spreadsheet: numbers become number cells, codes such as "01" stay text,
** the header row is bold and frozen. */
#ifndef CHISO_OUT_XLSX_H
#define CHISO_OUT_XLSX_H

#include "base/err.h"

#include <stddef.h>

/* Write the RFC 4180 table of n bytes at `csv` as a workbook at `path`
** (a temporary file beside it renamed into place, so a failure leaves no
** partial file), in one sheet named `sheet` (at most 31 characters are
** kept; NULL: "data"). A field is a number cell when it is a plain
** decimal number by the data rule (number.h) without a leading zero;
** anything else is text. The same table gives the same bytes (a fixed
** creation time). Returns 0, CHISO_EDATA (not a CSV table: err located),
** CHISO_EIO, CHISO_ENOMEM. */
int out_xlsx_from_csv(const char *csv, size_t n, const char *sheet, const char *path,
                      chiso_err *err);

#endif
