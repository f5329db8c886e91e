/* api.c — the JSON API under /api/v1 (api.h). */
#include "api.h"

#include "assets.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JSON_TYPE "application/json; charset=utf-8"
#define CSV_TYPE "text/csv; charset=utf-8"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define SVG_TYPE "image/svg+xml; charset=utf-8"
#define TEXT_TYPE "text/plain; charset=utf-8"

int api_status(int rc) {
  switch (rc) {
  case CHISO_OK: return 200;
  case CHISO_EUSAGE: return 400;
  case CHISO_ENOTFOUND: return 404;
  default: return 500;
  }
}

/* ---- computing once, answering from the cache ------------------------------------------------ */

/* A producer writes a resource's bytes to f in format fmt (with the
** snapshot's lock held when its resource asks for it). */
typedef int (*producer)(state_snap *sn, const void *args, chiso_format fmt, FILE *f, chiso_err *err);

static void release_entry(void *e) { cache_release(e); }

/* Reply with a cache entry (or 304 when the client has its ETag). */
static int from_entry(request *q, reply *r, const cache_entry *e, const char *download) {
  r->ref = (void *)e;
  r->release = release_entry;
  r->body = e->body;
  r->len = e->len;
  snprintf(r->type, sizeof r->type, "%s", e->type);
  snprintf(r->etag, sizeof r->etag, "%s", e->etag);
  r->cache = REPLY_REVALIDATE;
  if (download) snprintf(r->filename, sizeof r->filename, "%s", download);
  r->status = request_etag_matches(q, e->etag) ? 304 : 200;
  return r->status;
}

/* The CSV of n bytes as a workbook: the bytes of the file, malloc'ed. */
static int to_xlsx(const char *csv, size_t n, const char *sheet, char **out, size_t *len,
                   chiso_err *err) {
  char path[] = "/tmp/chiso-serve-XXXXXX";
  int fd = mkstemp(path);
  *out = NULL;
  if (fd < 0) {
    snprintf(err->message, sizeof err->message, "cannot make a temporary file");
    return CHISO_EIO;
  }
  close(fd);
  int rc = chiso_csv_to_xlsx(csv, n, sheet, path, err);
  FILE *f = rc ? NULL : fopen(path, "rb");
  if (!rc && !f) rc = CHISO_EIO;
  if (f) {
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    *out = size > 0 ? malloc((size_t)size) : NULL;
    if (*out && fread(*out, 1, (size_t)size, f) == (size_t)size) *len = (size_t)size;
    else rc = CHISO_EIO;
    fclose(f);
  }
  unlink(path);
  if (rc) {
    free(*out);
    *out = NULL;
  }
  return rc;
}

/* Run the producer into a malloc'ed buffer. */
static int produce_bytes(request *q, producer produce, const void *args, chiso_format fmt,
                         int xlsx, int locked, const char *sheet, char **out, size_t *len,
                         chiso_err *err) {
  state_snap *sn = q->snap;
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  if (!f) return CHISO_ENOMEM;
  if (locked) state_lock(sn);
  int rc = produce(sn, args, xlsx ? CHISO_FORMAT_CSV : fmt, f, err);
  if (locked) state_unlock(sn);
  if (fclose(f) && !rc) rc = CHISO_ENOMEM;
  if (!rc && xlsx) {
    char *book = NULL;
    rc = to_xlsx(buf, n, sheet, &book, &n, err);
    free(buf);
    buf = book;
  }
  if (rc) {
    free(buf);
    return rc;
  }
  *out = buf;
  *len = n;
  return CHISO_OK;
}

/* The cache entry of `key`, produced on a miss: 1, or 0 with the error
** reply (the producer's code as status, its message, the parameter it
** names in err.column). */
static int entry_of(request *q, reply *r, const char *key, producer produce, const void *args,
                    chiso_format fmt, int xlsx, int locked, const char *type, const char *sheet,
                    const cache_entry **out) {
  cache *c = state_cache(q->snap);
  const cache_entry *e = cache_get(c, key);
  r->note = "hit";
  if (!e) {
    chiso_err err;
    char *body = NULL;
    size_t n = 0;
    chiso_err_clear(&err);
    r->note = "miss";
    int rc = produce_bytes(q, produce, args, fmt, xlsx, locked, sheet, &body, &n, &err);
    if (rc) {
      char msg[1200];
      chiso_err_format(&err, msg, sizeof msg);
      reply_error(r, api_status(rc), err.column[0] ? err.column : NULL, NULL, 0, "%s",
                  msg[0] ? msg : chiso_strerror(rc));
      return 0;
    }
    e = cache_put(c, key, body, n, xlsx ? XLSX_TYPE : type);
    if (!e) {
      reply_error(r, 500, NULL, NULL, 0, "out of memory");
      return 0;
    }
  }
  *out = e;
  return 1;
}

