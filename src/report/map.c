/* map.c — province boundaries: GeoJSON reading, dissolve, SVG drawing. */
#include "report/map.h"
#include "base/jsonio.h"

#include "base/embed.h"
#include "base/mem.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Geometry basics                                                     */
/* ------------------------------------------------------------------ */

static int pt_cmp(map_pt a, map_pt b) {
  if (a.x != b.x) return a.x < b.x ? -1 : 1;
  if (a.y != b.y) return a.y < b.y ? -1 : 1;
  return 0;
}

static void free_shape(map_shape *s) {
  for (size_t i = 0; i < s->n_rings; i++) chiso_free(s->rings[i].pts);
  chiso_free(s->rings);
  s->rings = NULL;
  s->n_rings = 0;
}

void map_free(map_geom *g) {
  if (!g) return;
  for (size_t i = 0; i < g->n; i++) free_shape(&g->shapes[i]);
  chiso_free(g->shapes);
  chiso_free(g);
}

/* Shoelace formula: A = 1/2 Σ (x_i y_{i+1} − x_{i+1} y_i). */
double map_ring_area(const map_ring *r) {
  double s = 0;
  for (size_t i = 0; i < r->n; i++) {
    map_pt a = r->pts[i], b = r->pts[(i + 1) % r->n];
    s += (double)a.x * (double)b.y - (double)b.x * (double)a.y;
  }
  return s / 2.0 / 1e6;
}

double map_shape_area(const map_shape *s) {
  double a = 0;
  for (size_t i = 0; i < s->n_rings; i++) a += map_ring_area(&s->rings[i]);
  return a;
}

/* ------------------------------------------------------------------ */
/* Dissolve: cancel shared edges, chain the rest into rings            */
/* ------------------------------------------------------------------ */

typedef struct edge {
  map_pt a, b;
} edge;

/* Order by the undirected segment, then by direction. */
static int edge_cmp_undirected(const void *pa, const void *pb) {
  const edge *e = pa, *f = pb;
  map_pt elo = pt_cmp(e->a, e->b) < 0 ? e->a : e->b, ehi = pt_cmp(e->a, e->b) < 0 ? e->b : e->a;
  map_pt flo = pt_cmp(f->a, f->b) < 0 ? f->a : f->b, fhi = pt_cmp(f->a, f->b) < 0 ? f->b : f->a;
  int c = pt_cmp(elo, flo);
  if (!c) c = pt_cmp(ehi, fhi);
  if (!c) c = pt_cmp(e->a, f->a);
  return c;
}

static int edge_cmp_start(const void *pa, const void *pb) {
  const edge *e = pa, *f = pb;
  int c = pt_cmp(e->a, f->a);
  return c ? c : pt_cmp(e->b, f->b);
}

static int same_segment(const edge *e, const edge *f) {
  return (!pt_cmp(e->a, f->a) && !pt_cmp(e->b, f->b)) ||
         (!pt_cmp(e->a, f->b) && !pt_cmp(e->b, f->a));
}

static edge *collect_edges(const map_shape *const *parts, size_t n_parts, size_t *n) {
  size_t total = 0;
  for (size_t p = 0; p < n_parts; p++)
    for (size_t r = 0; r < parts[p]->n_rings; r++) total += parts[p]->rings[r].n;
  edge *e = chiso_malloc((total ? total : 1) * sizeof *e);
  if (!e) return NULL;
  *n = 0;
  for (size_t p = 0; p < n_parts; p++)
    for (size_t r = 0; r < parts[p]->n_rings; r++) {
      const map_ring *ring = &parts[p]->rings[r];
      for (size_t i = 0; i < ring->n; i++) {
        edge x = {ring->pts[i], ring->pts[(i + 1) % ring->n]};
        if (pt_cmp(x.a, x.b)) e[(*n)++] = x;
      }
    }
  return e;
}

/* Within each run of the same segment, opposite directions cancel in
** pairs; what is left of the majority direction is kept. Returns the new
** count (edges compacted in place). */
static size_t cancel_shared(edge *e, size_t n) {
  qsort(e, n, sizeof *e, edge_cmp_undirected);
  size_t out = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i, fwd = 0;
    while (j < n && same_segment(&e[i], &e[j])) {
      if (!pt_cmp(e[j].a, e[i].a)) fwd++;
      j++;
    }
    size_t rev = (j - i) - fwd;
    size_t keep = fwd > rev ? fwd - rev : rev - fwd;
    edge k = e[i];
    if (rev > fwd) { map_pt t = k.a; k.a = k.b; k.b = t; }
    for (size_t q = 0; q < keep; q++) e[out++] = k;
    i = j;
  }
  return out;
}

