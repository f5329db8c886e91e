/* synth.h — the synthetic EBI survey generator: the model, the sample
** plan, and one respondent's answers.
**
** The generative model is documented in docs/synth.md. In short: each
** 63-era province has a latent e-commerce readiness, calibrated so that a
** score proxy (the mean of the survey indicator shares, 0-100) lands on a
** target taken from the published EBI figures or a stated assumption
** (data/synth/provinces.csv); answers are logistic in the readiness plus
** size, sector and firm effects. Every respondent draws from its own
** Philox stream keyed by (seed; year, unit, size class, index in cell), so a
** row never depends on how or in which order the others are generated. */
#ifndef CHISO_SYNTH_H
#define CHISO_SYNTH_H

#include "base/err.h"
#include "geo/geo.h"

#include <stddef.h>
#include <stdint.h>

/* Bump when a change to the model or its parameters changes the output. */
#define SYNTH_MODEL_VERSION "chiso-synth-2"

/* Years the model knows; outside this range `synth_plan_new` refuses. The
** calibration targets are for 2021 and the documented range is 2020-2026. */
#define SYNTH_YEAR_MIN CHISO_SYNTH_YEAR_MIN
#define SYNTH_YEAR_MAX CHISO_SYNTH_YEAR_MAX

enum { SYNTH_MICRO = 0, SYNTH_SMALL, SYNTH_MEDIUM, SYNTH_LARGE, SYNTH_N_SIZES };
enum { SYNTH_MANUFACTURING = 0, SYNTH_CONSTRUCTION, SYNTH_TRADE, SYNTH_SERVICES, SYNTH_N_SECTORS };

/* The yes/no questions, in output column order (see synth_column). */
enum {
  SYNTH_Q_EMAIL = 0, SYNTH_Q_INTERNET, SYNTH_Q_EC_STAFF, SYNTH_Q_RECRUIT_HARD,
  SYNTH_Q_WEBSITE, SYNTH_Q_SOCIAL, SYNTH_Q_MARKETPLACE, SYNTH_Q_APP,
  SYNTH_Q_ONLINE_ORDERS, SYNTH_Q_ONLINE_PAYMENT, SYNTH_Q_ONLINE_ADS,
  SYNTH_Q_B2B_ORDERS, SYNTH_Q_ECONTRACT, SYNTH_Q_EINVOICE,
  SYNTH_Q_G2B_LOOKUP, SYNTH_Q_G2B_SERVICES, SYNTH_Q_G2B_PROCURE,
  SYNTH_Q_ESIGNATURE, /* drawn after every other answer (added in model 2),
                         so the earlier answers keep their stream positions */
  SYNTH_N_YESNO
};

/* Options of q_software (bit i of synth_row.software) and q_web_update. */
enum { SYNTH_SW_ACCOUNTING = 0, SYNTH_SW_HR, SYNTH_SW_ERP, SYNTH_SW_CRM, SYNTH_SW_SCM, SYNTH_N_SOFTWARE };
enum { SYNTH_UPD_DAILY = 0, SYNTH_UPD_WEEKLY, SYNTH_UPD_MONTHLY, SYNTH_UPD_RARELY, SYNTH_N_UPDATE };

/* Ids used in files: "micro"…, "manufacturing"…, "accounting"…, "daily"…
** NULL when out of range. */
const char *synth_size_id(int size);
const char *synth_sector_id(int sector);
const char *synth_software_id(int option);
const char *synth_update_id(int option);
/* The question id of yes/no question q, e.g. "q_email"; NULL when out of range. */
const char *synth_yesno_id(int q);

/* The output columns, in order: the six design columns then every
** question id of docs/ebi-indicators.md. */
size_t synth_column_count(void);
const char *synth_column(size_t i);

typedef struct synth_model synth_model;

/* Read the embedded parameters (synth/provinces.csv), check them against
** the registry and calibrate each province's latent readiness to its
** target score. `reg` is borrowed and must outlive the model. On success
** *out is a new model freed with synth_model_free. Returns CHISO_EINTERNAL
** (bad embedded parameters) or CHISO_ENOMEM with err filled, *out NULL. */
int synth_model_new(const geo_registry *reg, synth_model **out, chiso_err *err);

