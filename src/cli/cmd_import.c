/* cmd_import.c — `chiso import`: code survey files and store them. */
#include "svycli.h"

#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>

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

/* The file's SHA-256, computed on its own thread while the file is coded. */
typedef struct hash_job {
  const char *path;
  char *hex;
  long long size;
  int rc;
  chiso_err err;
} hash_job;

static void *hash_main(void *arg) {
  hash_job *h = arg;
  chiso_err_clear(&h->err);
  h->rc = store_sha256_file(h->path, h->hex, &h->size, &h->err);
  return NULL;
}

/* Read and code one file; problems go to stderr. */
static int read_one(const char *path, const iopts *o, const codebook *cb, const geo_registry *reg,
                    store_file *f, char *sha, chiso_err *err) {
  ingest_options io = {0, o->skip, CSVR_ENC_AUTO, 0, 0, NULL};
  ingest_report *r = NULL;
  survey_data *s = NULL;
  hash_job h = {path, sha, 0, CHISO_OK, {0}};
  pthread_t th;
  int threaded = pthread_create(&th, NULL, hash_main, &h) == 0;
  if (!threaded) hash_main(&h);
  int rc = threaded || !h.rc ? ingest_file(path, cb, reg, (int)o->year, &io, &s, &r, err) : 0;
  if (threaded) pthread_join(th, NULL);
  if (h.rc) { /* a file that cannot be hashed is reported as such, as if hashed first */
    *err = h.err;
    rc = h.rc;
    survey_free(s);
    s = NULL;
    ingest_report_free(r);
    r = NULL;
  }
  f->size = h.size;
  if (r && (rc || r->rows_skipped)) svycli_print_problems("import", r);
  if (!rc && r && r->rows_skipped)
    chiso_log(CHISO_LOG_WARN, "%s: %zu invalid rows skipped", path, r->rows_skipped);
  f->path = path;
  f->sha256 = sha;
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

CHISO_COMMAND(import, "Import survey files into the SQLite store (one transaction)")
{
  iopts o = {0};
  int a = parse_args(argc, argv, &o);
  if (a) return a < 0 ? 0 : a;
  size_t n = (size_t)(argc - optind);
  char **files = argv + optind;
  chiso_err err;
  chiso_err_clear(&err);
  svycli_method m = {0};
  geo_registry *reg = NULL;
  store *st = NULL;
  store_file *f = calloc(n, sizeof *f);
  char (*sha)[65] = calloc(n, sizeof *sha);
  store_outcome *out = calloc(n, sizeof *out);
  long long *ids = calloc(n, sizeof *ids);
  int rc = (f && sha && out && ids) ? CHISO_OK : chiso_err_set(&err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = svycli_method_load(o.method, &m, &err);
  if (!rc) rc = geo_registry_new(&reg, &err);
  /* Everything is read and checked before the store is opened. */
  for (size_t i = 0; !rc && i < n; i++) rc = read_one(files[i], &o, m.cb, reg, &f[i], sha[i], &err);
  if (!rc) rc = store_open(o.db, 1, &st, &err);
  store_method sm = {m.id, m.hash, m.json};
  if (!rc) rc = store_import(st, &sm, (int)o.year, f, n, o.replace, out, ids, &err);
  /* Files written by chiso synth are marked synthetic (docs/report.md). */
  for (size_t i = 0; !rc && i < n; i++)
    if (synf_sidecar_synthetic(files[i])) rc = store_set_synthetic(st, ids[i], &err);
  store_close(st);
  if (!rc) report(f, n, out, ids);
  for (size_t i = 0; f && i < n; i++) survey_free((survey_data *)f[i].data);
  svycli_method_free(&m);
  geo_registry_free(reg);
  free(f);
  free(sha);
  free(out);
  free(ids);
  return rc ? cli_report("import", rc, &err) : 0;
}
