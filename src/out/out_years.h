/* out_years.h — the stored years of a store with their unit sets, as a
** table, CSV or JSON (the years resource of a served store). */
#ifndef CHISO_OUT_YEARS_H
#define CHISO_OUT_YEARS_H

#include "chiso.h"

#include <stddef.h>
#include <stdio.h>

/* One stored year. */
typedef struct out_years_row {
  int year;
  int units;          /* its own units: 63 or 34 */
  int survey;         /* 1: survey imports are stored for it */
  size_t imports;     /* survey imports */
  long respondents;   /* respondents of those imports */
  const char *method; /* the methodology id of its imports ("" when none) */
  int synthetic;      /* 1: its imports carry the synthetic mark */
} out_years_row;

/* Write the years (ascending). Each year's views are its own units and,
** before 2025, the 34 units too (re-estimated from its microdata). CSV:
** year,units,views,survey,imports,respondents,method,synthetic (views as
** "63 34"); JSON {"years": [{year, units, views [..], survey, imports,
** respondents, method, synthetic}], "latest"}. Returns 0, CHISO_EIO or
** CHISO_ENOMEM. */
int out_years_write(const out_years_row *rows, size_t n, chiso_format fmt, FILE *out);

#endif