/* First unused edge starting at p (e sorted by start), or n. */
static size_t find_next(const edge *e, const unsigned char *used, size_t n, map_pt p) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (pt_cmp(e[mid].a, p) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (; lo < n && !pt_cmp(e[lo].a, p); lo++)
    if (!used[lo]) return lo;
  return n;
}

static int push_ring(map_shape *s, size_t *cap, map_pt *pts, size_t n) {
  if (n < 3) {
    chiso_free(pts);
    return CHISO_OK;
  }
  if (chiso_grow((void **)&s->rings, cap, s->n_rings + 1, sizeof *s->rings)) {
    chiso_free(pts);
    return CHISO_ENOMEM;
  }
  s->rings[s->n_rings].pts = pts;
  s->rings[s->n_rings].n = n;
  s->n_rings++;
  return CHISO_OK;
}

/* Follow edges end to start until the ring closes. In every vertex as
** many edges enter as leave (each input ring is closed, and cancelling a
** pair removes one of each), so every walk comes back to its start. */
static int chain_rings(edge *e, size_t n, map_shape *s) {
  int rc = CHISO_OK;
  size_t cap = 0;
  unsigned char *used = chiso_calloc(n ? n : 1, 1);
  if (!used) return CHISO_ENOMEM;
  qsort(e, n, sizeof *e, edge_cmp_start);
  for (size_t i = 0; i < n && rc == CHISO_OK; i++) {
    if (used[i]) continue;
    size_t np = 0, pcap = 0;
    map_pt *pts = NULL;
    map_pt start = e[i].a;
    for (size_t k = i; k < n;) {
      used[k] = 1;
      if (chiso_grow((void **)&pts, &pcap, np + 1, sizeof *pts)) { rc = CHISO_ENOMEM; break; }
      pts[np++] = e[k].a;
      if (!pt_cmp(e[k].b, start)) break;
      k = find_next(e, used, n, e[k].b);
    }
    if (rc == CHISO_OK) rc = push_ring(s, &cap, pts, np);
    else chiso_free(pts);
  }
  chiso_free(used);
  return rc;
}

int map_dissolve(const map_shape *const *parts, size_t n_parts, map_shape *out) {
  size_t n = 0;
  edge *e = collect_edges(parts, n_parts, &n);
  if (!e) return CHISO_ENOMEM;
  map_shape tmp = {{0}, 0, NULL};
  n = cancel_shared(e, n);
  int rc = chain_rings(e, n, &tmp);
  chiso_free(e);
  if (rc != CHISO_OK) {
    free_shape(&tmp);
    return rc;
  }
  out->rings = tmp.rings;
  out->n_rings = tmp.n_rings;
  return CHISO_OK;
}

/* ------------------------------------------------------------------ */
/* GeoJSON                                                             */
/* ------------------------------------------------------------------ */

/* Append one GeoJSON linear ring (closing point dropped). */
static int add_ring(map_shape *s, size_t *cap, json_t *coords) {
  size_t n = json_array_size(coords);
  if (n < 4) return CHISO_EDATA;
  map_pt *pts = chiso_malloc(n * sizeof *pts);
  if (!pts) return CHISO_ENOMEM;
  size_t k = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    json_t *p = json_array_get(coords, i);
    if (!json_is_array(p) || json_array_size(p) < 2) {
      chiso_free(pts);
      return CHISO_EDATA;
    }
    map_pt q = {(int32_t)llround(json_number_value(json_array_get(p, 0)) * 1000.0),
                (int32_t)llround(json_number_value(json_array_get(p, 1)) * 1000.0)};
    if (k == 0 || pt_cmp(q, pts[k - 1])) pts[k++] = q;
  }
  return push_ring(s, cap, pts, k);
}

static int add_polygon(map_shape *s, size_t *cap, json_t *poly) {
  if (!json_is_array(poly)) return CHISO_EDATA;
  for (size_t r = 0; r < json_array_size(poly); r++) {
    int rc = add_ring(s, cap, json_array_get(poly, r));
    if (rc) return rc;
  }
  return CHISO_OK;
}

