/* chiso.h — the public interface of libchiso, the provincial e-business
** index of Vietnam.
**
** Front ends (the `chiso` command line, the HTTP server) include only this
** header and link libchiso.a (pkg-config --cflags --libs chiso). It needs
** nothing but the C standard library headers below. Conventions:
**   - a call returns 0 (CHISO_OK) or a CHISO_E* code and fills a
**     caller-owned chiso_err (NULL is allowed where noted) with a message,
**     the location of the offending input (file, row, column) and a hint;
**   - the library never writes to stdout and never exits: results are
**     written by the chiso_*_write calls to a FILE the caller owns
**     (open_memstream for a buffer), diagnostics go to the log handler;
**   - a handle made by chiso_X_open/load/new is freed by chiso_X_free
**     (or close); *_free(NULL) is a no-op; strings in results are borrowed
**     from their handle unless a contract says otherwise;
**   - text is UTF-8, names are NFC; province codes are the two-digit GSO
**     codes as text ("01", "79");
**   - the same inputs, options and seed give byte-identical output
**     whatever the thread count.
** A handle is used by one thread at a time; separate handles may be used
** by separate threads. */
#ifndef CHISO_H
#define CHISO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CHISO_VERSION "0.1.0"

/* The version of the library linked, e.g. "0.1.0". Cannot fail. */
const char *chiso_version(void);

/* ==== Errors ============================================================== */

enum {
  CHISO_OK = 0,
  CHISO_EUSAGE = 1,     /* bad arguments or options from the caller */
  CHISO_EDATA = 2,      /* bad input data */
  CHISO_ENOTFOUND = 4,  /* a name, code, year or file that does not exist */
  CHISO_EAMBIGUOUS = 5, /* a name that matches several things */
  CHISO_EIO = 6,        /* a file could not be read or written */
  CHISO_EEXISTS = 7,    /* already there */
  CHISO_ENOMEM = 8,     /* allocation failed */
  CHISO_EINTERNAL = 9,  /* a bug or an unexpected library failure */
  CHISO_EDENIED = 10    /* not allowed: bad credentials, a disabled account, a
                           role or a unit outside the caller's scope (intake) */
};

/* What a front end may suggest: the library names the problem, the front
** end turns the hint into its own advice (a flag, a form field). */
enum {
  CHISO_HINT_NONE = 0,
  CHISO_HINT_REPLACE = 1,  /* a different file of that name is stored: replace it */
  CHISO_HINT_METHOD = 2,   /* no stored methodology: give one */
  CHISO_HINT_ENCODING = 3, /* the text looks like another encoding: name it */
  CHISO_HINT_YEAR = 4,     /* the year of the data cannot be told: give it */
  CHISO_HINT_VERIFY = 5    /* a stored block is damaged: verify the whole store */
};

typedef struct chiso_err {
  int code;            /* CHISO_OK when nothing went wrong */
  int hint;            /* a CHISO_HINT_*, CHISO_HINT_NONE when none */
  char message[1024];  /* human-readable, UTF-8, no trailing newline */
  char file[512];      /* input file, "" when not about a file */
  long row;            /* 1-based row of the input, 0 when unknown */
  long col;            /* 1-based column, 0 when unknown */
  char column[128];    /* column (header) name, "" when unknown */
} chiso_err;

/* Reset err to "no error". err may be NULL. Cannot fail. */
void chiso_err_clear(chiso_err *err);

/* Write "FILE:ROW:COL: message" (unknown parts left out) into buf of size
** n, always NUL-terminated. Cannot fail. */
void chiso_err_format(const chiso_err *err, char *buf, size_t n);

/* A short constant name for a code, e.g. "data error". Never NULL. */
const char *chiso_strerror(int rc);

/* ==== Logging, progress, memory ============================================ */

typedef enum {
  CHISO_LOG_DEBUG = 0,
  CHISO_LOG_INFO = 1,
  CHISO_LOG_NOTE = 2,
  CHISO_LOG_WARN = 3,
  CHISO_LOG_ERROR = 4,
  CHISO_LOG_QUIET = 5
} chiso_log_level;

typedef void (*chiso_log_fn)(void *userdata, chiso_log_level level, const char *message);

/* Install a log handler (NULL restores the default, which writes
** "chiso: LEVEL: message" to stderr) and the minimum level that reaches
** it. Call once at start-up, before any threads start. Cannot fail. */
void chiso_log_set_handler(chiso_log_fn fn, void *userdata);
void chiso_log_set_level(chiso_log_level level);
chiso_log_level chiso_log_get_level(void);

