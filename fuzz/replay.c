/* replay.c — a main() for a harness outside libFuzzer: runs
** LLVMFuzzerTestOneInput once on each file named on the command line (a
** directory: on each file in it), so that `make check` replays the seed
** corpora and the kept findings under gcc's ASan and UBSan. Prints
** "ok NAME N" for the count of inputs replayed; a finding aborts. */
#include "fuzz.h"

#include <dirent.h>
#include <sys/stat.h>

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  return 0;
}

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "replay: cannot open %s\n", path);
    return 1;
  }
  uint8_t *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      uint8_t *b = realloc(buf, cap);
      if (!b) abort();
      buf = b;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  /* libFuzzer hands over an exact-size copy: do the same, so that ASan
  ** sees a read past the end. */
  uint8_t *exact = malloc(n ? n : 1);
  if (!exact) abort();
  memcpy(exact, buf, n);
  free(buf);
  LLVMFuzzerTestOneInput(exact, n);
  free(exact);
  return 0;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path, size_t *count) {
  struct stat sb;
  if (stat(path, &sb) != 0) return 0; /* an absent folder: nothing kept yet */
  if (!S_ISDIR(sb.st_mode)) return (*count)++, replay_file(path);
  DIR *d = opendir(path);
  if (!d) return 1;
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    names = realloc(names, (n + 1) * sizeof *names);
    if (!names || !(names[n++] = strdup(e->d_name))) abort();
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_names);
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", path, names[i]);
    rc |= replay_path(full, count);
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  size_t count = 0;
  int rc = 0;
  for (int i = 1; i < argc; i++) rc |= replay_path(argv[i], &count);
  const char *name = strrchr(argv[0], '/');
  printf("%s %s %zu\n", rc ? "FAIL" : "ok", name ? name + 1 : argv[0], count);
  return rc;
}