static int read_geometry(map_shape *s, json_t *geom) {
  const char *type = json_string_value(json_object_get(geom, "type"));
  json_t *c = json_object_get(geom, "coordinates");
  size_t cap = 0;
  if (type && strcmp(type, "Polygon") == 0) return add_polygon(s, &cap, c);
  if (!type || strcmp(type, "MultiPolygon") || !json_is_array(c)) return CHISO_EDATA;
  for (size_t p = 0; p < json_array_size(c); p++) {
    int rc = add_polygon(s, &cap, json_array_get(c, p));
    if (rc) return rc;
  }
  return CHISO_OK;
}

static int read_features(const geo_registry *reg, json_t *root, const char *name,
                         map_shape *old, chiso_err *err) {
  json_t *fs = json_object_get(root, "features");
  if (!json_is_array(fs))
    return chiso_err_at(err, CHISO_EDATA, name, 0, 0, "no features array");
  for (size_t i = 0; i < json_array_size(fs); i++) {
    json_t *f = json_array_get(fs, i);
    const char *code = json_string_value(json_object_get(json_object_get(f, "properties"), "code_2008"));
    const geo_unit *u = code ? geo_find_code(reg, GEO_ERA_63, code) : NULL;
    if (!u)
      return chiso_err_at(err, CHISO_EDATA, name, 0, 0, "feature %zu: unknown code_2008 \"%s\"",
                          i, code ? code : "");
    map_shape *s = &old[u->index];
    if (s->n_rings)
      return chiso_err_at(err, CHISO_EDATA, name, 0, 0, "feature %zu: code %s twice", i, code);
    memcpy(s->code, u->code, 3);
    int rc = read_geometry(s, json_object_get(f, "geometry"));
    if (rc == CHISO_ENOMEM) return chiso_err_set(err, rc, "out of memory");
    if (rc) return chiso_err_at(err, rc, name, 0, 0, "feature %zu (%s): bad geometry", i, code);
  }
  for (size_t i = 0; i < geo_count(reg, GEO_ERA_63); i++)
    if (!old[i].n_rings)
      return chiso_err_at(err, CHISO_EDATA, name, 0, 0, "no boundary for province %s",
                          geo_unit_at(reg, GEO_ERA_63, i)->code);
  return CHISO_OK;
}

static int build_era(const geo_registry *reg, geo_era era, map_shape *old, map_geom *g) {
  g->era = era;
  g->n = geo_count(reg, era);
  g->shapes = chiso_calloc(g->n, sizeof *g->shapes);
  if (!g->shapes) return CHISO_ENOMEM;
  for (size_t i = 0; i < g->n; i++) {
    const geo_unit *u = geo_unit_at(reg, era, i);
    const map_shape *parts[GEO_MAX_MEMBERS];
    size_t np = 0;
    if (era == GEO_ERA_63) parts[np++] = &old[i];
    else
      for (int k = 0; k < u->n_members; k++) parts[np++] = &old[geo_member(reg, u, k)->index];
    memcpy(g->shapes[i].code, u->code, 3);
    int rc = map_dissolve(parts, np, &g->shapes[i]);
    if (rc) return rc;
  }
  return CHISO_OK;
}

int map_parse(const geo_registry *reg, const char *text, const char *name, geo_era era,
              map_geom **out, chiso_err *err) {
  *out = NULL;
  size_t n63 = geo_count(reg, GEO_ERA_63);
  map_shape *old = NULL;
  map_geom *g = NULL;
  int rc = CHISO_OK;
  json_t *root = NULL;
  rc = jsonio_parse(text, strlen(text), 0, name, &root, err);
  if (rc) return rc;
  old = chiso_calloc(n63, sizeof *old);
  g = chiso_calloc(1, sizeof *g);
  if (!old || !g) {
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    goto done;
  }
  rc = read_features(reg, root, name, old, err);
  if (rc) goto done;
  rc = build_era(reg, era, old, g);
  if (rc) chiso_err_set(err, rc, "out of memory");
done:
  json_decref(root);
  for (size_t i = 0; old && i < n63; i++) free_shape(&old[i]);
  chiso_free(old);
  if (rc) map_free(g);
  else *out = g;
  return rc;
}

int map_load(const geo_registry *reg, geo_era era, map_geom **out, chiso_err *err) {
  size_t len = 0;
  const char *text = embed_find("provinces/vn-provinces-63.geojson", &len);
  *out = NULL;
  if (!text) return chiso_err_set(err, CHISO_EINTERNAL, "the province boundaries are not embedded");
  int rc = map_parse(reg, text, "provinces/vn-provinces-63.geojson", era, out, err);
  if (rc == CHISO_EDATA) err->code = rc = CHISO_EINTERNAL;
  return rc;
}