/* Format and emit one log line through the handler. Cannot fail; a
** message too long is truncated. */
void chiso_log(chiso_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Progress of a long job: `done` of `total` units of `stage` finished.
** Called from the calling thread. */
typedef void (*chiso_progress_fn)(void *userdata, const char *stage, double done, double total);

/* Free memory the library handed over (a string, an array). NULL is a
** no-op. */
void chiso_free(void *p);

/* ==== Output formats ======================================================== */

typedef enum {
  CHISO_FORMAT_TABLE = 0, /* aligned text for people (numbers rounded, shares in %) */
  CHISO_FORMAT_CSV = 1,   /* RFC 4180, every digit (%.17g), empty when missing */
  CHISO_FORMAT_JSON = 2   /* keys in a fixed order, null when missing */
} chiso_format;

/* "table", "csv" or "json" into *out. Returns 0 or CHISO_EUSAGE. */
int chiso_format_parse(const char *name, chiso_format *out);

/* ==== Province units ========================================================= */

/* The first year of the 34 units (1 July 2025 change); years before it
** have the 63 provinces. */
#define CHISO_FIRST_34_YEAR 2025

/* A resolved province name. Strings are static (the embedded registry). */
typedef struct chiso_match {
  char code[3];          /* the unit in force in the year */
  const char *name;      /* its official name (NFC) */
  char former_code[3];   /* a former province named in a 34-unit year, else "" */
  const char *former_name; /* its name, else NULL */
  int inexact;           /* 1: read by a prefix or a near spelling */
  const char *via;       /* how another place name was read, static: "a
                            provincial capital", "a province merged into Hà
                            Nội in 2008"; NULL for a province's own name */
} chiso_match;

/* Resolve a free-text province name, GSO code or ISO 3166-2 code to the
** unit in force in `year`. Returns 0, or CHISO_ENOTFOUND / CHISO_EAMBIGUOUS
** with the closest candidates in err. */
int chiso_resolve(int year, const char *name, chiso_match *out, chiso_err *err);

/* Write the units in force in `year` (region names in `lang`, "vi" or
** "en", for the table). Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int chiso_units_write(int year, const char *lang, chiso_format fmt, FILE *out, chiso_err *err);

/* ==== Methodologies ========================================================== */

/* A methodology file: the index tree, the questionnaire codebook. */
typedef struct methodology chiso_method;

/* Load a methodology by file path or shipped name ("ebi-2021",
** "ebi-2012"). On success *out is new (chiso_method_free). Returns
** CHISO_ENOTFOUND, CHISO_EIO, CHISO_EDATA (located), CHISO_ENOMEM. */
int chiso_method_load(const char *path_or_name, chiso_method **out, chiso_err *err);
void chiso_method_free(chiso_method *m);

/* Write a COINr iMeta table as a methodology file (JSON). Returns 0,
** CHISO_EIO, CHISO_EDATA (located in the table), CHISO_ENOMEM. */
int chiso_method_convert_imeta(const char *imeta_path, FILE *out, chiso_err *err);

/* ==== Survey files ============================================================ */

typedef struct chiso_read_options {
  const char *encoding;  /* NULL/"auto" (detect, legacy TCVN3/VNI text too),
                            "tcvn3", "vni" (text in that legacy encoding,
                            any format), CSV: "utf-8", "utf-16le",
                            "utf-16be", "utf-16", "windows-1258" */
  char delimiter;        /* CSV: 0 to detect among ',', ';', TAB */
  const char *sheet;     /* XLSX: NULL = the first sheet */
  size_t max_errors;     /* problems kept per file; 0 = all */
  int skip_invalid;      /* 1: keep the clean rows of a file with problems */
  int blank_invalid;     /* 1: a wrong answer to a question that is not required
                            is set to missing and its row kept (the problem
                            is listed, saying so, and is not an error) */
} chiso_read_options;

/* Defaults: detect encoding and delimiter, first sheet, keep every problem,
** no skipping. Cannot fail. */
void chiso_read_options_init(chiso_read_options *o);

/* 1 when `name` is an encoding chiso_read_options accepts. */
int chiso_encoding_known(const char *name);

/* A survey file read and checked against a codebook. */
typedef struct chiso_check chiso_check;

/* Read the survey file at `path` (CSV, XLSX, SPSS .sav/.zsav/.por, Stata
** .dta, SAS .sas7bdat/.xpt) with the codebook of `m` for `year`; year 0:
** told by the file (its year column, else provinces that exist only
** before 2025: read as 2024), CHISO_EDATA with hint CHISO_HINT_YEAR when
** it cannot tell. *out is set even on failure when the file was opened
** (its problems; free with chiso_check_free). Returns 0 (clean, or clean
** rows kept with skip_invalid), CHISO_EDATA (problems, or unreadable as a
** table: err says where), CHISO_EUSAGE (bad options), CHISO_EIO,
** CHISO_ENOMEM. */
int chiso_check_file(const char *path, const chiso_method *m, int year,
                     const chiso_read_options *o, chiso_check **out, chiso_err *err);

/* Write the problems of a check, one "FILE:ROW:COL: message (column
** "HEADER", value "VALUE")" line each, then the summary line "FILE: ok, N
** rows (CSV, UTF-8, ',')" or "FILE: N problems in M rows (...)"; rc and err
** are what chiso_check_file returned (a fatal error is printed as a last
** problem line). CSV and JSON give file,row,col,column,value,rule,message
** per problem. The year and units the file was read for (and how many
** former provinces were mapped to their 2025 units), and columns the
** codebook does not know, are noted on `notes` (may be NULL). Returns 0
** or CHISO_EIO. */
int chiso_check_write(const chiso_check *c, int rc, const chiso_err *err, chiso_format fmt,
                      FILE *out, FILE *notes);

/* The number of problems found (all, not only those kept), one that
** stopped the reading included. Cannot fail. */
size_t chiso_check_problems(const chiso_check *c);
void chiso_check_free(chiso_check *c);

/* ==== The store ================================================================ */

/* A SQLite survey store: survey imports and external indicators. */
typedef struct store chiso_store;

/* Open the store at `path`; with create = 0 a missing store is
** CHISO_ENOTFOUND (nothing is created). Returns CHISO_EIO (not a chiso
** store), CHISO_ENOMEM. Close with chiso_store_close. */
int chiso_store_open(const char *path, int create, chiso_store **out, chiso_err *err);
void chiso_store_close(chiso_store *st);

/* Write the list of imports (id, year, file, rows, skipped, size, sha256,
** method, method_hash, imported_at). Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int chiso_store_imports_write(chiso_store *st, chiso_format fmt, FILE *out, chiso_err *err);

/* Remove import `id` and its data in one transaction. Returns
** CHISO_ENOTFOUND, CHISO_EIO. */
int chiso_store_drop_import(chiso_store *st, long long id, chiso_err *err);


/* The stored years, ascending: *years is new (chiso_free). */
int chiso_store_years(chiso_store *st, int **years, size_t *n, chiso_err *err);

/* *out = 1 when the survey imports of `year` (0: of any year) carry the
** synthetic mark. */
int chiso_store_synthetic(chiso_store *st, int year, int *out, chiso_err *err);

/* Store the external (official) indicators of a CSV for `year` in the
** store at db_path (created when missing): long code,indicator,value
** [,source] or wide code,IND1,IND2...; provinces by code or any spelling.
** The whole file is checked first; nothing is written on failure.
** *n_values receives the values stored. Returns CHISO_EDATA (located),
** CHISO_EIO, CHISO_ENOMEM. */
int chiso_indicators_import(const char *db_path, int year, const char *csv_path,
                            size_t *n_values, chiso_err *err);

/* ==== Importing survey files ===================================================== */

typedef struct chiso_import_options {
  int year;                 /* the survey year; 0: every file's year column */
  int replace;              /* swap a stored file of the same name */
  chiso_read_options read;
} chiso_import_options;

/* Defaults for `year`. Cannot fail. */
void chiso_import_options_init(chiso_import_options *o, int year);

typedef enum {
  CHISO_IMPORT_ADDED = 0,    /* a new import */
  CHISO_IMPORT_SAME = 1,     /* the same bytes were imported: nothing done */
  CHISO_IMPORT_REPLACED = 2  /* a file of the same name was replaced */
} chiso_import_outcome;

/* What happened to one file of an import. */
typedef struct chiso_import_info {
  const char *path;
  chiso_import_outcome outcome;
  long long import_id;
  long rows;                /* respondents stored */
  size_t rows_skipped;      /* with skip_invalid */
  int synthetic;            /* 1: marked synthetic from its sidecar */
  size_t cells_blanked;     /* with blank_invalid: wrong optional answers set to missing */
} chiso_import_info;

typedef struct import_result chiso_import;

/* Import survey files into the store at db_path in ONE transaction (hash,
** skip files already imported, check every cell and respondent id, mark
** synthetic files in the same transaction; the store is created only when
** something is written). *out is set on success, and on failure when a
** file's problems explain it. Returns CHISO_EDATA (problems; a different
** file of the same name: hint CHISO_HINT_REPLACE; no year given and a
** file without a year column, or files of different years: hint
** CHISO_HINT_YEAR), CHISO_ENOTFOUND, CHISO_EIO, CHISO_ENOMEM; nothing is
** written on failure. Each file read is noted on the log: the year and
** units it was read for, and the former provinces mapped. */
int chiso_import_files(const char *db_path, const chiso_method *m, const char *const *paths,
                       size_t n, const chiso_import_options *o, chiso_import **out,
                       chiso_err *err);

/* The files of an import result, and file i. Cannot fail (i < count). */
size_t chiso_import_count(const chiso_import *r);
void chiso_import_get(const chiso_import *r, size_t i, chiso_import_info *out);

/* Write the problems of every file (as chiso_check_write, no summary).
** Returns 0 or CHISO_EIO. */
int chiso_import_problems_write(const chiso_import *r, FILE *out);
void chiso_import_free(chiso_import *r);

/* ==== A stored year =============================================================== */

/* One stored year, loaded once: estimates, the index, the divide, the
** uncertainty are derived from it without going back to the store. */
typedef struct year_ctx chiso_year;

typedef struct chiso_year_options {
  const char *method;      /* NULL: the stored methodology; else a file or a
                              shipped name (the index tree only) */
  const char *weights;     /* NULL or a weight table iCode,Weight */
  const char *normalise;   /* NULL or a normalisation to use everywhere */
  const char *aggregate;   /* NULL or an aggregation to use everywhere */
  const char *impute;      /* NULL or an imputation */
  double power;            /* power mean exponent (NaN: default) */
  double range_lo, range_hi; /* normalisation range (NaN: default) */
  int winsorise;           /* -1 as the method, 0 off, 1 on */
  int winmax;              /* -1 as the method */
  int min_respondents;     /* 0: the codebook's minimum */
  int strata_by_province;  /* 1: strata are province x stratum */
  const char *population;  /* NULL or a population file for post-stratification:
                              [province,][stratum,]count */
  int estimates_only;      /* 1: only chiso_year_estimates_write with units 0
                              will be asked: a year of one import is then read
                              from its stored estimation statistics when they
                              fit (no population, strata not by province): the
                              same estimates without reading the respondents.
                              Anything else on that year returns CHISO_EUSAGE */

  int denominate;          /* -1 as the methodology; 1 apply the indicators'
                              denominators (COINr Denominate); 0 do not */
  const char *encoding;    /* chiso_survey_estimates_write: the survey file's
                              encoding as chiso_read_options.encoding (NULL: detect) */
} chiso_year_options;

/* Defaults: everything from the stored methodology. Cannot fail. */
void chiso_year_options_init(chiso_year_options *o);

/* Load `year` from the store (read once; the store may be closed after).
** On success *out is new (chiso_year_free). Returns CHISO_ENOTFOUND
** (nothing stored for the year: the message lists the stored years),
** CHISO_EUSAGE (a bad option), CHISO_EDATA, CHISO_EIO, CHISO_ENOMEM. */
int chiso_year_open(chiso_store *st, int year, const chiso_year_options *o, chiso_year **out,
                    chiso_err *err);
void chiso_year_free(chiso_year *y);

/* 1 when the year's survey imports are synthetic (its outputs must say
** so). Cannot fail. */
int chiso_year_synthetic(const chiso_year *y);

/* The unit set of a view: 0 = the year's own units, 34 (or 2025) = the 34
** units of 2025 (a year before 2025 is re-estimated from its microdata),
** 63 = the 63 provinces (only years before 2025: CHISO_EUSAGE otherwise). */

/* Write the survey estimates of every domain (level: -1 all, 0
** provinces, 1 regions, 2 the nation): CSV code,indicator,estimate,se,n,
** weighted_n,ranked. Returns CHISO_ENOTFOUND (no survey), CHISO_EIO. */
int chiso_year_estimates_write(chiso_year *y, int units, int level, chiso_format fmt, FILE *out,
                               chiso_err *err);

/* ==== Index results ================================================================= */

typedef struct chiso_index chiso_index;

/* The index of a stored year on `units`. *out is new (chiso_index_free)
** and borrows from y, which must outlive it. Errors: those of the index
** (CHISO_ENOTFOUND with CHISO_HINT_METHOD when no methodology is stored),
** CHISO_EUSAGE for a 63-unit view of 2025 or later. */
int chiso_year_index(chiso_year *y, int units, chiso_index **out, chiso_err *err);

/* The index of a unit table file (units x indicators: uCode|code,
** uName|name, one column per indicator) with a methodology (path or
** shipped name) or a COINr iMeta table, and the run options of `o` (its
** method, weights and overrides; NULL: none). *out is new. Returns
** CHISO_EUSAGE (neither or both of method and imeta; a bad option),
** CHISO_EDATA (located), CHISO_EIO, CHISO_ENOMEM. */
int chiso_index_files(const char *method, const char *imeta, const char *data,
                      const chiso_year_options *o, chiso_index **out, chiso_err *err);

/* Write the index: rank, code, name, the aggregates of `level` and above
** (1 adds the indicators), and why a unit is not ranked. CSV:
** code,name,NODE...,rank,note; JSON: method, year, nodes, units. Returns 0
** or CHISO_EIO. */
int chiso_index_write(const chiso_index *ix, int level, chiso_format fmt, FILE *out,
                      chiso_err *err);

/* Notes about an index for a person (units whose data are approximate on
** the 34 units, indicators without data): note i and its level, NULL past
** the last. Cannot fail. */
const char *chiso_index_note(const chiso_index *ix, size_t i, chiso_log_level *level);

/* The number of indicators whose declared denominators (COINr iMeta
** Denominator) were not applied to the index, so that a front end can say
** how to apply them; 0 when there are none or they were applied. Cannot
** fail. */
size_t chiso_index_undenominated(const chiso_index *ix);

/* The statistical audit of the index (indicator statistics,
** correlations, Cronbach's alpha, PCA; rows section,id,parent,measure,
** value), or with pca_weights = 1 the PCA weight table iCode,Weight,
** loading,note. Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int chiso_index_audit_write(const chiso_index *ix, int pca_weights, chiso_format fmt, FILE *out,
                            chiso_err *err);
void chiso_index_free(chiso_index *ix);

/* ==== Uncertainty and sensitivity ======================================================= */

typedef enum {
  CHISO_UNC_SAMPLING = 0, /* the index over bootstrap replicates of the survey */
  CHISO_UNC_METHOD = 1,   /* the index over draws of the method choices */
  CHISO_UNC_CROSSED = 2   /* both: a replicate and a method in each run */
} chiso_unc_mode;

typedef struct chiso_unc_options {
  chiso_unc_mode mode;
  const char *spec;       /* NULL: the default spec; else a spec file */
  size_t runs;            /* method runs (uncertainty) or Sobol base rows
                             (sensitivity) */
  size_t replicates;      /* bootstrap replicates (stored years) */
  uint64_t seed;
  int threads;            /* 0: one per CPU; the output does not depend on it */
  int convergence;        /* sensitivity: rows at N/4 and N/2 too */
  chiso_progress_fn progress;
  void *progress_ud;
  FILE *params;           /* uncertainty: NULL, or receives the parameters
                             drawn in every run (CSV run,PARAM...; COINr's $Para) */
  size_t dump_run;        /* uncertainty: 0, or a run (1-based) whose whole
                             index is written to `dump` (compute's CSV with
                             every node) for diagnosis */
  FILE *dump;
} chiso_unc_options;

/* Write per unit the score and rank intervals of the index ix over the
** runs (docs/uncertainty.md): sampling and crossed modes resample the
** survey of ix's stored year (an index from files has none). With
** o->params, the parameters of every run go there; with o->dump_run, that
** run's index goes to o->dump (its parameters in a log note). Returns 0,
** CHISO_EUSAGE (a mode without microdata, a bad spec), CHISO_ENOTFOUND (no
** survey to resample), CHISO_EDATA, CHISO_EIO, CHISO_ENOMEM. */
int chiso_uncertainty_write(const chiso_index *ix, const chiso_unc_options *o, chiso_format fmt,
                            FILE *out, chiso_err *err);

/* Write the Sobol first-order and total indices of the mean absolute rank
** shift for every uncertain input (o->runs base rows, at least 8; the
** method or crossed mode). Same errors. */
int chiso_sensitivity_write(const chiso_index *ix, const chiso_unc_options *o, chiso_format fmt,
                            FILE *out, chiso_err *err);

/* ==== The digital divide, series, targets ================================================ */

typedef struct chiso_divide_options {
  const char *volume;      /* NULL: the survey's online sales; else an indicator */
  const char *interval;    /* "boot" (default), "taylor" or "none" */
  size_t replicates;       /* 0: 500 */
  uint64_t seed;
  double level;            /* 0: 0.95 */
  int threads;
  int units;               /* 0, 34 or 63 as above */
} chiso_divide_options;

/* Defaults as above. Cannot fail. */
void chiso_divide_options_init(chiso_divide_options *o);

/* Write the divide measures of a stored year (measure,value,lo,hi; JSON
** adds the unit shares and the Lorenz curve). *how (may be NULL) receives
** how the HN+HCM interval was made (static to the call's output; "" when
** none) for a note. Returns 0, CHISO_EUSAGE, CHISO_EDATA, CHISO_EIO,
** CHISO_ENOMEM. */
int chiso_year_divide_write(chiso_year *y, const chiso_divide_options *o, chiso_format fmt,
                            FILE *out, char how[160], chiso_err *err);

/* Write the divide measures of value and score files (code,value and a
** `chiso compute` CSV) without a store. Either path may be NULL. */
int chiso_divide_files_write(const char *values, const char *value_column, const char *scores,
                             const char *score_column, int year, chiso_format fmt, FILE *out,
                             chiso_err *err);

typedef enum {
  CHISO_SERIES_SCORES = 0,     /* year,code,name,score,rank,changes,approx */
  CHISO_SERIES_DIVIDE = 1,     /* year,measure,value,lo,hi */
  CHISO_SERIES_CONVERGENCE = 2 /* sigma, beta and catch-up years */
} chiso_series_view;

/* Write every stored year on one set of units (units 0: 34 when a year is
** 2025 or later, else 63). `method` NULL: each year's stored methodology.
** A note about moving goalposts goes to the log. Returns 0, CHISO_EUSAGE,
** CHISO_ENOTFOUND (no year), CHISO_EIO, CHISO_ENOMEM. */
int chiso_series_write(chiso_store *st, const char *method, int units, const char *interval,
                       chiso_series_view view, chiso_format fmt, FILE *out, chiso_err *err);

typedef struct chiso_targets_options {
  const char *plan;       /* a plan id (NULL: the plan file's) */
  const char *plan_file;  /* NULL or a plan CSV */
  const char *actuals;    /* NULL or an actuals CSV */
  chiso_store *store;     /* NULL or chiso's own estimates from a store */
  const char *province;   /* NULL or a province to judge the plan for */
  int as_of_year;         /* 0: every actual */
} chiso_targets_options;

/* Write how far each KPI of the plan is (table: kpi, scope, target,
** actual, progress, status, reached); JSON says "synthetic": true when
** the store's estimates are. Returns 0, CHISO_EUSAGE (no or unknown plan),
** CHISO_EDATA, CHISO_ENOTFOUND (an unknown province), CHISO_EIO. */
int chiso_targets_write(const chiso_targets_options *o, chiso_format fmt, FILE *out,
                        chiso_err *err);

/* Write the plans (id, KPI count, scope), including those of plan_file. */
int chiso_plans_write(const char *plan_file, FILE *out, chiso_err *err);

/* ==== Estimates from a survey file ======================================================== */

typedef struct chiso_plain_spec {
  const char *province_col, *weight_col, *strata_col; /* weight, strata may be NULL */
  const char *const *vars;  /* the variables to estimate */
  size_t n_vars;
} chiso_plain_spec;

/* Estimate a survey file read with the codebook of m (or, m NULL, the
** plain columns of spec: shares for 0/1 columns, means otherwise) for
** `year`, with the estimation options of o (min_respondents,
** strata_by_province, population; NULL: none). Year 0 is told by the file
** as in chiso_check_file; the year and units used are noted on the log.
** The file's problems go to `problems` (may be NULL). Returns as
** chiso_check_file, plus CHISO_EIO. */
int chiso_survey_estimates_write(const char *path, const chiso_method *m,
                                 const chiso_plain_spec *spec, int year,
                                 const chiso_year_options *o, int level, chiso_format fmt,
                                 FILE *out, FILE *problems, chiso_err *err);

/* ==== The report ============================================================================ */

/* The report model: everything the HTML report and its exports show. */
typedef struct rmodel chiso_report;

typedef struct chiso_report_options {
  int units;           /* 0, 63 or 34 */
  const char *method;  /* NULL: the stored methodology */
  uint64_t seed;
  int synthetic;       /* -1: from the store's marks; 0 or 1: forced */
  size_t runs;         /* method-uncertainty runs; 0: none */
  size_t sobol;        /* Sobol base rows (>= 8); 0: none */
  int threads;         /* 0: one per CPU; the output does not depend on it */
} chiso_report_options;

/* Defaults: seed 1, synthetic from the store, 200 runs, 256 Sobol rows,
** one thread. Cannot fail. */
void chiso_report_options_init(chiso_report_options *o);

/* Build the report model of `year` from the store (each stored year read
** once), or load one from a report-model JSON file. *out is new
** (chiso_report_free). Returns CHISO_ENOTFOUND, CHISO_EUSAGE, CHISO_EDATA,
** CHISO_EIO, CHISO_ENOMEM. */
int chiso_report_build(chiso_store *st, int year, const chiso_report_options *o,
                       chiso_report **out, chiso_err *err);
int chiso_report_load(const char *json_path, chiso_report **out, chiso_err *err);

/* The number of units of the model (63 or 34). */
int chiso_report_units(const chiso_report *r);

/* Write DIR/index.html and DIR/provinces/CODE.html (lang "vi" or "en";
** units 0 or the model's). Returns 0, CHISO_EUSAGE, CHISO_EIO,
** CHISO_ENOMEM; nothing partial is left. */
int chiso_report_write_html(const chiso_report *r, const char *lang, int units, const char *dir,
                            chiso_err *err);

/* Write the model as an XLSX workbook at `path` (column titles in lang). */
int chiso_report_write_xlsx(const chiso_report *r, const char *lang, const char *path,
                            chiso_err *err);

/* Write the Index table as CSV (excel = 1: a UTF-8 BOM and CRLF), or the
** whole model as JSON. Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int chiso_report_write_csv(const chiso_report *r, int excel, FILE *out, chiso_err *err);
int chiso_report_write_json(const chiso_report *r, FILE *out, chiso_err *err);
void chiso_report_free(chiso_report *r);

/* ==== Synthetic data and the demo ===================================================== */

typedef struct chiso_synth_options {
  int year;
  long respondents;
  uint64_t seed;
  const char *method;     /* recorded in the metadata (default ebi-2021) */
  int xlsx;               /* 1: an XLSX workbook, else CSV */
  int messy;              /* name variants, odd answers, 4 invalid rows */
  int official;           /* 1: synthetic official indicators instead */
  int threads;            /* 0: one per CPU; the bytes do not depend on it */
  chiso_progress_fn progress;
  void *progress_ud;
} chiso_synth_options;

/* The years chiso synth can model. */
#define CHISO_SYNTH_YEAR_MIN 2015
#define CHISO_SYNTH_YEAR_MAX 2030

/* Write a SYNTHETIC survey (or official indicators) at `path` with its
** FILE.meta.json; *rows and *units (may be NULL) receive what was
** written. Returns 0, CHISO_EUSAGE, CHISO_EIO, CHISO_ENOMEM. */
int chiso_synth_write(const chiso_synth_options *o, const char *path, long *rows, size_t *units,
                      chiso_err *err);

typedef struct chiso_demo_options {
  const char *dir;         /* workspace directory */
  long respondents;        /* per year */
  uint64_t seed;
  int threads;
  chiso_progress_fn progress;
  void *progress_ud;
} chiso_demo_options;

typedef struct demo_summary chiso_demo;

/* Build the demo workspace from SYNTHETIC data (docs/cli.md, "chiso
** demo"). On success *out is new (chiso_demo_free). Returns CHISO_EUSAGE,
** CHISO_EEXISTS (DIR/chiso.db was not made by the demo), CHISO_EIO,
** CHISO_EDATA, CHISO_ENOMEM. */
int chiso_demo_run(const chiso_demo_options *o, chiso_demo **out, chiso_err *err);

/* Write the demo's summary (top and bottom units, the HN+HCM share, the
** plan KPIs, the files written). Returns 0 or CHISO_EIO. */
int chiso_demo_write(const chiso_demo *d, const chiso_demo_options *o, FILE *out);
void chiso_demo_free(chiso_demo *d);

/* ==== Synthetic marks ================================================================= */

/* Write PATH.meta.json saying that the file at PATH was made by
** `generator` from SYNTHETIC data of store `db` (may be NULL), year `year`
** (0: several). Atomic. Returns 0, CHISO_EIO. */
int chiso_synthetic_mark(const char *path, const char *generator, const char *db, int year,
                         chiso_err *err);

/* ==== Report labels, profiles, series ranges, suggestions (issue 12) =================== */

/* The candidate closest to a mistyped `word` (a command, a flag, a form
** field), for "did you mean ...?": the one within an edit distance of 1
** for words of up to 4 characters, 2 for longer ones (ties: the first), or
** one that `word` is a prefix of; NULL when none is close. Borrowed from
** candidates. Cannot fail. */
const char *chiso_suggest(const char *word, const char *const *candidates, size_t n);

/* chiso_series_write on the stored years in [from, to] only (0: open): a
** 63-unit series of 2020-2024 from a store that also holds 2025. Returns
** as chiso_series_write; CHISO_ENOTFOUND when no stored year is in the
** range. */
int chiso_series_write_range(chiso_store *st, const char *method, int units, int from, int to,
                             const char *interval, chiso_series_view view, chiso_format fmt,
                             FILE *out, chiso_err *err);

/* Replace the publication's title (by default the methodology's "title",
** else its name) in Vietnamese and English (either may be NULL: kept).
** Returns 0 or CHISO_ENOMEM (the title is then unchanged). */
int chiso_report_set_title(chiso_report *r, const char *title_vi, const char *title_en,
                           chiso_err *err);

/* hide = 1: units without a score or respondents (outside a regional
** survey) are left out of the report's tables and charts (the map keeps
** them, grey). Cannot fail. */
void chiso_report_hide_empty(chiso_report *r, int hide);

/* One indicator of a unit against the reference units. */
typedef struct chiso_strength {
  const char *indicator;  /* the indicator id (borrowed from the report) */
  double value;           /* the unit's value (shares 0..1 as in the model) */
  double reference;       /* mean of the reference units */
  int rank, n_ranked;     /* rank among the reference units with a value, 1 best */
} chiso_strength;

/* The strengths (above the reference mean in the indicator's direction,
** best rank first) and weaknesses (below it, worst rank first) of the unit
** `code` of report r, at most `top` of each (0: 3; str and weak hold that
** many), against every unit or, with within_region, the units of its
** region; indicators with too few distinct values are left out (the rule
** of the report's profiles, after COINr's get_str_weak: docs/report.md).
** Returns 0, CHISO_ENOTFOUND (no such unit), CHISO_ENOMEM. */
int chiso_report_strengths(const chiso_report *r, const char *code, int within_region,
                           size_t top, chiso_strength *str, size_t *n_str, chiso_strength *weak,
                           size_t *n_weak, chiso_err *err);

/* ==== Issue 17: weights and rank inference (branch ebi) ================================= */

/* Write the weights of an index: kind "effective" (COINr get_eff_wts:
** iCode,Level,Parent,Weight,EffWeight for every node) or "optimise" (COINr
** get_opt_weights, "balance" with equal importance: the weights of level
** `level` (0: the level below the root) that bring every node's Pearson
** correlation with the index closest to an equal share, by Nelder–Mead
** over positive weights; rows iCode,Level,Parent,Weight,Desired,Obtained,
** Correlation, the Weight column readable by `--weights`). With "optimise"
** *objective0 and *objective (may be NULL) receive the objective
** log(mean squared gap) before and after. Returns 0, CHISO_EUSAGE (an
** unknown kind, a level with nothing to weigh), CHISO_EDATA (correlations
** undefined), CHISO_EIO, CHISO_ENOMEM. */
int chiso_index_weights_write(const chiso_index *ix, const char *kind, int level, chiso_format fmt,
                              FILE *out, double *objective0, double *objective, chiso_err *err);

/* Ranking from estimates and their standard errors (or a covariance
** matrix) alone, as the R package csranks does (Mogstad, Romano, Shaikh &
** Wilhelm 2024; docs/uncertainty.md §2b). */
typedef struct chiso_ranks_options {
  const char *data;       /* CSV: a code column (code, uCode, unit, or the
                             first), an optional name, the estimates, the SEs */
  const char *estimate;   /* its column of estimates (NULL: "estimate") */
  const char *se;         /* its column of standard errors (NULL: "se") */
  const char *cov;        /* NULL, or a covariance matrix CSV instead of the
                             SEs: one row per unit (its code first), one
                             column per unit named by its code */
  double coverage;        /* 0.95 */
  int single_step;        /* 0: stepdown (csranks' default) */
  int marginal;           /* 1: L, U are the marginal sets (csranks simul = FALSE) */
  size_t draws;           /* parametric bootstrap draws (csranks R), 1000 */
  uint64_t seed;          /* 1 */
  int tau;                /* > 0: the tau-best and tau-worst sets */
  int lower_is_better;    /* 0: the largest estimate ranks 1 */
} chiso_ranks_options;

/* Defaults as in the comments above. Cannot fail. */
void chiso_ranks_options_init(chiso_ranks_options *o);

/* Read the estimates and write every unit's rank, its rank confidence set
** (simultaneous or marginal, stepdown or single-step), P(top 1, 3, 5, 10)
** over the draws, and with tau the tau-best and tau-worst sets: CSV
** code,name,estimate,se,rank,L,U,p_top1,p_top3,p_top5,p_top10[,p_top_tau,
** tau_best,tau_worst]. Returns 0, CHISO_EUSAGE, CHISO_EDATA (located:
** a missing column, a bad number, a unit missing from the covariance, a
** covariance that is not symmetric positive semi-definite), CHISO_EIO,
** CHISO_ENOMEM. */
int chiso_ranks_write(const chiso_ranks_options *o, chiso_format fmt, FILE *out, chiso_err *err);

/* ==== Serving a store: the read side (issue 14, `chiso serve`) ============================ */

/* Open the store at `path` for reading only: nothing can be written
** through the handle, and another process's commit is waited for instead
** of failing. Returns CHISO_ENOTFOUND (no such file), CHISO_EIO (not a
** chiso store), CHISO_ENOMEM. Close with chiso_store_close. */
int chiso_store_open_readonly(const char *path, chiso_store **out, chiso_err *err);

/* chiso_store_open_readonly, pinned: every read through the handle (the
** years, their reports, what-ifs) sees the store as it was at this
** opening, even when another process commits meanwhile, so that what is
** computed from it later, on first ask, never mixes two states. While it
** is open the store's WAL keeps every later write: close it once it is
** stale (chiso_store_data_version on another handle says so). Returns as
** chiso_store_open_readonly; close with chiso_store_close. */
int chiso_store_open_snapshot(const char *path, chiso_store **out, chiso_err *err);

/* *out = a number that changes whenever another connection (another
** process importing) has committed to the store since the last call on
** this handle: what was computed from the store may then be stale. Only
** its changes mean something. Returns 0 or CHISO_EIO. */
int chiso_store_data_version(chiso_store *st, uint64_t *out, chiso_err *err);

/* Every stored year of a store, each loaded once, on first ask, and kept
** with what was computed from it. Not thread-safe: one thread at a time
** (what a chiso_whatif made from one of its years reads is the exception). */
typedef struct yearset chiso_years;

/* The years of store st (borrowed: it must stay open while the set
** lives), with their stored methodologies. On success *out is new
** (chiso_years_free). Returns CHISO_EIO, CHISO_ENOMEM. */
int chiso_years_open(chiso_store *st, chiso_years **out, chiso_err *err);
void chiso_years_free(chiso_years *s);

/* The stored years, ascending: *years borrowed from the set; returns how
** many. Cannot fail. */
size_t chiso_years_list(const chiso_years *s, const int **years);

/* Write the stored years with their unit sets (own units and, before
** 2025, the 34 units too), survey imports, respondents, methodology and
** synthetic mark (CSV year,units,views,survey,imports,respondents,method,
** synthetic). Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int chiso_years_write(chiso_years *s, chiso_format fmt, FILE *out, chiso_err *err);

/* The year `year` of the set, loaded on the first ask (borrowed: valid
** until the set is freed; as chiso_year_open with default options).
** Returns CHISO_ENOTFOUND (the message lists the stored years) and the
** errors of chiso_year_open. */
int chiso_years_get(chiso_years *s, int year, chiso_year **out, chiso_err *err);

/* The report model of `year` from the set's years (as chiso_report_build,
** every year read once for the set's whole life; o->method must be NULL).
** *out is new. Errors of chiso_report_build. */
int chiso_years_report(chiso_years *s, int year, const chiso_report_options *o,
                       chiso_report **out, chiso_err *err);

/* chiso_series_write and chiso_targets_write (o->store unused) on the
** set's years: the same bytes. */
int chiso_years_series_write(chiso_years *s, int units, const char *interval,
                             chiso_series_view view, chiso_format fmt, FILE *out, chiso_err *err);
int chiso_years_targets_write(chiso_years *s, const chiso_targets_options *o, chiso_format fmt,
                              FILE *out, chiso_err *err);

/* The year and synthetic mark of a report model. Cannot fail. */
int chiso_report_year(const chiso_report *r);
int chiso_report_synthetic(const chiso_report *r);

/* The index of a report model (docs/api.md, "index"): per unit in rank
** order code, name, region, score with its interval, rank with its
** interval, the rank in the previous stored year on the same units and
** the change, respondents, pillar scores. Scores and ranks are those of
** `chiso compute --db`, intervals those of the report. Returns 0,
** CHISO_EDATA (a model out of bounds), CHISO_EIO, CHISO_ENOMEM. */
int chiso_report_index_write(const chiso_report *r, chiso_format fmt, FILE *out, chiso_err *err);

/* The profile of unit `code` (docs/api.md, "units"): scores, pillars and
** indicators with the unit's rank and the means of its region and of all
** units, strengths and weaknesses, the series over the stored years
** (harmonised and approximate years flagged), the former provinces, the
** unit's plan targets. CSV: the pillar, indicator and series rows.
** Returns 0, CHISO_ENOTFOUND (unknown code: the message lists the codes),
** CHISO_EDATA, CHISO_EIO, CHISO_ENOMEM. */
int chiso_report_unit_write(const chiso_report *r, const char *code, chiso_format fmt, FILE *out,
                            chiso_err *err);

/* Units side by side (1 to 4 codes): score, ranks, pillars, indicators and
** the series, one column per unit. Returns 0, CHISO_EUSAGE (no code, more
** than 4, a repeated code), CHISO_ENOTFOUND, CHISO_EDATA, CHISO_EIO,
** CHISO_ENOMEM. */
int chiso_report_compare_write(const chiso_report *r, const char *const *codes, size_t n,
                               chiso_format fmt, FILE *out, chiso_err *err);

/* The summary of the year: the national mean score, the divide measures
** (the HN+HCM share with its interval), the HN+HCM share over the years
** with its target, and the national plan targets judged (actual,
** progress, status). CSV: kind,id,year,value,lo,hi,target,target_year,
** progress,status. Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int chiso_report_summary_write(const chiso_report *r, chiso_format fmt, FILE *out,
                               chiso_err *err);

/* The stylesheet of the report's pages: the classes its charts and map
** use (static, never NULL). */
const char *chiso_report_stylesheet(void);

/* The methodology tree, the intervals' sources, rank shifts and Sobol
** indices, and the provenance (imports with SHA-256, methodology hash,
** seed, version). CSV: the tree. Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int chiso_report_method_write(const chiso_report *r, chiso_format fmt, FILE *out, chiso_err *err);

/* The name of chart i of chiso_report_svg_write, NULL past the last. */
const char *chiso_report_chart_name(size_t i);

/* Write a chart of the report as one SVG element (styled by the classes
** of the report's stylesheet), texts in `lang`: "map", "ranking",
** "pillars", "lorenz", "share", "rankshift", "sobol", and for unit `code`
** "unit-pillars" and "unit-trend". Units link to href_prefix + CODE +
** href_suffix (both NULL: no links). Returns 0, CHISO_ENOTFOUND (unknown
** chart or code: the message lists them), CHISO_EDATA, CHISO_EIO,
** CHISO_ENOMEM, CHISO_EINTERNAL. */
int chiso_report_svg_write(const chiso_report *r, const char *chart, const char *code,
                           const char *lang, const char *href_prefix, const char *href_suffix,
                           FILE *out, chiso_err *err);

/* The index of a stored year re-run with other weights, with the
** report's intervals. Prepared once; then chiso_whatif_write may be called
** from several threads at once. */
typedef struct chiso_whatif chiso_whatif;

/* Prepare the what-if of year y on `units` (0, 63 or 34) with the
** uncertainty settings of o (runs, seed, threads; NULL: the report's
** defaults), so that at the methodology's weights its intervals are the
** report's. y is borrowed, must outlive the what-if and is not used by
** chiso_whatif_write. On success *out is new (chiso_whatif_free). Returns
** CHISO_EUSAGE (bad units, a 63-unit view of 2025 or later), and the
** errors of chiso_year_index. */
int chiso_whatif_new(chiso_year *y, int units, const chiso_report_options *o, chiso_whatif **out,
                     chiso_err *err);
void chiso_whatif_free(chiso_whatif *w);

/* Write the index with the weights values[i] of nodes ids[i] (text, the
** rule of a --weights table: a plain decimal > 0; other nodes keep the
** methodology's): scores and ranks exactly as `chiso compute --db --year
** Y --weights FILE` gives them, with the score and rank intervals and the
** nominal rank. CSV: compute's columns with score_lo,score_hi,rank_lo,
** rank_hi. Thread-safe. Returns 0, CHISO_EUSAGE with err->column naming
** the node (unknown, not a number, <= 0, given twice), CHISO_EIO,
** CHISO_ENOMEM. */
int chiso_whatif_write(const chiso_whatif *w, const char *const *ids, const char *const *values,
                       size_t n, chiso_format fmt, FILE *out, chiso_err *err);

/* Write the CSV table of n bytes at `csv` (a chiso CSV output) as a
** one-sheet XLSX workbook at `path` (atomically; numbers as numbers, codes
** as text; the same table gives the same bytes). Returns 0, CHISO_EDATA,
** CHISO_EIO, CHISO_ENOMEM. */
int chiso_csv_to_xlsx(const char *csv, size_t n, const char *sheet, const char *path,
                      chiso_err *err);

/* ==== Hardening: store verification, temporaries on signals (issue 13) ============ */

/* Verify the whole store (reads only): SQLite's integrity_check, then
** every stored block against its CRC-32, its shape and its import's row
** count; write one line per import (id, year, file, blocks, unchecked,
** damaged, status) and the integrity result. Blocks of stores made before
** chiso-store-3 have no checksum: they are counted as unchecked, not as
** damaged. Returns 0 when nothing is damaged; CHISO_EDATA when something
** is (err: how many blocks, and the first); CHISO_EIO, CHISO_ENOMEM. */
int chiso_store_verify_write(chiso_store *st, chiso_format fmt, FILE *out, chiso_err *err);

/* Remove every temporary file and directory libchiso has open for an
** output in progress (a file being written beside its final name, a
** report directory being built) and forget them. For a front end's
** SIGINT/SIGTERM handler: async-signal-safe, and the library installs no
** handler itself. The outputs themselves stay as they were before (each
** appears only whole, by rename). Cannot fail. */
void chiso_remove_temporaries(void);

/* ==== Formats: the PDF report (SPSS, Stata, SAS files and legacy encodings
** are read by the survey-file calls above) ====================================== */

/* Write the report model as a PDF book on A4 to `out` (lang "vi" or "en";
** units 0 or the model's): cover and contents, key figures, the ranking
** with its intervals (across pages, the header row repeated), the map,
** the pillars, the divide and the targets, the sensitivity results, the
** methodology and provenance, and one page per unit; page numbers on
** every page, the synthetic banner when the data are synthetic. The same
** model and language give the same bytes (the creation date is 1 January
** after the report year). Text is set in Noto Sans (Debian fonts-noto-core;
** DejaVu Sans from fonts-dejavu-core otherwise), embedded. Returns 0,
** CHISO_EUSAGE (units), CHISO_EDATA (the model), CHISO_ENOTFOUND (no such
** font installed), CHISO_EIO, CHISO_EINTERNAL, CHISO_ENOMEM; on failure
** the caller discards what was written to `out`. */
int chiso_report_write_pdf(const chiso_report *r, const char *lang, int units, FILE *out,
                           chiso_err *err);

/* ==== Online intake: accounts, uploads, the questionnaire, the audit log (issue 15) ==== */

/* The write side of a served store (docs/intake.md): accounts with roles
** and a scope of units, API tokens and sessions, invitations to a web
** questionnaire generated from the codebook, responses staged until a
** province officer publishes them, uploads and publications through the
** import workflow of chiso_import_files, and an audit log of every
** write. Everything lives in the store's file, in tables made by the
** first intake write (a store made before opens and reads as ever).
** Credentials are kept only as hashes: passwords as Argon2id strings
** (libsodium crypto_pwhash), tokens, sessions and invitation codes as
** their SHA-256. A write commits durably before the call returns. */
typedef struct intakedb chiso_intake;

/* Open the store at `path` for the intake (create = 1: make a new store
** when there is none). On success *out is new (chiso_intake_close). One
** thread at a time. Returns CHISO_ENOTFOUND, CHISO_EIO, CHISO_ENOMEM. */
int chiso_intake_open(const char *path, int create, chiso_intake **out, chiso_err *err);
void chiso_intake_close(chiso_intake *h);

typedef enum {
  CHISO_ROLE_ADMIN = 0,     /* everything: accounts, every unit, the audit log */
  CHISO_ROLE_PROVINCE = 1,  /* uploads, invitations, quotas, publication for its units */
  CHISO_ROLE_VIEWER = 2     /* reads only */
} chiso_role;

/* "admin", "province", "viewer" (static). */
const char *chiso_role_name(chiso_role role);

/* The role named s into *out. Returns 0 or CHISO_EUSAGE. */
int chiso_role_parse(const char *s, chiso_role *out);

#define CHISO_SCOPE_MAX 63

/* An account, as an authentication found it. */
typedef struct chiso_account {
  long long id;
  char name[65];
  chiso_role role;
  int scope_year;                  /* province: the year whose units `scope` names */
  size_t n_scope;
  char scope[CHISO_SCOPE_MAX][3];  /* province: unit codes, ascending */
  int disabled;
  char via[96];                    /* how it was authenticated: "password", "session",
                                      "token LABEL" (for the audit log) */
} chiso_account;

/* 1 when account a may write for unit `code` of `year`: an admin for
** every unit, a province officer for the units of its scope (a 63-era
** province when its 2025 unit is in a 34-unit scope), a viewer for none.
** Cannot fail. */
int chiso_account_covers(const chiso_account *a, int year, const char *code);

/* The actor of a write, for the audit log: `by` (NULL: the command line)
** and the client's address `address` ("" or NULL: none) in every call
** below that writes. */

/* Add an account: name 1 to 64 of A-Z a-z 0-9 . _ @ -; a province
** account names its units (codes or names of scope_year's registry, at
** least one), others none; password NULL for an account that uses
** tokens only, else 8 to 1024 bytes. Returns CHISO_EUSAGE (a bad name,
** role, unit or password: err says which), CHISO_EEXISTS, CHISO_EIO. */
int chiso_user_add(chiso_intake *h, const char *name, chiso_role role, int scope_year,
                   const char *const *units, size_t n_units, const char *password,
                   const chiso_account *by, const char *address, chiso_err *err);

/* Set a new password (the account's sessions end). Returns CHISO_ENOTFOUND,
** CHISO_EUSAGE (a bad password), CHISO_EIO. */
int chiso_user_password(chiso_intake *h, const char *name, const char *password,
                        const chiso_account *by, const char *address, chiso_err *err);

/* Disable an account: its sessions end, its password and tokens stop
** working. Returns CHISO_ENOTFOUND, CHISO_EIO. */
int chiso_user_disable(chiso_intake *h, const char *name, const chiso_account *by,
                       const char *address, chiso_err *err);

/* Write the accounts (name, role, scope_year, scope, disabled, tokens,
** created_at; never a credential). Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int chiso_users_write(chiso_intake *h, chiso_format fmt, FILE *out, chiso_err *err);

/* Write the API tokens of account `name` (NULL: of every account), by
** account, oldest first: name, label, created_at, expires (UTC, ISO 8601,
** or "never"), state (live, expired or revoked; never the token). Returns
** 0, CHISO_ENOTFOUND (no account `name`), CHISO_EIO, CHISO_ENOMEM. */
int chiso_tokens_write(chiso_intake *h, const char *name, chiso_format fmt, FILE *out,
                       chiso_err *err);

/* A new API token for account `name` with a label (1 to 64 printable
** characters): "chiso_" and 43 base64url characters (256 random bits)
** into token, shown this once: only its SHA-256 is kept. Returns
** CHISO_ENOTFOUND, CHISO_EUSAGE (a bad label), CHISO_EDENIED (a disabled
** account), CHISO_EIO. */
int chiso_token_new(chiso_intake *h, const char *name, const char *label,
                    const chiso_account *by, const char *address, char token[64], chiso_err *err);

/* As chiso_token_new, for a token refused (401) `days` days after it is
** made (1 to 36500); the audit log says how long. Returns the errors of
** chiso_token_new, and CHISO_EUSAGE for days out of range. */
int chiso_token_new_days(chiso_intake *h, const char *name, const char *label, int days,
                         const chiso_account *by, const char *address, char token[64],
                         chiso_err *err);

/* Revoke the live API tokens of account `name` with this label (the one
** leaked or no longer needed; the account's other tokens, its password and
** its sessions keep working); written to the audit log ("token-revoke").
** *revoked (may be NULL) says how many. Returns CHISO_ENOTFOUND (no such
** account, or no live token with that label), CHISO_EUSAGE (a bad label),
** CHISO_EIO. */
int chiso_token_revoke(chiso_intake *h, const char *name, const char *label,
                       const chiso_account *by, const char *address, int *revoked, chiso_err *err);

/* Check a password (Argon2id) and open a session: a new session id (43
** base64url characters, 256 bits) into session, the account into *out.
** A wrong name or password or a disabled account is CHISO_EDENIED (the
** same message, the same time); success and failure are both logged.
** Sessions end after 12 hours. Returns CHISO_EDENIED, CHISO_EIO. */
int chiso_login(chiso_intake *h, const char *name, const char *password, const char *address,
                char session[64], chiso_account *out, chiso_err *err);

/* The account of a session id or of an API token. CHISO_EDENIED when
** unknown, ended, revoked or disabled. Returns 0, CHISO_EDENIED, CHISO_EIO. */
int chiso_session_account(chiso_intake *h, const char *session, chiso_account *out,
                          chiso_err *err);
int chiso_token_account(chiso_intake *h, const char *token, chiso_account *out, chiso_err *err);

/* End a session (logged). Unknown sessions are ignored. Returns 0 or
** CHISO_EIO. */
int chiso_logout(chiso_intake *h, const char *session, const chiso_account *who,
                 const char *address, chiso_err *err);

/* The methodology surveys of `year` are coded with: the one stored with
** the year's imports, else `fallback` (a file or shipped name). *out is
** new (chiso_method_free). Errors of chiso_method_load. */
int chiso_intake_method(chiso_intake *h, int year, const char *fallback, chiso_method **out,
                        chiso_err *err);

/* ---- the questionnaire of a codebook ---- */

typedef enum {
  CHISO_Q_YESNO = 0, CHISO_Q_SINGLE = 1, CHISO_Q_MULTI = 2,
  CHISO_Q_NUMBER = 3, CHISO_Q_PERCENT = 4, CHISO_Q_TEXT = 5
} chiso_qtype;

/* A question of the codebook (strings borrowed from the methodology). */
typedef struct chiso_question {
  const char *id, *text_vi, *text_en;
  chiso_qtype type;
  size_t n_options;    /* single, multi */
  double min, max;     /* number, percent: NaN when open */
  int required;
} chiso_question;

/* The questions of m's codebook, and question i. Cannot fail (i < count). */
size_t chiso_method_questions(const chiso_method *m);
void chiso_method_question(const chiso_method *m, size_t i, chiso_question *out);

/* Option k of question i: its id and labels for people in Vietnamese (the
** first label) and English (the last label written in ASCII, else the
** id). Borrowed. Cannot fail (k < n_options). */
void chiso_method_option(const chiso_method *m, size_t i, size_t k, const char **id,
                         const char **label_vi, const char **label_en);

typedef enum {
  CHISO_INVITE_UNIT = 0,       /* any enterprise of a unit, any number of times */
  CHISO_INVITE_ENTERPRISE = 1  /* one enterprise (its respondent id), once */
} chiso_invite_kind;

typedef struct chiso_invite {
  long long id;
  int year;
  char unit[3];
  chiso_invite_kind kind;
  char respondent[128];   /* enterprise: its respondent id */
  char stratum[64];       /* enterprise: its stratum, "" when the form asks */
  char prefix[8];         /* the first characters of the code, to tell invitations apart */
  int used;               /* enterprise: answered */
  char created_by[65];
  char created_at[32];
} chiso_invite;

/* A new invitation to the questionnaire of `year` for unit `code` (which
** `by` must cover: CHISO_EDENIED otherwise); for one enterprise, its
** respondent id (1 to 127 bytes, no control characters) and its stratum
** (may be NULL). The code (26 lower-case base32 characters, 128 random
** bits) goes into code and is shown this once; only its SHA-256 is kept.
** Returns CHISO_EUSAGE, CHISO_EDENIED, CHISO_EEXISTS (that respondent is
** invited already), CHISO_EIO. */
int chiso_invite_new(chiso_intake *h, int year, const char *code_unit, chiso_invite_kind kind,
                     const char *respondent, const char *stratum, const chiso_account *by,
                     const char *address, char code[32], chiso_err *err);

/* The invitation of `code` for `year`. Returns 0, CHISO_ENOTFOUND, CHISO_EIO. */
int chiso_invite_find(chiso_intake *h, int year, const char *code, chiso_invite *out,
                      chiso_err *err);

/* Write the invitations of `year` for the units `who` covers (id, unit,
** kind, respondent, stratum, prefix, used, created_by, created_at; never
** a code). Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int chiso_invites_write(chiso_intake *h, const chiso_account *who, int year, chiso_format fmt,
                        FILE *out, chiso_err *err);

/* Check the answers of one enterprise of unit `code_unit` in stratum
** `stratum` (keys[i] a question id or "QUESTION.OPTION", values[i] as
** typed; a multi question may come as several values of the same key)
** with the rules of a file import: the codebook's coding of every cell
** (chiso_check_file on a one-row file). *out is the check (its problems
** name the question in "column"; chiso_check_write). Returns 0,
** CHISO_EDATA (problems), CHISO_EUSAGE (an unknown key), CHISO_ENOMEM,
** CHISO_EIO. */
int chiso_response_check(const chiso_method *m, int year, const char *code_unit,
                         const char *stratum, const char *const *keys,
                         const char *const *values, size_t n, chiso_check **out, chiso_err *err);

/* Check and stage the answers given through invitation `code` of `year`
** (as chiso_response_check, for the invitation's unit; an enterprise
** invitation's stratum wins over `stratum`): on success the response is
** stored, durably, with its respondent id (the enterprise's, or a new
** "web-UNIT-N"), the invitation of an enterprise is used up, and the
** audit log holds it, all in one transaction; *response_id receives its
** id. Returns CHISO_ENOTFOUND (no such invitation), CHISO_EDENIED (an
** enterprise invitation used already), CHISO_EDATA (problems: *problems
** set), CHISO_EUSAGE, CHISO_EIO. */
int chiso_response_submit(chiso_intake *h, const chiso_method *m, int year, const char *code,
                          const char *stratum, const char *const *keys,
                          const char *const *values, size_t n, const char *address,
                          long long *response_id, chiso_check **problems, chiso_err *err);

/* Set the quota (responses wanted, >= 0) and population (enterprises in
** the stratum, > 0, or NaN: unknown; it gives the publication's weights)
** of a stratum of a unit `by` covers. Returns CHISO_EUSAGE, CHISO_EDENIED,
** CHISO_EIO. */
int chiso_quota_set(chiso_intake *h, int year, const char *code_unit, const char *stratum,
                    long quota, double population, const chiso_account *by,
                    const char *address, chiso_err *err);

/* The strata of a unit's quotas for `year`, ascending, one per line in a
** new string *out (chiso_free; "" when none). Returns 0, CHISO_EIO,
** CHISO_ENOMEM. */
int chiso_quota_strata(chiso_intake *h, int year, const char *code_unit, char **out,
                       chiso_err *err);

/* Write, for each unit `who` covers that has a quota or a response in
** `year`, each stratum's quota, population, responses received and
** published (CSV unit,name,stratum,quota,population,received,published).
** Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int chiso_intake_status_write(chiso_intake *h, const chiso_account *who, int year,
                              chiso_format fmt, FILE *out, chiso_err *err);

/* Import the survey file at `path` for `year` through the import
** workflow of chiso_import_files (one transaction, the same bytes imported
** once, a file of the same name replaced only with `replace`), with the
** methodology m, recorded under `name` (its base name; the path is not
** kept), on behalf of `who` (an admin or a province officer): a row of a
** unit `who` does not cover refuses the whole file (CHISO_EDENIED, the
** rows in *out: chiso_import_report_write); a file that would leave the
** year with two methodologies or with and without weights is refused
** (CHISO_EDATA). The import's provenance and its audit entry are written
** in its transaction; a refusal is logged. *out as chiso_import_files.
** Returns its errors and CHISO_EDENIED. */
int chiso_intake_upload(chiso_intake *h, const chiso_method *m, const char *path,
                        const char *name, int year, int replace, const chiso_account *who,
                        const char *address, chiso_import **out, chiso_err *err);

/* Publish the staged responses of `year` for the units `who` covers: one
** file per unit with responses ("web-YEAR-UNIT.csv": every response of
** the unit so far, weighted by population / responses per stratum when
** every stratum has a population) imported in ONE transaction by the
** import workflow, replacing the unit's earlier publication; the
** responses are marked published and the provenance and audit entry
** written in that transaction. Published data is what the index reads.
** *out as chiso_import_files (NULL when there was nothing to publish:
** then CHISO_ENOTFOUND). Returns CHISO_EDATA (some strata with a
** population and others without, or weights that the year's other
** imports do not share), CHISO_EDENIED, and the import's errors. */
int chiso_intake_publish(chiso_intake *h, const chiso_method *m, int year,
                         const chiso_account *who, const char *address, chiso_import **out,
                         chiso_err *err);

/* Write what went wrong in an import for a front end: JSON {"problems":
** [{file, row, col, column, value, rule, message}], "more": N,
** "outside": [{file, row, unit, name}], "outside_more": N} (file names as
** recorded). Returns 0 or CHISO_EIO. */
int chiso_import_report_write(const chiso_import *r, FILE *out);

/* Write the newest entries of the audit log (at most limit, 1 to 10000;
** ids below `before` when not 0; of `action` when not NULL): id, at,
** actor, via, address, action, target, detail, sha256, chain. JSON adds
** {"chain": {"checked", "broken"}} from chiso_audit_log_verify. Returns 0,
** CHISO_EUSAGE (a bad limit), CHISO_EIO, CHISO_ENOMEM. */
int chiso_audit_log_write(chiso_intake *h, size_t limit, long long before, const char *action,
                          chiso_format fmt, FILE *out, chiso_err *err);

/* Recompute the audit log's chain: *checked entries, *broken the first
** entry that was changed or follows a removed one (0: none). Returns 0 or
** CHISO_EIO. */
int chiso_audit_log_verify(chiso_intake *h, long long *checked, long long *broken,
                           chiso_err *err);

/* The stored chain of audit-log entry *id (0: the newest, whose id *id
** then receives) in `chain`: the log's head, to keep where the store's
** host cannot change it. Given back later (`chiso audit-log --verify
** --head`), it shows what chiso_audit_log_verify alone cannot: entries cut
** from the end, or the whole log rewritten. Returns 0, CHISO_ENOTFOUND (no
** such entry, or an empty log; chain ""), CHISO_EIO. */
int chiso_audit_log_chain(chiso_intake *h, long long *id, char chain[65], chiso_err *err);

#ifdef __cplusplus
}
#endif

#endif
