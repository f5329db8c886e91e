/* textfile.c — reading whole files; methodology lookup by path or name. */
#include "base/textfile.h"

#include "base/embed.h"
#include "base/mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int textfile_read(const char *path, char **out, size_t *len, chiso_err *err) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  char *buf = NULL;
  size_t n = 0, cap = 0;
  int rc = CHISO_OK;
  for (;;) {
    if (chiso_grow((void **)&buf, &cap, n + 65537, 1)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      goto done;
    }
    size_t got = fread(buf + n, 1, 65536, f);
    n += got;
    if (got < 65536) break;
  }
  if (ferror(f)) {
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "read error");
    goto done;
  }
  buf[n] = '\0';
  *out = buf;
  buf = NULL;
  if (len) *len = n;
done:
  chiso_free(buf);
  fclose(f);
  return rc;
}

int textfile_method(const char *method, char **out, size_t *len, chiso_err *err) {
  *out = NULL;
  FILE *f = fopen(method, "rb");
  if (f) {
    fclose(f);
    return textfile_read(method, out, len, err);
  }
  char name[300];
  size_t n = strlen(method), size = 0;
  snprintf(name, sizeof name, "methods/%s%s", method,
           n > 5 && strcmp(method + n - 5, ".json") == 0 ? "" : ".json");
  const char *text = strchr(method, '/') ? NULL : embed_find(name, &size);
  if (!text)
    return chiso_err_set(err, CHISO_ENOTFOUND,
                         "no methodology '%s' (neither a file nor a shipped name such as ebi-2021)",
                         method);
  if (!(*out = chiso_strndup(text, size))) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (len) *len = size;
  return CHISO_OK;
}
