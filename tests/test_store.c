/* Tests of store.c: imports round-trip exactly (across chunk boundaries
** and with hundreds of variables), re-imports are no-ops, --replace swaps,
** conflicts and drops, external indicators, and SHA-256 known answers
** (FIPS 180-2 test vectors). */
#include "testutil.h"

#include <sqlite3.h>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/chiso-store-XXXXXX";
static char dbpath[600];

static int setup(void **state) {
  (void)state;
  if (!mkdtemp(dir)) return -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static void fresh_db(const char *name) {
  snprintf(dbpath, sizeof dbpath, "%s/%s", dir, name);
  unlink(dbpath);
}

/* A survey of n rows and nv variables with recognisable values. */
static survey_data *make_survey(size_t n, size_t nv, int weighted, int seed) {
  survey_data *s = survey_new(n, nv);
  static const char *codes[] = {"01", "79", "48"};
  s->year = 2024;
  s->stratum_names = chiso_calloc(2, sizeof(char *));
  s->stratum_names[0] = chiso_strdup("small");
  s->stratum_names[1] = chiso_strdup("large");
  s->n_strata = 2;
  if (weighted) s->weight = chiso_malloc(n * sizeof(double));
  for (size_t i = 0; i < n; i++) {
    char id[32];
    snprintf(id, sizeof id, "R%d-%zu", seed, i);
    s->respondent_id[i] = chiso_strdup(id);
    memcpy(s->province[i], codes[(i + (size_t)seed) % 3], 3);
    s->stratum[i] = (int)(i % 7 == 0);
    s->source_row[i] = (long)i + 2;
    if (weighted) s->weight[i] = 1.5 + (double)(i % 13);
  }
  for (size_t v = 0; v < nv; v++) {
    char id[32];
    snprintf(id, sizeof id, "q%zu", v);
    s->vars[v].id = chiso_strdup(id);
    for (size_t i = 0; i < n; i++)
      s->vars[v].values[i] = (i + v) % 11 == 0 ? NAN : (double)(i * 31 + v) / 7.0 + seed;
  }
  return s;
}

static const store_method method = {"test-method", "ab12", "{\"id\":\"test-method\"}"};

static void assert_same_survey(const survey_data *a, const survey_data *b, size_t offset) {
  for (size_t i = 0; i < a->n; i++) {
    size_t j = i + offset;
    assert_string_equal(a->respondent_id[i], b->respondent_id[j]);
    assert_memory_equal(a->province[i], b->province[j], 3);
    assert_string_equal(a->stratum_names[a->stratum[i]], b->stratum_names[b->stratum[j]]);
    assert_int_equal(a->source_row[i], b->source_row[j]);
    if (a->weight) assert_true(a->weight[i] == b->weight[j]);
  }
  for (size_t v = 0; v < a->n_vars; v++) {
    const survey_var *bv = survey_var_find(b, a->vars[v].id);
    assert_non_null(bv);
    for (size_t i = 0; i < a->n; i++) {
      double x = a->vars[v].values[i], y = bv->values[i + offset];
      assert_true((isnan(x) && isnan(y)) || x == y);
    }
  }
}

static void test_sha256_known_answers(void **state) {
  (void)state;
  char hex[65];
  assert_int_equal(store_sha256_mem("abc", 3, hex), 0);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert_int_equal(store_sha256_mem("", 0, hex), 0);
  assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  char path[700];
  snprintf(path, sizeof path, "%s/abc.txt", dir);
  FILE *f = fopen(path, "wb");
  fputs("abc", f);
  fclose(f);
  long long size = 0;
  chiso_err err;
  assert_int_equal(store_sha256_file(path, 0, hex, &size, &err), 0);
  assert_int_equal(size, 3);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert_int_equal(store_sha256_file("/nonexistent/x", 0, hex, &size, &err), CHISO_EIO);
}

static void test_round_trip_two_imports(void **state) {
  (void)state;
  fresh_db("rt.db");
  chiso_err err;
  store *st;
  /* More rows than one chunk, so the chunk boundary is crossed. */
  survey_data *a = make_survey(STORE_CHUNK_ROWS + 123, 3, 1, 1);
  survey_data *b = make_survey(50, 4, 1, 2);
  assert_int_equal(store_open(dbpath, 0, &st, &err), CHISO_ENOTFOUND);
  assert_int_equal(store_open(dbpath, 1, &st, &err), 0);
  store_file files[2] = {{"dir/a.csv", "aaaa", 10, 0, 0, a}, {"b.csv", "bbbb", 20, 3, 0, b}};
  store_outcome out[2];
  long long ids[2];
  assert_int_equal(store_import(st, &method, 2024, files, 2, 0, out, ids, &err), 0);
  assert_int_equal(out[0], STORE_ADDED);
  assert_int_equal(out[1], STORE_ADDED);
  survey_data *s;
  char *json;
  assert_int_equal(store_load_year(st, 2024, &s, &json, &err), 0);
  assert_int_equal(s->n, a->n + b->n);
  assert_int_equal(s->n_vars, 4);
  assert_string_equal(json, method.json);
  assert_same_survey(a, s, 0);
  assert_same_survey(b, s, a->n);
  /* q3 is only in b: missing for a's rows. */
  assert_true(isnan(survey_var_find(s, "q3")->values[0]));
  survey_free(s);
  chiso_free(json);
  store_import_info *list;
  size_t n;
  assert_int_equal(store_list(st, &list, &n, &err), 0);
  assert_int_equal(n, 2);
  assert_string_equal(list[0].file, "a.csv");
  assert_int_equal(list[0].rows, (long)a->n);
  assert_int_equal(list[1].skipped, 3);
  assert_string_equal(list[1].method_id, "test-method");
  chiso_free(list);
  assert_int_equal(store_load_year(st, 2023, &s, &json, &err), CHISO_ENOTFOUND);
  store_close(st);
  survey_free(a);
  survey_free(b);
}

static void test_same_replace_conflict_drop(void **state) {
  (void)state;
  fresh_db("re.db");
  chiso_err err;
  store *st;
  survey_data *a = make_survey(30, 2, 0, 1), *a2 = make_survey(40, 2, 0, 5);
  assert_int_equal(store_open(dbpath, 1, &st, &err), 0);
  store_file f = {"a.csv", "1111", 10, 0, 0, a};
  store_outcome out;
  long long id, id2;
  assert_int_equal(store_import(st, &method, 2024, &f, 1, 0, &out, &id, &err), 0);
  assert_int_equal(store_import(st, &method, 2024, &f, 1, 0, &out, &id2, &err), 0);
  assert_int_equal(out, STORE_SAME);
  assert_int_equal(id2, id);
  /* Changed content under the same name: refused unless replace is asked
  ** for; the error names the problem and hints at replacing, no flag. */
  store_file g = {"other/a.csv", "2222", 11, 0, 0, a2};
  assert_int_equal(store_import(st, &method, 2024, &g, 1, 0, &out, &id2, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "was imported for 2024 (import 1)"));
  assert_null(strstr(err.message, "--"));
  assert_int_equal(err.hint, CHISO_HINT_REPLACE);
  assert_int_equal(store_import(st, &method, 2024, &g, 1, 1, &out, &id2, &err), 0);
  assert_int_equal(out, STORE_REPLACED);
  survey_data *s;
  char *json;
  assert_int_equal(store_load_year(st, 2024, &s, &json, &err), 0);
  assert_int_equal(s->n, 40);
  assert_same_survey(a2, s, 0);
  assert_null(s->weight);
  survey_free(s);
  chiso_free(json);
  assert_int_equal(store_drop(st, id, &err), CHISO_ENOTFOUND);
  assert_int_equal(store_drop(st, id2, &err), 0);
  assert_int_equal(store_load_year(st, 2024, &s, &json, &err), CHISO_ENOTFOUND);
  store_close(st);
  survey_free(a);
  survey_free(a2);
}

/* Hundreds of questions in one file. */
/* Import `a` as `file` into a new store at dbpath (left open in *st) and
** load the year back. */
static survey_data *import_and_load(survey_data *a, const char *file, store **st) {
  chiso_err err;
  store_outcome out;
  long long id;
  survey_data *s;
  char *json;
  store_file f = {file, "3333", 10, 0, 0, a};
  assert_int_equal(store_open(dbpath, 1, st, &err), 0);
  assert_int_equal(store_import(*st, &method, 2024, &f, 1, 0, &out, &id, &err), 0);
  assert_int_equal(store_load_year(*st, 2024, &s, &json, &err), 0);
  chiso_free(json);
  return s;
}

static void test_wide_file(void **state) {
  (void)state;
  fresh_db("wide.db");
  store *st;
  survey_data *a = make_survey(200, 600, 1, 3);
  survey_data *s = import_and_load(a, "wide.csv", &st);
  assert_int_equal(s->n_vars, 600);
  assert_same_survey(a, s, 0);
  survey_free(s);
  store_close(st);
  survey_free(a);
}

static void test_indicators(void **state) {
  (void)state;
  fresh_db("ind.db");
  chiso_err err;
  store *st;
  assert_int_equal(store_open(dbpath, 1, &st, &err), 0);
  store_indicator rows[3] = {{"01", "internet_users", 0.8, "GSO"},
                             {"79", "internet_users", 0.9, NULL},
                             {"01", "gdp", NAN, NULL}};
  assert_int_equal(store_put_indicators(st, 2024, rows, 3, &err), 0);
  rows[0].value = 0.85; /* replaces */
  assert_int_equal(store_put_indicators(st, 2024, rows, 1, &err), 0);
  store_indicator *got;
  size_t n;
  assert_int_equal(store_get_indicators(st, 2024, &got, &n, &err), 0);
  assert_int_equal(n, 3);
  assert_string_equal(got[0].indicator, "gdp");
  assert_true(isnan(got[0].value));
  assert_string_equal(got[1].code, "01");
  assert_close(got[1].value, 0.85, 0);
  assert_string_equal(got[1].source, "GSO");
  assert_null(got[2].source);
  store_indicators_free(got, n);
  assert_int_equal(store_get_indicators(st, 2025, &got, &n, &err), 0);
  assert_int_equal(n, 0);
  store_close(st);
}

/* Estimation statistics kept per import: none in a new store (no table),
** the bytes back as put, a second put replaces them, the table survives
** reopening. */
static void test_stats_blocks(void **state) {
  (void)state;
  fresh_db("stats.db");
  chiso_err err;
  store *st;
  unsigned char *got = NULL;
  size_t len = 0;
  const unsigned char a[5] = {1, 2, 3, 0, 255}, b[3] = {9, 8, 7};
  assert_int_equal(store_open(dbpath, 1, &st, &err), 0);
  assert_int_equal(store_stats_get(st, 1, &got, &len, &err), CHISO_ENOTFOUND);
  assert_null(got);
  assert_int_equal(store_stats_put(st, 7, a, sizeof a, &err), 0);
  assert_int_equal(store_stats_get(st, 7, &got, &len, &err), 0);
  assert_int_equal(len, sizeof a);
  assert_memory_equal(got, a, sizeof a);
  chiso_free(got);
  assert_int_equal(store_stats_put(st, 7, b, sizeof b, &err), 0);
  store_close(st);
  assert_int_equal(store_open(dbpath, 0, &st, &err), 0);
  assert_int_equal(store_stats_get(st, 7, &got, &len, &err), 0);
  assert_int_equal(len, sizeof b);
  assert_memory_equal(got, b, sizeof b);
  chiso_free(got);
  assert_int_equal(store_stats_get(st, 8, &got, &len, &err), CHISO_ENOTFOUND);
  store_close(st);
}

static void test_not_a_store(void **state) {
  (void)state;
  fresh_db("junk.db");
  FILE *f = fopen(dbpath, "wb");
  fputs("this is not a database, just some text that is long enough to look at", f);
  fclose(f);
  store *st;
  chiso_err err;
  assert_int_equal(store_open(dbpath, 1, &st, &err), CHISO_EIO);
  assert_null(st);
}

/* Variable blocks in every form (docs/survey.md, "Store"): bytes for
** 0/1/NaN and small whole numbers, scaled integers for few decimals,
** doubles for the rest (pi, -0, 251 with a fraction, a NaN with another
** payload, huge values). Each value must come back bit for bit, and the
** blob sizes show which form was used. */
static void test_block_forms(void **state) {
  (void)state;
  fresh_db("forms.db");
  const size_t n = 1000;
  double odd_nan;
  uint64_t bits = 0x7FF8000000000123u;
  memcpy(&odd_nan, &bits, sizeof odd_nan);
  survey_data *a = make_survey(n, 6, 0, 3);
  for (size_t i = 0; i < n; i++) {
    double *v[6];
    for (int k = 0; k < 6; k++) v[k] = &a->vars[k].values[i];
    *v[0] = i % 5 == 0 ? NAN : (double)(i % 2);                 /* yes/no: bytes */
    *v[1] = i % 7 == 0 ? NAN : (double)(i % 251);               /* 0..250: bytes */
    *v[2] = i % 9 == 0 ? NAN : ((double)(i % 1000) - 200) / 10.0; /* e = 1 */
    *v[3] = (double)(i * 37 % 100000) / 10000.0;                /* e = 4 */
    *v[4] = i == 3 ? -0.0 : (double)i;                          /* -0: doubles */
    *v[5] = i == 4 ? odd_nan : i == 5 ? 1e300 : 3.14159 * (double)i; /* doubles */
  }
  store *st;
  survey_data *s = import_and_load(a, "forms.csv", &st);
  for (int k = 0; k < 6; k++) {
    const survey_var *v = survey_var_find(s, a->vars[k].id);
    assert_non_null(v);
    assert_memory_equal(v->values, a->vars[k].values, n * sizeof(double));
  }
  survey_free(s);
  store_close(st);
  sqlite3 *db;
  sqlite3_stmt *q;
  assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(db, "SELECT col, length(data) FROM blocks WHERE col >= 0 "
                                          "ORDER BY col", -1, &q, NULL), SQLITE_OK);
  const int want[6] = {1000, 1000, 4001, 4001, 8000, 8000};
  for (int k = 0; k < 6; k++) {
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 1), want[k]);
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  survey_free(a);
}

