/* body.c — request bodies of the write side (body.h). */
#include "body.h"

#include "multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct body {
  body_kind kind;
  body_limits lim;
  int urlencoded;        /* a form body to parse at the end */
  char *buf;             /* urlencoded or JSON text */
  size_t len;
  form fields;
  size_t field_bytes;
  multipart *mp;
  /* the multipart part being read */
  int in_file;           /* 1: the part goes to the file */
  int in_field;          /* 1: the part is a field */
  char field_name[128];
  char *field;           /* its value so far */
  size_t field_len;
  /* the uploaded file */
  FILE *f;
  char path[4096];
  char name[256];        /* as the client gave it */
  size_t size;
  int has_file;
};

const char *body_extension(const char *client_name) {
  static const char *const known[] = {"csv", "tsv", "txt", "xlsx", "xlsm", "sav", "zsav", "por",
                                      "dta", "sas7bdat", "xpt"};
  const char *dot = client_name ? strrchr(client_name, '.') : NULL;
  for (size_t i = 0; dot && i < sizeof known / sizeof known[0]; i++)
    if (strcasecmp(dot + 1, known[i]) == 0) return known[i];
  return "";
}

/* The extension of a raw upload from its Content-Type. */
static const char *type_extension(const char *type) {
  if (!type) return "";
  if (strncasecmp(type, "text/csv", 8) == 0) return "csv";
  if (strncasecmp(type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 65) == 0) return "xlsx";
  return "";
}

/* Open the file of the upload (an extension from the fixed list). */
static int open_file(body *b, const char *ext) {
  char suffix[16] = "";
  if (*ext) snprintf(suffix, sizeof suffix, ".%s", ext);
  snprintf(b->path, sizeof b->path, "%s/up-XXXXXX%s", b->lim.dir, suffix);
  int fd = mkstemps(b->path, (int)strlen(suffix));
  if (fd < 0) {
    b->path[0] = '\0';
    return 500;
  }
  b->f = fdopen(fd, "wb");
  if (!b->f) {
    close(fd);
    return 500;
  }
  b->has_file = 1;
  return 0;
}

static int file_data(body *b, const char *d, size_t n) {
  if (b->size + n > b->lim.file) return 413;
  b->size += n;
  return fwrite(d, 1, n, b->f) == n ? 0 : 500;
}

/* ---- multipart parts ----------------------------------------------------------------------------- */

static int part_begin(void *ctx, const multipart_part *p) {
  body *b = ctx;
  if (p->has_filename) {
    if (b->kind != BODY_UPLOAD || b->has_file) return 400; /* one file, where one is taken */
    snprintf(b->name, sizeof b->name, "%s", p->filename);
    b->in_file = 1;
    return open_file(b, body_extension(p->filename));
  }
  b->in_field = 1;
  snprintf(b->field_name, sizeof b->field_name, "%s", p->name);
  b->field_len = 0;
  return 0;
}

static int part_data(void *ctx, const char *d, size_t n) {
  body *b = ctx;
  if (b->in_file) return file_data(b, d, n);
  if (b->field_bytes + n > b->lim.fields) return 413;
  char *grown = realloc(b->field, b->field_len + n + 1);
  if (!grown) return 500;
  b->field = grown;
  memcpy(b->field + b->field_len, d, n);
  b->field_len += n;
  b->field_bytes += n;
  return 0;
}

static int part_end(void *ctx) {
  body *b = ctx;
  int rc = 0;
  if (b->in_field) {
    if (memchr(b->field ? b->field : "", '\0', b->field_len)) rc = 400;
    else if (b->fields.n >= 256) rc = 413;
    else if (form_add(&b->fields, b->field_name, strlen(b->field_name), b->field ? b->field : "", b->field_len)) rc = 500;
  }
  b->in_file = b->in_field = 0;
  b->field_len = 0;
  return rc;
}

/* ---- the body -------------------------------------------------------------------------------------- */

static int type_is(const char *type, const char *want) {
  size_t n = strlen(want);
  return type && strncasecmp(type, want, n) == 0 && (!type[n] || type[n] == ';' || type[n] == ' ');
}

int body_new(body_kind kind, const char *content_type, const body_limits *lim, body **out) {
  *out = NULL;
  body *b = calloc(1, sizeof *b);
  if (!b) return 500;
  b->kind = kind;
  b->lim = *lim;
  int rc = 0;
  char boundary[80];
  if (type_is(content_type, "multipart/form-data") && kind != BODY_JSON) {
    multipart_sink sink = {part_begin, part_data, part_end, b};
    if (multipart_boundary(content_type, boundary, sizeof boundary)) rc = 400;
    else if (!(b->mp = multipart_new(boundary, &sink))) rc = 500;
  } else if (kind == BODY_JSON) {
    rc = type_is(content_type, "application/json") ? 0 : 415;
  } else if (type_is(content_type, "application/x-www-form-urlencoded")) {
    b->urlencoded = 1;
  } else if (kind == BODY_UPLOAD && content_type && !type_is(content_type, "text/plain")) {
    rc = open_file(b, type_extension(content_type)); /* the raw bytes of a file */
  } else {
    rc = 415;
  }
  if (rc) {
    body_free(b);
    return rc;
  }
  *out = b;
  return 0;
}

int body_feed(body *b, const char *data, size_t n) {
  if (b->mp) {
    int rc = multipart_feed(b->mp, data, n);
    return rc == MULTIPART_EBAD ? 400 : rc;
  }
  if (b->f && !b->urlencoded) return file_data(b, data, n);
  if (b->len + n > b->lim.fields) return 413;
  char *grown = realloc(b->buf, b->len + n + 1);
  if (!grown) return 500;
  b->buf = grown;
  memcpy(b->buf + b->len, data, n);
  b->len += n;
  b->buf[b->len] = '\0';
  return 0;
}

int body_finish(body *b) {
  int rc = 0;
  if (b->mp) {
    rc = multipart_finish(b->mp);
    rc = rc == MULTIPART_EBAD ? 400 : rc;
  }
  if (!rc && b->f && fflush(b->f)) rc = 500;
  if (!rc && b->urlencoded) {
    int fr = form_parse(b->buf ? b->buf : "", b->len, 256, &b->fields);
    rc = fr == -1 ? 400 : fr ? 500 : 0;
  }
  if (!rc && b->kind == BODY_JSON && !b->buf) rc = 400;
  return rc;
}

const form *body_form(const body *b) { return &b->fields; }

const char *body_file(const body *b, const char **name, size_t *size) {
  if (name) *name = b->name;
  if (size) *size = b->size;
  return b->has_file ? b->path : NULL;
}

const char *body_json(const body *b, size_t *len) {
  *len = b->len;
  return b->buf ? b->buf : "";
}

void body_free(body *b) {
  if (!b) return;
  if (b->f) fclose(b->f);
  if (b->path[0]) unlink(b->path);
  multipart_free(b->mp);
  form_clear(&b->fields);
  free(b->field);
  free(b->buf);
  free(b);
}
