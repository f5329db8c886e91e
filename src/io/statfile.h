/* statfile.h — SPSS (.sav, .zsav, .por), Stata (.dta) and SAS (.sas7bdat,
** .xpt) data files, read with ReadStat (Miller, https://github.com/WizardMac/
** ReadStat, MIT: the library under R's haven and Python's pyreadstat), as
** rows of text cells like the other table readers.
**
** The whole file is parsed once when it is opened (a Stata file keeps its
** value labels after the data), keeping the values of the variables the
** caller asks for. Then the rows come out as a CSV reader gives them:
**   - row 0 is the header: the variable names, and as `alts` their
**     variable labels ("Tỉnh/Thành phố"), NULL where there is none;
**   - row k (k >= 1) is case k: each cell as text the way it would be typed,
**     with the code underneath in `alts` when a value label applies:
**       labelled value      the label ("Có", "Hà Nội"); alts: the code ("1")
**       number              the shortest text that reads back exactly ("40.573")
**       date, date-time     ISO 8601 ("2024-03-05", "2024-03-05T14:30:00"),
**                           from the variable's display format (SPSS DATE,
**                           ADATE, EDATE, SDATE, JDATE, DATETIME, YMDHMS;
**                           Stata %td, %d, %tc, %tC; SAS DATE, YYMMDD,
**                           MMDDYY, DDMMYY, E8601DA, DATETIME, E8601DT ...)
**       string              as it is (UTF-8, converted by ReadStat from the
**                           file's declared encoding)
**       missing             "" for system missing, SPSS user-defined missing
**                           values and ranges, and Stata/SAS extended
**                           missing values (.a to .z, ._)
** Text is not validated here: a cell that is not valid UTF-8 (a file in an
** undeclared legacy encoding) is flagged in the row (bad_field), as the
** CSV reader does.
**
** Nothing is read lazily and no global state is kept, so a statfile can
** be parsed in a child process with limited resources (the server's
** uploads) and the caller's memory is bounded by opt->max_bytes. */
#ifndef CHISO_STATFILE_H
#define CHISO_STATFILE_H

#include "base/err.h"

#include <stddef.h>

typedef enum {
  STATFILE_NONE = 0,     /* not a statistical data file */
  STATFILE_SAV = 1,      /* SPSS system file, .sav and compressed .zsav */
  STATFILE_POR = 2,      /* SPSS portable file */
  STATFILE_DTA = 3,      /* Stata */
  STATFILE_SAS7BDAT = 4, /* SAS data set */
  STATFILE_XPT = 5       /* SAS transport (XPORT) */
} statfile_kind;

/* The kind of the file at `path`: by its first bytes (the SPSS "$FL2"/
** "$FL3" record, Stata's "<stata_dta>", the SAS magic number, the XPORT
** library header), whatever its name, else by its extension (.sav .zsav
** .por .dta .sas7bdat .xpt, any case: older Stata files and SPSS portable
** files have no signature). STATFILE_NONE for anything else. Cannot
** fail. */
statfile_kind statfile_kind_of(const char *path);

/* The kind of n bytes in memory, by their first bytes only (as above).
** Cannot fail. */
statfile_kind statfile_kind_of_bytes(const void *data, size_t n);

/* A short constant name: "SPSS", "SPSS portable", "Stata", "SAS", "SAS
** transport", or "" for STATFILE_NONE. */
const char *statfile_kind_name(statfile_kind k);

#define STATFILE_DEFAULT_MAX_BYTES ((size_t)1 << 30)

typedef struct statfile_options {
  /* Which variables to keep, asked once every variable is known and
  ** before any value is kept: return 1 to keep variable i (0-based;
  ** `label` is "" when there is none), 0 to leave its cells empty. NULL
  ** keeps every variable. Called on the caller's thread. */
  int (*keep)(void *ctx, size_t i, const char *name, const char *label);
  void *keep_ctx;
  size_t max_bytes;  /* the values kept, in bytes; 0 = STATFILE_DEFAULT_MAX_BYTES */
} statfile_options;

typedef struct statfile_row {
  size_t n;          /* fields: one per variable */
  char **fields;     /* NUL-terminated text, borrowed until the next call */
  char **alts;       /* n strings or NULLs (see above) */
  unsigned char *typed; /* per field: 1 for a number cell without a value
                           label or date format (its text is the stored
                           number's, not as a person typed it), else 0 */
  long row;          /* 0 for the header, else the case number (1-based) */
  size_t bad_field;  /* 1-based field that is not valid UTF-8, 0 if none */
  size_t bad_offset; /* byte offset of the bad sequence in it */
} statfile_row;

typedef struct statfile statfile;

/* Parse the file at `path` as a file of kind `kind` (not STATFILE_NONE)
** and keep the values opt->keep asks for (opt may be NULL). On success
** *out is a reader the caller closes with statfile_close. Returns
** CHISO_EIO (cannot open or read), CHISO_EDATA (not a valid file of that
** kind, or a malformed one: the message gives ReadStat's reason and, when
** known, the case and the variable; or more values than opt->max_bytes),
** CHISO_ENOMEM; *out is then NULL. */
int statfile_open(const char *path, statfile_kind kind, const statfile_options *opt,
                  statfile **out, chiso_err *err);

/* The same over n bytes in memory (borrowed during the call only); `name`
** is used in messages. Same contract as statfile_open. */
int statfile_open_mem(const void *data, size_t n, statfile_kind kind, const char *name,
                      const statfile_options *opt, statfile **out, chiso_err *err);

/* The next row: the header first, then every case. On success returns 0
** and sets *row to a row owned by the reader, valid until the next call,
** or NULL after the last case. Returns CHISO_ENOMEM (the reader is then
** finished). */
int statfile_next(statfile *f, statfile_row **row, chiso_err *err);

/* The number of variables and of cases. Cannot fail. */
size_t statfile_vars(const statfile *f);
long statfile_cases(const statfile *f);

/* The file's declared text encoding as ReadStat reports it ("UTF-8",
** "WINDOWS-1252", ...), or "" when the file declares none; "ISO-8859-1"
** when its text did not convert from that encoding and was read byte for
** byte as Latin-1 instead (legacy TCVN3/VNI text is then still
** recognised by io/source). Never NULL. */
const char *statfile_encoding(const statfile *f);

/* Close the reader and free everything. NULL is a no-op. */
void statfile_close(statfile *f);

/* Write days since 1970-01-01 plus `secs` seconds of the day as ISO 8601
** into buf (at least 24 bytes): "YYYY-MM-DD", with "THH:MM:SS" when
** `with_time`. Returns 0, or CHISO_EDATA for a year outside 1..9999.
** (Exposed for tests.) */
int statfile_iso_date(double days, double secs, int with_time, char *buf, size_t n);

#endif
