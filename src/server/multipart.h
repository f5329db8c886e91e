/* multipart.h — a multipart/form-data request body (RFC 7578 over RFC
** 2046, section 5.1.1) read as a stream: bytes come in chunks of any size;
** each part's header section is read whole (at most MULTIPART_MAX_HEADER
** bytes) and its content is handed to a sink as it comes, never held
** whole, so an upload of any size costs a few kilobytes here.
**
** Bounded and strict: a boundary of 1 to 70 characters, at most
** MULTIPART_MAX_PARTS parts, every part a "form-data" one with a name;
** anything else is malformed (MULTIPART_EBAD), never guessed at. */
#ifndef CHISO_MULTIPART_H
#define CHISO_MULTIPART_H

#include <stddef.h>

#define MULTIPART_MAX_HEADER 8192
#define MULTIPART_MAX_PARTS 64
#define MULTIPART_EBAD (-1)

/* What a part's headers say. */
typedef struct multipart_part {
  char name[128];       /* the field's name */
  char filename[256];   /* the file name as sent (quoted-string decoded) */
  int has_filename;     /* 1 when the part is a file (filename="" too) */
  char type[128];       /* its Content-Type, "" when none */
} multipart_part;

/* Where the parts go. A non-zero return stops the body with that code
** (e.g. 413 for a file over its limit). */
typedef struct multipart_sink {
  int (*begin)(void *ctx, const multipart_part *p);
  int (*data)(void *ctx, const char *d, size_t n);
  int (*end)(void *ctx);
  void *ctx;
} multipart_sink;

typedef struct multipart multipart;

/* The boundary parameter of a Content-Type value "multipart/form-data;
** boundary=..." (a token or a quoted string) into out (n >= 71 bytes).
** Returns 0, or -1 for another type or a bad or missing boundary. */
int multipart_boundary(const char *content_type, char *out, size_t n);

/* A reader for `boundary` feeding `sink` (copied). NULL out of memory or
** for a bad boundary. Free with multipart_free. */
multipart *multipart_new(const char *boundary, const multipart_sink *sink);

/* Read n more bytes. Returns 0, MULTIPART_EBAD (malformed: the reader is
** then finished), or the sink's code. */
int multipart_feed(multipart *m, const char *data, size_t n);

/* The end of the body: 0 when the closing boundary was read, else
** MULTIPART_EBAD. */
int multipart_finish(multipart *m);

/* Free. NULL is a no-op. */
void multipart_free(multipart *m);

#endif
