/* out_units.h — the province units in force in a year (geo.h) as a table,
** CSV or JSON (the formats of `chiso provinces`). */
#ifndef CHISO_OUT_UNITS_H
#define CHISO_OUT_UNITS_H

#include "chiso.h"
#include "geo/geo.h"

#include <stdio.h>

/* Write the units of `year`. CSV: code,name,name_ascii,iso_3166_2,region,
** region_id, then code_2025,name_2025 before 2025, or members,
** member_names (joined by ';') from 2025; JSON: {"year", "units",
** "provinces": [...]}; table: region names in `lang` ("vi" or "en") and
** the 2025 unit or the former provinces. Returns 0, CHISO_EIO or
** CHISO_ENOMEM. */
int out_units_write(const geo_registry *reg, int year, const char *lang, chiso_format fmt,
                    FILE *out);

#endif
