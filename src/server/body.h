/* body.h — the body of a request to the write side, received as it comes
** and bounded before anything reads it: an HTML form (urlencoded or
** multipart without a file), a JSON document, or an upload (one file in a
** multipart form, or the raw bytes of a file). Form fields are kept in
** memory (at most `fields` bytes in all); an uploaded file goes to a new
** file of its own in a private directory (at most `file` bytes: one byte
** more is a 413), named by the server ("up-XXXXXX.csv": only the
** extension comes from the client, from a fixed list), and is removed
** with the body. Nothing here trusts the client's file name.
**
** Failures are HTTP statuses: 400 (malformed), 413 (too large), 415 (a
** content type the route does not take), 500 (the server's own trouble). */
#ifndef CHISO_BODY_H
#define CHISO_BODY_H

#include "form.h"

#include <stddef.h>

typedef enum {
  BODY_NONE = 0,    /* no body */
  BODY_FORM = 1,    /* form fields */
  BODY_UPLOAD = 2,  /* a file (and form fields) */
  BODY_JSON = 3     /* a JSON document */
} body_kind;

typedef struct body_limits {
  size_t fields;     /* bytes of form fields or JSON */
  size_t file;       /* bytes of the uploaded file */
  const char *dir;   /* the private directory of uploaded files */
} body_limits;

typedef struct body body;

/* A receiver of a body of `kind` with this Content-Type (NULL: none). On
** success *out is new (body_free). Returns 0 or a status (415, 400, 500). */
int body_new(body_kind kind, const char *content_type, const body_limits *lim, body **out);

/* Take n more bytes. Returns 0 or a status (413, 400, 500). */
int body_feed(body *b, const char *data, size_t n);

/* The body is complete. Returns 0 or a status (400: malformed). */
int body_finish(body *b);

/* The form fields (urlencoded, or the fields of a multipart form). */
const form *body_form(const body *b);

/* The uploaded file: its path, or NULL when none was sent; *name the
** file name the client gave ("" when none; never used as a path), *size
** its bytes. */
const char *body_file(const body *b, const char **name, size_t *size);

/* The JSON text received (NUL-terminated) and its length. */
const char *body_json(const body *b, size_t *len);

/* The extension kept for an uploaded file of this client name
** ("csv", "xlsx", ... or "" when not one chiso reads). Static. */
const char *body_extension(const char *client_name);

/* Free the body and remove its file. NULL is a no-op. */
void body_free(body *b);

#endif
