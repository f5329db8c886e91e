/* strbuf.h — a growable UTF-8 string buffer for building documents (HTML,
** SVG) in memory before they are written in one go.
**
** A failed allocation makes the buffer "sticky-failed": later appends do
** nothing and strbuf_error() returns CHISO_ENOMEM, so writers can append freely
** and check once at the end. */
#ifndef CHISO_STRBUF_H
#define CHISO_STRBUF_H

#include <stddef.h>

typedef struct strbuf_buf {
  char *data;  /* NUL-terminated, owned; NULL until the first append */
  size_t len;  /* bytes used, without the NUL */
  size_t cap;  /* bytes allocated */
  int failed;  /* 1 after an allocation failure */
  int comma;   /* 1: strbuf_num writes a decimal comma (Vietnamese: 85,0) */
} strbuf_buf;

/* Initialise an empty buffer. Cannot fail. */
void strbuf_init(strbuf_buf *b);

/* Release the buffer's memory and reset it. NULL is a no-op. */
void strbuf_free(strbuf_buf *b);

/* Append a string / n bytes / a printf-formatted string. On allocation
** failure the buffer becomes failed and keeps its old contents. */
void strbuf_puts(strbuf_buf *b, const char *s);
void strbuf_putn(strbuf_buf *b, const char *s, size_t n);
void strbuf_printf(strbuf_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append s with &, <, >, " and ' escaped for HTML/XML text and attribute
** values. NULL appends nothing. */
void strbuf_esc(strbuf_buf *b, const char *s);

/* Append a number with `decimals` decimals, or `missing` when it is NaN;
** with a decimal comma when b->comma is set (only displayed numbers go
** through here, never SVG coordinates). */
void strbuf_num(strbuf_buf *b, double v, int decimals, const char *missing);

/* Format v with `decimals` decimals into buf (size n), with a decimal
** comma instead of the point when `comma` is 1. Cannot fail; the text is
** truncated to n - 1 bytes. */
void strbuf_fmt_num(char *buf, size_t n, double v, int decimals, int comma);

/* CHISO_ENOMEM when an append failed, else 0. */
int strbuf_error(const strbuf_buf *b);

/* Write the buffer to `path` atomically (a temporary file in the same
** directory, then rename), so a failure never leaves a partial file.
** Returns 0, or CHISO_EIO/CHISO_ENOMEM and fills err. */
struct chiso_err;
int strbuf_write_file(const strbuf_buf *b, const char *path, struct chiso_err *err);

#endif
