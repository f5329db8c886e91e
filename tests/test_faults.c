/* Fault injection on the store, the way SQLite's own tests do it: a VFS
** shim (registered as the default VFS, wrapping "unix") makes the Nth
** read, write or sync fail, once (a transient fault) or from then on (a
** disk that went away). Every write path — import, replace, drop-import,
** import-indicators — is run from the same store at N = 1, 2, ... until it
** succeeds. After each run the store passes PRAGMA integrity_check and
** holds exactly what it held before (a failed run) or exactly what a clean
** run gives (a run that reported success): compared as a dump of every
** table, the import time masked. */
#include "testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the shim ----------------------------------------------------------- */

enum { F_NONE = 0, F_READ = 1, F_WRITE = 2, F_SYNC = 3 };

typedef struct fault_plan {
  int kind;       /* which operation fails */
  int persistent; /* 1: the Nth and every later one fails */
  long n;         /* fail the nth (1-based) */
  long seen;      /* operations of `kind` so far */
  long injected;  /* failures injected in this run */
} fault_plan;

static fault_plan fault;

typedef struct shim_file {
  sqlite3_file base;
  sqlite3_file *real; /* follows this struct, szOsFile of the real VFS */
} shim_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static sqlite3_io_methods shim_io;

/* 1 when this operation of `kind` is to fail. */
static int inject(int kind) {
  if (fault.kind != kind) return 0;
  fault.seen++;
  if (fault.seen == fault.n || (fault.persistent && fault.seen > fault.n)) {
    fault.injected++;
    return 1;
  }
  return 0;
}

#define REAL(f) (((shim_file *)(f))->real)

static int s_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int s_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off) {
  if (inject(F_READ)) return SQLITE_IOERR_READ;
  return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}
static int s_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off) {
  if (inject(F_WRITE)) return SQLITE_IOERR_WRITE;
  return REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}
