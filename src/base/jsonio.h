/* jsonio.h — JSON text: reading it with errors located in the source, and
** the two rules every JSON output follows (numbers, layout). */
#ifndef CHISO_JSONIO_H
#define CHISO_JSONIO_H

#include "base/err.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Parse `len` bytes of JSON text (jansson `flags`, e.g. JSON_REJECT_DUPLICATES).
** On success returns 0 and sets *out to a new reference the caller releases
** with json_decref. On bad JSON returns CHISO_EDATA with err located at
** `name`:LINE:COL ("bad JSON: …") and sets *out to NULL. */
int jsonio_parse(const char *text, size_t len, size_t flags, const char *name, json_t **out,
                 chiso_err *err);

/* A number for a JSON output: null for NaN and +-inf (JSON has neither),
** else a real. The one rule for every number chiso writes as JSON; a
** field that is a count or a rank by its meaning uses json_integer. Never
** NULL unless out of memory. */
json_t *jsonio_number(double v);

/* Write `root` to f the one way chiso writes JSON (indent 2, keys in the
** order they were set, 17 significant digits, a final newline) and
** release it. Returns 0 or CHISO_EIO. */
int jsonio_dump(json_t *root, FILE *f);

/* ---- writing without a tree ----------------------------------------------------
** A hot output (the what-if) writes its values as they come instead of
** building a jansson tree: the same text as jsonio_dump of the tree (the
** layout, the number rule, jansson's escapes), byte for byte
** (tests/test_jsonio), at a third of the cost. Calls must nest as JSON does:
** in an object, jsonio_key before each value. Errors are kept and returned
** by jsonio_writer_end. Strings must be UTF-8: an invalid byte is written
** as U+FFFD (a tree refuses such a string). */
typedef struct jsonio_writer {
  FILE *f;
  int depth;              /* open containers */
  unsigned char fresh[64]; /* per depth: nothing written in it yet */
  int after_key;          /* a key was written: its value goes on its line */
  int failed;
  size_t n;
  char buf[8192];
} jsonio_writer;

/* Start writing to f (borrowed). Cannot fail. */
void jsonio_writer_init(jsonio_writer *w, FILE *f);

/* Containers; more than 63 levels deep is a programming error (assert). */
void jsonio_object_begin(jsonio_writer *w);
void jsonio_object_end(jsonio_writer *w);
void jsonio_array_begin(jsonio_writer *w);
void jsonio_array_end(jsonio_writer *w);

/* The key of the next value in an object (UTF-8). */
void jsonio_key(jsonio_writer *w, const char *key);

/* Values: a string (NULL: null), a number by jsonio_number's rule (null
** when not finite, else a real), an integer, null, true or false. */
void jsonio_string(jsonio_writer *w, const char *s);
void jsonio_real(jsonio_writer *w, double v);
void jsonio_integer(jsonio_writer *w, long long v);
void jsonio_null(jsonio_writer *w);
void jsonio_bool(jsonio_writer *w, int v);

/* End the text (its final newline) and write what is buffered. Returns 0,
** or CHISO_EIO when a write failed. */
int jsonio_writer_end(jsonio_writer *w);

#endif
