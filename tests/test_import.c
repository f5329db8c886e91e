/* Tests of year/import.c under concurrency: two processes import two
** files that share respondent ids into one store at the same moment, many
** times over. The id cross-check and the write are one transaction
** (store_write_begin), so exactly one file is stored each time and the
** other import is refused with a located duplicate-id problem; without
** that, both would often pass their checks before either wrote. */
#include "testutil.h"

#include <sys/wait.h>
#include <unistd.h>

#define ROWS 3000
#define ROUNDS 30

typedef struct fixture {
  char dir[64], db[128], a[128], b[128];
  methodology *m;
  geo_registry *reg;
} fixture;

/* A survey of ROWS rows for method-test.json; ids r00000.. are shared by
** both files, the province list differs so that the bytes (and hashes)
** differ. */
static void write_ids(const char *path, const char *province, char id, const char *bom,
                      const char *eol) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f, "%srespondent_id,province,size_class,weight,sector,year,Email%s", bom, eol);
  for (int i = 0; i < ROWS; i++)
    fprintf(f, "%c%05d,%s,%s,%d,trade,2024,%s%s", id, i, province, i % 2 ? "small" : "micro",
            1 + i % 7, i % 3 ? "Có" : "Không", eol);
  fclose(f);
}

static void write_survey(const char *path, const char *province) {
  write_ids(path, province, 'r', "", "\n");
}

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  chiso_err err;
  snprintf(fx->dir, sizeof fx->dir, "/tmp/chiso-import-XXXXXX");
  if (!fx || !mkdtemp(fx->dir)) return -1;
  snprintf(fx->db, sizeof fx->db, "%s/store.db", fx->dir);
  snprintf(fx->a, sizeof fx->a, "%s/a.csv", fx->dir);
  snprintf(fx->b, sizeof fx->b, "%s/b.csv", fx->dir);
  write_survey(fx->a, "Hà Nội");
  write_survey(fx->b, "Huế");
  if (methodology_load("tests/data/method-test.json", &fx->m, &err)) return -1;
  if (geo_registry_new(&fx->reg, &err)) return -1;
  *state = fx;
  return 0;
}

/* ---- the SHA-256 of an imported file ------------------------------------ */

/* Import the file at `path` for 2024 into the fixture's store. */
static int import_path(const fixture *fx, const char *path, import_result **r, chiso_err *err) {
  import_options o;
  import_options_init(&o, 2024);
  const char *paths[] = {path};
  return import_files(fx->db, fx->m, fx->reg, paths, 1, &o, r, err);
}

static void new_store(const fixture *fx) {
  static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
  for (int k = 0; k < 4; k++) {
    char p[160];
    snprintf(p, sizeof p, "%s%s", fx->db, ext[k]);
    remove(p);
  }
}

/* Import `path` into the store; its outcome, and its SHA-256 must be the
** one store_sha256_file makes in a pass of its own (checked on known
** answers in test_store), in the result and in the store. */
static store_outcome import_hashed(const fixture *fx, const char *path) {
  import_result *r = NULL;
  chiso_err err;
  int rc = import_path(fx, path, &r, &err);
  if (rc) print_error("%s: %s\n", path, err.message);
  assert_int_equal(rc, 0);
  char want[65];
  long long size = 0;
  assert_int_equal(store_sha256_file(path, 0, want, &size, &err), 0);
  assert_string_equal(r->files[0].sha256, want);
  assert_int_equal(r->files[0].size, size);
  store_outcome out = r->files[0].outcome;
  long long id = r->files[0].import_id;
  import_result_free(r);
  store *st = NULL;
  store_import_info *imp = NULL;
  size_t n = 0, found = 0;
  assert_int_equal(store_open_readonly(fx->db, &st, &err), 0);
  assert_int_equal(store_list(st, &imp, &n, &err), 0);
  for (size_t k = 0; k < n; k++)
    if (imp[k].id == id) {
      found++;
      assert_string_equal(imp[k].sha256, want);
      assert_int_equal(imp[k].size, size);
    }
  assert_int_equal(found, 1);
  chiso_free(imp);
  store_close(st);
  return out;
}

/* A CSV file into a new store is hashed as it is read (one pass over the
** file); one of the size of an import of the year is hashed before (its
** bytes may be imported already: then it is not read); an XLSX file, whose
** bytes do not pass through the CSV reader, is hashed on its own. Each
** way the SHA-256 is the file's. */
static void test_hash_as_read(void **state) {
  fixture *fx = *state;
  char c[160], d[160];
  new_store(fx);
  assert_int_equal(import_hashed(fx, fx->a), STORE_ADDED);
  snprintf(c, sizeof c, "%s/c.csv", fx->dir); /* a's size, other ids */
  write_ids(c, "Hà Nội", 's', "", "\n");
  assert_int_equal(import_hashed(fx, c), STORE_ADDED);
  assert_int_equal(import_hashed(fx, fx->a), STORE_SAME); /* found by its hash */
  new_store(fx);
  snprintf(d, sizeof d, "%s/d.csv", fx->dir); /* a BOM and CRLF line ends */
  write_ids(d, "Huế", 't', "\xEF\xBB\xBF", "\r\n");
  assert_int_equal(import_hashed(fx, d), STORE_ADDED);
  new_store(fx);
  assert_int_equal(import_hashed(fx, "tests/data/survey-small.xlsx"), STORE_ADDED);
  new_store(fx);
}

