/* number.c — reading numbers, one function per rule (number.h). */
#include "io/number.h"

#include "base/err.h"

#include <assert.h>
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
typedef struct {
  size_t len;    /* bytes read (the text's length) */
  size_t digits; /* all of them */
  size_t frac;   /* after the '.' */
  size_t dot;    /* 1 with a '.' */
} decimal_shape;

static int fast_decimal_shape(const char *s, size_t n, double *out, decimal_shape *shape) {
  static const double p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t i = s[0] == '-', digits = 0, frac = 0, dot = 0;
  uint64_t m = 0;
  for (; i < n; i++) { /* n = SIZE_MAX: up to the NUL */
    unsigned d = (unsigned)(unsigned char)s[i] - '0';
    if (d < 10) {
      m = m * 10 + d;
      digits++;
      frac += dot;
    } else if (s[i] == '.' && !dot && digits) {
      dot = 1;
    } else if (!s[i] && n == SIZE_MAX) {
      break;
    } else {
      return -1;
    }
  }
  if (!digits || digits > 15 || (dot && !frac)) return -1;
  double v = (double)m / p10[frac];
  *out = s[0] == '-' && m ? -v : v; /* -0 reads as 0 */
  *shape = (decimal_shape){i, digits, frac, dot};
  return 0;
}

static int fast_decimal(const char *s, size_t n, double *out) {
  decimal_shape shape;
  return fast_decimal_shape(s, n, out, &shape);
}

int number_parse_survey(const char *s, int percent, double *out) {
  char body[128], clean[130];
  size_t w = 0;
  /* the common cell first ("591", "-12.5", nothing around it): the same
  ** value as below, without measuring and trimming the text */
  if (s[0] != ' ' && s[0] != '\t' && fast_decimal(s, SIZE_MAX, out) == 0) return CHISO_OK;
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


/* ---- a column of numbers ---------------------------------------------------------- */

void number_column_init(number_column *c, number_sep declared, int max_decimals) {
  memset(c, 0, sizeof *c);
  c->declared = declared;
  c->max_decimals = max_decimals;
}

/* Trim spaces and tabs, and with `percent` a trailing '%': the body of s
** as [*b, *b + *n). */
static void number_body(const char *s, int percent, const char **b, size_t *n) {
  while (*s == ' ' || *s == '\t') s++;
  size_t k = strlen(s);
  while (k && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
  if (percent && k && s[k - 1] == '%') {
    k--;
    while (k && s[k - 1] == ' ') k--;
  }
  *b = s;
  *n = k;
}

/* The separator of an ambiguous body, sign allowed: one to three digits
** (not starting with 0), one '.' or ',', exactly three digits. 0 when the
** body is not ambiguous. */
static char ambiguous_sep(const char *s, size_t n) {
  size_t i = s[0] == '-' || s[0] == '+', d = 0;
  if (i < n && s[i] == '0') return 0;
  for (; i < n && isdigit((unsigned char)s[i]); i++) d++;
  if (d < 1 || d > 3 || i >= n || (s[i] != '.' && s[i] != ',')) return 0;
  char sep = s[i++];
  size_t f = 0;
  for (; i < n && isdigit((unsigned char)s[i]); i++) f++;
  return f == 3 && i == n ? sep : 0;
}

/* The decimal separator a number's text shows, or UNKNOWN: the last of
** '.' and ',' when both appear, the other one when one of them repeats
** (it groups thousands), the one alone otherwise. Call only for a body
** that parsed and is not ambiguous. */
static number_sep shown_sep(const char *s, size_t n) {
  size_t dots = 0, commas = 0;
  const char *last = NULL;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '.') dots++, last = s + i;
    else if (s[i] == ',') commas++, last = s + i;
  }
  if (dots && commas) return *last == '.' ? NUMBER_SEP_DOT : NUMBER_SEP_COMMA;
  if (dots > 1) return NUMBER_SEP_COMMA;
  if (commas > 1) return NUMBER_SEP_DOT;
  if (dots) return NUMBER_SEP_DOT;
  if (commas) return NUMBER_SEP_COMMA;
  return NUMBER_SEP_UNKNOWN;
}

/* The two readings of an ambiguous body: thousands (1.250 = 1250) and
** decimal (1.250 = 1.25). */
static void two_readings(const char *s, size_t n, double *grouped, double *decimal) {
  int neg = s[0] == '-';
  size_t i = s[0] == '-' || s[0] == '+';
  double ip = 0, fp = 0;
  for (; i < n && isdigit((unsigned char)s[i]); i++) ip = ip * 10 + (s[i] - '0');
  for (i++; i < n; i++) fp = fp * 10 + (s[i] - '0');
  *grouped = (neg ? -1 : 1) * (ip * 1000 + fp);
  *decimal = (neg ? -1 : 1) * (ip + fp / 1000);
}

/* The reading the declaration gives: 1 grouped, 0 decimal, -1 none. */
static int declared_reading(const number_column *c, char sep) {
  if (c->declared == NUMBER_SEP_DOT) return sep == ',';
  if (c->declared == NUMBER_SEP_COMMA) return sep == '.';
  if (c->max_decimals >= 0 && c->max_decimals < 3) return 1;
  return -1;
}

static void keep_example(char *ex, size_t cap, const char *s, size_t n) {
  if (ex[0]) return;
  if (n >= cap) n = cap - 1;
  memcpy(ex, s, n);
  ex[n] = '\0';
}