static int answer(request *q, reply *r, const char *key, producer produce, const void *args,
                  chiso_format fmt, int xlsx, int locked, const char *type, const char *download) {
  const cache_entry *e = NULL;
  if (!entry_of(q, r, key, produce, args, fmt, xlsx, locked, type, download, &e)) return r->status;
  return from_entry(q, r, e, download);
}

/* ---- parameters --------------------------------------------------------------------------------- */

int api_view(request *q, reply *r, int *year, int *units) {
  const int *years = NULL;
  size_t n = state_years(q->snap, &years);
  long y = 0, u = 0;
  if (!request_int(q, "year", 1900, 2100, n ? years[n - 1] : 0, &y, r)) return 0;
  if (!n) {
    reply_error(r, 404, "year", NULL, 0, "nothing is stored yet");
    return 0;
  }
  if (!state_has_year(q->snap, (int)y)) {
    char list[512] = "", names[64][8];
    const char *allowed[64];
    size_t k = 0, len = 0;
    for (size_t i = 0; i < n && i < 64; i++, k++) {
      snprintf(names[i], sizeof names[i], "%d", years[i]);
      allowed[i] = names[i];
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", i ? ", " : "", years[i]);
    }
    reply_error(r, 404, "year", allowed, k, "nothing stored for %ld (stored years: %s)", y, list);
    return 0;
  }
  if (!request_int(q, "units", 0, 9999, 0, &u, r)) return 0;
  int own = y >= CHISO_FIRST_34_YEAR ? 34 : 63;
  if (u == 2025) u = 34;
  if (!request_param_get(q, "units")) {
    u = own;
  } else if (u != 34 && u != 63) {
    static const char *const ok[] = {"63", "34", "2025"};
    reply_error(r, 400, "units", ok, 3, "units must be 63, 34 or 2025, not %ld", u);
    return 0;
  }
  if (u == 63 && own == 34) {
    reply_error(r, 400, "units", NULL, 0, "%ld has the 34 units only: the 63 provinces ended in %d",
                y, CHISO_FIRST_34_YEAR - 1);
    return 0;
  }
  *year = (int)y;
  *units = (int)u;
  return 1;
}

/* format=json|csv[|xlsx] (json by default): *fmt and *xlsx. */
static int format_of(request *q, reply *r, int table, chiso_format *fmt, int *xlsx) {
  static const char *const all[] = {"json", "csv", "xlsx"};
  size_t k = 0;
  if (!request_choice(q, "format", all, table ? 3 : 1, 0, &k, r)) return 0;
  *fmt = k == 0 ? CHISO_FORMAT_JSON : CHISO_FORMAT_CSV;
  *xlsx = k == 2;
  return 1;
}

static const char *type_of(chiso_format fmt) { return fmt == CHISO_FORMAT_JSON ? JSON_TYPE : CSV_TYPE; }

static const char *ext_of(chiso_format fmt, int xlsx) {
  return xlsx ? "xlsx" : fmt == CHISO_FORMAT_JSON ? "json" : "csv";
}

/* A unit code as the store writes it: two digits. */
static int code_ok(const char *s) {
  return s && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && !s[2];
}

/* ---- the resources of a report model and the what-if -------------------------------------------- */

static int produce_years(state_snap *sn, const void *args, chiso_format fmt, FILE *f, chiso_err *err) {
  (void)args;
  return chiso_years_write(state_year_set(sn), fmt, f, err);
}

