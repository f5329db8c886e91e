/* survey.h — survey microdata in memory, after reading and coding.
**
** Readers (CSV, XLSX) and the codebook turn a file into a survey_data: one
** row per respondent, the design columns resolved (province to its
** canonical code for the year, stratum to a small integer) and every
** question coded to a double (NaN = no answer). The store saves it and the
** estimators read it. Columns are stored column-major for speed. */
#ifndef CHISO_SURVEY_H
#define CHISO_SURVEY_H

#include "survey/codebook.h"
#include "base/err.h"

#include <stddef.h>

typedef struct survey_var {
  char *id;       /* question id; a CODEBOOK_MULTI question gives one variable per
                     option, named "QUESTION.OPTION" */
  int question;   /* index of the question in the codebook, -1 if none */
  double *values; /* n values; NaN = missing */
} survey_var;

typedef struct survey_data {
  int year;
  size_t n;                 /* respondents */
  char **respondent_id;     /* n strings */
  char (*province)[3];      /* n canonical codes of the units in force in `year` */
  char (*province_old)[3];  /* n 63-era codes when the file named a former
                               province in a 34-unit year, else "" */
  int *stratum;             /* n stratum indices into stratum_names */
  char **stratum_names;
  size_t n_strata;
  double *weight;           /* n weights, or NULL when the file has none */
  char **sector;            /* n strings, or NULL */
  long *source_row;         /* n 1-based rows of the source file */
  survey_var *vars;
  size_t n_vars;
  char *strings;            /* NULL, or one block that respondent_id[i] and
                               sector[i] point into (a reader's arena): then
                               survey_free frees the block, not each string */
  const struct survey_data *base; /* NULL; for a view (survey_new_view): the
                               survey whose ids, sectors, weights, rows and
                               variables it borrows */
} survey_data;

/* An empty survey for `n` respondents and `n_vars` variables, every array
** allocated and every value NaN / "". Returns NULL on out of memory. The
** caller frees it with survey_free. */
survey_data *survey_new(size_t n, size_t n_vars);

/* A view of `base` whose design columns can be re-assigned (to the 34
** units, crossed strata) without touching `base`: province, province_old,
** stratum and stratum_names are copies; everything else is borrowed from
** `base`, which must outlive the view. Returns NULL on out of memory.
** Free with survey_free. */
survey_data *survey_new_view(const survey_data *base);

/* Free everything (each id and sector string, or the `strings` block; for
** a view only what it copied). NULL is a no-op. */
void survey_free(survey_data *s);

/* The variable with this id, or NULL. Borrowed. */
const survey_var *survey_var_find(const survey_data *s, const char *id);

#endif
