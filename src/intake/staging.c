/* staging.c — questionnaire responses staged until published (staging.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif
#include "intake/staging.h"

#include "base/mem.h"
#include "intake/accounts.h"
#include "intake/auditlog.h"
#include "intake/invites.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int staging_memfile(const char *data, size_t n, int *fd, char path[32], chiso_err *err) {
  *fd = memfd_create("chiso-intake", MFD_CLOEXEC);
  if (*fd < 0) return chiso_err_set(err, CHISO_EIO, "cannot make a file in memory");
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(*fd, data + done, n - done);
    if (w <= 0) {
      close(*fd);
      *fd = -1;
      return chiso_err_set(err, CHISO_EIO, "cannot write a file in memory");
    }
    done += (size_t)w;
  }
  snprintf(path, 32, "/proc/self/fd/%d", *fd);
  return CHISO_OK;
}

/* One CSV field, always quoted (quotes doubled): the text reaches ingest
** exactly as given, whatever it holds. */
static void field(FILE *f, const char *s, int first) {
  if (!first) fputc(',', f);
  fputc('"', f);
  for (; s && *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

/* ---- the answers of one response -------------------------------------------------------------- */

/* The answers by question (codebook order): texts[q] is NULL or a new
** string. */
static int gather(const codebook *cb, const char *const *keys, const char *const *values, size_t n,
                  char **texts, chiso_err *err) {
  if (n > STAGING_MAX_ANSWERS) return chiso_err_set(err, CHISO_EUSAGE, "too many answers (%zu)", n);
  for (size_t i = 0; i < n; i++) {
    size_t q = 0;
    while (q < cb->n_questions && strcmp(cb->questions[q].id, keys[i])) q++;
    if (q == cb->n_questions)
      return chiso_err_set(err, CHISO_EUSAGE, "no question \"%.64s\" in the codebook", keys[i]);
    const char *v = values[i] ? values[i] : "";
    if (strlen(v) > STAGING_MAX_VALUE)
      return chiso_err_set(err, CHISO_EUSAGE, "the answer to %s is longer than %d bytes", keys[i],
                           STAGING_MAX_VALUE);
    if (!*v) continue;
    if (texts[q] && cb->questions[q].type != CODEBOOK_MULTI)
      return chiso_err_set(err, CHISO_EUSAGE, "%s is answered twice", keys[i]);
    size_t old = texts[q] ? strlen(texts[q]) : 0, add = strlen(v);
    char *s = chiso_realloc(texts[q], old + add + 2);
    if (!s) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    if (old) s[old++] = ';';
    memcpy(s + old, v, add + 1);
    texts[q] = s;
  }
  return CHISO_OK;
}

/* The answers as a JSON object text (question: text), codebook order. */
static int answers_json(const codebook *cb, char *const *texts, char **out, chiso_err *err) {
  json_t *o = json_object();
  for (size_t q = 0; o && q < cb->n_questions; q++)
    if (texts[q] && json_object_set_new(o, cb->questions[q].id, json_string(texts[q]))) {
      json_decref(o);
      o = NULL;
    }
  char *s = o ? json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
  json_decref(o);
  *out = s ? chiso_strdup(s) : NULL;
  free(s);
  return *out ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory (or bad UTF-8 in an answer)");
}

/* The header of a survey file with the design columns and every
** question; `weighted` adds the weight column. */
static void header(FILE *f, const codebook *cb, int weighted) {
  const codebook_design *d = &cb->design;
  field(f, d->respondent_id, 1);
  field(f, d->province, 0);
  if (d->stratum) field(f, d->stratum, 0);
  if (weighted) field(f, d->weight ? d->weight : "weight", 0);
  if (d->year) field(f, d->year, 0);
  for (size_t q = 0; q < cb->n_questions; q++) field(f, cb->questions[q].id, 0);
  fputs("\r\n", f);
}

/* One respondent's row (weight: NaN for none). */
static void row(FILE *f, const codebook *cb, const char *respondent, const char *unit,
                const char *stratum, double weight, int year, char *const *texts) {
  char num[40];
  field(f, respondent, 1);
  field(f, unit, 0);
  if (cb->design.stratum) field(f, stratum, 0);
  if (!isnan(weight)) {
    snprintf(num, sizeof num, "%.17g", weight);
    field(f, num, 0);
  }
  if (cb->design.year) {
    snprintf(num, sizeof num, "%d", year);
    field(f, num, 0);
  }
  for (size_t q = 0; q < cb->n_questions; q++) field(f, texts[q], 0);
  fputs("\r\n", f);
}

/* Read a survey file of `len` bytes in memory with the codebook. */
static int read_file(const char *csv, size_t len, const methodology *m, const geo_registry *reg,
                     int year, ingest_report **report, chiso_err *err) {
  int fd = -1;
  char path[32];
  survey_data *s = NULL;
  ingest_options io;
  memset(&io, 0, sizeof io);
  io.encoding = CSVREAD_ENC_UTF8;
  io.delimiter = ',';
  int rc = staging_memfile(csv, len, &fd, path, err);
  if (!rc) rc = ingest_file(path, m->cb, reg, year, &io, &s, report, err);
  survey_free(s);
  if (fd >= 0) close(fd);
  return rc;
}

int staging_check(const methodology *m, const geo_registry *reg, int year, const char *unit,
                  const char *stratum, const char *respondent, const char *const *keys,
                  const char *const *values, size_t n, ingest_report **report, char **answers,
                  chiso_err *err) {
  assert(m && reg && unit && respondent && (keys || !n) && (values || !n));
  const codebook *cb = m->cb;
  char **texts = chiso_calloc(cb->n_questions + 1, sizeof *texts);
  char *csv = NULL;
  size_t len = 0;
  if (report) *report = NULL;
  if (answers) *answers = NULL;
  int rc = texts ? gather(cb, keys, values, n, texts, err) : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  FILE *f = rc ? NULL : open_memstream(&csv, &len);
  if (!rc && !f) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (f) {
    header(f, cb, 0);
    row(f, cb, respondent, unit, stratum ? stratum : "", NAN, year, texts);
    if (fclose(f)) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  if (!rc) rc = read_file(csv, len, m, reg, year, report, err);
  if (!rc && answers) rc = answers_json(cb, texts, answers, err);
  for (size_t q = 0; texts && q < cb->n_questions; q++) chiso_free(texts[q]);
  chiso_free(texts);
  free(csv);
  return rc;
}

/* ---- staging a response ------------------------------------------------------------------------- */

static int insert_response(sqlite3 *db, const chiso_invite *v, const char *stratum,
                           const char *answers, const char *sha, long long *id, chiso_err *err) {
  sqlite3_stmt *q = NULL, *up = NULL;
  char when[32], pending[48];
  intakedb_now(when);
  int rc = intakedb_secret(16, 1, pending + 8, sizeof pending - 8, err);
  memcpy(pending, "pending-", 8);
  if (!rc)
    rc = intakedb_prepare(db, "INSERT INTO intake_responses(year,unit,invitation_id,respondent,stratum,"
                              "answers,sha256,received_at) VALUES(?,?,?,?,?,?,?,?)", &q, err);
  if (!rc) {
    sqlite3_bind_int(q, 1, v->year);
    intakedb_bind_text(q, 2, v->unit);
    sqlite3_bind_int64(q, 3, v->id);
    intakedb_bind_text(q, 4, v->kind == CHISO_INVITE_ENTERPRISE ? v->respondent : pending);
    intakedb_bind_text(q, 5, stratum);
    intakedb_bind_text(q, 6, answers);
    intakedb_bind_text(q, 7, sha);
    intakedb_bind_text(q, 8, when);
    if (sqlite3_step(q) != SQLITE_DONE)
      rc = (sqlite3_extended_errcode(db) & 0xff) == SQLITE_CONSTRAINT
               ? chiso_err_set(err, CHISO_EDENIED, "%.127s has answered for %d already", v->respondent, v->year)
               : intakedb_fail(db, err, "cannot record the response");
  }
  *id = rc ? 0 : sqlite3_last_insert_rowid(db);
  /* a unit's respondents are numbered by their response: web-UNIT-ID */
  if (!rc && v->kind == CHISO_INVITE_UNIT)
    rc = intakedb_prepare(db, "UPDATE intake_responses SET respondent='web-'||unit||'-'||id WHERE id=?", &up, err);
  if (!rc && up) {
    sqlite3_bind_int64(up, 1, *id);
    if (sqlite3_step(up) != SQLITE_DONE) rc = intakedb_fail(db, err, "cannot record the response");
  }
  sqlite3_finalize(q);
  sqlite3_finalize(up);
  return rc;
}

/* Store the checked answers with their audit entry. */
static int store_response(intakedb *d, int year, const char *code, const char *stratum,
                          const char *answers, const char *address, long long *id, chiso_err *err) {
  sqlite3 *db = intakedb_sql(d);
  chiso_invite v;
  char sha[65], actor[48], target[64], detail[256];
  int rc = intakedb_begin(d, err);
  if (rc) return rc;
  rc = invites_find(db, 1, year, code, &v, err); /* again, inside the transaction */
  if (!rc && v.kind == CHISO_INVITE_ENTERPRISE) rc = invites_use(db, v.id, err);
  intakedb_hash(answers, sha);
  if (!rc) rc = insert_response(db, &v, stratum, answers, sha, id, err);
  snprintf(actor, sizeof actor, "invitation %s…", v.prefix);
  snprintf(target, sizeof target, "response %lld", *id);
  snprintf(detail, sizeof detail, "%d, unit %s, stratum %.63s%s%.127s", year, v.unit, stratum,
           v.kind == CHISO_INVITE_ENTERPRISE ? ", enterprise " : "", v.kind == CHISO_INVITE_ENTERPRISE ? v.respondent : "");
  auditlog_entry e = {actor, "invitation", address, "response", target, detail, sha};
  if (!rc) rc = auditlog_add(db, &e, err);
  if (!rc) rc = intakedb_commit(d, err);
  else intakedb_rollback(d);
  return rc;
}

int staging_submit(intakedb *d, const methodology *m, int year, const char *code,
                   const char *stratum, const char *const *keys, const char *const *values,
                   size_t n, const char *address, long long *id, ingest_report **report,
                   chiso_err *err) {
  assert(d && m && id);
  chiso_invite v;
  const geo_registry *reg = NULL;
  char *answers = NULL;
  *id = 0;
  if (report) *report = NULL;
  int rc = invites_find(intakedb_sql(d), intakedb_ready(d), year, code, &v, err);
  if (!rc && v.kind == CHISO_INVITE_ENTERPRISE && v.used)
    rc = chiso_err_set(err, CHISO_EDENIED, "this invitation has been answered already");
  if (!rc && v.stratum[0]) stratum = v.stratum;
  if (!rc && (!stratum || !*stratum) && m->cb->design.stratum)
    stratum = ""; /* ingest says it is missing, next to its field */
  if (!rc && stratum && *stratum && !invites_text_ok(stratum, 63))
    rc = chiso_err_set(err, CHISO_EUSAGE, "a stratum is 1 to 63 characters without control characters");
  if (!rc) rc = geo_registry_shared(&reg, err);
  if (!rc)
    rc = staging_check(m, reg, year, v.unit, stratum, v.kind == CHISO_INVITE_ENTERPRISE ? v.respondent : "web-check",
                       keys, values, n, report, &answers, err);
  if (!rc) rc = store_response(d, year, code, stratum ? stratum : "", answers, address, id, err);
  chiso_free(answers);
  return rc;
}

/* ---- quotas and status ----------------------------------------------------------------------------- */

int staging_quota_set(intakedb *d, int year, const char *unit, const char *stratum, long quota,
                      double population, const chiso_account *by, const char *address,
                      chiso_err *err) {
  assert(d);
  sqlite3_stmt *q = NULL;
  char target[96], detail[128];
  if (!invites_text_ok(stratum, 63))
    return chiso_err_set(err, CHISO_EUSAGE, "a stratum is 1 to 63 characters without control characters");
  if (quota < 0 || quota > 100000000) return chiso_err_set(err, CHISO_EUSAGE, "a quota is 0 to 100000000");
  if (!isnan(population) && !(population > 0 && population <= 1e12))
    return chiso_err_set(err, CHISO_EUSAGE, "a population is a number above 0 (at most 10^12)");
  if (!by || !accounts_covers(by, year, unit))
    return chiso_err_set(err, CHISO_EDENIED, "%s may not set quotas for unit %.8s in %d",
                         by ? by->name : "nobody", unit ? unit : "", year);
  int rc = intakedb_begin(d, err);
  if (rc) return rc;
  sqlite3 *db = intakedb_sql(d);
  rc = intakedb_prepare(db, "INSERT OR REPLACE INTO intake_quotas VALUES(?,?,?,?,?)", &q, err);
  if (!rc) {
    sqlite3_bind_int(q, 1, year);
    intakedb_bind_text(q, 2, unit);
    intakedb_bind_text(q, 3, stratum);
    sqlite3_bind_int64(q, 4, quota);
    if (isnan(population)) sqlite3_bind_null(q, 5);
    else sqlite3_bind_double(q, 5, population);
    if (sqlite3_step(q) != SQLITE_DONE) rc = intakedb_fail(db, err, "cannot record the quota");
  }
  sqlite3_finalize(q);
  snprintf(target, sizeof target, "quota %d %s %.63s", year, unit, stratum);
  snprintf(detail, sizeof detail, "quota %ld, population %.17g", quota, population);
  const char *actor, *via;
  accounts_actor(by, &actor, &via);
  auditlog_entry e = {actor, via, address, "quota-set", target, detail, ""};
  if (!rc) rc = auditlog_add(db, &e, err);
  if (!rc) rc = intakedb_commit(d, err);
  else intakedb_rollback(d);
  return rc;
}

int staging_strata(intakedb *d, int year, const char *unit, char **out, chiso_err *err) {
  assert(d && out);
  sqlite3_stmt *q = NULL;
  char *buf = NULL;
  size_t len = 0;
  *out = NULL;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  int rc = CHISO_OK, s = SQLITE_DONE;
  if (intakedb_ready(d)) {
    rc = intakedb_prepare(intakedb_sql(d), "SELECT stratum FROM intake_quotas WHERE year=? AND unit=?"
                                           " ORDER BY stratum", &q, err);
    if (!rc) {
      sqlite3_bind_int(q, 1, year);
      intakedb_bind_text(q, 2, unit);
    }
    while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) fprintf(f, "%s\n", (const char *)sqlite3_column_text(q, 0));
    if (!rc && s != SQLITE_DONE) rc = intakedb_fail(intakedb_sql(d), err, "cannot read the quotas");
    sqlite3_finalize(q);
  }
  if (fclose(f) && !rc) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc && !(*out = chiso_strdup(buf ? buf : ""))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  free(buf);
  return rc;
}

int staging_status_list(intakedb *d, const chiso_account *who, int year, staging_status **out,
                        size_t *n, chiso_err *err) {
  assert(d && out && n);
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  if (!intakedb_ready(d)) return CHISO_OK;
  int rc = intakedb_prepare(
      intakedb_sql(d),
      "SELECT unit, stratum, max(quota), max(population), sum(received), sum(published) FROM ("
      " SELECT unit, stratum, quota, population, 0 AS received, 0 AS published FROM intake_quotas"
      " WHERE year=?1 UNION ALL"
      " SELECT unit, stratum, NULL, NULL, count(*),"
      " count(CASE WHEN published_import IN (SELECT id FROM imports) THEN 1 END)"
      " FROM intake_responses WHERE year=?1 GROUP BY unit, stratum)"
      " GROUP BY unit, stratum ORDER BY unit, stratum", &q, err);
  if (!rc) sqlite3_bind_int(q, 1, year);
  int s = SQLITE_DONE;
  while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
    staging_status x;
    memset(&x, 0, sizeof x);
    intakedb_column(q, 0, x.unit, sizeof x.unit);
    intakedb_column(q, 1, x.stratum, sizeof x.stratum);
    x.quota = sqlite3_column_type(q, 2) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(q, 2);
    x.population = sqlite3_column_type(q, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 3);
    x.received = (long)sqlite3_column_int64(q, 4);
    x.published = (long)sqlite3_column_int64(q, 5);
    if (!accounts_covers(who, year, x.unit)) continue;
    if (chiso_grow((void **)out, &cap, *n + 1, sizeof **out)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    (*out)[(*n)++] = x;
  }
  if (!rc && s != SQLITE_DONE && s != SQLITE_ROW) rc = intakedb_fail(intakedb_sql(d), err, "cannot read the responses");
  sqlite3_finalize(q);
  if (rc) {
    chiso_free(*out);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

/* ---- publication ------------------------------------------------------------------------------------ */

void staging_files_free(staging_file *f, size_t n) {
  for (size_t i = 0; f && i < n; i++) chiso_free(f[i].csv);
  chiso_free(f);
}

/* The units of `year` with responses that `who` covers, as "01\0" "79\0"... */
static int units_with_responses(intakedb *d, const chiso_account *who, int year, char (**units)[3],
                                size_t *n, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  *units = NULL;
  *n = 0;
  int rc = intakedb_prepare(intakedb_sql(d), "SELECT DISTINCT unit FROM intake_responses WHERE year=?"
                                             " ORDER BY unit", &q, err);
  if (!rc) sqlite3_bind_int(q, 1, year);
  int s = SQLITE_DONE;
  while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
    char u[3];
    intakedb_column(q, 0, u, sizeof u);
    if (!accounts_covers(who, year, u)) continue;
    if (chiso_grow((void **)units, &cap, *n + 1, sizeof **units)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    memcpy((*units)[(*n)++], u, 3);
  }
  if (!rc && s != SQLITE_DONE && s != SQLITE_ROW) rc = intakedb_fail(intakedb_sql(d), err, "cannot read the responses");
  sqlite3_finalize(q);
  return rc;
}

/* One staged response read for publication. */
typedef struct staged {
  char respondent[128], stratum[64];
  char *answers;          /* JSON text (chiso_free) */
  double weight;          /* population / responses of the stratum, NaN: unknown */
} staged;

static void staged_free(staged *r, size_t n) {
  for (size_t i = 0; r && i < n; i++) chiso_free(r[i].answers);
  chiso_free(r);
}

/* Every response of a unit, in id order, with its design weight: the
** population of its stratum (from the quotas) over the responses of the
** stratum, the weight of a stratified random sample. *last the newest id. */
static int unit_rows(intakedb *d, int year, const char *unit, staged **out, size_t *n,
                     long long *last, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  int rc = intakedb_prepare(
      intakedb_sql(d),
      "SELECT r.id, r.respondent, r.stratum, r.answers, k.population, c.n FROM intake_responses r"
      " JOIN (SELECT stratum, count(*) AS n FROM intake_responses WHERE year=?1 AND unit=?2"
      " GROUP BY stratum) c ON c.stratum = r.stratum"
      " LEFT JOIN intake_quotas k ON k.year = r.year AND k.unit = r.unit AND k.stratum = r.stratum"
      " WHERE r.year=?1 AND r.unit=?2 ORDER BY r.id", &q, err);
  if (!rc) {
    sqlite3_bind_int(q, 1, year);
    intakedb_bind_text(q, 2, unit);
  }
  int s = SQLITE_DONE;
  while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
    if (chiso_grow((void **)out, &cap, *n + 1, sizeof **out)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    staged *r = &(*out)[*n];
    memset(r, 0, sizeof *r);
    *last = sqlite3_column_int64(q, 0);
    intakedb_column(q, 1, r->respondent, sizeof r->respondent);
    intakedb_column(q, 2, r->stratum, sizeof r->stratum);
    const char *a = (const char *)sqlite3_column_text(q, 3);
    if (!(r->answers = chiso_strdup(a ? a : "{}"))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    r->weight = sqlite3_column_type(q, 4) == SQLITE_NULL
                    ? NAN : sqlite3_column_double(q, 4) / (double)sqlite3_column_int64(q, 5);
    ++*n;
  }
  if (!rc && s != SQLITE_DONE && s != SQLITE_ROW) rc = intakedb_fail(intakedb_sql(d), err, "cannot read the responses");
  sqlite3_finalize(q);
  if (rc) {
    staged_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

/* The survey file of a unit's responses into f->csv. */
static int unit_file(const codebook *cb, int year, const staged *r, size_t n, staging_file *f,
                     chiso_err *err) {
  char **texts = chiso_calloc(cb->n_questions + 1, sizeof *texts);
  size_t len = 0;
  char *buf = NULL;
  FILE *out = texts ? open_memstream(&buf, &len) : NULL;
  int rc = out ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) header(out, cb, f->weighted);
  for (size_t i = 0; !rc && i < n; i++) {
    json_t *a = json_loads(r[i].answers, 0, NULL);
    for (size_t q = 0; q < cb->n_questions; q++)
      texts[q] = (char *)json_string_value(json_object_get(a, cb->questions[q].id));
    row(out, cb, r[i].respondent, f->unit, r[i].stratum, f->weighted ? r[i].weight : NAN, year, texts);
    json_decref(a);
  }
  if (out && fclose(out) && !rc) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc && !(f->csv = chiso_strndup(buf, len))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  f->len = rc ? 0 : len;
  free(buf);
  chiso_free(texts);
  return rc;
}

/* 1 when every response has a weight, 0 when none has; else an error. */
static int weighted_of(const char *unit, const staged *r, size_t n, int *weighted, chiso_err *err) {
  size_t known = 0;
  for (size_t i = 0; i < n; i++) known += !isnan(r[i].weight);
  *weighted = known > 0;
  if (known && known < n)
    return chiso_err_set(err, CHISO_EDATA, "unit %s has a population for some strata and not for "
                                           "others: give every stratum with responses its "
                                           "population, or none", unit);
  return CHISO_OK;
}

int staging_files(intakedb *d, const methodology *m, int year, const chiso_account *who,
                  staging_file **out, size_t *n, chiso_err *err) {
  assert(d && m && out && n);
  char (*units)[3] = NULL;
  size_t nu = 0;
  *out = NULL;
  *n = 0;
  if (!intakedb_ready(d)) return CHISO_OK;
  int rc = units_with_responses(d, who, year, &units, &nu, err);
  staging_file *files = rc || !nu ? NULL : chiso_calloc(nu, sizeof *files);
  if (!rc && nu && !files) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t u = 0; !rc && u < nu; u++) {
    staged *r = NULL;
    size_t nr = 0;
    staging_file *f = &files[u];
    memcpy(f->unit, units[u], 3);
    snprintf(f->name, sizeof f->name, "web-%d-%s.csv", year, f->unit);
    rc = unit_rows(d, year, f->unit, &r, &nr, &f->last_id, err);
    if (!rc) rc = weighted_of(f->unit, r, nr, &f->weighted, err);
    if (!rc && u && f->weighted != files[0].weighted)
      rc = chiso_err_set(err, CHISO_EDATA, "units %s and %s disagree: one has populations (weights), "
                                           "the other not", files[0].unit, f->unit);
    f->rows = (long)nr;
    if (!rc) rc = unit_file(m->cb, year, r, nr, f, err);
    staged_free(r, nr);
  }
  chiso_free(units);
  if (rc) {
    staging_files_free(files, nu);
    return rc;
  }
  *out = files;
  *n = nu;
  return CHISO_OK;
}

int staging_mark(sqlite3 *db, int year, const staging_file *f, long long import_id,
                 chiso_err *err) {
  assert(db && f && !sqlite3_get_autocommit(db));
  sqlite3_stmt *q = NULL;
  int rc = intakedb_prepare(db, "UPDATE intake_responses SET published_import=? WHERE year=? AND unit=?"
                                " AND id <= ?", &q, err);
  if (!rc) {
    sqlite3_bind_int64(q, 1, import_id);
    sqlite3_bind_int(q, 2, year);
    intakedb_bind_text(q, 3, f->unit);
    sqlite3_bind_int64(q, 4, f->last_id);
    if (sqlite3_step(q) != SQLITE_DONE) rc = intakedb_fail(db, err, "cannot mark the responses published");
  }
  sqlite3_finalize(q);
  return rc;
}