static int produce_view(state_snap *sn, api_resource res, const api_query *p, chiso_format fmt,
                        FILE *f, chiso_err *err) {
  const chiso_report *rep = NULL;
  int rc = state_report(sn, p->year, p->units, &rep, err);
  if (rc) return rc;
  switch (res) {
  case API_INDEX: return chiso_report_index_write(rep, fmt, f, err);
  case API_UNIT: return chiso_report_unit_write(rep, p->code, fmt, f, err);
  case API_COMPARE: return chiso_report_compare_write(rep, p->codes, p->n_codes, fmt, f, err);
  case API_SUMMARY: return chiso_report_summary_write(rep, fmt, f, err);
  default: return chiso_report_method_write(rep, fmt, f, err);
  }
}

static int produce_index(state_snap *sn, const void *a, chiso_format fmt, FILE *f, chiso_err *err) {
  return produce_view(sn, API_INDEX, a, fmt, f, err);
}
static int produce_unit(state_snap *sn, const void *a, chiso_format fmt, FILE *f, chiso_err *err) {
  return produce_view(sn, API_UNIT, a, fmt, f, err);
}
static int produce_compare(state_snap *sn, const void *a, chiso_format fmt, FILE *f, chiso_err *err) {
  return produce_view(sn, API_COMPARE, a, fmt, f, err);
}
static int produce_summary(state_snap *sn, const void *a, chiso_format fmt, FILE *f, chiso_err *err) {
  return produce_view(sn, API_SUMMARY, a, fmt, f, err);
}
static int produce_method(state_snap *sn, const void *a, chiso_format fmt, FILE *f, chiso_err *err) {
  return produce_view(sn, API_METHOD, a, fmt, f, err);
}

static int produce_imports(state_snap *sn, const void *args, chiso_format fmt, FILE *f, chiso_err *err) {
  (void)args;
  return chiso_store_imports_write(state_store(sn), fmt, f, err);
}

/* The what-if of the view, prepared once per snapshot; the weights'
** parameter is named when the library refuses one. */
static int produce_whatif(state_snap *sn, const void *args, chiso_format fmt, FILE *f, chiso_err *err) {
  const api_query *p = args;
  const chiso_whatif *w = NULL;
  int rc = state_whatif(sn, p->year, p->units, &w, err);
  if (!rc) rc = chiso_whatif_write(w, p->ids, p->values, p->n_weights, fmt, f, err);
  if (rc && err->column[0]) {
    char node[sizeof err->column - 2];
    memcpy(node, err->column, sizeof node - 1);
    node[sizeof node - 1] = '\0';
    snprintf(err->column, sizeof err->column, "w.%s", node);
  }
  return rc;
}

static const struct {
  const char *name;
  producer produce;
  int locked;
} resources[] = {
    {"years", produce_years, 1},     {"index", produce_index, 0},   {"unit", produce_unit, 0},
    {"compare", produce_compare, 0}, {"summary", produce_summary, 0}, {"whatif", produce_whatif, 0},
    {"methodology", produce_method, 0}, {"imports", produce_imports, 1}};

/* The cache key of a resource: everything its bytes depend on. Returns 0
** when it does not fit. */
static int key_of(api_resource res, const api_query *p, const char *ext, char *key, size_t n) {
  size_t len = (size_t)snprintf(key, n, "%s|%d|%d|%s|%s", resources[res].name, p->year, p->units,
                                p->code ? p->code : "", ext);
  for (size_t i = 0; i < p->n_codes && len < n; i++)
    len += (size_t)snprintf(key + len, n - len, "|%s", p->codes[i]);
  for (size_t i = 0; i < p->n_weights && len < n; i++)
    len += (size_t)snprintf(key + len, n - len, "|%s=%s", p->ids[i], p->values[i]);
  return len < n;
}

/* Answer an HTTP request for a resource. */
static int serve(request *q, reply *r, api_resource res, const api_query *p, chiso_format fmt,
                 int xlsx) {
  char key[2048], file[96];
  if (!key_of(res, p, ext_of(fmt, xlsx), key, sizeof key))
    return reply_error(r, 400, NULL, NULL, 0, "the request is too long");
  if (res == API_YEARS || res == API_IMPORTS)
    snprintf(file, sizeof file, "%s.%s", resources[res].name, ext_of(fmt, xlsx));
  else
    snprintf(file, sizeof file, "%s%s%s-%d-%d.%s", resources[res].name, p->code ? "-" : "",
             p->code ? p->code : "", p->year, p->units, ext_of(fmt, xlsx));
  return answer(q, r, key, resources[res].produce, p, fmt, xlsx, resources[res].locked,
                type_of(fmt), fmt == CHISO_FORMAT_JSON ? NULL : file);
}