static int s_truncate(sqlite3_file *f, sqlite3_int64 size) {
  return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int s_sync(sqlite3_file *f, int flags) {
  if (inject(F_SYNC)) return SQLITE_IOERR_FSYNC;
  return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int s_size(sqlite3_file *f, sqlite3_int64 *size) {
  return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int s_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int s_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int s_reserved(sqlite3_file *f, int *out) {
  return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int s_control(sqlite3_file *f, int op, void *arg) {
  return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int s_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int s_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int s_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **p) {
  return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, p);
}
static int s_shm_lock(sqlite3_file *f, int off, int n, int flags) {
  return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void s_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int s_shm_unmap(sqlite3_file *f, int del) {
  return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int s_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out) {
  (void)vfs;
  shim_file *s = (shim_file *)f;
  s->real = (sqlite3_file *)(s + 1);
  int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out);
  s->base.pMethods = rc == SQLITE_OK && s->real->pMethods ? &shim_io : NULL;
  return rc;
}
static int s_delete(sqlite3_vfs *v, const char *n, int sync) {
  (void)v;
  return real_vfs->xDelete(real_vfs, n, sync);
}
static int s_access(sqlite3_vfs *v, const char *n, int flags, int *out) {
  (void)v;
  return real_vfs->xAccess(real_vfs, n, flags, out);
}
static int s_full(sqlite3_vfs *v, const char *n, int size, char *out) {
  (void)v;
  return real_vfs->xFullPathname(real_vfs, n, size, out);
}
static int s_random(sqlite3_vfs *v, int n, char *out) {
  (void)v;
  return real_vfs->xRandomness(real_vfs, n, out);
}
static int s_sleep(sqlite3_vfs *v, int us) {
  (void)v;
  return real_vfs->xSleep(real_vfs, us);
}
static int s_time(sqlite3_vfs *v, double *t) {
  (void)v;
  return real_vfs->xCurrentTime(real_vfs, t);
}
static int s_last_error(sqlite3_vfs *v, int n, char *b) {
  (void)v;
  return real_vfs->xGetLastError(real_vfs, n, b);
}
static int s_time64(sqlite3_vfs *v, sqlite3_int64 *t) {
  (void)v;
  return real_vfs->xCurrentTimeInt64(real_vfs, t);
}

static void shim_register(void) {
  real_vfs = sqlite3_vfs_find("unix");
  assert_non_null(real_vfs);
  shim_io = (sqlite3_io_methods){2, s_close, s_read, s_write, s_truncate, s_sync, s_size,
                                 s_lock, s_unlock, s_reserved, s_control, s_sector, s_device,
                                 s_shm_map, s_shm_lock, s_shm_barrier, s_shm_unmap, NULL, NULL};
  shim_vfs = (sqlite3_vfs){2, (int)sizeof(shim_file) + real_vfs->szOsFile, real_vfs->mxPathname,
                           NULL, "faulty", NULL, s_open, s_delete, s_access, s_full, NULL, NULL,
                           NULL, NULL, s_random, s_sleep, s_time, s_last_error, s_time64,
                           NULL, NULL, NULL};
  assert_int_equal(sqlite3_vfs_register(&shim_vfs, 1), SQLITE_OK);
}

/* ---- dumps -------------------------------------------------------------- */

typedef struct dump {
  char *s;
  size_t n, cap;
} dump;

static void put(dump *d, const char *s, size_t n) {
  if (d->n + n + 1 > d->cap) {
    d->cap = (d->n + n + 1) * 2;
    d->s = realloc(d->s, d->cap);
    assert_non_null(d->s);
  }
  memcpy(d->s + d->n, s, n);
  d->n += n;
  d->s[d->n] = '\0';
}

static void put_value(dump *d, sqlite3_stmt *q, int c) {
  char buf[64];
  const char *name = sqlite3_column_name(q, c);
  if (strcmp(name, "imported_at") == 0) return put(d, "T|", 2); /* differs by the clock */
  switch (sqlite3_column_type(q, c)) {
  case SQLITE_NULL: put(d, "N|", 2); break;
  case SQLITE_INTEGER: snprintf(buf, sizeof buf, "%lld|", sqlite3_column_int64(q, c));
                       put(d, buf, strlen(buf)); break;
  case SQLITE_FLOAT: snprintf(buf, sizeof buf, "%.17g|", sqlite3_column_double(q, c));
                     put(d, buf, strlen(buf)); break;
  default: {
    const unsigned char *b = sqlite3_column_blob(q, c);
    int n = sqlite3_column_bytes(q, c);
    for (int i = 0; i < n; i++) {
      snprintf(buf, sizeof buf, "%02x", b[i]);
      put(d, buf, 2);
    }
    put(d, "|", 1);
  }
  }
}

/* Every row of every table, with PRAGMA integrity_check first: a new
** string (free()). Runs with no fault injected. */
static char *dump_store(const char *path) {
  int kind = fault.kind;
  fault.kind = F_NONE;
  sqlite3 *db = NULL;
  dump d = {NULL, 0, 0};
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
  sqlite3_stmt *q = NULL, *t = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(q), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
  sqlite3_finalize(q);
  assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table'"
                                          " ORDER BY name", -1, &t, NULL), SQLITE_OK);
  while (sqlite3_step(t) == SQLITE_ROW) {
    char sql[300];
    const char *name = (const char *)sqlite3_column_text(t, 0);
    put(&d, name, strlen(name));
    put(&d, ":\n", 2);
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY rowid", name);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(q); c++) put_value(&d, q, c);
      put(&d, "\n", 1);
    }
    sqlite3_finalize(q);
  }
  sqlite3_finalize(t);
  sqlite3_close(db);
  fault.kind = kind;
  return d.s;
}

/* ---- the write paths ---------------------------------------------------- */

typedef struct fixture {
  char dir[64], pristine[128], db[128], other[128], same_name[192], indicators[128];
  methodology *m;
  geo_registry *reg;
  char *before;
  int new_store; /* the runs import into a new store (store.c's bulk_on) */
  char *empty;   /* ... whose dump with no import is this */
} fixture;


static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb"), *f = fopen(to, "wb");
  assert_non_null(in);
  assert_non_null(f);
  char buf[65536];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, got, f), got);
  fclose(in);
  fclose(f);
}