/* A reader opened read-only writes nothing, and its data version changes
** only when another connection commits. */
static void test_readonly_and_data_version(void **state) {
  (void)state;
  fresh_db("ro.db");
  chiso_err err;
  store *w, *r;
  uint64_t v0, v1, v2;
  survey_data *a = make_survey(20, 2, 0, 7), *b = make_survey(25, 2, 0, 8);
  assert_int_equal(store_open_readonly(dbpath, &r, &err), CHISO_ENOTFOUND);
  assert_int_equal(store_open(dbpath, 1, &w, &err), 0);
  store_file f = {"a.csv", "aaaa", 10, 0, 0, a}, g = {"b.csv", "bbbb", 10, 0, 0, b};
  store_outcome out;
  long long id;
  assert_int_equal(store_import(w, &method, 2024, &f, 1, 0, &out, &id, &err), 0);
  assert_int_equal(store_open_readonly(dbpath, &r, &err), 0);
  assert_int_equal(store_data_version(r, &v0, &err), 0);
  assert_int_equal(store_data_version(r, &v1, &err), 0);
  assert_true(v0 == v1); /* nothing committed in between */
  assert_int_equal(store_import(w, &method, 2025, &g, 1, 0, &out, &id, &err), 0);
  assert_int_equal(store_data_version(r, &v2, &err), 0);
  assert_true(v2 != v1); /* the writer's commit is seen */
  assert_int_equal(store_drop(r, id, &err), CHISO_EIO); /* the reader cannot write */
  store_import_info *list = NULL;
  size_t n = 0;
  assert_int_equal(store_list(r, &list, &n, &err), 0);
  assert_int_equal(n, 2); /* the drop did nothing */
  chiso_free(list);
  store_close(r);
  store_close(w);
  survey_free(a);
  survey_free(b);
}

