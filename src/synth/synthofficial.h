/* synthofficial.h — SYNTHETIC official indicators (the non-survey inputs of
** ebi-2021: .vn domains per 1,000 people, e-wallets and cards per person,
** parcels per person) drawn from the synth model's latent readiness of each
** province and year, and the metadata file that marks any CSV as
** synthetic. The model is in docs/synth.md ("Official indicators"). */
#ifndef CHISO_SYNTHOFFICIAL_H
#define CHISO_SYNTHOFFICIAL_H

#include "base/err.h"
#include "synth/synth.h"

#include <stddef.h>
#include <stdint.h>

enum {
  SYNTHOFFICIAL_DOMAINS = 0, SYNTHOFFICIAL_EWALLETS, SYNTHOFFICIAL_PARCELS,
  SYNTHOFFICIAL_INCOME, SYNTHOFFICIAL_PEOPLE_PER_FIRM, SYNTHOFFICIAL_N
};

/* The indicator id of k ("domains_per_1000", ...); NULL out of range. */
const char *synthofficial_indicator_id(int k);

/* 1 when indicator k is produced for `year` (parcels from 2025, as the EBI
** added them; the others every year). */
int synthofficial_available(int k, int year);

/* Values of every unit in force in `year` (geo_era_for_year; code order)
** for every indicator: values[u * SYNTHOFFICIAL_N + k], NaN where not available.
** values must hold geo_count(...) * SYNTHOFFICIAL_N doubles. Deterministic in
** (model, year, seed). Returns CHISO_EUSAGE for a year outside
** SYNTH_YEAR_MIN..SYNTH_YEAR_MAX; cannot fail otherwise. */
int synthofficial_values(const synth_model *m, int year, uint64_t seed, double *values, chiso_err *err);

/* Write the values of `year` as the long CSV that `chiso
** import-indicators` reads (code,indicator,value,source; rows by code then
** indicator; unavailable indicators left out) and PATH.meta.json. Written
** to temporary files and renamed: nothing partial is left on failure.
** Returns CHISO_EUSAGE (year), CHISO_EIO, CHISO_ENOMEM with err filled. */
int synthofficial_write(const synth_model *m, int year, uint64_t seed, const char *path, chiso_err *err);

/* Write PATH.meta.json saying the file at PATH is synthetic:
** {"synthetic": true, "note", "generator", "chiso_version", "model_version",
** "file", "year" (omitted when 0), "seed", "what"}. `what` describes the
** content (copied). Atomic (temporary file and rename). Returns CHISO_EIO
** or CHISO_ENOMEM with err filled. */
int synthofficial_write_meta(const char *path, const char *generator, const char *what, int year,
                    uint64_t seed, chiso_err *err);

#endif