static void fresh_store(const fixture *fx) {
  char p[160];
  snprintf(p, sizeof p, "%s-wal", fx->db);
  remove(p);
  snprintf(p, sizeof p, "%s-shm", fx->db);
  remove(p);
  snprintf(p, sizeof p, "%s-journal", fx->db);
  remove(p);
  if (fx->new_store) remove(fx->db);
  else copy_file(fx->pristine, fx->db);
}

/* The dump of the store, or "" when a run on a new store failed before
** the file had a table in it. */
static char *dump_or_none(const fixture *fx) {
  struct stat sb;
  if (fx->new_store && (stat(fx->db, &sb) != 0 || sb.st_size == 0)) return strdup("");
  char *d = dump_store(fx->db);
  return d ? d : strdup(""); /* a database without a table yet */
}

static int op_import(const fixture *fx, const char *path, int replace) {
  import_options o;
  import_options_init(&o, 2024);
  o.replace = replace;
  import_result *r = NULL;
  chiso_err err;
  const char *paths[] = {path};
  int rc = import_files(fx->db, fx->m, fx->reg, paths, 1, &o, &r, &err);
  import_result_free(r);
  return rc;
}

static int op_new_import(const fixture *fx) { return op_import(fx, fx->other, 0); }
static int op_replace(const fixture *fx) { return op_import(fx, fx->same_name, 1); }
static int op_first_import(const fixture *fx) { return op_import(fx, fx->other, 0); }

static int op_drop(const fixture *fx) {
  store *st = NULL;
  chiso_err err;
  int rc = store_open(fx->db, 0, &st, &err);
  if (!rc) rc = store_drop(st, 1, &err);
  store_close(st);
  return rc;
}

static int op_indicators(const fixture *fx) {
  chiso_err err;
  return indicators_import(fx->db, fx->reg, 2024, fx->indicators, NULL, &err);
}

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  chiso_err err;
  snprintf(fx->dir, sizeof fx->dir, "/tmp/chiso-faults-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  shim_register();
  snprintf(fx->pristine, sizeof fx->pristine, "%s/pristine.db", fx->dir);
  snprintf(fx->db, sizeof fx->db, "%s/store.db", fx->dir);
  snprintf(fx->other, sizeof fx->other, "%s/other.csv", fx->dir);
  snprintf(fx->indicators, sizeof fx->indicators, "%s/ind.csv", fx->dir);
  char sub[128];
  snprintf(sub, sizeof sub, "%s/v2", fx->dir);
  if (mkdir(sub, 0777)) return -1;
  snprintf(fx->same_name, sizeof fx->same_name, "%s/survey-small.csv", sub);
  const char *head = "respondent_id,province,size_class,weight,sector,year,Email,q_online_sales\n";
  char text[4096];
  snprintf(text, sizeof text, "%sx1,Hà Nội,micro,3,trade,2024,Có,12\nx2,Huế,small,2,trade,2024,"
           "Không,7.5\nx3,Cần Thơ,small,2,services,2024,Có,\n", head);
  write_text(fx->other, text);
  /* marked synthetic: the mark goes in the import's own transaction, so a
  ** failed import leaves no mark either (chiso_meta is in the dump) */
  snprintf(sub, sizeof sub, "%s/other.csv.meta.json", fx->dir);
  write_text(sub, "{\"synthetic\": true}\n");
  snprintf(text, sizeof text, "%sr01,Hà Nội,micro,12.5,trade,2024,Có,1\nr09,Huế,small,8,trade,"
           "2024,Không,2\n", head);
  write_text(fx->same_name, text);
  write_text(fx->indicators, "code,indicator,value,source\n01,domains,3.5,x\n79,domains,4,x\n"
                             "01,parcels,1.25,y\n");
  if (methodology_load("tests/data/method-test.json", &fx->m, &err)) return -1;
  if (geo_registry_new(&fx->reg, &err)) return -1;
  /* the pristine store: one import (closed, so its WAL is checkpointed
  ** into the file) */
  snprintf(fx->db, sizeof fx->db, "%s", fx->pristine);
  if (op_import(fx, "tests/data/survey-small.csv", 0)) return -1;
  snprintf(fx->db, sizeof fx->db, "%s/store.db", fx->dir);
  fx->before = dump_store(fx->pristine);
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  char cmd[200];
  methodology_free(fx->m);
  geo_registry_free(fx->reg);
  free(fx->before);
  sqlite3_vfs_unregister(&shim_vfs);
  snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
  if (system(cmd) != 0) return -1;
  free(fx);
  return 0;
}

