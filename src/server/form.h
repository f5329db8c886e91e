/* form.h — an HTML form body, application/x-www-form-urlencoded (the
** WHATWG URL standard's form parser: "&"-separated "name=value" pairs,
** '+' for a space, %XX escapes), read whole and bounded: at most
** max_fields fields; a field with a bad escape or a NUL byte makes the
** whole body malformed (a front end answers 400), never a guess. */
#ifndef CHISO_FORM_H
#define CHISO_FORM_H

#include <stddef.h>

typedef struct form_field {
  char *key, *value;  /* decoded, NUL-terminated, owned by the form */
} form_field;

typedef struct form {
  form_field *fields;
  size_t n;
} form;

/* Parse n bytes of body into *out (emptied first). Returns 0, -1 when
** malformed or over max_fields (*out is then empty), -2 out of memory. */
int form_parse(const char *body, size_t n, size_t max_fields, form *out);

/* The first value of `key`, NULL when absent. Cannot fail. */
const char *form_get(const form *f, const char *key);

/* Up to max values of `key` in order into values; returns how many there
** are in all. Cannot fail. */
size_t form_get_all(const form *f, const char *key, const char **values, size_t max);

/* Free what the form holds and empty it. NULL is a no-op. */
void form_clear(form *f);

/* Add a field (copies of key and value). Returns 0 or -2 out of memory. */
int form_add(form *f, const char *key, size_t key_len, const char *value, size_t value_len);

#endif
