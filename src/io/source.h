/* source.h — any table file a survey comes in, as rows of text cells: CSV
** (io/csvread), an XLSX worksheet (io/xlsx), or an SPSS, Stata or SAS data
** file (io/statfile), with text in the legacy Vietnamese encodings TCVN3
** and VNI converted to Unicode on the way (io/vnlegacy).
**
** The kind of file is told by its signature (statistical files), by its
** extension or zip signature (XLSX), else it is CSV. Legacy text is
** detected from the first rows (the header and up to SOURCE_SAMPLE_ROWS
** more, read ahead and handed out afterwards in order) unless the caller
** names the encoding: every cell that can hold the legacy bytes is then
** converted, whatever the format (a CSV file in raw TCVN3 or VNI bytes is
** decoded by csvread itself). Rows come out as rowpipe_row, so that a
** source can feed a row pipe. */
#ifndef CHISO_SOURCE_H
#define CHISO_SOURCE_H

#include "base/err.h"
#include "io/csvread.h"
#include "io/rowpipe.h"

#include <stddef.h>

#define SOURCE_SAMPLE_ROWS 200

typedef struct source_options {
  csvread_encoding encoding; /* AUTO: detect; TCVN3 or VNI: convert every cell;
                                UTF-8, UTF-16, Windows-1258: CSV only, no conversion */
  char delimiter;            /* CSV: 0 to detect */
  size_t max_field;          /* CSV: 0 = the default */
  const char *sheet;         /* XLSX: NULL = the first sheet */
  /* Statistical files: the variables to keep (statfile_options.keep). */
  int (*keep)(void *ctx, size_t i, const char *name, const char *label);
  void *keep_ctx;
  long long max_bytes;       /* the file's size limit; 0 = none (a FIFO or a device
                                is refused either way) */
  /* CSV: csvread_options.on_read (the file's bytes as they are read) */
  void (*on_read)(void *ctx, const void *bytes, size_t n);
  void *on_read_ctx;
} source_options;

typedef struct source_info {
  const char *format;    /* "csv", "xlsx", "sav", "por", "dta", "sas7bdat", "xpt" */
  const char *encoding;  /* CSV: the encoding read ("UTF-8", "TCVN3", ...); "" */
  char delimiter;        /* CSV: the delimiter; 0 */
  const char *legacy;    /* "TCVN3" or "VNI" when text was converted from it, else "" */
  int detected;          /* 1 when `legacy` was detected, 0 when asked for */
} source_info;

typedef struct source source;

/* Open the file at `path` (opt may be NULL for defaults). On success *out
** is a source the caller closes with source_close. Returns the errors of
** the reader: CHISO_EIO, CHISO_EDATA (located), CHISO_ENOMEM; *out is
** then NULL. */
int source_open(const char *path, const source_options *opt, source **out, chiso_err *err);

/* The next row into *row (borrowed until the next call; row->fields NULL
** after the last). A statistical file's rows carry `alts` (statfile.h).
** Returns 0 or the reader's error (CHISO_EDATA located, CHISO_EIO,
** CHISO_ENOMEM); the source is then finished. Must not be called from two
** threads at once. */
int source_next(source *s, rowpipe_row *row, chiso_err *err);

/* What the source is reading; `legacy` is settled by the first
** source_next. Borrowed; never NULL. */
const source_info *source_get_info(const source *s);

/* Close the source. NULL is a no-op. */
void source_close(source *s);

#endif