int api_fetch(request *q, reply *r, api_resource res, const api_query *p, json_t **out) {
  char key[2048];
  const cache_entry *e = NULL;
  json_error_t jerr;
  *out = NULL;
  if (!key_of(res, p, "json", key, sizeof key)) {
    reply_error(r, 400, NULL, NULL, 0, "the request is too long");
    return 0;
  }
  if (!entry_of(q, r, key, resources[res].produce, p, CHISO_FORMAT_JSON, 0, resources[res].locked,
                JSON_TYPE, NULL, &e))
    return 0;
  *out = json_loadb(e->body, e->len, 0, &jerr);
  cache_release(e);
  if (!*out) reply_error(r, 500, NULL, NULL, 0, "cannot read the library's JSON: %s", jerr.text);
  return *out != NULL;
}

/* ---- handlers ------------------------------------------------------------------------------------ */

int api_root(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  if (!request_params_check(q, NULL, 0, r)) return r->status;
  static const char doc[] =
      "{\n  \"name\": \"chiso\",\n  \"version\": \"" CHISO_VERSION "\",\n"
      "  \"openapi\": \"/api/v1/openapi.json\",\n  \"resources\": [\n"
      "    \"/api/v1/years\", \"/api/v1/index\", \"/api/v1/units/{code}\", \"/api/v1/compare\",\n"
      "    \"/api/v1/summary\", \"/api/v1/whatif\", \"/api/v1/estimates\", \"/api/v1/divide\",\n"
      "    \"/api/v1/series\", \"/api/v1/targets\", \"/api/v1/plans\", \"/api/v1/uncertainty\",\n"
      "    \"/api/v1/methodology\", \"/api/v1/imports\", \"/api/v1/charts/{name}.svg\"\n  ]\n}\n";
  r->body = doc;
  r->len = sizeof doc - 1;
  snprintf(r->type, sizeof r->type, "%s", JSON_TYPE);
  cache_etag(JSON_TYPE, doc, r->len, r->etag, sizeof r->etag);
  r->cache = REPLY_REVALIDATE;
  r->status = request_etag_matches(q, r->etag) ? 304 : 200;
  return r->status;
}

int api_openapi(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  size_t n = 0;
  const char *doc = assets_find("openapi.json", &n);
  if (!request_params_check(q, NULL, 0, r)) return r->status;
  if (!doc) return reply_error(r, 500, NULL, NULL, 0, "the OpenAPI document is not built in");
  r->body = doc;
  r->len = n;
  snprintf(r->type, sizeof r->type, "%s", JSON_TYPE);
  cache_etag(JSON_TYPE, doc, n, r->etag, sizeof r->etag);
  r->cache = REPLY_REVALIDATE;
  r->status = request_etag_matches(q, r->etag) ? 304 : 200;
  return r->status;
}

/* A resource of the whole store: only a format. */
static int store_resource(request *q, reply *r, api_resource res) {
  static const char *const ok[] = {"format"};
  api_query p = {0};
  chiso_format fmt;
  int xlsx;
  if (!request_params_check(q, ok, 1, r) || !format_of(q, r, 1, &fmt, &xlsx)) return r->status;
  return serve(q, r, res, &p, fmt, xlsx);
}

int api_years(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  return store_resource(q, r, API_YEARS);
}

int api_imports(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  return store_resource(q, r, API_IMPORTS);
}

/* The parameters every view takes: year, units, format (and `extra`). */
static int view_params(request *q, reply *r, const char *const *extra, size_t n_extra, api_query *p,
                       chiso_format *fmt, int *xlsx) {
  const char *ok[8] = {"year", "units", "format"};
  size_t n = 3;
  for (size_t i = 0; i < n_extra && n < 8; i++) ok[n++] = extra[i];
  memset(p, 0, sizeof *p);
  return request_params_check(q, ok, n, r) && api_view(q, r, &p->year, &p->units) &&
         format_of(q, r, 1, fmt, xlsx);
}

/* A view of the report model that takes only the view's parameters. */
static int plain_view(request *q, reply *r, api_resource res) {
  api_query p;
  chiso_format fmt;
  int xlsx;
  if (!view_params(q, r, NULL, 0, &p, &fmt, &xlsx)) return r->status;
  return serve(q, r, res, &p, fmt, xlsx);
}

