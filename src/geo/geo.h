/* geo.h — the province registry (63 provinces up to 2024, 34 units from
** 2025) and the province-name resolver.
**
** The registry is built from data/provinces/provinces.csv, embedded in the
** binary. Units of the two eras are kept apart; every 63-era province maps
** to exactly one 34-era unit and every 34-era unit lists its members. */
#ifndef CHISO_GEO_H
#define CHISO_GEO_H

#include "base/err.h"

#include <stddef.h>

/* The first year whose units are the 34 of Resolution 202/2025/QH15. The
** new units operate from 1 July 2025; chiso treats all of 2025 as a
** 34-unit year (see docs/provinces.md). */
#define GEO_FIRST_34_YEAR CHISO_FIRST_34_YEAR

typedef enum { GEO_ERA_63 = 0, GEO_ERA_34 = 1 } geo_era;

#define GEO_MAX_MEMBERS 8

typedef struct geo_unit {
  char code[3];           /* 2-digit GSO code, e.g. "79" */
  const char *name;       /* NFC, no "Tỉnh"/"Thành phố" prefix */
  const char *name_ascii; /* diacritics removed, case kept */
  const char *iso;        /* ISO 3166-2 code for 63-era units, "" otherwise */
  geo_era era;
  int index;              /* position within its era, 0-based */
  int region;             /* region index within the era's region list */
  int successor;          /* 63-era: index of its 34-era unit; 34-era: -1 */
  int n_members;          /* 34-era: number of 63-era members; 63-era: 0 */
  int members[GEO_MAX_MEMBERS]; /* 34-era: indices of 63-era members */
} geo_unit;

typedef struct geo_registry geo_registry;

/* Build the registry from the embedded provinces.csv. On success *out is a
** new registry the caller frees with geo_registry_free. On failure returns
** CHISO_EINTERNAL (the embedded data is inconsistent) or CHISO_ENOMEM, fills
** err and leaves *out NULL. */
int geo_registry_new(geo_registry **out, chiso_err *err);

/* Free the registry and every string in it. NULL is a no-op. */
void geo_registry_free(geo_registry *reg);

/* The registry of the process, built once on the first call (thread-safe)
** and kept until exit: what the public API uses. Returns 0 with *out
** borrowed, or the errors of geo_registry_new (a later call tries again). */
int geo_registry_shared(const geo_registry **out, chiso_err *err);

/* The era whose units are in force in `year`. Cannot fail. */
geo_era geo_era_for_year(int year);

/* Number of units of an era (63 or 34). */
size_t geo_count(const geo_registry *reg, geo_era era);

/* The i-th unit of an era in code order, or NULL when i is out of range.
** The pointer is borrowed from the registry. */
const geo_unit *geo_unit_at(const geo_registry *reg, geo_era era, size_t i);

/* The unit of an era with this exact 2-digit code, or NULL. Borrowed. */
const geo_unit *geo_find_code(const geo_registry *reg, geo_era era,
                              const char *code);

/* The 34-era unit a 63-era province belongs to. Borrowed; NULL when
** `old_unit` is not a 63-era unit. */
const geo_unit *geo_successor(const geo_registry *reg, const geo_unit *old_unit);

/* The i-th 63-era member of a 34-era unit, or NULL. Borrowed. */
const geo_unit *geo_member(const geo_registry *reg, const geo_unit *new_unit,
                           int i);

/* 1 when a 34-era unit is one of the 11 that were not merged (its only
** member has the same code), or when a 63-era province became such a unit
** on its own. */
int geo_unchanged(const geo_registry *reg, const geo_unit *unit);

/* Regions of an era: 6 for both. Names are in Vietnamese ("vi") or English
** ("en"); ids are short ASCII slugs such as "dbsh". NULL when out of range. */
size_t geo_region_count(geo_era era);
const char *geo_region_name(geo_era era, int region, const char *lang);
const char *geo_region_id(geo_era era, int region);

/* How a name was matched. */
typedef enum {
  GEO_MATCH_NAME = 0,   /* the official name, in any case or spelling */
  GEO_MATCH_ALIAS = 1,  /* a common short form: HN, TP.HCM, BR-VT, Huế */
  GEO_MATCH_CODE = 2,   /* a GSO or ISO 3166-2 code */
  GEO_MATCH_PREFIX = 3, /* the first words of exactly one name */
  GEO_MATCH_FUZZY = 4,  /* within a small edit distance of one name */
  GEO_MATCH_CAPITAL = 5, /* the province's capital city (Quy Nhơn: Bình Định) */
  GEO_MATCH_FORMER = 6   /* a province merged before 2008 (Hà Tây: Hà Nội) */
} geo_match_kind;

typedef struct geo_match {
  const geo_unit *unit;     /* the unit in force in the year asked */
  const geo_unit *old_unit; /* for a 34-unit year, the 63-era province the
                               name designated when it differs from `unit`
                               (e.g. Bình Dương inside Hồ Chí Minh); else NULL */
  geo_match_kind kind;
  const geo_unit *province; /* the 63-era province the name designated (for a
                               capital: its province) */
} geo_match;

/* Resolve a free-text province name, a 2-digit GSO code or an ISO 3166-2
** code to the unit in force in `year`. Any case, with or without
** diacritics, either tone placement, any dash, and the prefixes "Tỉnh",
** "Thành phố", "TP." and "T.P" are accepted.
** On success returns 0 and fills *out (pointers borrowed from reg).
** Provincial capitals ("Quy Nhơn", "Buôn Ma Thuột") and Hà Tây (merged
** into Hà Nội in 2008) resolve to their province (kind says which).
** A code written as a decimal number ("1.0", "79,00": a float column) is
** its value (01, 79), never its digits joined; another fraction ("1.5")
** is no code (CHISO_ENOTFOUND, saying so).
** Returns CHISO_ENOTFOUND with the message
**   unknown province: "NAME" (closest: A, B, C)
** where only names close enough to be a misspelling are suggested
** or CHISO_EAMBIGUOUS with
**   ambiguous province: "NAME" could be: A, B
** and fills err; *out is then zeroed. */
int geo_resolve(const geo_registry *reg, int year, const char *name,
                geo_match *out, chiso_err *err);

/* The scope of an account (intake: a province officer may write for some
** units only): 1 when the unit `code` of `year` lies within the n unit
** codes of `scope`, given in the registry of scope_year. Across the 2025
** change a 63-era province lies within a 34-unit scope when its successor
** does; a 63-era scope covers no unit of a 34-unit year (its codes no
** longer name units). 0 otherwise, also for an unknown code. */
int geo_scope_covers(const geo_registry *reg, const char (*scope)[3], size_t n, int scope_year,
                     int year, const char *code);

#endif
