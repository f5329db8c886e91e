/* hdoc.h — an HTML document built in memory: markup the page code writes
** itself, and every value from data escaped where it is written (text and
** attribute values alike), numbers in the page's language (a decimal
** comma in Vietnamese). A failed allocation makes the document fail once,
** checked at the end. */
#ifndef CHISO_HDOC_H
#define CHISO_HDOC_H

#include <stddef.h>

typedef struct hdoc {
  char *data;   /* NUL-terminated, malloc'ed; NULL until the first append */
  size_t len, cap;
  int failed;   /* 1 after an allocation failure */
  int comma;    /* 1: numbers with a decimal comma */
} hdoc;

/* An empty document for `lang` ("vi": decimal comma). Cannot fail. */
void hdoc_init(hdoc *d, const char *lang);

/* Free the document's memory. NULL is a no-op. */
void hdoc_free(hdoc *d);

/* Take the bytes (malloc'ed, NUL-terminated; *len their length) and
** empty the document; NULL when it failed. */
char *hdoc_take(hdoc *d, size_t *len);

/* Append markup written by the page code itself (never data). */
void hdoc_raw(hdoc *d, const char *s);
void hdoc_rawn(hdoc *d, const char *s, size_t n);

/* Append markup from a format: every %s argument must itself be markup
** or already escaped; data goes through hdoc_text. */
void hdoc_printf(hdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append text with &, <, >, " and ' escaped: safe in element content and
** in a quoted attribute value. NULL appends nothing. */
void hdoc_text(hdoc *d, const char *s);

/* Append s percent-encoded for a URL query value (then safe in an
** attribute as well). */
void hdoc_url(hdoc *d, const char *s);

/* Append a number with `dec` decimals in the document's language, or "–"
** for NaN. */
void hdoc_num(hdoc *d, double v, int dec);

#endif
