/* chiso_units.c — the public API: province units (chiso.h). */
#include "chiso.h"

#include "base/err.h"
#include "geo/geo.h"
#include "out/out_units.h"

#include <assert.h>
#include <string.h>

int chiso_resolve(int year, const char *name, chiso_match *out, chiso_err *err) {
  assert(name && out);
  const geo_registry *reg = NULL;
  geo_match m;
  memset(out, 0, sizeof *out);
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = geo_resolve(reg, year, name, &m, err);
  if (rc) return rc;
  memcpy(out->code, m.unit->code, 3);
  out->name = m.unit->name;
  if (m.old_unit) {
    memcpy(out->former_code, m.old_unit->code, 3);
    out->former_name = m.old_unit->name;
  }
  out->inexact = m.kind == GEO_MATCH_FUZZY || m.kind == GEO_MATCH_PREFIX;
  out->via = m.kind == GEO_MATCH_CAPITAL  ? "a provincial capital"
             : m.kind == GEO_MATCH_FORMER ? "a province merged into Hà Nội in 2008"
                                          : NULL;
  /* a capital of a province that is now part of a unit of another name
  ** (Quy Nhơn: Bình Định, in Gia Lai since 2025): name its province */
  if (out->via && !m.old_unit && m.province && strcmp(m.province->name, m.unit->name) != 0) {
    memcpy(out->former_code, m.province->code, 3);
    out->former_name = m.province->name;
  }
  return CHISO_OK;
}

int chiso_units_write(int year, const char *lang, chiso_format fmt, FILE *out, chiso_err *err) {
  assert(out);
  const geo_registry *reg = NULL;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = chiso_err_ensure(err, out_units_write(reg, year, lang ? lang : "vi", fmt, out),
                                 "cannot write the units");
  return rc;
}
