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

#include "err.h"
#include "geo.h"

#include <stddef.h>
#include <stdint.h>

/* Bump when a change to the model or its parameters changes the output. */
#define SYN_MODEL_VERSION "chiso-synth-1"

/* Years the model knows; outside this range `syn_plan_new` refuses. The
** calibration targets are for 2021 and the documented range is 2020-2026. */
#define SYN_YEAR_MIN 2015
#define SYN_YEAR_MAX 2030

enum { SYN_MICRO = 0, SYN_SMALL, SYN_MEDIUM, SYN_LARGE, SYN_N_SIZES };
enum { SYN_MANUFACTURING = 0, SYN_CONSTRUCTION, SYN_TRADE, SYN_SERVICES, SYN_N_SECTORS };

/* The yes/no questions, in output column order (see syn_column). */
enum {
  SYN_Q_EMAIL = 0, SYN_Q_INTERNET, SYN_Q_EC_STAFF, SYN_Q_RECRUIT_HARD,
  SYN_Q_WEBSITE, SYN_Q_SOCIAL, SYN_Q_MARKETPLACE, SYN_Q_APP,
  SYN_Q_ONLINE_ORDERS, SYN_Q_ONLINE_PAYMENT, SYN_Q_ONLINE_ADS,
  SYN_Q_B2B_ORDERS, SYN_Q_ECONTRACT, SYN_Q_EINVOICE,
  SYN_Q_G2B_LOOKUP, SYN_Q_G2B_SERVICES, SYN_Q_G2B_PROCURE,
  SYN_N_YESNO
};

/* Options of q_software (bit i of syn_row.software) and q_web_update. */
enum { SYN_SW_ACCOUNTING = 0, SYN_SW_HR, SYN_SW_ERP, SYN_SW_CRM, SYN_SW_SCM, SYN_N_SOFTWARE };
enum { SYN_UPD_DAILY = 0, SYN_UPD_WEEKLY, SYN_UPD_MONTHLY, SYN_UPD_RARELY, SYN_N_UPDATE };

/* Ids used in files: "micro"…, "manufacturing"…, "accounting"…, "daily"…
** NULL when out of range. */
const char *syn_size_id(int size);
const char *syn_sector_id(int sector);
const char *syn_software_id(int option);
const char *syn_update_id(int option);
/* The question id of yes/no question q, e.g. "q_email"; NULL when out of range. */
const char *syn_yesno_id(int q);

/* The output columns, in order: the six design columns then every
** question id of docs/ebi-indicators.md. */
size_t syn_column_count(void);
const char *syn_column(size_t i);

typedef struct syn_model syn_model;

/* Read the embedded parameters (synth/provinces.csv), check them against
** the registry and calibrate each province's latent readiness to its
** target score. `reg` is borrowed and must outlive the model. On success
** *out is a new model freed with syn_model_free. Returns CHISO_EINTERNAL
** (bad embedded parameters) or CHISO_ENOMEM with err filled, *out NULL. */
int syn_model_new(const geo_registry *reg, syn_model **out, chiso_err *err);

/* Free the model. NULL is a no-op. */
void syn_model_free(syn_model *m);

/* Latent readiness (logit scale) of 63-era province `idx63` in `year`. */
double syn_readiness(const syn_model *m, int idx63, int year);

/* Expected score proxy (0-100, the mean share of the 15 positive survey
** indicators, see docs/synth.md) of 63-era province idx63 in `year`. */
double syn_expected_score(const syn_model *m, int idx63, int year);

/* Share (0-1) of the country's enterprises in 63-era province idx63. */
double syn_firm_share(const syn_model *m, int idx63);

/* Hex SHA-256 of the embedded parameter file and the model version (65
** bytes with the NUL). Borrowed from the model. */
const char *syn_params_sha256(const syn_model *m);

/* Active enterprises of the whole country in `year` (an assumption table,
** see docs/synth.md). */
double syn_national_firms(int year);

/* One cell of the sample: a unit (of the era of the plan's year) and a size
** class. */
typedef struct syn_cell {
  int unit;        /* index of the unit within its era */
  int size;        /* SYN_MICRO … SYN_LARGE */
  double N;        /* enterprises in the population cell */
  long n;          /* respondents sampled */
  double weight;   /* design weight N / n */
  long first;      /* row index of the cell's first respondent */
} syn_cell;

typedef struct syn_plan {
  int year;
  geo_era era;
  uint64_t seed;
  long total;          /* respondents in all */
  size_t n_units;
  long *unit_n;        /* respondents per unit */
  int *thin;           /* 1 for a unit deliberately sampled below the floor */
  long floor, cap;     /* the per-unit bounds used (30/500 scaled, see docs) */
  syn_cell *cells;     /* n_units * SYN_N_SIZES, unit-major */
  double sales_scale;  /* online-sales multiplier outside Hà Nội and HCM */
} syn_plan;

/* Draw the sample plan for `respondents` respondents in `year` with
** `seed`. Needs respondents >= 4 per unit of the year's era. On success
** *out is a new plan freed with syn_plan_free. Returns CHISO_EUSAGE (year
** out of range, too few respondents) or CHISO_ENOMEM, err filled. */
int syn_plan_new(const syn_model *m, int year, long respondents, uint64_t seed,
                 syn_plan **out, chiso_err *err);

/* Free the plan. NULL is a no-op. */
void syn_plan_free(syn_plan *p);

/* Expected share (0-1) of Hà Nội and (old) Hồ Chí Minh firms in the
** country's weighted online sales that the plan's sales_scale produces. */
double syn_target_city_share(int year);

/* One respondent. Missing answers are -1 (yes/no, web update), NaN
** (numbers); software is a bit set with no missing state (an empty set is
** "none of these", see docs/synth.md). */
typedef struct syn_row {
  long index;          /* 0-based row index */
  long seq;            /* 1-based position within its unit */
  int unit;            /* unit index within the plan's era */
  int member;          /* 63-era index of the firm's province */
  int size, sector;
  double weight;
  signed char yes[SYN_N_YESNO];
  unsigned software;
  int web_update;      /* -1 blank (no website or no answer) */
  double rev_pct;      /* 0..100 */
  double sales;        /* million VND */
} syn_row;

/* Fill *row with respondent `index` (0 <= index < plan->total). Pure
** function of (model, plan, index): cannot fail. */
void syn_row_make(const syn_model *m, const syn_plan *p, long index, syn_row *row);

/* The Philox stream id of (year, GSO code, tag, index): the layout every
** synth stream uses. Tags 0-3 are the size classes (answers); code 0 is
** no province (national draws). Other modules use tags >= 0x80. */
uint64_t syn_stream_id(int year, int code, int tag, uint64_t j);

/* The 63-era province units the model draws firms from (borrowed). */
const geo_registry *syn_registry(const syn_model *m);

#endif