/* ------------------------------------------------------------------ */
/* SVG                                                                 */
/* ------------------------------------------------------------------ */

/* Equirectangular projection with the x scale reduced by cos(16°N), the
** latitude of the middle of the country, so that shapes near the centre
** keep their proportions (Snyder 1987, "Map Projections — A Working
** Manual", USGS PP 1395, p. 90). The frame reaches 116.2°E so the
** Trường Sa inset and its label fit. */
#define LON_W 102.0
#define LON_E 116.2
#define LAT_S 8.2
#define LAT_N 23.5
#define LAT_MID 16.0
#define PX_PER_DEG 40.0
#define OFFSHORE_LON 110500 /* rings wholly east of 110.5°E are archipelagos */
#define INSET_SCALE 4.0

typedef struct frame {
  double cx, cy;          /* centre of the archipelago, projected */
  double x0, y0, x1, y1;  /* projected bounding box before enlarging */
  int any;
} frame;

static double kx(void) { return cos(LAT_MID * M_PI / 180.0) * PX_PER_DEG; }
static double proj_x(int32_t x) { return ((double)x / 1000.0 - LON_W) * kx(); }
static double proj_y(int32_t y) { return (LAT_N - (double)y / 1000.0) * PX_PER_DEG; }

static int offshore(const map_ring *r) {
  for (size_t i = 0; i < r->n; i++)
    if (r->pts[i].x < OFFSHORE_LON) return 0;
  return 1;
}

/* 0 for the Hoàng Sa group (north of 13°N), 1 for Trường Sa. */
static int archipelago(const map_ring *r) { return r->pts[0].y > 13000 ? 0 : 1; }

static void find_frames(const map_geom *g, frame fr[2]) {
  memset(fr, 0, 2 * sizeof *fr);
  for (size_t i = 0; i < g->n; i++)
    for (size_t r = 0; r < g->shapes[i].n_rings; r++) {
      const map_ring *ring = &g->shapes[i].rings[r];
      if (!offshore(ring)) continue;
      frame *f = &fr[archipelago(ring)];
      for (size_t k = 0; k < ring->n; k++) {
        double x = proj_x(ring->pts[k].x), y = proj_y(ring->pts[k].y);
        if (!f->any || x < f->x0) f->x0 = x;
        if (!f->any || x > f->x1) f->x1 = x;
        if (!f->any || y < f->y0) f->y0 = y;
        if (!f->any || y > f->y1) f->y1 = y;
        f->any = 1;
      }
    }
  for (int k = 0; k < 2; k++) {
    fr[k].cx = (fr[k].x0 + fr[k].x1) / 2;
    fr[k].cy = (fr[k].y0 + fr[k].y1) / 2;
  }
}

/* Offshore islets are 1-2 km across, under a pixel at this scale: each is
** drawn enlarged INSET_SCALE times around its own centre (positions kept). */
static void ring_path(strbuf_buf *sb, const map_ring *r, int enlarge) {
  long px = LONG_MIN, py = LONG_MIN;
  double cx = 0, cy = 0;
  if (enlarge) {
    double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
    for (size_t k = 0; k < r->n; k++) {
      double x = proj_x(r->pts[k].x), y = proj_y(r->pts[k].y);
      x0 = fmin(x0, x); x1 = fmax(x1, x); y0 = fmin(y0, y); y1 = fmax(y1, y);
    }
    cx = (x0 + x1) / 2;
    cy = (y0 + y1) / 2;
  }
  for (size_t k = 0; k < r->n; k++) {
    double x = proj_x(r->pts[k].x), y = proj_y(r->pts[k].y);
    if (enlarge) {
      x = cx + (x - cx) * INSET_SCALE;
      y = cy + (y - cy) * INSET_SCALE;
    }
    long ix = lround(x * 10), iy = lround(y * 10);
    if (ix == px && iy == py) continue;
    strbuf_printf(sb, "%s%.1f %.1f", k ? " " : "M", ix / 10.0, iy / 10.0);
    px = ix;
    py = iy;
  }
  strbuf_puts(sb, "Z");
}