/* Run `op` at every N for one kind of fault until it succeeds with no
** fault left to inject; check the store after each run. Returns the number
** of runs that failed. */
static long every_n(fixture *fx, int (*op)(const fixture *), const char *after, int kind,
                    int persistent, const char *what) {
  long failures = 0;
  for (long n = 1;; n++) {
    fresh_store(fx);
    fault = (fault_plan){kind, persistent, n, 0, 0};
    int rc = op(fx);
    long injected = fault.injected;
    fault.kind = F_NONE;
    char *now = dump_or_none(fx);
    if (rc) {
      failures++;
      if (strcmp(now, fx->new_store ? fx->empty : fx->before) != 0 && (!fx->new_store || now[0])) {
        print_error("%s, %s fault %ld%s: failed (%d) but changed the store\n", what,
                    kind == F_READ ? "read" : kind == F_WRITE ? "write" : "sync", n,
                    persistent ? " and after" : "", rc);
        fail();
      }
    } else if (strcmp(now, after) != 0) {
      print_error("%s, %s fault %ld: succeeded but the store is not what a clean run gives\n",
                  what, kind == F_READ ? "read" : kind == F_WRITE ? "write" : "sync", n);
      fail();
    }
    free(now);
    if (!injected) {
      assert_int_equal(rc, 0); /* no fault left: the operation works */
      break;
    }
    assert_true(n < 5000);
  }
  return failures;
}

static void run_path(fixture *fx, int (*op)(const fixture *), const char *what) {
  fresh_store(fx);
  fault.kind = F_NONE;
  assert_int_equal(op(fx), 0);
  char *after = dump_store(fx->db);
  assert_string_not_equal(after, fx->before); /* the operation changes the store */
  if (op == op_new_import) /* marked: "synthetic.2" = "1" (texts are dumped in hex) */
    assert_non_null(strstr(after, "73796e7468657469632e32|31|"));
  long failed = 0;
  for (int kind = F_READ; kind <= F_SYNC; kind++)
    for (int persistent = 0; persistent < 2; persistent++) {
      long f = every_n(fx, op, after, kind, persistent, what);
      print_message("  %s: %ld failed runs with %s %s faults\n", what, f,
                    persistent ? "persistent" : "single",
                    kind == F_READ ? "read" : kind == F_WRITE ? "write" : "sync");
      failed += f;
    }
  assert_true(failed > 0); /* faults were met, and each left the store as it was */
  free(after);
}

static void test_import_faults(void **state) { run_path(*state, op_new_import, "import"); }

/* The first import into a new store, written on a rollback journal: a
** failed run leaves no store, an empty one, or one with the schema and no
** import (a hot journal rolled back when it is opened). */
static void test_first_import_faults(void **state) {
  fixture *fx = *state;
  store *st = NULL;
  chiso_err err;
  fx->new_store = 1;
  fresh_store(fx);
  assert_int_equal(store_open(fx->db, 1, &st, &err), 0);
  store_close(st);
  fx->empty = dump_store(fx->db);
  run_path(fx, op_first_import, "first import");
  fx->new_store = 0;
  free(fx->empty);
  fx->empty = NULL;
}
static void test_replace_faults(void **state) { run_path(*state, op_replace, "replace"); }
static void test_drop_faults(void **state) { run_path(*state, op_drop, "drop-import"); }
static void test_indicator_faults(void **state) {
  run_path(*state, op_indicators, "import-indicators");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_import_faults),
      cmocka_unit_test(test_first_import_faults),
      cmocka_unit_test(test_replace_faults),
      cmocka_unit_test(test_drop_faults),
      cmocka_unit_test(test_indicator_faults),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
