/* fuzz.h — what the libFuzzer harnesses of fuzz/ share (fuzz/README.md).
**
** A harness is fuzz/fuzz_NAME.c defining LLVMFuzzerTestOneInput (and, when
** it needs one-time setup, LLVMFuzzerInitialize). It is built twice: with
** clang and libFuzzer (`make fuzz`, build/fuzz/fuzz_NAME) and with gcc,
** ASan and UBSan around fuzz/replay.c (`make check`, build/asan/fuzz/
** fuzz_NAME), which replays its seed corpus fuzz/corpus/NAME/ and every
** finding kept in tests/data/fuzz/NAME/.
**
** Readers that take a path get the input as a memory file: fuzz_file
** writes the bytes to a memfd and returns "/proc/self/fd/N", a regular
** file that fopen, stat and libzip open like any other. */
#ifndef CHISO_FUZZ_H
#define CHISO_FUZZ_H

#include "chiso_internal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Stop at once: a harness's own check (an oracle) failed. */
#define FUZZ_CHECK(cond)                                                          \
  do {                                                                            \
    if (!(cond)) {                                                                \
      fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      abort();                                                                    \
    }                                                                             \
  } while (0)

/* The bytes as a file: slot k (0..3) is one memfd reused from call to
** call, truncated and rewritten each time. Returns its path (static). */
static inline const char *fuzz_file(int k, const uint8_t *data, size_t size) {
  static int fd[4] = {-1, -1, -1, -1};
  static char path[4][64];
  if (fd[k] < 0) {
    fd[k] = memfd_create("chiso-fuzz", 0);
    if (fd[k] < 0) abort();
    snprintf(path[k], sizeof path[k], "/proc/self/fd/%d", fd[k]);
  }
  if (ftruncate(fd[k], 0) != 0) abort();
  size_t done = 0;
  while (done < size) {
    ssize_t w = pwrite(fd[k], data + done, size - done, (off_t)done);
    if (w <= 0) abort();
    done += (size_t)w;
  }
  return path[k];
}

/* The input as a NUL-terminated string (a new buffer; free()). */
static inline char *fuzz_string(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) abort();
  memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

/* Split the input at the first occurrence of `sep` (a line of its own in
** seeds, e.g. "\n----\n"): part k of at most n parts, as pointers into
** data. Returns the number of parts found. */
static inline size_t fuzz_split(const uint8_t *data, size_t size, const char *sep,
                                const uint8_t **part, size_t *len, size_t n) {
  size_t k = 0, sl = strlen(sep);
  const uint8_t *p = data, *end = data + size;
  while (k + 1 < n) {
    const uint8_t *q = memmem(p, (size_t)(end - p), sep, sl);
    if (!q) break;
    part[k] = p;
    len[k++] = (size_t)(q - p);
    p = q + sl;
  }
  part[k] = p;
  len[k++] = (size_t)(end - p);
  return k;
}

/* The shared province registry (made once). */
static inline const geo_registry *fuzz_registry(void) {
  const geo_registry *reg = NULL;
  chiso_err err;
  if (geo_registry_shared(&reg, &err) != CHISO_OK) abort();
  return reg;
}

/* Silence the library's log (notes of readers would flood the output). */
static inline void fuzz_quiet(void) { chiso_log_set_level(CHISO_LOG_ERROR + 1); }

#endif
