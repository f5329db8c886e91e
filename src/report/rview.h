/* rview.h — views of the report model for a front end that serves it (the
** dashboard and the JSON API of `chiso serve`): the index with its
** intervals and the previous year's rank, a unit's profile, units side by
** side, the methodology and provenance, and each chart of the report as
** SVG. They read only the model (rmodel.h), so what a server shows is what
** the report shows, and they are written with the out/ conventions (CSV:
** RFC 4180, %.17g, empty when missing; JSON: keys in a fixed order, null
** when missing). docs/api.md describes every field. */
#ifndef CHISO_RVIEW_H
#define CHISO_RVIEW_H

#include "chiso.h"
#include "report/rmodel.h"

#include <stddef.h>
#include <stdio.h>

/* The index: per unit (rank order) code, name, region, score, score_lo,
** score_hi, rank, rank_lo, rank_hi, prev_rank (the rank in the previous
** year of the trend axis on the same units), rank_change (prev_rank -
** rank, > 0 moved up), respondents and the pillar scores; JSON adds the
** tier (the map's five quantile classes of score, 1 the highest) and the
** tiers' bounds. CSV: export_index_csv with the previous ranks (the
** report's Index CSV, then prev_rank,rank_change); JSON: {"year",
** "unit_set", "method", ["synthetic"], "interval", "prev_year", "pillars",
** "tiers", "units": [...]}.
** Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int rview_index_write(const rmodel *m, chiso_format fmt, FILE *out);

/* The profile of unit `code`: its scores, intervals and ranks; the
** pillars and indicators with the unit's value, its rank among the ranked
** units, the means of its region and of all units, z-scores; its strengths
** and weaknesses (profile_strengths, with value, mean, rank and z); the series over the trend axis (score,
** rank, harmonised: re-estimated on the later units; approx); the former
** provinces it was formed from (or the 2025 unit a province became); its
** plan targets. CSV: one row per pillar and indicator (kind,id,name_vi,
** name_en,value,rank,region_mean,national_mean,z,role), then one per year
** (kind "series"). Returns 0, CHISO_ENOTFOUND (an unknown code: the
** message lists the codes), CHISO_EIO, CHISO_ENOMEM. */
int rview_unit_write(const rmodel *m, const char *code, chiso_format fmt, FILE *out,
                     chiso_err *err);

/* Units side by side (1 to 4 codes, each once): rows score, rank,
** rank_lo, rank_hi, each pillar, each indicator and the score of each
** year of the trend; one value column per unit. CSV: kind,id,name_vi,
** name_en,CODE...; JSON {"year", "unit_set", "codes", "names", "rows":
** [{kind, id, name_vi, name_en, better ("high" or "low": which value is
** the better one), values}], "series"}. Returns 0, CHISO_EUSAGE (no
** code, more than 4, a code twice), CHISO_ENOTFOUND (an unknown code),
** CHISO_EIO, CHISO_ENOMEM. */
int rview_compare_write(const rmodel *m, const char *const *codes, size_t n, chiso_format fmt,
                        FILE *out, chiso_err *err);

/* The summary of the year: the national mean of the scores, the divide
** measures (with the HN+HCM share's interval), the HN+HCM share over the
** years with its intervals and target, and the national plan targets
** (actual, progress, status). CSV: one row per measure, share year and
** target (kind,id,year,value,lo,hi,target,target_year,progress,status).
** Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int rview_summary_write(const rmodel *m, chiso_format fmt, FILE *out);

/* The methodology and provenance: the tree (id, parent, names, weight,
** direction, normalisation, aggregation), the intervals (level, source),
** the rank shifts and Sobol indices, the imports with their SHA-256, the
** methodology hash, seed and chiso version. CSV: the tree. Returns 0,
** CHISO_EIO or CHISO_ENOMEM. */
int rview_method_write(const rmodel *m, chiso_format fmt, FILE *out);

/* The names of the charts rview_svg_write draws, in order; NULL past the
** last. */
const char *rview_chart_name(size_t i);

/* Write chart `chart` of the report as one <svg> element, texts in `lang`
** ("vi" or "en"): "map", "ranking", "pillars", "lorenz", "share",
** "rankshift", "sobol", and for unit `code`: "unit-pillars" (against its
** region and all units) and "unit-trend". Each unit links to
** href_prefix CODE href_suffix (both NULL: no links; strings are escaped).
** Returns 0, CHISO_ENOTFOUND (an unknown chart or code, or a unit chart
** without a code: the message lists what exists), CHISO_EIO,
** CHISO_ENOMEM, CHISO_EINTERNAL (the embedded map). */
int rview_svg_write(const rmodel *m, const char *chart, const char *code, const char *lang,
                    const char *href_prefix, const char *href_suffix, FILE *out, chiso_err *err);

#endif
