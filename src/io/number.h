/* number.h — reading numbers, one function per rule, so that every reader
** of a kind of file reads "1.250" the same way.
**
**   data     a table written by a program (COINr iData/iMeta, weights,
**            indicator and plan files, population counts): the plain C
**            decimal form, with markers for a missing value;
**   survey   an answer typed by a person (survey files): Vietnamese or
**            English digit grouping and decimal separators. */
#ifndef CHISO_NUMBER_H
#define CHISO_NUMBER_H

enum {
  NUMBER_OK = 0,      /* *out holds the number */
  NUMBER_MISSING = 1, /* a missing-value marker: *out is NaN */
  NUMBER_BAD = -1,    /* not a number by the rule: *out untouched */
  NUMBER_RANGE = -2   /* a number larger than NUMBER_DATA_MAX in size: *out untouched */
};

/* The largest size of a number in a data table: beyond it, differences
** and squares in the index engine (min-max ranges, variances) would
** overflow to infinity. */
#define NUMBER_DATA_MAX 1e100

/* Why number_parse_data refused a text, for messages: "not a number" or
** "out of range (at most 1e+100 in size)". Never NULL. */
const char *number_data_reason(int rc);

/* The data rule: optional sign, digits with one optional '.', an optional
** exponent (1e6, 2.5E-3); surrounding spaces ignored. Blank, "NA", "NaN",
** "." and "-" are missing. No thousands separators, no hexadecimal, no
** inf or nan words: a finite double only ("-0" gives 0), at most
** NUMBER_DATA_MAX in size (else NUMBER_RANGE). Cannot fail otherwise. */
int number_parse_data(const char *s, double *out);

/* The survey rule: a number as people type it in Vietnam or elsewhere:
** optional sign, digits with '.', ',', space or no-break-space thousands
** separators in groups of three, a decimal '.' or ','; with `percent`, an
** optional trailing '%'. Leading and trailing spaces are ignored; "-0"
** gives 0. Returns 0 and sets *out, or CHISO_EDATA when the text is not
** such a number (or overflows a double). */
int number_parse_survey(const char *s, int percent, double *out);

#endif
