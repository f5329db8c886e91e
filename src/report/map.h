/* map.h — the province map: the embedded 63-province boundaries, dissolved
** into the 34 units of 2025 when asked, projected and drawn as SVG.
**
** Coordinates are kept as integers in thousandths of a degree (the GeoJSON
** has 3 decimals), so that shared borders match exactly and the dissolve
** can cancel them (see docs/report.md, "Dissolve"). */
#ifndef CHISO_MAP_H
#define CHISO_MAP_H

#include "base/err.h"
#include "geo/geo.h"
#include "base/strbuf.h"

#include <stddef.h>
#include <stdint.h>

typedef struct map_pt {
  int32_t x, y; /* longitude and latitude × 1000 */
} map_pt;

typedef struct map_ring {
  size_t n;     /* points, the first not repeated at the end */
  map_pt *pts;
} map_ring;

typedef struct map_shape {
  char code[3];     /* the unit's GSO code */
  size_t n_rings;
  map_ring *rings;  /* exterior rings counter-clockwise (RFC 7946) */
} map_shape;

typedef struct map_geom {
  geo_era era;
  size_t n;          /* 63 or 34 shapes, in registry order */
  map_shape *shapes;
} map_geom;

/* Read the embedded boundaries (provinces/vn-provinces-63.geojson) and
** build the shapes of `era`: the 63 provinces as they are, or the 34 units
** dissolved from their members (geo_successor). On success *out is new and
** freed with map_free. Returns CHISO_EINTERNAL when the embedded file is
** missing or malformed (err says why), or CHISO_ENOMEM; *out is then NULL. */
int map_load(const geo_registry *reg, geo_era era, map_geom **out, chiso_err *err);

/* Parse a GeoJSON FeatureCollection of the 63 provinces (properties
** `code_2008`, Polygon or MultiPolygon geometry) from `text`. Same
** contract as map_load, with CHISO_EDATA for bad input named `name`. */
int map_parse(const geo_registry *reg, const char *text, const char *name,
              geo_era era, map_geom **out, chiso_err *err);

/* Free a geometry. NULL is a no-op. */
void map_free(map_geom *g);

/* Merge the rings of several shapes into one: edges shared by two of them
** (the same segment in opposite directions) cancel, and the remaining edges
** are chained into closed rings. `out` receives new rings (its code is left
** as it is). Returns 0 or CHISO_ENOMEM (out unchanged). */
int map_dissolve(const map_shape *const *parts, size_t n_parts, map_shape *out);

/* Signed area of a ring in square degrees (shoelace formula; positive for
** counter-clockwise) and the sum over a shape's rings. */
double map_ring_area(const map_ring *r);
double map_shape_area(const map_shape *s);

/* How to draw the map. Arrays are indexed like g->shapes; any may be NULL. */
typedef struct map_style {
  const char *const *fill;   /* CSS colour per shape ("#ccc" when NULL) */
  const char *const *href;   /* link per shape, e.g. "provinces/01.html" */
  const char *const *title;  /* tooltip per shape */
  const char *legend_title;
  const char *const *legend_lines; /* the rule explaining the classes */
  size_t n_legend_lines;
  size_t n_classes;
  const char *const *class_fill;
  const char *const *class_label;
  const char *label_paracel[2];  /* two lines each */
  const char *label_spratly[2];
  const char *inset_note;        /* e.g. "islands enlarged ×3" */
} map_style;

/* Append the map as one <svg> element: one <g id="u-CODE" data-code=…>
** per shape (inside an <a> when a link is given), a legend and the
** archipelago insets and labels. The offshore archipelagos east of 110.5°E
** are enlarged around their centres inside dashed frames (schematic).
** Cannot fail (allocation failures are sticky in sb). */
void map_svg(strbuf_buf *sb, const map_geom *g, const map_style *st);

#endif
