/* textfile.c — reading whole files; methodology lookup by path or name. */
#include "base/textfile.h"

#include "base/embed.h"
#include "base/mem.h"
#include "base/strbuf.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int textfile_open(const char *path, long long max_bytes, FILE **out, long long *size,
                  chiso_err *err) {
  assert(path && out);
  struct stat sb;
  *out = NULL;
  /* O_NONBLOCK: opening a FIFO without a writer returns at once instead
  ** of waiting for one. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  int rc = CHISO_OK;
  if (fstat(fd, &sb) != 0)
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  else if (!S_ISREG(sb.st_mode))
    rc = chiso_err_at(err, CHISO_EDATA, path, 0, 0, "not a regular file (%s): refused",
                      S_ISDIR(sb.st_mode)   ? "a directory"
                      : S_ISFIFO(sb.st_mode) ? "a pipe"
                      : S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) ? "a device"
                                                                    : "a socket or other");
  else if (max_bytes > 0 && (long long)sb.st_size > max_bytes)
    rc = chiso_err_at(err, CHISO_EDATA, path, 0, 0,
                      "the file is %lld bytes, over the limit of %lld: refused",
                      (long long)sb.st_size, max_bytes);
  else if (fcntl(fd, F_SETFL, 0) != 0 || !(*out = fdopen(fd, "rb")))
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  if (rc) close(fd);
  else if (size) *size = (long long)sb.st_size;
  return rc;
}

int textfile_read(const char *path, char **out, size_t *len, chiso_err *err) {
  *out = NULL;
  FILE *f = NULL;
  long long size = 0;
  int rc = textfile_open(path, TEXTFILE_MAX_BYTES, &f, &size, err);
  if (rc) return rc;
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    /* the size known first; more if the file grew, up to the limit */
    size_t want = cap > n + 1 ? cap - n - 1 : (size_t)size + 1;
    if (want < 4096) want = 4096;
    if ((long long)(n + want) > TEXTFILE_MAX_BYTES + 1) want = (size_t)(TEXTFILE_MAX_BYTES + 1) - n;
    if (chiso_grow((void **)&buf, &cap, n + want + 1, 1)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      goto done;
    }
    size_t got = fread(buf + n, 1, want, f);
    n += got;
    if ((long long)n > TEXTFILE_MAX_BYTES) {
      rc = chiso_err_at(err, CHISO_EDATA, path, 0, 0, "the file grew past the limit of %lld "
                        "bytes: refused", TEXTFILE_MAX_BYTES);
      goto done;
    }
    if (got < want) break;
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
  if (access(method, F_OK) == 0) return textfile_read(method, out, len, err);
  char name[300];
  size_t n = strlen(method), size = 0;
  snprintf(name, sizeof name, "methods/%s%s", method,
           n > 5 && strcmp(method + n - 5, ".json") == 0 ? "" : ".json");
  const char *text = strchr(method, '/') ? NULL : embed_find(name, &size);
  if (!text) { /* name the shipped ones */
    strbuf_buf names;
    strbuf_init(&names);
    const char *e;
    for (size_t i = 0; (e = embed_name(i)); i++)
      if (strncmp(e, "methods/", 8) == 0 && textfile_has_ext(e + 8, ".json"))
        strbuf_printf(&names, "%s%.*s", names.len ? ", " : "", (int)(strlen(e) - 13), e + 8);
    int rc = chiso_err_set(err, CHISO_ENOTFOUND,
                           "no methodology '%s': neither a file nor a shipped name (shipped: %s)",
                           method, names.len && !names.failed ? names.data : "none");
    strbuf_free(&names);
    return rc;
  }
  if (!(*out = chiso_strndup(text, size))) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (len) *len = size;
  return CHISO_OK;
}

int textfile_has_ext(const char *path, const char *ext) {
  assert(path && ext);
  size_t n = strlen(path), e = strlen(ext);
  return n > e && strcasecmp(path + n - e, ext) == 0;
}
