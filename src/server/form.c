/* form.c — urlencoded form bodies (form.h). */
#include "form.h"

#include <stdlib.h>
#include <string.h>

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decode s[0..n) into a new string; NULL for a bad escape or a NUL byte
** (*bad = 1) or out of memory (*bad = 0). */
static char *decode(const char *s, size_t n, int *bad) {
  char *out = malloc(n + 1);
  size_t o = 0;
  *bad = 0;
  if (!out) return NULL;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      int a = i + 1 < n ? hexval(s[i + 1]) : -1, b = i + 2 < n ? hexval(s[i + 2]) : -1;
      if (a < 0 || b < 0) {
        *bad = 1;
        break;
      }
      c = (char)(a * 16 + b);
      i += 2;
    }
    if (c == '\0') {
      *bad = 1;
      break;
    }
    out[o++] = c;
  }
  if (*bad) {
    free(out);
    return NULL;
  }
  out[o] = '\0';
  return out;
}

int form_add(form *f, const char *key, size_t key_len, const char *value, size_t value_len) {
  form_field *grown = realloc(f->fields, (f->n + 1) * sizeof *grown);
  if (!grown) return -2;
  f->fields = grown;
  char *k = malloc(key_len + 1), *v = malloc(value_len + 1);
  if (!k || !v) {
    free(k);
    free(v);
    return -2;
  }
  memcpy(k, key, key_len);
  k[key_len] = '\0';
  memcpy(v, value, value_len);
  v[value_len] = '\0';
  f->fields[f->n].key = k;
  f->fields[f->n++].value = v;
  return 0;
}

int form_parse(const char *body, size_t n, size_t max_fields, form *out) {
  memset(out, 0, sizeof *out);
  int rc = 0;
  for (size_t i = 0; i < n && !rc;) {
    size_t end = i;
    while (end < n && body[end] != '&') end++;
    if (end > i) { /* "a&&b": empty pieces are skipped */
      size_t eq = i;
      while (eq < end && body[eq] != '=') eq++;
      int bad_k = 0, bad_v = 0;
      char *k = decode(body + i, eq - i, &bad_k);
      char *v = decode(body + (eq < end ? eq + 1 : end), eq < end ? end - eq - 1 : 0, &bad_v);
      if (bad_k || bad_v) rc = -1;
      else if (!k || !v) rc = -2;
      else if (out->n == max_fields) rc = -1;
      else rc = form_add(out, k, strlen(k), v, strlen(v));
      free(k);
      free(v);
    }
    i = end + 1;
  }
  if (rc) form_clear(out);
  return rc;
}

const char *form_get(const form *f, const char *key) {
  for (size_t i = 0; i < f->n; i++)
    if (strcmp(f->fields[i].key, key) == 0) return f->fields[i].value;
  return NULL;
}

size_t form_get_all(const form *f, const char *key, const char **values, size_t max) {
  size_t k = 0;
  for (size_t i = 0; i < f->n; i++)
    if (strcmp(f->fields[i].key, key) == 0) {
      if (k < max) values[k] = f->fields[i].value;
      k++;
    }
  return k;
}

void form_clear(form *f) {
  if (!f) return;
  for (size_t i = 0; i < f->n; i++) {
    free(f->fields[i].key);
    free(f->fields[i].value);
  }
  free(f->fields);
  memset(f, 0, sizeof *f);
}
