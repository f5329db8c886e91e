/* xlsx.h — reading one worksheet of an Office Open XML workbook (.xlsx).
**
** The workbook is opened with libzip and its parts are parsed with expat:
** xl/workbook.xml (sheet names, the 1904 date system), its relationships
** (which part holds which sheet), xl/sharedStrings.xml (including rich text
** runs; phonetic runs are left out), xl/styles.xml (which cell styles are
** dates) and the worksheet, which is streamed row by row.
**
** Every cell comes out as text, the way it would be typed:
**   - strings (shared, inline or formula results) as they are;
**   - numbers in the shortest form that reads back exactly ("12", "0.35");
**   - booleans as "TRUE" / "FALSE"; error values as "#N/A" etc.;
**   - numbers with a date style as ISO 8601: "2024-03-05", or
**     "2024-03-05T14:30:00" when there is a time of day (1900 and 1904
**     date systems; the 1900 system's fictitious 29 Feb 1900 is kept, as
**     Excel has it);
**   - numbers with a percent style as shown: 0.35 gives "35%".
** Empty cells in the middle of a row give empty fields (cells are placed by
** their reference, "C5"); rows with no cells are not returned.
**
** Zip-bomb protection: a part is refused when its uncompressed size is over
** `max_entry` (default 1 GiB) or, for parts over 1 MiB, when it is more than
** `max_ratio` (default 500) times its compressed size. Sizes are checked
** both from the directory and while inflating, and the parts read together
** may not inflate past `max_total` (default 2 GiB). The shared strings are
** bounded in number (`max_strings`, default 8 Mi) and in bytes
** (`max_string_bytes`, default 256 MiB): a small sharedStrings.xml of
** millions of empty <si/> cannot take gigabytes.
**
** The archive itself: at most 10,000 entries; every entry name is a
** relative path without "..", and no two entries have the same name
** (part names compare without regard to ASCII case, as OPC says), since
** readers disagree on which of two copies counts. */
#ifndef CHISO_XLSX_H
#define CHISO_XLSX_H

#include "base/err.h"

#include <stddef.h>

#define XLSX_DEFAULT_MAX_ENTRY ((size_t)1 << 30)
#define XLSX_DEFAULT_MAX_RATIO 500.0
#define XLSX_DEFAULT_MAX_TOTAL ((size_t)2 << 30)        /* inflated bytes, all parts */
#define XLSX_DEFAULT_MAX_STRINGS ((size_t)8 << 20)      /* shared strings */
#define XLSX_DEFAULT_MAX_STRING_BYTES ((size_t)256 << 20) /* their text */
#define XLSX_MAX_CELL (1024 * 1024) /* bytes of text in one cell */

typedef struct xlsx_options {
  const char *sheet;       /* sheet name (case-insensitive), NULL for the first */
  size_t max_entry;        /* 0 = XLSX_DEFAULT_MAX_ENTRY */
  double max_ratio;        /* 0 = XLSX_DEFAULT_MAX_RATIO */
  size_t max_total;        /* 0 = XLSX_DEFAULT_MAX_TOTAL */
  size_t max_strings;      /* 0 = XLSX_DEFAULT_MAX_STRINGS */
  size_t max_string_bytes; /* 0 = XLSX_DEFAULT_MAX_STRING_BYTES */
  long long max_bytes;     /* the file's size limit; 0 = none */
} xlsx_options;

typedef struct xlsx_row {
  size_t n;      /* fields, up to the last non-empty cell */
  char **fields; /* NUL-terminated UTF-8 */
  size_t *lens;
  long row;      /* worksheet row number (1-based) */
  unsigned char *typed; /* per field: 1 for a number cell (its text is the
                           number's, not as a person typed it), else 0 */
} xlsx_row;

typedef struct xlsx xlsx;

/* Open the workbook at `path` (a regular file: textfile_open, never a FIFO
** or a device; at most opt->max_bytes when set) and prepare to read the
** first sheet or the sheet named opt->sheet (opt may be NULL). On success *out is a reader the
** caller closes with xlsx_close. Returns CHISO_EIO (cannot open), CHISO_EDATA
** (not a zip, truncated or corrupt, a part over the size limits, bad XML, no
** such sheet — the message lists the sheets), or CHISO_ENOMEM; *out is then
** NULL. */
int xlsx_open(const char *path, const xlsx_options *opt, xlsx **out, chiso_err *err);

/* Read the next row that has at least one cell. On success returns 0 and
** sets *row to a row owned by the reader, valid until the next call, or
** NULL at the end of the sheet. Returns CHISO_EDATA (bad XML, truncated
** data, limits) or CHISO_ENOMEM; the reader is then finished. */
int xlsx_next(xlsx *x, xlsx_row **row, chiso_err *err);

/* Close the reader. NULL is a no-op. */
void xlsx_close(xlsx *x);

/* 1 when the first bytes of a file are a zip local header ("PK\3\4"); 0
** also for anything that is not a regular file. */
int xlsx_is_zip(const char *path);

/* Turn a spreadsheet date serial into ISO 8601 text in buf (at least 24
** bytes): "YYYY-MM-DD", with "THH:MM:SS" when there is a time of day.
** `date1904` selects the 1904 system. Returns 0, or CHISO_EDATA when the
** serial is out of Excel's range (negative, or after 9999-12-31). */
int xlsx_serial_to_iso(double serial, int date1904, char *buf, size_t n);

#endif