int api_index(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  return plain_view(q, r, API_INDEX);
}

int api_summary(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  return plain_view(q, r, API_SUMMARY);
}

int api_methodology(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  return plain_view(q, r, API_METHOD);
}

int api_unit(request *q, reply *r, const char *const *args, size_t n_args) {
  api_query p;
  chiso_format fmt;
  int xlsx;
  if (!view_params(q, r, NULL, 0, &p, &fmt, &xlsx)) return r->status;
  p.code = n_args ? args[0] : "";
  if (!code_ok(p.code))
    return reply_error(r, 404, "code", NULL, 0, "a unit is named by its two-digit code, not \"%.40s\"",
                       p.code);
  return serve(q, r, API_UNIT, &p, fmt, xlsx);
}

int api_compare(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const extra[] = {"codes"};
  api_query p;
  chiso_format fmt;
  int xlsx;
  char codes[4][3];
  const char *list[4];
  (void)args, (void)n_args;
  if (!view_params(q, r, extra, 1, &p, &fmt, &xlsx)) return r->status;
  const char *s = request_param_get(q, "codes");
  if (!s || !*s)
    return reply_error(r, 400, "codes", NULL, 0, "codes is required: 2 to 4 unit codes, e.g. codes=01,79");
  size_t n = 0;
  for (const char *c = s; *c;) {
    const char *end = strchr(c, ',');
    size_t len = end ? (size_t)(end - c) : strlen(c);
    if (n == 4) return reply_error(r, 400, "codes", NULL, 0, "compare 2 to 4 units, not more");
    if (len != 2 || c[0] < '0' || c[0] > '9' || c[1] < '0' || c[1] > '9')
      return reply_error(r, 400, "codes", NULL, 0,
                         "codes must be two-digit unit codes separated by commas, not \"%.60s\"", s);
    memcpy(codes[n], c, 2);
    codes[n][2] = '\0';
    list[n] = codes[n];
    n++;
    c += len + (end != NULL);
  }
  if (n < 2) return reply_error(r, 400, "codes", NULL, 0, "compare 2 to 4 units, not %zu", n);
  p.codes = list;
  p.n_codes = n;
  return serve(q, r, API_COMPARE, &p, fmt, xlsx);
}

int api_whatif(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const extra[] = {"w."};
  api_query p;
  chiso_format fmt;
  int xlsx;
  const char *ids[REQUEST_MAX_PARAMS], *values[REQUEST_MAX_PARAMS];
  (void)args, (void)n_args;
  if (!view_params(q, r, extra, 1, &p, &fmt, &xlsx)) return r->status;
  for (size_t i = 0; i < q->n_params; i++) {
    if (strncmp(q->params[i].key, "w.", 2)) continue;
    ids[p.n_weights] = q->params[i].key + 2;
    values[p.n_weights++] = q->params[i].value ? q->params[i].value : "";
  }
  p.ids = ids;
  p.values = values;
  return serve(q, r, API_WHATIF, &p, fmt, xlsx);
}

/* A chart as a standalone SVG: the report's stylesheet inside it, so the
** downloaded file looks as it does on the page. */
typedef struct chart_args {
  api_query p;
  const char *chart, *code, *lang;
  int standalone;
} chart_args;

static int produce_chart(state_snap *sn, const void *args, chiso_format fmt, FILE *f, chiso_err *err) {
  const chart_args *a = args;
  const chiso_report *rep = NULL;
  char prefix[16], suffix[64], *svg = NULL;
  size_t len = 0;
  (void)fmt;
  snprintf(prefix, sizeof prefix, "/%s/p/", a->lang);
  snprintf(suffix, sizeof suffix, "?year=%d&units=%d", a->p.year, a->p.units);
  int rc = state_report(sn, a->p.year, a->p.units, &rep, err);
  if (rc) return rc;
  if (!a->standalone) return chiso_report_svg_write(rep, a->chart, a->code, a->lang, prefix, suffix, f, err);
  FILE *m = open_memstream(&svg, &len);
  if (!m) return CHISO_ENOMEM;
  rc = chiso_report_svg_write(rep, a->chart, a->code, a->lang, prefix, suffix, m, err);
  if (fclose(m) && !rc) rc = CHISO_ENOMEM;
  const char *open = svg ? strstr(svg, "<svg") : NULL;
  const char *gt = open ? strchr(open, '>') : NULL;
  if (!rc && gt) {
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fwrite(svg, 1, (size_t)(gt + 1 - svg), f);
    fprintf(f, "\n<style>%s</style>\n", chiso_report_stylesheet());
    fputs(gt + 1, f);
  }
  free(svg);
  return rc;
}