/* Free the model. NULL is a no-op. */
void synth_model_free(synth_model *m);

/* Latent readiness (logit scale) of 63-era province `idx63` in `year`. */
double synth_readiness(const synth_model *m, int idx63, int year);

/* Expected score proxy (0-100, the mean share of the 15 positive survey
** indicators, see docs/synth.md) of 63-era province idx63 in `year`. */
double synth_expected_score(const synth_model *m, int idx63, int year);

/* Share (0-1) of the country's enterprises in 63-era province idx63. */
double synth_firm_share(const synth_model *m, int idx63);

/* Hex SHA-256 of the embedded parameter file and the model version (65
** bytes with the NUL). Borrowed from the model. */
const char *synth_params_sha256(const synth_model *m);

/* Active enterprises of the whole country in `year` (an assumption table,
** see docs/synth.md). */
double synth_national_firms(int year);

/* One cell of the sample: a unit (of the era of the plan's year) and a size
** class. */
typedef struct synth_cell {
  int unit;        /* index of the unit within its era */
  int size;        /* SYNTH_MICRO … SYNTH_LARGE */
  double N;        /* enterprises in the population cell */
  long n;          /* respondents sampled */
  double weight;   /* design weight N / n */
  long first;      /* row index of the cell's first respondent */
} synth_cell;

typedef struct synth_plan {
  int year;
  geo_era era;
  uint64_t seed;
  long total;          /* respondents in all */
  size_t n_units;
  long *unit_n;        /* respondents per unit */
  int *thin;           /* 1 for a unit deliberately sampled below the floor */
  long floor, cap;     /* the per-unit bounds used (30/500 scaled, see docs) */
  synth_cell *cells;     /* n_units * SYNTH_N_SIZES, unit-major */
  double sales_scale;  /* online-sales multiplier outside Hà Nội and HCM */
} synth_plan;

/* Draw the sample plan for `respondents` respondents in `year` with
** `seed`. Needs respondents >= 4 per unit of the year's era. On success
** *out is a new plan freed with synth_plan_free. Returns CHISO_EUSAGE (year
** out of range, too few respondents) or CHISO_ENOMEM, err filled. */
int synth_plan_new(const synth_model *m, int year, long respondents, uint64_t seed,
                 synth_plan **out, chiso_err *err);

/* Free the plan. NULL is a no-op. */
void synth_plan_free(synth_plan *p);

/* Expected share (0-1) of Hà Nội and (old) Hồ Chí Minh firms in the
** country's weighted online sales that the plan's sales_scale produces. */
double synth_target_city_share(int year);

/* One respondent. Missing answers are -1 (yes/no, web update), NaN
** (numbers); software is a bit set with no missing state (an empty set is
** "none of these", see docs/synth.md). */
typedef struct synth_row {
  long index;          /* 0-based row index */
  long seq;            /* 1-based position within its unit */
  int unit;            /* unit index within the plan's era */
  int member;          /* 63-era index of the firm's province */
  int size, sector;
  double weight;
  signed char yes[SYNTH_N_YESNO];
  unsigned software;
  int web_update;      /* -1 blank (no website or no answer) */
  double rev_pct;      /* 0..100 */
  double sales;        /* million VND */
} synth_row;

/* Fill *row with respondent `index` (0 <= index < plan->total). Pure
** function of (model, plan, index): cannot fail. */
void synth_row_make(const synth_model *m, const synth_plan *p, long index, synth_row *row);

/* The Philox stream id of (year, GSO code, tag, index): the layout every
** synth stream uses. Tags 0-3 are the size classes (answers); code 0 is
** no province (national draws). Other modules use tags >= 0x80. */
uint64_t synth_stream_id(int year, int code, int tag, uint64_t j);

/* The 63-era province units the model draws firms from (borrowed). */
const geo_registry *synth_registry(const synth_model *m);

#endif