static int teardown(void **state) {
  fixture *fx = *state;
  char cmd[200];
  methodology_free(fx->m);
  geo_registry_free(fx->reg);
  snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
  if (system(cmd) != 0) return -1;
  free(fx);
  return 0;
}

/* In a child: wait for the start signal, import `path`, exit with the
** result code. */
static void child(const fixture *fx, const char *path, int go) {
  char c;
  if (read(go, &c, 1) < 0) _exit(100);
  import_result *r = NULL;
  chiso_err err;
  int rc = import_path(fx, path, &r, &err);
  /* the refused one names the clash at the row of the id */
  if (rc == CHISO_EDATA && (!strstr(err.message, "respondent id \"r") || err.row < 2 ||
                            err.col != 1))
    rc = 101;
  if (rc && rc != CHISO_EDATA) fprintf(stderr, "child: %s: %s\n", err.file, err.message);
  import_result_free(r);
  _exit(rc);
}

static int run_child(const fixture *fx, const char *path, int go) {
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) child(fx, path, go);
  return (int)pid;
}

/* A fresh store, then two imports (of a and b) started at the same
** moment; their exit codes in *ra and *rb. */
static void race(const fixture *fx, const char *a, const char *b, int *ra, int *rb) {
  char p[160];
  remove(fx->db);
  snprintf(p, sizeof p, "%s-wal", fx->db);
  remove(p);
  snprintf(p, sizeof p, "%s-shm", fx->db);
  remove(p);
  int go[2];
  assert_int_equal(pipe(go), 0);
  pid_t pa = run_child(fx, a, go[0]);
  pid_t pb = run_child(fx, b, go[0]);
  close(go[0]);
  assert_int_equal(write(go[1], "go", 2), 2); /* both start now */
  close(go[1]);
  int sa = 0, sb = 0;
  assert_int_equal(waitpid(pa, &sa, 0), pa);
  assert_int_equal(waitpid(pb, &sb, 0), pb);
  assert_true(WIFEXITED(sa) && WIFEXITED(sb));
  *ra = WEXITSTATUS(sa);
  *rb = WEXITSTATUS(sb);
}

static void test_concurrent_conflicting_imports(void **state) {
  fixture *fx = *state;
  int stored_a = 0, stored_b = 0;
  for (int round = 0; round < ROUNDS; round++) {
    int ra = 0, rb = 0;
    race(fx, round % 2 ? fx->a : fx->b, round % 2 ? fx->b : fx->a, &ra, &rb);
    /* exactly one succeeded, the other was refused for the ids */
    if (!((ra == 0 && rb == CHISO_EDATA) || (ra == CHISO_EDATA && rb == 0))) {
      print_error("round %d: exit codes %d and %d\n", round, ra, rb);
      fail();
    }
    store *st = NULL;
    store_import_info *list = NULL;
    size_t n = 0;
    chiso_err err;
    assert_int_equal(store_open(fx->db, 0, &st, &err), 0);
    assert_int_equal(store_list(st, &list, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].rows, ROWS);
    stored_a += strcmp(list[0].file, "a.csv") == 0;
    stored_b += strcmp(list[0].file, "b.csv") == 0;
    store_verify_result v;
    assert_int_equal(store_verify(st, &v, &err), 0);
    assert_int_equal(v.damaged, 0);
    store_verify_clear(&v);
    chiso_free(list);
    store_close(st);
  }
  assert_int_equal(stored_a + stored_b, ROUNDS);
}

/* The same file twice at once: one stores it, the other finds it stored
** (the same bytes are never imported twice) and succeeds doing nothing. */
static void test_concurrent_same_file(void **state) {
  fixture *fx = *state;
  for (int round = 0; round < 5; round++) {
    int ra = 0, rb = 0;
    race(fx, fx->a, fx->a, &ra, &rb);
    assert_int_equal(ra, 0);
    assert_int_equal(rb, 0);
    store *st = NULL;
    store_import_info *list = NULL;
    size_t n = 0;
    chiso_err err;
    assert_int_equal(store_open(fx->db, 0, &st, &err), 0);
    assert_int_equal(store_list(st, &list, &n, &err), 0);
    assert_int_equal(n, 1);
    chiso_free(list);
    store_close(st);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_concurrent_conflicting_imports),
      cmocka_unit_test(test_concurrent_same_file),
      cmocka_unit_test(test_hash_as_read),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