/* Does another process see a lock of `holder` on the database file at
** `path` (SQLite's lock bytes: the pending, reserved and shared ones)? */
static int other_process_sees_lock(const char *path, pid_t holder) {
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int fd = open(path, O_RDONLY);
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0x40000000, .l_len = 512};
    int seen = fd >= 0 && fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK && lk.l_pid == holder;
    _exit(seen ? 0 : 1);
  }
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* store_write_flush keeps the transaction's locks: it must not open and
** close a descriptor of the store, which drops every POSIX lock of the
** process on the file (a concurrent first import then took the live
** rollback journal for a hot one and rolled it back midway: test_import's
** race failed with "disk I/O error" or "not a chiso store"). Both on the
** first import's rollback journal and on the WAL. */
static void test_flush_keeps_locks(void **state) {
  (void)state;
  fresh_db("flush.db");
  chiso_err err;
  store *st = NULL;
  survey_data *a = make_survey(20000, 8, 1, 3), *b = make_survey(20000, 8, 1, 4);
  store_file f = {"a.csv", "aaaa", 10, 0, 0, a}, g = {"b.csv", "bbbb", 10, 0, 0, b};
  store_outcome out;
  long long id;
  assert_int_equal(store_open(dbpath, 1, &st, &err), 0);
  for (int k = 0; k < 2; k++) { /* the first import (bulk), then one on the WAL */
    assert_int_equal(store_write_begin(st, &err), 0);
    assert_int_equal(store_import(st, &method, 2024, k ? &g : &f, 1, 0, &out, &id, &err), 0);
    assert_true(other_process_sees_lock(dbpath, getpid()));
    store_write_flush(st);
    assert_true(other_process_sees_lock(dbpath, getpid()));
    assert_int_equal(store_write_commit(st, &err), 0);
  }
  store_close(st);
  store *r = NULL;
  store_import_info *list = NULL;
  size_t n = 0;
  assert_int_equal(store_open_readonly(dbpath, &r, &err), 0);
  assert_int_equal(store_list(r, &list, &n, &err), 0);
  assert_int_equal(n, 2);
  chiso_free(list);
  store_close(r);
  survey_free(a);
  survey_free(b);
}

