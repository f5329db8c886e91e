/* csvwrite.h — writing RFC 4180 CSV. */
#ifndef CHISO_CSVWRITE_H
#define CHISO_CSVWRITE_H

#include <stdio.h>

/* Write one field, quoted when it holds a comma, quote, CR or LF (quotes
** doubled). `first` is 1 for the first field of a row (no comma before it).
** NULL is written as an empty field. A text that a spreadsheet would take
** for a formula (csvwrite_formula_like) is written after an apostrophe
** ('=1+1), as OWASP advises against CSV injection: Excel, LibreOffice and
** Google Sheets then show it as text. Returns 0 or CHISO_EIO. */
int csvwrite_field(FILE *f, const char *value, int first);

/* 1 when `value` starts with '=', '+', '-', '@', TAB or CR, has more
** than that one character, and is not a plain number by the data rule
** ("-1.5" and "+3" stay numbers; a lone "-" is text, not a formula).
** Cannot fail. */
int csvwrite_formula_like(const char *value);

/* Write a double as %.17g (the shortest form that reads back exactly is
** not needed: 17 digits always round-trip), or an empty field for NaN and
** +-infinity.
** Returns 0 or CHISO_EIO. */
int csvwrite_number(FILE *f, double value, int first);

/* Write n fields and a line end ("\r\n" when crlf, else "\n"). Returns 0
** or CHISO_EIO (the row may then be partly written). */
int csvwrite_row(FILE *f, const char *const *values, int n, int crlf);

/* End the current row. Returns 0 or CHISO_EIO. */
int csvwrite_end_row(FILE *f, int crlf);

/* The UTF-8 byte order mark, so that Excel shows Vietnamese correctly.
** Returns 0 or CHISO_EIO. */
int csvwrite_bom(FILE *f);

#endif