static void shape_svg(strbuf_buf *sb, const map_geom *g, size_t i, const map_style *st) {
  const map_shape *s = &g->shapes[i];
  const char *fill = st->fill && st->fill[i] ? st->fill[i] : "#cccccc";
  if (st->href && st->href[i]) {
    strbuf_puts(sb, "<a href=\"");
    strbuf_esc(sb, st->href[i]);
    strbuf_puts(sb, "\">");
  }
  strbuf_printf(sb, "<g id=\"u-%s\" data-code=\"%s\" class=\"unit\" fill=\"%s\">", s->code,
            s->code, fill);
  if (st->title && st->title[i]) {
    strbuf_puts(sb, "<title>");
    strbuf_esc(sb, st->title[i]);
    strbuf_puts(sb, "</title>");
  }
  strbuf_puts(sb, "<path d=\"");
  int islets = 0;
  for (size_t r = 0; r < s->n_rings; r++) {
    if (offshore(&s->rings[r])) islets = 1;
    else ring_path(sb, &s->rings[r], 0);
  }
  strbuf_puts(sb, "\"/>");
  if (islets) {
    strbuf_puts(sb, "<path class=\"islet\" d=\"");
    for (size_t r = 0; r < s->n_rings; r++)
      if (offshore(&s->rings[r]))
        ring_path(sb, &s->rings[r], 1);
    strbuf_puts(sb, "\"/>");
  }
  strbuf_puts(sb, "</g>");
  if (st->href && st->href[i]) strbuf_puts(sb, "</a>");
  strbuf_puts(sb, "\n");
}

static void inset_svg(strbuf_buf *sb, const frame *f, const char *const label[2]) {
  if (!f->any) return;
  double hw = (f->x1 - f->x0) / 2 + 10, hh = (f->y1 - f->y0) / 2 + 10;
  strbuf_printf(sb, "<rect class=\"inset\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
            f->cx - hw, f->cy - hh, 2 * hw, 2 * hh);
  for (int k = 0; k < 2; k++) {
    if (!label[k]) continue;
    strbuf_printf(sb, "<text class=\"maplabel\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
              f->cx, f->cy + hh + 12 + 11 * k);
    strbuf_esc(sb, label[k]);
    strbuf_puts(sb, "</text>\n");
  }
}

static void legend_svg(strbuf_buf *sb, const map_style *st, double w) {
  double x = w - 215, y = 22;
  strbuf_puts(sb, "<g class=\"legend\">");
  if (st->legend_title) {
    strbuf_printf(sb, "<text class=\"lgtitle\" x=\"%.1f\" y=\"%.1f\">", x, y);
    strbuf_esc(sb, st->legend_title);
    strbuf_puts(sb, "</text>");
    y += 15;
  }
  for (size_t i = 0; i < st->n_legend_lines; i++, y += 12) {
    strbuf_printf(sb, "<text class=\"lgnote\" x=\"%.1f\" y=\"%.1f\">", x, y);
    strbuf_esc(sb, st->legend_lines[i]);
    strbuf_puts(sb, "</text>");
  }
  y += 4;
  for (size_t i = 0; i < st->n_classes; i++, y += 17) {
    strbuf_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"12\" fill=\"%s\" stroke=\"#666\" stroke-width=\"0.5\"/>",
              x, y, st->class_fill[i]);
    strbuf_printf(sb, "<text class=\"lglabel\" x=\"%.1f\" y=\"%.1f\">", x + 25, y + 10);
    strbuf_esc(sb, st->class_label[i]);
    strbuf_puts(sb, "</text>");
  }
  strbuf_puts(sb, "</g>\n");
}

void map_svg(strbuf_buf *sb, const map_geom *g, const map_style *st) {
  double w = (LON_E - LON_W) * kx(), h = (LAT_N - LAT_S) * PX_PER_DEG;
  frame fr[2];
  find_frames(g, fr);
  strbuf_printf(sb, "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
                "role=\"img\" data-units=\"%zu\">\n", w, h, g->n);
  for (size_t i = 0; i < g->n; i++) shape_svg(sb, g, i, st);
  inset_svg(sb, &fr[0], st->label_paracel);
  inset_svg(sb, &fr[1], st->label_spratly);
  if (st->inset_note) {
    strbuf_printf(sb, "<text class=\"lgnote\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", w - 6, h - 6);
    strbuf_esc(sb, st->inset_note);
    strbuf_puts(sb, "</text>\n");
  }
  legend_svg(sb, st, w);
  strbuf_puts(sb, "</svg>\n");
}
