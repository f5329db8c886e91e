/* Tests of map.c: GeoJSON reading, the 63→34 dissolve and the SVG.
** Expected values are hand-worked (two unit squares sharing an edge) or
** follow from the data's construction (SOURCES.md: shared arcs are
** identical on both sides, so a dissolve conserves area exactly). */
#include "testutil.h"

static geo_registry *reg;

/* The shared registry fixture, kept in a file-level pointer for brevity. */
static int setup(void **state) {
  int rc = test_registry_setup(state);
  reg = *state;
  return rc;
}

/* Two 1×1 squares side by side (counter-clockwise) dissolve into one ring
** of 6 points and area 2 (hand-worked: the shared edge x=1 cancels). */
static void test_dissolve_squares(void **state) {
  (void)state;
  map_pt a[] = {{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}};
  map_pt b[] = {{1000, 0}, {2000, 0}, {2000, 1000}, {1000, 1000}};
  map_ring ra = {4, a}, rb = {4, b};
  map_shape sa = {"01", 1, &ra}, sb = {"02", 1, &rb};
  const map_shape *parts[] = {&sa, &sb};
  map_shape out = {"xx", 0, NULL};
  assert_int_equal(map_dissolve(parts, 2, &out), 0);
  assert_int_equal(out.n_rings, 1);
  assert_int_equal(out.rings[0].n, 6);
  assert_close(map_shape_area(&out), 2.0, 1e-12);
  chiso_free(out.rings[0].pts);
  chiso_free(out.rings);
}

/* Two squares touching at one corner keep two rings. */
static void test_dissolve_corner(void **state) {
  (void)state;
  map_pt a[] = {{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}};
  map_pt b[] = {{1000, 1000}, {2000, 1000}, {2000, 2000}, {1000, 2000}};
  map_ring ra = {4, a}, rb = {4, b};
  map_shape sa = {"01", 1, &ra}, sb = {"02", 1, &rb};
  const map_shape *parts[] = {&sa, &sb};
  map_shape out = {"xx", 0, NULL};
  assert_int_equal(map_dissolve(parts, 2, &out), 0);
  assert_int_equal(out.n_rings, 2);
  assert_close(map_shape_area(&out), 2.0, 1e-12);
  for (size_t i = 0; i < out.n_rings; i++) chiso_free(out.rings[i].pts);
  chiso_free(out.rings);
}

static size_t rings_of(const map_geom *g, const char *code) {
  for (size_t i = 0; i < g->n; i++)
    if (strcmp(g->shapes[i].code, code) == 0) return g->shapes[i].n_rings;
  return 0;
}

/* Dissolved area of each of the 34 units equals the sum of its members'
** areas; merged inland units become a single ring. */
static void test_dissolve_real(void **state) {
  (void)state;
  chiso_err err;
  map_geom *g63 = NULL, *g34 = NULL;
  assert_int_equal(map_load(reg, GEO_ERA_63, &g63, &err), 0);
  assert_int_equal(map_load(reg, GEO_ERA_34, &g34, &err), 0);
  assert_int_equal(g63->n, 63);
  assert_int_equal(g34->n, 34);
  size_t rings63 = 0, rings34 = 0;
  for (size_t i = 0; i < 63; i++) rings63 += g63->shapes[i].n_rings;
  for (size_t i = 0; i < 34; i++) {
    const geo_unit *u = geo_unit_at(reg, GEO_ERA_34, i);
    double want = 0;
    for (int k = 0; k < u->n_members; k++)
      want += map_shape_area(&g63->shapes[geo_member(reg, u, k)->index]);
    double got = map_shape_area(&g34->shapes[i]);
    assert_true(got > 0);
    assert_close(got, want, 1e-9 * want + 1e-12);
    rings34 += g34->shapes[i].n_rings;
  }
  /* Rings: the 63 provinces have 106 (SOURCES.md lists the multipolygons);
  ** a dissolve never adds rings. */
  assert_int_equal(rings63, 106);
  assert_true(rings34 <= rings63);
  assert_int_equal(rings_of(g34, "08"), 1); /* Hà Giang + Tuyên Quang */
  assert_int_equal(rings_of(g34, "01"), 1); /* Hà Nội, unchanged */
  assert_int_equal(rings_of(g34, "48"), 7); /* Đà Nẵng + Quảng Nam: mainland + 6 islets */
  assert_int_equal(rings_of(g34, "56"), rings_of(g63, "56") + rings_of(g63, "58") - 1);
  map_free(g63);
  map_free(g34);
}

static void test_svg_groups(void **state) {
  (void)state;
  chiso_err err;
  map_geom *g = NULL;
  assert_int_equal(map_load(reg, GEO_ERA_34, &g, &err), 0);
  strbuf_buf sb;
  strbuf_init(&sb);
  map_style st = {0};
  st.label_paracel[0] = "Quần đảo Hoàng Sa";
  st.label_paracel[1] = "(Đà Nẵng)";
  map_svg(&sb, g, &st);
  assert_int_equal(strbuf_error(&sb), 0);
  size_t groups = 0;
  for (const char *p = sb.data; (p = strstr(p, "data-code=")); p++) groups++;
  assert_int_equal(groups, 34);
  assert_non_null(strstr(sb.data, "Quần đảo Hoàng Sa"));
  strbuf_free(&sb);
  map_free(g);
}

static void test_bad_geojson(void **state) {
  (void)state;
  chiso_err err;
  map_geom *g = NULL;
  assert_int_equal(map_parse(reg, "{\"features\": [}", "x.geojson", GEO_ERA_63, &g, &err), CHISO_EDATA);
  assert_null(g);
  assert_int_equal(err.row, 1);
  assert_int_equal(map_parse(reg, "{\"type\":\"FeatureCollection\",\"features\":[]}", "y.geojson",
                             GEO_ERA_63, &g, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "no boundary for province 01"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dissolve_squares), cmocka_unit_test(test_dissolve_corner),
      cmocka_unit_test(test_dissolve_real), cmocka_unit_test(test_svg_groups),
      cmocka_unit_test(test_bad_geojson),
  };
  return cmocka_run_group_tests(tests, setup, test_registry_teardown);
}
