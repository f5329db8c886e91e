/* synthofficial.c — synthetic official indicators from the latent readiness. */
#include "synth/synthofficial.h"
#include "base/cleanup.h"

#include "chiso.h"
#include "io/csvwrite.h"
#include "geo/geo.h"
#include "base/mem.h"
#include "base/rng.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* value = cap × logistic(a (r − b) + trend (year − 2021)) × exp(σ z):
** a saturating curve in the province's readiness r (logit scale), with a
** lognormal province-year deviation. Parameters are stated assumptions
** (docs/synth.md), chosen so that the two cities sit near the top of the
** ebi-2021 goalposts and the least ready provinces near the bottom. */
typedef struct off_model {
  const char *id;
  double cap, a, b, trend, sigma;
  int first_year;
} off_model;

static const off_model models[SYNTHOFFICIAL_N] = {
    {"domains_per_1000", 20.0, 1.0, 1.2, 0.00, 0.15, 0},
    {"ewallets_per_capita", 2.0, 0.8, 0.3, 0.15, 0.15, 0},
    {"parcels_per_capita", 32.0, 0.9, 1.0, 0.10, 0.15, 2025},
};

/* Stream tags of synth.c's layout reserved for these draws. */
enum { TAG_OFFICIAL = 0x90 };

const char *synthofficial_indicator_id(int k) { return k >= 0 && k < SYNTHOFFICIAL_N ? models[k].id : NULL; }

int synthofficial_available(int k, int year) {
  return k >= 0 && k < SYNTHOFFICIAL_N && year >= models[k].first_year;
}

static double logistic(double x) { return 1.0 / (1.0 + exp(-x)); }

/* Readiness of a unit: its own, or for a 34-era unit the enterprise-
** weighted mean of its members' (the same mixture the survey draws from). */
static double unit_readiness(const synth_model *m, const geo_unit *u, int year) {
  if (u->era == GEO_ERA_63) return synth_readiness(m, u->index, year);
  double num = 0.0, den = 0.0;
  for (int k = 0; k < u->n_members; k++) {
    double w = synth_firm_share(m, u->members[k]);
    num += w * synth_readiness(m, u->members[k], year);
    den += w;
  }
  return den > 0 ? num / den : 0.0;
}

int synthofficial_values(const synth_model *m, int year, uint64_t seed, double *values, chiso_err *err) {
  if (year < SYNTH_YEAR_MIN || year > SYNTH_YEAR_MAX)
    return chiso_err_set(err, CHISO_EUSAGE, "year must be between %d and %d", SYNTH_YEAR_MIN,
                         SYNTH_YEAR_MAX);
  const geo_registry *reg = synth_registry(m);
  geo_era era = geo_era_for_year(year);
  for (size_t u = 0; u < geo_count(reg, era); u++) {
    const geo_unit *unit = geo_unit_at(reg, era, u);
    double r = unit_readiness(m, unit, year);
    for (int k = 0; k < SYNTHOFFICIAL_N; k++) {
      const off_model *om = &models[k];
      rng_stream s;
      rng_init(&s, seed, synth_stream_id(year, atoi(unit->code), TAG_OFFICIAL + k, 0));
      double z = rng_normal(&s);
      double v = om->cap * logistic(om->a * (r - om->b) + om->trend * (year - 2021)) *
                 exp(om->sigma * z);
      values[u * SYNTHOFFICIAL_N + (size_t)k] = synthofficial_available(k, year) ? v : NAN;
    }
  }
  return CHISO_OK;
}

/* ---- files ------------------------------------------------------------ */

static int write_rows(FILE *f, const geo_registry *reg, int year, const double *v) {
  geo_era era = geo_era_for_year(year);
  int rc = csvwrite_row(f, (const char *[]){"code", "indicator", "value", "source"}, 4, 0);
  for (size_t u = 0; !rc && u < geo_count(reg, era); u++)
    for (int k = 0; !rc && k < SYNTHOFFICIAL_N; k++) {
      double x = v[u * SYNTHOFFICIAL_N + (size_t)k];
      if (isnan(x)) continue;
      char num[32];
      snprintf(num, sizeof num, "%.4f", x);
      const char *row[] = {geo_unit_at(reg, era, u)->code, models[k].id, num,
                           "SYNTHETIC (chiso synth --official)"};
      rc = csvwrite_row(f, row, 4, 0);
    }
  return rc;
}

int synthofficial_write(const synth_model *m, int year, uint64_t seed, const char *path, chiso_err *err) {
  const geo_registry *reg = synth_registry(m);
  size_t n = geo_count(reg, geo_era_for_year(year));
  double *v = chiso_malloc((n ? n : 1) * SYNTHOFFICIAL_N * sizeof *v);
  char *tmp = chiso_malloc(strlen(path) + 8);
  FILE *f = NULL;
  int rc = v && tmp ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = synthofficial_values(m, year, seed, v, err);
  int slot = -1;
  if (!rc) {
    sprintf(tmp, "%s.tmp", path);
    slot = cleanup_add(tmp, 0);
    if (!(f = fopen(tmp, "wb"))) rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot write");
  }
  if (!rc && write_rows(f, reg, year, v)) rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "write failed");
  if (f && fclose(f) && !rc) rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "write failed");
  if (!rc) rc = synthofficial_write_meta(path, "chiso synth --official",
                                "synthetic official indicators (domains_per_1000, "
                                "ewallets_per_capita, parcels_per_capita from 2025)",
                                year, seed, err);
  if (!rc && rename(tmp, path)) rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot rename");
  if (rc && tmp) remove(tmp);
  cleanup_forget(slot);
  chiso_free(tmp);
  chiso_free(v);
  return rc;
}

int synthofficial_write_meta(const char *path, const char *generator, const char *what, int year,
                    uint64_t seed, chiso_err *err) {
  char meta[4096], tmp[4200], s[32];
  const char *base = strrchr(path, '/');
  snprintf(meta, sizeof meta, "%s.meta.json", path);
  snprintf(tmp, sizeof tmp, "%s.tmp", meta);
  snprintf(s, sizeof s, "%llu", (unsigned long long)seed);
  json_t *o = json_object();
  if (!o) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  json_object_set_new(o, "synthetic", json_true());
  json_object_set_new(o, "note", json_string("SYNTHETIC DATA made by chiso from a generative "
                                             "model (docs/synth.md): not real figures"));
  json_object_set_new(o, "generator", json_string(generator));
  json_object_set_new(o, "chiso_version", json_string(CHISO_VERSION));
  json_object_set_new(o, "model_version", json_string(SYNTH_MODEL_VERSION));
  json_object_set_new(o, "file", json_string(base ? base + 1 : path));
  if (year) json_object_set_new(o, "year", json_integer(year));
  json_object_set_new(o, "seed", json_string(s));
  json_object_set_new(o, "what", json_string(what));
  int slot = cleanup_add(tmp, 0);
  int rc = json_dump_file(o, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || rename(tmp, meta)
               ? chiso_err_at(err, CHISO_EIO, meta, 0, 0, "cannot write")
               : CHISO_OK;
  if (rc) remove(tmp);
  cleanup_forget(slot);
  json_decref(o);
  return rc;
}
