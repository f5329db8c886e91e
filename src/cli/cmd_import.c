/* cmd_import.c — `chiso import`: code survey files and store them. */
#include "svycli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "Usage: chiso import --db FILE --method M --year Y [--replace] [--skip-invalid] FILE...\n\n"
    "Read survey files (CSV or XLSX) with the codebook of methodology M (a file\n"
    "or a shipped name), check every cell, and store them in the SQLite store\n"
    "FILE in ONE transaction: all files are imported or none.\n\n"
    "  --replace       a file of the same name imported before with other\n"
    "                  content is swapped for the new one (atomically)\n"
    "  --skip-invalid  import the valid rows of a file with problems; the\n"
    "                  skipped rows are reported on stderr\n\n"
    "A file already imported for Y (same SHA-256) is left alone, with a note.\n"
    "A file with problems imports nothing (exit 2) and the store is unchanged.\n";

typedef struct iopts {
  const char *db, *method;
  long year;
  int replace, skip;
} iopts;

static int parse_args(int argc, char **argv, iopts *o) {
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"method", required_argument, 0, 'm'},
                                       {"year", required_argument, 0, 'y'},
                                       {"replace", no_argument, 0, 'r'},
                                       {"skip-invalid", no_argument, 0, 's'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:m:y:rsh", opts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'm': o->method = optarg; break;
    case 'y': if (cli_parse_long("import", "--year", optarg, 1900, 2100, &o->year)) return 1; break;
    case 'r': o->replace = 1; break;
    case 's': o->skip = 1; break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("import", optopt, argv[optind - 1]);
    }
  }
  if (!o->db || !o->method || !o->year)
    return cli_usage_error("import", "--db FILE, --method M and --year Y are required");
  if (optind >= argc) return cli_usage_error("import", "no survey file given");
  return 0;
}

/* What ingest asks of each respondent id: is it stored for the year under
** another file, or in a file read before in this run? */
typedef struct id_check {
  const store_idset *ids;
  const char *self;
} id_check;

static int id_known(void *ctx, const char *id, char *where, size_t n) {
  const id_check *c = ctx;
  const char *file = NULL;
  long long imp = 0;
  if (!store_idset_find(c->ids, id, c->self, &file, &imp)) return 0;
  if (imp) snprintf(where, n, "already imported from %s (import %lld)", file, imp);
  else snprintf(where, n, "already in %s (imported in this run)", file);
  return 1;
}

/* Read and code one file; problems go to stderr. */
static int read_one(const char *path, const iopts *o, const codebook *cb, const geo_registry *reg,
                    store_idset *ids, store_file *f, chiso_err *err) {
  id_check chk = {ids, path};
  ingest_options io = {0, o->skip, CSVREAD_ENC_AUTO, 0, 0, NULL, id_known, &chk};
  ingest_report *r = NULL;
  survey_data *s = NULL;
  int rc = ingest_file(path, cb, reg, (int)o->year, &io, &s, &r, err);
  if (r && (rc || r->rows_skipped)) svycli_print_problems("import", r);
  if (!rc && r && r->rows_skipped)
    chiso_log(CHISO_LOG_WARN, "%s: %zu invalid rows skipped", path, r->rows_skipped);
  if (!rc && store_idset_add(ids, s, path)) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  f->skipped = r ? (long)r->rows_skipped : 0;
  f->data = s;
  ingest_report_free(r);
  return rc;
}

static void report(const store_file *f, size_t n, const store_outcome *out, const long long *ids) {
  static const char *what[] = {"imported as", "already imported, nothing done: import",
                               "replaced; now import"};
  for (size_t i = 0; i < n; i++)
    chiso_log(CHISO_LOG_NOTE, "%s: %s %lld (%zu rows)", f[i].path, what[out[i]], ids[i],
              f[i].data->n);
}

