/* outdir.c — a directory written whole (outdir.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* renameat2 */
#endif
#include "base/outdir.h"

#include "base/cleanup.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 when the directory has no entry but . and .. */
static int is_empty(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  struct dirent *e;
  int empty = 1;
  while (empty && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = 0;
  closedir(d);
  return empty;
}

/* "PARENT/.NAME.SUFFIX-XXXXXX" beside `path` (a trailing '/' ignored). */
static int sibling(const char *path, const char *suffix, char *out, size_t n) {
  size_t len = strlen(path);
  while (len > 1 && path[len - 1] == '/') len--;
  const char *base = path + len;
  while (base > path && base[-1] != '/') base--;
  int dir = (int)(base - path);
  return snprintf(out, n, "%.*s.%.*s.%s-XXXXXX", dir, path, (int)(len - (size_t)dir), base,
                  suffix) < (int)n ? 0 : -1;
}

/* Create the missing parents of `path`, as mkdir -p does (`report --out
** a/b` with no a/). Returns 0, or -1 with errno set. */
static int make_parents(const char *path) {
  char parent[4096];
  snprintf(parent, sizeof parent, "%s", path);
  for (char *p = parent + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(parent, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  return 0;
}

int outdir_begin(outdir *d, const char *final, int (*ours)(const char *dir), chiso_err *err) {
  assert(d && final);
  struct stat sb;
  memset(d, 0, sizeof *d);
  d->slot = -1;
  if (snprintf(d->final, sizeof d->final, "%s", final) >= (int)sizeof d->final ||
      sibling(final, "tmp", d->tmp, sizeof d->tmp))
    return chiso_err_at(err, CHISO_EUSAGE, final, 0, 0, "the path is too long");
  if (stat(final, &sb) == 0) {
    if (!S_ISDIR(sb.st_mode))
      return chiso_err_at(err, CHISO_EUSAGE, final, 0, 0, "exists and is not a directory");
    if (!is_empty(final) && !(ours && ours(final)))
      return chiso_err_at(err, CHISO_EUSAGE, final, 0, 0,
                          "the directory holds other files than an earlier output: give a "
                          "new or empty directory (nothing is replaced)");
  }
  if (make_parents(final))
    return chiso_err_at(err, CHISO_EIO, final, 0, 0, "cannot create its parent directory: %s",
                        strerror(errno));
  if (!mkdtemp(d->tmp))
    return chiso_err_at(err, CHISO_EIO, final, 0, 0, "cannot create a directory beside it: %s",
                        strerror(errno));
  d->slot = cleanup_add(d->tmp, 1);
  mode_t mask = umask(0);
  umask(mask);
  if (chmod(d->tmp, 0777 & ~mask) != 0) {
    int e = errno;
    outdir_abort(d);
    return chiso_err_at(err, CHISO_EIO, final, 0, 0, "cannot create the directory: %s",
                        strerror(e));
  }
  return CHISO_OK;
}

/* Move the directory at `final` aside to a new sibling name in `aside`. */
static int move_aside(const outdir *d, char *aside, size_t n) {
  for (int tries = 0; tries < 100; tries++) {
    if (sibling(d->final, "old", aside, n)) return -1;
    size_t len = strlen(aside);
    unsigned v = (unsigned)(getpid() * 7919 + tries * 104729) % 1000000u;
    for (int k = 1; k <= 6; k++, v /= 10) aside[len - (size_t)k] = (char)('0' + v % 10);
    if (access(aside, F_OK) != 0) return rename(d->final, aside);
  }
  errno = EEXIST;
  return -1;
}

int outdir_commit(outdir *d, chiso_err *err) {
  int rc = CHISO_OK;
  struct stat sb;
  if (stat(d->final, &sb) != 0 || is_empty(d->final)) {
    /* a new directory, or an empty one that rename(2) replaces */
    if (rename(d->tmp, d->final) != 0)
      rc = chiso_err_at(err, CHISO_EIO, d->final, 0, 0, "cannot rename into place: %s",
                        strerror(errno));
  } else if (renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->final, RENAME_EXCHANGE) == 0) {
    cleanup_remove_tree(d->tmp); /* the earlier output, now at the temporary name */
  } else {
    char aside[4200];
    if (move_aside(d, aside, sizeof aside) != 0) {
      rc = chiso_err_at(err, CHISO_EIO, d->final, 0, 0, "cannot replace the directory: %s",
                        strerror(errno));
    } else if (rename(d->tmp, d->final) != 0) {
      int e = errno;
      if (rename(aside, d->final) != 0) { /* put the earlier one back */ }
      rc = chiso_err_at(err, CHISO_EIO, d->final, 0, 0, "cannot rename into place: %s",
                        strerror(e));
    } else {
      cleanup_remove_tree(aside);
    }
  }
  if (rc) outdir_abort(d);
  else cleanup_forget(d->slot), d->slot = -1;
  return rc;
}

void outdir_abort(outdir *d) {
  cleanup_remove_tree(d->tmp);
  cleanup_forget(d->slot);
  d->slot = -1;
}
