/* hdoc.h — an HTML document written in memory (open_memstream): markup
** the page code writes itself, and every value from data escaped where it
** is written (text and attribute values alike), numbers in the page's
** language (a decimal comma in Vietnamese). A failure to allocate is
** remembered and reported once, when the document is taken. */
#ifndef CHISO_HDOC_H
#define CHISO_HDOC_H

#include <stddef.h>
#include <stdio.h>

typedef struct hdoc {
  FILE *f;      /* the memory stream; NULL when it could not be made */
  char *data;   /* its buffer (valid after hdoc_take) */
  size_t len;
  int comma;    /* 1: numbers with a decimal comma */
} hdoc;

/* An empty document for `lang` ("vi": decimal comma). Cannot fail (a
** stream that cannot be made shows as a failed document). */
void hdoc_init(hdoc *d, const char *lang);

/* Free the document. NULL is a no-op. */
void hdoc_free(hdoc *d);

/* Take the bytes (malloc'ed, NUL-terminated; *len their length) and end
** the document; NULL when any write failed. */
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