/* Hash every file, and when the store exists, note the files whose bytes
** are already imported for the year (done[i] = 1), before anything is
** read: a re-import is a no-op that reads no row. The store, when it
** exists, is left open in *st. */
static int hash_all(const iopts *o, char **files, size_t n, store_file *f, char (*sha)[65],
                    unsigned char *done, store **st, chiso_err *err) {
  int rc = CHISO_OK;
  for (size_t i = 0; !rc && i < n; i++) {
    f[i].path = files[i];
    f[i].sha256 = sha[i];
    rc = store_sha256_file(files[i], sha[i], &f[i].size, err);
  }
  if (rc || access(o->db, F_OK) != 0) return rc;
  store_import_info *imp = NULL;
  size_t ni = 0;
  rc = store_open(o->db, 0, st, err);
  if (!rc) rc = store_list(*st, &imp, &ni, err);
  for (size_t i = 0; !rc && i < n; i++)
    for (size_t k = 0; k < ni && !done[i]; k++)
      if (imp[k].year == (int)o->year && strcmp(imp[k].sha256, sha[i]) == 0) {
        done[i] = 1;
        chiso_log(CHISO_LOG_NOTE, "%s: already imported, nothing done: import %lld (%ld rows)",
                  files[i], imp[k].id, imp[k].rows);
      }
  chiso_free(imp);
  return rc;
}

/* Read the files not done, checking their ids against the store's. */
static int read_all(const iopts *o, const svycli_method *m, const geo_registry *reg, store *st,
                    store_file *f, const unsigned char *done, size_t n, size_t *todo,
                    chiso_err *err) {
  store_idset *ids = NULL;
  int rc = store_idset_load(st, (int)o->year, &ids, err);
  *todo = 0;
  for (size_t i = 0; !rc && i < n; i++) {
    if (done[i]) continue;
    if (*todo != i) f[*todo] = f[i];
    rc = read_one(f[*todo].path, o, m->cb, reg, ids, &f[*todo], err);
    ++*todo;
  }
  store_idset_free(ids);
  return rc;
}

CHISO_COMMAND(import, "Import survey files into the SQLite store (one transaction)")
{
  iopts o = {0};
  int a = parse_args(argc, argv, &o);
  if (a) return a < 0 ? 0 : a;
  size_t n = (size_t)(argc - optind), todo = 0;
  chiso_err err;
  chiso_err_clear(&err);
  svycli_method m = {0};
  geo_registry *reg = NULL;
  store *st = NULL;
  store_file *f = calloc(n, sizeof *f);
  char (*sha)[65] = calloc(n, sizeof *sha);
  unsigned char *done = calloc(n, 1);
  store_outcome *out = calloc(n, sizeof *out);
  long long *ids = calloc(n, sizeof *ids);
  int rc = (f && sha && done && out && ids) ? CHISO_OK
                                            : chiso_err_set(&err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = svycli_method_load(o.method, &m, &err);
  if (!rc) rc = geo_registry_new(&reg, &err);
  if (!rc) rc = hash_all(&o, argv + optind, n, f, sha, done, &st, &err);
  /* Everything is read and checked before the store is written. */
  if (!rc) rc = read_all(&o, &m, reg, st, f, done, n, &todo, &err);
  if (!rc && todo && !st) rc = store_open(o.db, 1, &st, &err);
  store_method sm = {m.id, m.hash, m.json};
  if (!rc && todo) rc = store_import(st, &sm, (int)o.year, f, todo, o.replace, out, ids, &err);
  /* Files written by chiso synth are marked synthetic (docs/report.md). */
  for (size_t i = 0; !rc && i < todo; i++)
    if (synthfile_sidecar_synthetic(f[i].path)) rc = store_set_synthetic(st, ids[i], &err);
  store_close(st);
  if (!rc) report(f, todo, out, ids);
  for (size_t i = 0; f && i < todo; i++) survey_free((survey_data *)f[i].data);
  svycli_method_free(&m);
  geo_registry_free(reg);
  free(f);
  free(sha);
  free(done);
  free(out);
  free(ids);
  return rc ? cli_report("import", rc, &err) : 0;
}
