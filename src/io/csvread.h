/* csvread.h — reading CSV files (RFC 4180) of any common origin.
**
** The reader streams UTF-8 input through a growing buffer, so memory is
** bounded by the longest row, not the file. It accepts a UTF-8 byte order
** mark, CRLF or LF line ends (or a mix), quoted fields with embedded
** delimiters, doubled quotes and line breaks, and detects the delimiter
** among ',', ';' and TAB from the first record.
**
** Other encodings are decoded to UTF-8 first (the whole file is read into
** memory then): UTF-16 LE/BE, with a BOM or detected from NUL bytes
** (Excel's "Unicode text"), and Windows-1258, the legacy Vietnamese code
** page, whose combining tone marks are composed to NFC, and the legacy
** font encodings TCVN3 (ABC) and VNI (io/vnlegacy). When the start of the
** file is not UTF-8, it is decoded as each of these three and the one
** whose words are Vietnamese syllables wins (Windows-1258 also when it
** merely has tone-mark bytes after letters). Asked for TCVN3 or VNI, a
** file that is valid UTF-8 is read as UTF-8: its text holds the legacy
** bytes as characters, which the caller converts cell by cell.
**
** Rows are numbered as a spreadsheet would show them: the header is row 1,
** a blank line is a row (skipped, never returned), and a quoted field with
** line breaks keeps its record on one row. Columns are 1-based. */
#ifndef CHISO_CSVREAD_H
#define CHISO_CSVREAD_H

#include "base/err.h"

#include <stddef.h>

typedef enum {
  CSVREAD_ENC_AUTO = 0,    /* BOM, then UTF-16 by NUL bytes, then Windows-1258 heuristics */
  CSVREAD_ENC_UTF8 = 1,
  CSVREAD_ENC_UTF16LE = 2,
  CSVREAD_ENC_UTF16BE = 3,
  CSVREAD_ENC_CP1258 = 4,
  CSVREAD_ENC_TCVN3 = 5,   /* legacy Vietnamese: TCVN 5712:1993 (ABC), io/vnlegacy */
  CSVREAD_ENC_VNI = 6      /* legacy Vietnamese: VNI Windows */
} csvread_encoding;

/* The default limit on one field: survey answers are short, so a longer
** field is almost always a broken file (an unclosed quote). */
#define CSVREAD_DEFAULT_MAX_FIELD (64 * 1024)
/* Hard limit on one whole row, whatever max_field says. */
#define CSVREAD_MAX_ROW (64 * 1024 * 1024)
/* Hard limit on the fields of a row: Excel's 16,384 columns (XFD). A
** wider row is CHISO_EDATA, so that a line of commas cannot make millions
** of fields. */
#define CSVREAD_MAX_FIELDS 16384

typedef struct csvread_options {
  csvread_encoding encoding; /* CSVREAD_ENC_AUTO to detect */
  char delimiter;         /* 0 to detect among ',', ';' and '\t' */
  size_t max_field;       /* bytes; 0 means CSVREAD_DEFAULT_MAX_FIELD */
  long long max_bytes;    /* csvread_open: the file's size limit; 0 = none */
  int bytewise;           /* 1: cut every record byte by byte, never with vector
                             compares (the tests compare both ways: same rows,
                             same errors) */
  /* csvread_open: called with the file's bytes as they are read, in order,
  ** each once, on the thread that reads (e.g. to hash the file in the same
  ** pass); NULL: none. */
  void (*on_read)(void *ctx, const void *bytes, size_t n);
  void *on_read_ctx;
} csvread_options;

typedef struct csvread_row {
  size_t n;              /* number of fields (>= 1) */
  char **fields;         /* n NUL-terminated UTF-8 strings (not validated) */
  size_t *lens;          /* their lengths in bytes */
  long row;              /* spreadsheet row number (header = 1) */
  long line;             /* physical line where the record starts */
  size_t bad_utf8_field; /* 1-based field holding invalid UTF-8, 0 if none */
  size_t bad_utf8_offset;/* byte offset of the bad sequence in that field */
} csvread_row;

typedef struct csvread csvread;

/* Open the CSV file at `path` (opt may be NULL for defaults): a regular
** file (textfile_open: never a FIFO or a device), of at most
** opt->max_bytes when that is set (checked again while reading, for a file
** that grows). On success *out is a reader the caller closes with
** csvread_close. Returns CHISO_EIO (cannot open or read), CHISO_EDATA
** (not a regular file, too large, undecodable input, with location) or
** CHISO_ENOMEM, and leaves *out NULL. */
int csvread_open(const char *path, const csvread_options *opt, csvread **out, chiso_err *err);

/* The same over n bytes in memory (copied); `name` is used in errors.
** Same contract as csvread_open. */
int csvread_open_mem(const char *data, size_t n, const char *name, const csvread_options *opt,
                  csvread **out, chiso_err *err);

/* Read the next non-blank record. On success returns 0 and sets *row to a
** row owned by the reader, valid until the next call (NULL at the end of
** the file). Returns CHISO_EDATA for an unclosed quote, a stray character
** after a closing quote or a field over the limit (err names the row and
** column), a NUL byte inside a record (hint CHISO_HINT_ENCODING) or more
** than CSVREAD_MAX_FIELDS fields, or CHISO_EIO / CHISO_ENOMEM. After an
** error the reader is finished: further calls return the same error. */
int csvread_next(csvread *r, csvread_row **row, chiso_err *err);

/* The delimiter in use and the encoding the input was read as. */
char csvread_delimiter(const csvread *r);
csvread_encoding csvread_encoding_used(const csvread *r);

/* Close the reader and free everything. NULL is a no-op. */
void csvread_close(csvread *r);

/* Parse an encoding name: "auto", "utf-8"/"utf8", "utf-16le", "utf-16be",
** "utf-16" (with a BOM, else little endian), "windows-1258"/"cp1258",
** "tcvn3"/"tcvn"/"abc", "vni".
** Case does not matter. Returns 0, or CHISO_EUSAGE for an unknown name. */
int csvread_parse_encoding(const char *name, csvread_encoding *out);

/* A constant display name for an encoding, e.g. "UTF-16LE", "TCVN3". */
const char *csvread_encoding_name(csvread_encoding enc);

/* Decode n bytes in encoding `enc` (not AUTO, no BOM expected) into new
** NUL-terminated NFC UTF-8 text: *out (caller frees with chiso_free) and
** *out_len. Returns CHISO_EDATA for an undefined byte or a broken
** surrogate (err gives the byte offset in the message and `name` as
** file), or CHISO_ENOMEM. */
int csvread_decode(const char *in, size_t n, csvread_encoding enc, const char *name, char **out,
                size_t *out_len, chiso_err *err);

#endif