static int chart_key(const chart_args *a, char *key, size_t n) {
  return snprintf(key, n, "chart|%d|%d|%s|%s|%s|%d", a->p.year, a->p.units, a->chart,
                  a->code ? a->code : "", a->lang, a->standalone) < (int)n;
}

int api_fetch_svg(request *q, reply *r, const api_query *p, const char *chart, const char *code,
                  const char *lang, const cache_entry **entry) {
  chart_args a = {*p, chart, code, lang, 0};
  char key[256];
  if (!chart_key(&a, key, sizeof key)) return 0;
  return entry_of(q, r, key, produce_chart, &a, CHISO_FORMAT_JSON, 0, 0, SVG_TYPE, NULL, entry);
}

int api_chart(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"year", "units", "code", "lang"};
  static const char *const langs[] = {"vi", "en"};
  chart_args a;
  size_t lang = 0;
  char name[64], key[256], file[128];
  memset(&a, 0, sizeof a);
  if (!request_params_check(q, ok, 4, r) || !api_view(q, r, &a.p.year, &a.p.units) ||
      !request_choice(q, "lang", langs, 2, 0, &lang, r))
    return r->status;
  const char *arg = n_args ? args[0] : "";
  size_t len = strlen(arg);
  if (len < 5 || len > 60 || strcmp(arg + len - 4, ".svg"))
    return reply_error(r, 404, "chart", NULL, 0, "charts are NAME.svg, not \"%.60s\"", arg);
  memcpy(name, arg, len - 4);
  name[len - 4] = '\0';
  const char *names[16];
  size_t k = 0, known = 0;
  for (const char *c; k < 16 && (c = chiso_report_chart_name(k)); k++) {
    names[k] = c;
    known |= strcmp(c, name) == 0;
  }
  if (!known) return reply_error(r, 404, "chart", names, k, "no chart '%.60s'", name);
  a.chart = name;
  a.code = request_param_get(q, "code");
  if (a.code && !code_ok(a.code))
    return reply_error(r, 404, "code", NULL, 0, "a unit is named by its two-digit code, not \"%.40s\"",
                       a.code);
  a.lang = langs[lang];
  a.standalone = 1;
  if (!chart_key(&a, key, sizeof key)) return reply_error(r, 400, NULL, NULL, 0, "the request is too long");
  snprintf(file, sizeof file, "%s-%d%s%s.svg", name, a.p.year, a.code ? "-" : "", a.code ? a.code : "");
  int st = answer(q, r, key, produce_chart, &a, CHISO_FORMAT_JSON, 0, 0, SVG_TYPE, file);
  if (st == 200 || st == 304) r->csp = REPLY_CSP_SVG;
  return st;
}

/* ---- resources of a stored year: the CLI's bytes ---------------------------------------------------- */

typedef struct year_args {
  int year, units;        /* units: 0 for the year's own, as the CLI without --units */
  int level;              /* estimates: -1 all, 0 provinces, 1 regions, 2 the nation */
  size_t mode;            /* uncertainty: sampling, method, crossed */
  size_t view;            /* series: scores, divide, convergence */
  const char *interval;   /* series */
  chiso_targets_options targets;
} year_args;

/* The units a stored-year resource passes to the library: 0 for the
** year's own (what the CLI computes without --units), else 34 or 63. */
static int lib_units(int year, int units) {
  return units == (year >= CHISO_FIRST_34_YEAR ? 34 : 63) ? 0 : units;
}

static int produce_estimates(state_snap *sn, const void *args, chiso_format fmt, FILE *f, chiso_err *err) {
  const year_args *a = args;
  chiso_year *y = NULL;
  int rc = chiso_years_get(state_year_set(sn), a->year, &y, err);
  if (!rc) rc = chiso_year_estimates_write(y, a->units, a->level, fmt, f, err);
  return rc;
}