int number_column_read(number_column *c, number_rule rule, const char *s, double *out) {
  /* The common cell ("591", "-12.5": fast_decimal's form, nothing around
  ** it) in one pass: what the steps below make of it. Not the ambiguous
  ** form (1 to 3 digits not led by 0, '.', three digits), nor a dot in a
  ** column declared with decimal commas, nor the data rule's range: those
  ** take the steps. */
  decimal_shape sh;
  double fv;
  if (s[0] != ' ' && s[0] != '\t' && fast_decimal_shape(s, SIZE_MAX, &fv, &sh) == 0 &&
      !(sh.dot && sh.frac == 3 && sh.digits - sh.frac <= 3 && s[s[0] == '-'] != '0') &&
      !(sh.dot && c->declared && c->declared != NUMBER_SEP_DOT) &&
      !(rule == NUMBER_DATA && fabs(fv) > NUMBER_DATA_MAX)) {
    if (sh.dot && !c->n_dot++) keep_example(c->dot_example, sizeof c->dot_example, s, sh.len);
    *out = fv;
    return NUMBER_OK;
  }
  const char *b;
  size_t n;
  number_body(s, rule == NUMBER_PERCENT, &b, &n);
  if (rule == NUMBER_DATA && is_missing_marker(b, n)) {
    *out = NAN;
    return NUMBER_MISSING;
  }
  char sep = n ? ambiguous_sep(b, n) : 0;
  if (sep) {
    double g, d;
    int how = declared_reading(c, sep);
    two_readings(b, n, &g, &d);
    *out = how < 0 ? NAN : how ? g : d;
    return how < 0 ? NUMBER_AMBIGUOUS : NUMBER_OK;
  }
  double v;
  if (number_parse_survey(s, rule == NUMBER_PERCENT, &v)) return NUMBER_BAD;
  if (rule == NUMBER_DATA && fabs(v) > NUMBER_DATA_MAX) return NUMBER_RANGE;
  number_sep shown = shown_sep(b, n);
  if (c->declared && shown && shown != c->declared) return NUMBER_BAD;
  if (shown == NUMBER_SEP_DOT && !c->n_dot++)
    keep_example(c->dot_example, sizeof c->dot_example, b, n);
  if (shown == NUMBER_SEP_COMMA && !c->n_comma++)
    keep_example(c->comma_example, sizeof c->comma_example, b, n);
  *out = v;
  return NUMBER_OK;
}

/* The reading the evidence of c gives: 1 grouped, 0 decimal, -1 none. */
static int shown_reading(const number_column *c, char sep) {
  if (!c) return -1;
  if (c->n_dot && !c->n_comma) return sep == ',';
  if (c->n_comma && !c->n_dot) return sep == '.';
  return -1;
}

void number_column_add(number_column *to, const number_column *from) {
  if (from->n_dot && !to->n_dot) memcpy(to->dot_example, from->dot_example, sizeof to->dot_example);
  if (from->n_comma && !to->n_comma)
    memcpy(to->comma_example, from->comma_example, sizeof to->comma_example);
  to->n_dot += from->n_dot;
  to->n_comma += from->n_comma;
}

int number_column_settle(const number_column *c, const number_column *file, number_rule rule,
                         const char *s, double lo, double hi, double *out) {
  const char *b;
  size_t n;
  number_body(s, rule == NUMBER_PERCENT, &b, &n);
  char sep = n ? ambiguous_sep(b, n) : 0;
  assert(sep);
  double g, d;
  two_readings(b, n, &g, &d);
  int how = declared_reading(c, sep);
  if (how < 0 && !(c->n_dot && c->n_comma)) { /* a column that mixes decides nothing */
    how = shown_reading(c, sep);
    if (how < 0) how = shown_reading(file, sep);
  }
  if (how < 0) {
    int g_in = !(g < lo) && !(g > hi), d_in = !(d < lo) && !(d > hi);
    if (g_in != d_in) how = g_in;
  }
  *out = how < 0 ? NAN : how ? g : d;
  return how < 0 ? NUMBER_AMBIGUOUS : NUMBER_OK;
}

void number_column_explain(const number_column *c, const number_column *file, const char *s,
                           char *buf, size_t n) {
  const char *b;
  size_t len;
  number_body(s, 1, &b, &len);
  char sep = len ? ambiguous_sep(b, len) : 0;
  double g = NAN, d = NAN;
  if (sep) two_readings(b, len, &g, &d);
  int w = snprintf(buf, n, "ambiguous number \"%.*s\": %.17g with '%c' grouping thousands or %.17g "
                   "with '%c' as the decimal separator, ",
                   (int)(len > 40 ? 40 : len), b, g, sep ? sep : '.', d, sep ? sep : '.');
  if (w < 0 || (size_t)w >= n) return;
  if (c->n_dot && c->n_comma)
    snprintf(buf + w, n - (size_t)w, "and the column uses both (\"%s\" and \"%s\")",
             c->dot_example, c->comma_example);
  else if (file && file->n_dot && file->n_comma)
    snprintf(buf + w, n - (size_t)w,
             "and no other value of the column shows which (the file uses both: \"%s\" and "
             "\"%s\")", file->dot_example, file->comma_example);
  else
    snprintf(buf + w, n - (size_t)w, "and no other value of the column or the file shows which");
}
