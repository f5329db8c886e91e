/* number.c — reading numbers, one function per rule (number.h). */
#include "io/number.h"

#include "base/err.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the data rule ------------------------------------------------------------ */

/* The markers of a missing value in a data table (R writes NA, pandas
** NaN, SPSS and Stata export '.'; '-' is the blank of printed tables). */
static int is_missing_marker(const char *s, size_t n) {
  return n == 0 || (n == 2 && !strncasecmp(s, "NA", 2)) || (n == 3 && !strncasecmp(s, "NaN", 3)) ||
         (n == 1 && (*s == '.' || *s == '-'));
}

/* Digits with one optional decimal point and an optional exponent, after
** an optional sign: the C locale's plain decimal form, nothing else (no
** hexadecimal, no inf/nan words, no separators). */
static int plain_decimal(const char *s, size_t n) {
  size_t i = s[0] == '-' || s[0] == '+', digits = 0;
  for (; i < n && isdigit((unsigned char)s[i]); i++) digits++;
  if (i < n && s[i] == '.')
    for (i++; i < n && isdigit((unsigned char)s[i]); i++) digits++;
  if (!digits) return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    size_t e = ++i;
    if (i < n && (s[i] == '-' || s[i] == '+')) e = ++i;
    while (i < n && isdigit((unsigned char)s[i])) i++;
    if (i == e) return 0;
  }
  return i == n;
}

int number_parse_data(const char *s, double *out) {
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1])) n--;
  if (is_missing_marker(s, n)) {
    *out = NAN;
    return NUMBER_MISSING;
  }
  char buf[128], *end;
  if (n >= sizeof buf || !plain_decimal(s, n)) return NUMBER_BAD;
  memcpy(buf, s, n);
  buf[n] = '\0';
  errno = 0;
  double v = strtod(buf, &end);
  if (*end || !isfinite(v)) return NUMBER_BAD;
  if (fabs(v) > NUMBER_DATA_MAX) return NUMBER_RANGE;
  *out = v + 0.0; /* -0 reads as 0 */
  return NUMBER_OK;
}

const char *number_data_reason(int rc) {
  return rc == NUMBER_RANGE ? "out of range (at most 1e+100 in size)" : "not a number";
}

/* ---- the survey rule ------------------------------------------------------------ */

/* Is s[i] the start of a space used to group digits (space, NBSP, NNBSP)?
** Returns its length in bytes, or 0. */
static size_t group_space(const char *s) {
  if (*s == ' ') return 1;
  if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) return 2;
  if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xAF)
    return 3;
  return 0;
}

/* Check digit groups "1", "12", "123" then ",456" ... and copy the digits. */
static int grouped_digits(const char *s, size_t n, char sep, char *out, size_t *w) {
  size_t run = 0, groups = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] >= '0' && s[i] <= '9') {
      out[(*w)++] = s[i];
      run++;
      continue;
    }
    if (s[i] != sep || run == 0 || (groups == 0 && run > 3) || (groups > 0 && run != 3))
      return -1;
    groups++;
    run = 0;
  }
  return run == 0 || (groups > 0 && run != 3) ? -1 : 0;
}

/* Split at the decimal separator and rebuild "digits.digits". */
static int normalise_number(const char *s, size_t n, char *out, size_t cap) {
  size_t dots = 0, commas = 0, spaces = 0;
  const char *last_dot = NULL, *last_comma = NULL;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '.') dots++, last_dot = s + i;
    else if (s[i] == ',') commas++, last_comma = s + i;
    else if (s[i] == ' ') spaces++;
    else if (s[i] < '0' || s[i] > '9') return -1;
  }
  if (n + 2 > cap) return -1;
  const char *dec = NULL;
  char thou = spaces ? ' ' : 0;
  if (dots && commas) { /* both: the last one is decimal */
    dec = last_dot > last_comma ? last_dot : last_comma;
    if ((dec == last_dot ? dots : commas) != 1 || spaces) return -1;
    thou = dec == last_dot ? ',' : '.';
  } else if (dots + commas == 1) {
    dec = dots ? last_dot : last_comma;
  } else if (dots + commas > 1) {
    if (spaces) return -1;
    thou = dots ? '.' : ',';
  }
  size_t w = 0, int_len = dec ? (size_t)(dec - s) : n;
  if (thou) {
    if (grouped_digits(s, int_len, thou, out, &w)) return -1;
  } else {
    memcpy(out, s, int_len);
    w = int_len;
  }
  if (int_len == 0 && !dec) return -1;
  if (dec) {
    size_t frac = n - int_len - 1;
    if (frac == 0 && int_len == 0) return -1;
    out[w++] = '.';
    for (size_t i = 0; i < frac; i++) {
      if (dec[1 + i] < '0' || dec[1 + i] > '9') return -1;
      out[w++] = dec[1 + i];
    }
  }
  out[w] = '\0';
  return 0;
}

/* The common machine form "591", "-12.5" with at most 15 digits: the digits
** form an exact integer m < 2^53 and 10^f (f <= 15) is exact, so m / 10^f
** is one correctly rounded division, the double strtod gives (Clinger,
** "How to read floating point numbers accurately", PLDI 1990). Returns
** -1 for any other text (the general path decides). */
static int fast_decimal(const char *s, size_t n, double *out) {
  static const double p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t i = s[0] == '-', digits = 0, frac = 0, dot = 0;
  uint64_t m = 0;
  for (; i < n; i++) {
    if (s[i] >= '0' && s[i] <= '9') {
      m = m * 10 + (uint64_t)(s[i] - '0');
      digits++;
      frac += dot;
    } else if (s[i] == '.' && !dot && digits) {
      dot = 1;
    } else {
      return -1;
    }
  }
  if (!digits || digits > 15 || (dot && !frac)) return -1;
  double v = (double)m / p10[frac];
  *out = s[0] == '-' && m ? -v : v; /* -0 reads as 0 */
  return 0;
}

int number_parse_survey(const char *s, int percent, double *out) {
  char body[128], clean[130];
  size_t w = 0;
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  if (percent && n && s[n - 1] == '%') {
    n--;
    while (n && s[n - 1] == ' ') n--;
  }
  if (n == 0 || n >= sizeof body) return CHISO_EDATA;
  if (fast_decimal(s, n, out) == 0) return CHISO_OK;
  /* Machine form first: "12", "-0.35", "1e6". */
  char *end;
  double v;
  memcpy(body, s, n);
  body[n] = '\0';
  if (strspn(body, "0123456789.eE+-") == n) {
    v = strtod(body, &end);
    if (end == body + n) return isfinite(v) ? (*out = v + 0.0, CHISO_OK) : CHISO_EDATA;
  }
  /* People's form: sign, then digits with separators. */
  size_t i = 0;
  int neg = 0;
  if (s[0] == '-' || s[0] == '+') neg = s[i++] == '-';
  while (i < n) {
    size_t g = group_space(s + i);
    body[w++] = g ? ' ' : s[i];
    i += g ? g : 1;
  }
  body[w] = '\0';
  clean[0] = '-';
  if (normalise_number(body, w, clean + 1, sizeof clean - 1)) return CHISO_EDATA;
  v = strtod(neg ? clean : clean + 1, &end);
  if (*end || !isfinite(v)) return CHISO_EDATA;
  *out = v + 0.0;
  return CHISO_OK;
}