int api_estimates(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"year", "units", "level", "format"};
  static const char *const levels[] = {"all", "province", "region", "nation"};
  year_args a;
  chiso_format fmt;
  int xlsx;
  size_t lv = 0;
  char key[96], file[64];
  (void)args, (void)n_args;
  memset(&a, 0, sizeof a);
  if (!request_params_check(q, ok, 4, r) || !api_view(q, r, &a.year, &a.units) ||
      !request_choice(q, "level", levels, 4, 0, &lv, r) || !format_of(q, r, 1, &fmt, &xlsx))
    return r->status;
  a.level = (int)lv - 1;
  a.units = lib_units(a.year, a.units);
  snprintf(key, sizeof key, "estimates|%d|%d|%d|%s", a.year, a.units, a.level, ext_of(fmt, xlsx));
  snprintf(file, sizeof file, "estimates-%d.%s", a.year, ext_of(fmt, xlsx));
  return answer(q, r, key, produce_estimates, &a, fmt, xlsx, 1, type_of(fmt),
                fmt == CHISO_FORMAT_JSON ? NULL : file);
}

static int produce_divide(state_snap *sn, const void *args, chiso_format fmt, FILE *f, chiso_err *err) {
  const year_args *a = args;
  chiso_year *y = NULL;
  chiso_divide_options o;
  chiso_divide_options_init(&o); /* the defaults of `chiso divide --db` */
  o.units = a->units;
  int rc = chiso_years_get(state_year_set(sn), a->year, &y, err);
  if (!rc) rc = chiso_year_divide_write(y, &o, fmt, f, NULL, err);
  return rc;
}

int api_divide(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"year", "units", "format"};
  year_args a;
  chiso_format fmt;
  int xlsx;
  char key[96], file[64];
  (void)args, (void)n_args;
  memset(&a, 0, sizeof a);
  if (!request_params_check(q, ok, 3, r) || !api_view(q, r, &a.year, &a.units) ||
      !format_of(q, r, 1, &fmt, &xlsx))
    return r->status;
  a.units = lib_units(a.year, a.units);
  snprintf(key, sizeof key, "divide|%d|%d|%s", a.year, a.units, ext_of(fmt, xlsx));
  snprintf(file, sizeof file, "divide-%d.%s", a.year, ext_of(fmt, xlsx));
  return answer(q, r, key, produce_divide, &a, fmt, xlsx, 1, type_of(fmt),
                fmt == CHISO_FORMAT_JSON ? NULL : file);
}

static int produce_series(state_snap *sn, const void *args, chiso_format fmt, FILE *f, chiso_err *err) {
  const year_args *a = args;
  return chiso_years_series_write(state_year_set(sn), a->units, a->interval,
                                  (chiso_series_view)a->view, fmt, f, err);
}

int api_series(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"units", "view", "interval", "format"};
  static const char *const views[] = {"scores", "divide", "convergence"};
  static const char *const intervals[] = {"none", "boot", "taylor"};
  year_args a;
  chiso_format fmt;
  int xlsx;
  long units = 0;
  size_t iv = 0;
  char key[96], file[64];
  (void)args, (void)n_args;
  memset(&a, 0, sizeof a);
  if (!request_params_check(q, ok, 4, r) || !request_int(q, "units", 0, 9999, 0, &units, r) ||
      !request_choice(q, "view", views, 3, 0, &a.view, r) ||
      !request_choice(q, "interval", intervals, 3, 0, &iv, r) || !format_of(q, r, 1, &fmt, &xlsx))
    return r->status;
  if (request_param_get(q, "units") && units != 34 && units != 63 && units != 2025) {
    static const char *const allowed[] = {"63", "34", "2025"};
    return reply_error(r, 400, "units", allowed, 3, "units must be 63, 34 or 2025, not %ld", units);
  }
  a.units = units == 2025 ? 34 : (int)units;
  a.interval = intervals[iv];
  snprintf(key, sizeof key, "series|%d|%zu|%s|%s", a.units, a.view, a.interval, ext_of(fmt, xlsx));
  snprintf(file, sizeof file, "series-%s.%s", views[a.view], ext_of(fmt, xlsx));
  return answer(q, r, key, produce_series, &a, fmt, xlsx, 1, type_of(fmt),
                fmt == CHISO_FORMAT_JSON ? NULL : file);
}