/* The imports listed and the year loaded through `st`: n imports, the
** first of 2024 holding `want`. */
static void assert_state(store *st, size_t n_want, const survey_data *want) {
  chiso_err err;
  store_import_info *list = NULL;
  size_t n = 0;
  survey_data *got = NULL;
  char *method_json = NULL;
  assert_int_equal(store_list(st, &list, &n, &err), 0);
  assert_int_equal(n, n_want);
  chiso_free(list);
  assert_int_equal(store_load_year(st, 2024, &got, &method_json, &err), 0);
  assert_int_equal(got->n, want->n);
  assert_same_survey(want, got, 0);
  survey_free(got);
  chiso_free(method_json);
}

/* A snapshot (store_open_snapshot) reads the store as it was when opened,
** whatever another connection commits meanwhile (here a replaced 2024
** and a new 2025), through its lists and its year loads alike; a plain
** read-only handle sees the commits. The server computes each view of a
** snapshot on first ask: without the pin one could be read from the old
** state and another from the new. */
static void test_snapshot_pinned(void **state) {
  (void)state;
  fresh_db("snap.db");
  chiso_err err;
  store *w = NULL, *snap = NULL, *live = NULL;
  survey_data *a = make_survey(300, 3, 1, 5), *c = make_survey(200, 3, 1, 6),
              *d = make_survey(100, 3, 1, 7);
  store_file f = {"a.csv", "aaaa", 10, 0, 0, a}, f2 = {"a.csv", "cccc", 10, 0, 0, c},
             g = {"d.csv", "dddd", 10, 0, 0, d};
  store_outcome out;
  long long id;
  assert_int_equal(store_open(dbpath, 1, &w, &err), 0);
  assert_int_equal(store_import(w, &method, 2024, &f, 1, 0, &out, &id, &err), 0);
  assert_int_equal(store_open_snapshot(dbpath, &snap, &err), 0);
  assert_int_equal(store_open_readonly(dbpath, &live, &err), 0);
  assert_state(snap, 1, a);
  assert_int_equal(store_import(w, &method, 2024, &f2, 1, 1, &out, &id, &err), 0);
  assert_int_equal(out, STORE_REPLACED);
  assert_int_equal(store_import(w, &method, 2025, &g, 1, 0, &out, &id, &err), 0);
  assert_state(live, 2, c); /* the commits are seen by a plain reader */
  assert_state(snap, 1, a); /* and not by the snapshot */
  assert_int_equal(store_drop(snap, id, &err), CHISO_EIO); /* it cannot write either */
  store_close(snap);
  assert_int_equal(store_open_snapshot(dbpath, &snap, &err), 0);
  assert_state(snap, 2, c); /* a new one reads the store as it is */
  store_close(snap);
  store_close(live);
  store_close(w);
  survey_free(a);
  survey_free(c);
  survey_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sha256_known_answers),
      cmocka_unit_test(test_round_trip_two_imports),
      cmocka_unit_test(test_block_forms),
      cmocka_unit_test(test_same_replace_conflict_drop),
      cmocka_unit_test(test_wide_file),
      cmocka_unit_test(test_indicators),
      cmocka_unit_test(test_stats_blocks),
      cmocka_unit_test(test_not_a_store),
      cmocka_unit_test(test_readonly_and_data_version),
      cmocka_unit_test(test_flush_keeps_locks),
      cmocka_unit_test(test_snapshot_pinned),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
