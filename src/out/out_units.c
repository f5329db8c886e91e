/* out_units.c — the units in force in a year as a table, CSV or JSON
** (out_units.h). */
#include "out/out_units.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "io/csvwrite.h"
#include "out/out_table.h"

#include <assert.h>
#include <jansson.h>
#include <stdio.h>

/* "02;08" or "Hà Giang;Tuyên Quang" for a 34-era unit. */
static void member_list(const geo_registry *reg, const geo_unit *u, int names,
                        const char *sep, char *buf, size_t n) {
  size_t used = 0;
  buf[0] = '\0';
  for (int i = 0; i < u->n_members && used < n; i++) {
    const geo_unit *m = geo_member(reg, u, i);
    used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? sep : "",
                             names ? m->name : m->code);
  }
}

static int print_csv(const geo_registry *reg, geo_era era, FILE *out) {
  const char *head63[] = {"code", "name", "name_ascii", "iso_3166_2", "region",
                          "region_id", "code_2025", "name_2025"};
  const char *head34[] = {"code", "name", "name_ascii", "iso_3166_2", "region",
                          "region_id", "members", "member_names"};
  csvwrite_row(out, era == GEO_ERA_63 ? head63 : head34, 8, 0);
  for (size_t i = 0; i < geo_count(reg, era); i++) {
    const geo_unit *u = geo_unit_at(reg, era, i);
    char a[256], b[512];
    if (era == GEO_ERA_63) {
      const geo_unit *s = geo_successor(reg, u);
      snprintf(a, sizeof a, "%s", s->code);
      snprintf(b, sizeof b, "%s", s->name);
    } else {
      member_list(reg, u, 0, ";", a, sizeof a);
      member_list(reg, u, 1, ";", b, sizeof b);
    }
    const char *row[] = {u->code, u->name, u->name_ascii, u->iso,
                         geo_region_name(era, u->region, "vi"),
                         geo_region_id(era, u->region), a, b};
    if (csvwrite_row(out, row, 8, 0) != CHISO_OK) return CHISO_EIO;
  }
  return CHISO_OK;
}

static int print_json(const geo_registry *reg, geo_era era, int year, FILE *out) {
  json_t *root = json_object(), *list = json_array();
  json_object_set_new(root, "year", json_integer(year));
  json_object_set_new(root, "units", json_integer((json_int_t)geo_count(reg, era)));
  for (size_t i = 0; i < geo_count(reg, era); i++) {
    const geo_unit *u = geo_unit_at(reg, era, i);
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(u->code));
    json_object_set_new(o, "name", json_string(u->name));
    json_object_set_new(o, "name_ascii", json_string(u->name_ascii));
    /* As the CSV's empty column: the 34 units of 2025 have no ISO code yet. */
    json_object_set_new(o, "iso_3166_2",
                        era == GEO_ERA_63 && u->iso && u->iso[0] ? json_string(u->iso) : json_null());
    json_object_set_new(o, "region", json_string(geo_region_name(era, u->region, "vi")));
    json_object_set_new(o, "region_en", json_string(geo_region_name(era, u->region, "en")));
    json_object_set_new(o, "region_id", json_string(geo_region_id(era, u->region)));
    if (era == GEO_ERA_63) {
      const geo_unit *s = geo_successor(reg, u);
      json_object_set_new(o, "code_2025", json_string(s->code));
      json_object_set_new(o, "name_2025", json_string(s->name));
    } else {
      json_t *m = json_array();
      for (int k = 0; k < u->n_members; k++)
        json_array_append_new(m, json_string(geo_member(reg, u, k)->code));
      json_object_set_new(o, "members", m);
    }
    json_array_append_new(list, o);
  }
  json_object_set_new(root, "provinces", list);
  return jsonio_dump(root, out);
}

static int print_table(const geo_registry *reg, geo_era era, const char *lang, FILE *out) {
  const char *head63[] = {"code", "name", "region", "2025 unit"};
  const char *head34[] = {"code", "name", "region", "formed from"};
  out_table *t = out_table_new(4, era == GEO_ERA_63 ? head63 : head34);
  if (!t) return CHISO_ENOMEM;
  for (size_t i = 0; i < geo_count(reg, era); i++) {
    const geo_unit *u = geo_unit_at(reg, era, i);
    char extra[512];
    if (era == GEO_ERA_63) {
      const geo_unit *s = geo_successor(reg, u);
      snprintf(extra, sizeof extra, "%s %s", s->code, s->name);
    } else if (u->n_members == 1) {
      snprintf(extra, sizeof extra, "(unchanged)");
    } else {
      member_list(reg, u, 1, ", ", extra, sizeof extra);
    }
    const char *row[] = {u->code, u->name, geo_region_name(era, u->region, lang), extra};
    if (out_table_add(t, row)) {
      out_table_free(t);
      return CHISO_ENOMEM;
    }
  }
  int rc = out_table_print(t, out);
  out_table_free(t);
  return rc;
}

int out_units_write(const geo_registry *reg, int year, const char *lang, chiso_format fmt,
                    FILE *out) {
  assert(reg && lang && out);
  geo_era era = geo_era_for_year(year);
  return fmt == CHISO_FORMAT_CSV    ? print_csv(reg, era, out)
         : fmt == CHISO_FORMAT_JSON ? print_json(reg, era, year, out)
                                    : print_table(reg, era, lang, out);
}