static int produce_targets(state_snap *sn, const void *args, chiso_format fmt, FILE *f, chiso_err *err) {
  const year_args *a = args;
  return chiso_years_targets_write(state_year_set(sn), &a->targets, fmt, f, err);
}

int api_targets(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"plan", "province", "year", "format"};
  year_args a;
  chiso_format fmt;
  int xlsx;
  long year = 0;
  chiso_match m;
  chiso_err err;
  char key[256], file[96];
  (void)args, (void)n_args;
  memset(&a, 0, sizeof a);
  if (!request_params_check(q, ok, 4, r) || !request_int(q, "year", 1900, 2100, 0, &year, r) ||
      !format_of(q, r, 1, &fmt, &xlsx))
    return r->status;
  a.targets.plan = request_param_get(q, "plan");
  if (!a.targets.plan || !*a.targets.plan)
    return reply_error(r, 400, "plan", NULL, 0, "plan is required (GET /api/v1/plans lists the plans)");
  const char *prov = request_param_get(q, "province");
  chiso_err_clear(&err);
  if (prov && chiso_resolve(year ? (int)year : CHISO_FIRST_34_YEAR, prov, &m, &err))
    return reply_error(r, 404, "province", NULL, 0, "%s", err.message);
  a.targets.province = prov ? m.code : NULL;
  a.targets.as_of_year = (int)year;
  if (snprintf(key, sizeof key, "targets|%s|%s|%ld|%s", a.targets.plan, prov ? m.code : "", year,
               ext_of(fmt, xlsx)) >= (int)sizeof key)
    return reply_error(r, 400, "plan", NULL, 0, "plan is too long");
  snprintf(file, sizeof file, "targets.%s", ext_of(fmt, xlsx));
  return answer(q, r, key, produce_targets, &a, fmt, xlsx, 1, type_of(fmt),
                fmt == CHISO_FORMAT_JSON ? NULL : file);
}

static int produce_plans(state_snap *sn, const void *args, chiso_format fmt, FILE *f, chiso_err *err) {
  (void)sn, (void)args, (void)fmt;
  return chiso_plans_write(NULL, f, err);
}

int api_plans(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  if (!request_params_check(q, NULL, 0, r)) return r->status;
  return answer(q, r, "plans", produce_plans, NULL, CHISO_FORMAT_TABLE, 0, 0, TEXT_TYPE, NULL);
}

static int produce_uncertainty(state_snap *sn, const void *args, chiso_format fmt, FILE *f,
                               chiso_err *err) {
  const year_args *a = args;
  chiso_year *y = NULL;
  chiso_index *ix = NULL;
  chiso_unc_options o;
  memset(&o, 0, sizeof o);
  o.mode = a->mode == 0 ? CHISO_UNC_SAMPLING : a->mode == 1 ? CHISO_UNC_METHOD : CHISO_UNC_CROSSED;
  o.runs = 1000; /* the defaults of `chiso uncertainty --db` */
  o.replicates = 500;
  o.seed = 1;
  o.threads = 2;
  int rc = chiso_years_get(state_year_set(sn), a->year, &y, err);
  if (!rc) rc = chiso_year_index(y, a->units, &ix, err);
  if (!rc) rc = chiso_uncertainty_write(ix, &o, fmt, f, err);
  chiso_index_free(ix);
  return rc;
}

int api_uncertainty(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"year", "units", "mode", "format"};
  static const char *const modes[] = {"sampling", "method", "crossed"};
  year_args a;
  chiso_format fmt;
  int xlsx;
  char key[96], file[64];
  (void)args, (void)n_args;
  memset(&a, 0, sizeof a);
  if (!request_params_check(q, ok, 4, r) || !api_view(q, r, &a.year, &a.units) ||
      !request_choice(q, "mode", modes, 3, 0, &a.mode, r) || !format_of(q, r, 1, &fmt, &xlsx))
    return r->status;
  a.units = lib_units(a.year, a.units);
  snprintf(key, sizeof key, "uncertainty|%d|%d|%zu|%s", a.year, a.units, a.mode, ext_of(fmt, xlsx));
  snprintf(file, sizeof file, "uncertainty-%s-%d.%s", modes[a.mode], a.year, ext_of(fmt, xlsx));
  return answer(q, r, key, produce_uncertainty, &a, fmt, xlsx, 1, type_of(fmt),
                fmt == CHISO_FORMAT_JSON ? NULL : file);
}
