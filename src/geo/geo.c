/* geo.c — province registry and name resolver. */
#include "geo/geo.h"

#include "base/embed.h"
#include "base/mem.h"
#include "base/text.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Regions                                                             */
/* ------------------------------------------------------------------ */

typedef struct region_def {
  const char *id, *name_vi, *name_en;
} region_def;

/* The six socio-economic regions of Resolution 81/2023/QH15 (used up to
** 2024) and of Resolution 306/NQ-CP (2025), in the order GSO lists them. */
static const region_def regions_63[] = {
    {"tdmnpb", "Trung du và miền núi phía Bắc", "Northern Midlands and Mountains"},
    {"dbsh", "Đồng bằng sông Hồng", "Red River Delta"},
    {"btb_dhmt", "Bắc Trung Bộ và duyên hải miền Trung", "North Central and Central Coast"},
    {"tn", "Tây Nguyên", "Central Highlands"},
    {"dnb", "Đông Nam Bộ", "South East"},
    {"dbscl", "Đồng bằng sông Cửu Long", "Mekong River Delta"},
};
static const region_def regions_34[] = {
    {"tdmnpb", "Trung du và miền núi phía Bắc", "Northern Midlands and Mountains"},
    {"dbsh", "Đồng bằng sông Hồng", "Red River Delta"},
    {"btb", "Bắc Trung Bộ", "North Central"},
    {"dhntb_tn", "Duyên hải Nam Trung Bộ và Tây Nguyên", "South Central Coast and Central Highlands"},
    {"dnb", "Đông Nam Bộ", "South East"},
    {"dbscl", "Đồng bằng sông Cửu Long", "Mekong River Delta"},
};
#define N_REGIONS 6

static const region_def *region_table(geo_era era) {
  return era == GEO_ERA_63 ? regions_63 : regions_34;
}

size_t geo_region_count(geo_era era) {
  (void)era;
  return N_REGIONS;
}

const char *geo_region_name(geo_era era, int region, const char *lang) {
  if (region < 0 || region >= N_REGIONS) return NULL;
  const region_def *r = &region_table(era)[region];
  return (lang && strcmp(lang, "en") == 0) ? r->name_en : r->name_vi;
}

const char *geo_region_id(geo_era era, int region) {
  if (region < 0 || region >= N_REGIONS) return NULL;
  return region_table(era)[region].id;
}

static int find_region(geo_era era, const char *name) {
  for (int i = 0; i < N_REGIONS; i++)
    if (strcmp(region_table(era)[i].name_vi, name) == 0) return i;
  return -1;
}

/* ------------------------------------------------------------------ */
/* Registry                                                            */
/* ------------------------------------------------------------------ */

/* One matching key: a compact folded key that designates a 63-era unit. */
typedef struct alias {
  char *key;
  int unit63;
  geo_match_kind kind;
} alias;

struct geo_registry {
  geo_unit units[2][64];
  size_t count[2];
  signed char by_code[2][100]; /* unit index of each 2-digit code, -1: none
                                  (codes are looked up once per respondent) */
  char *spaced_keys[64]; /* text_key of each 63-era name, for prefixes */
  alias *aliases;
  size_t n_aliases, cap_aliases;
  char **strings; /* every string the registry owns */
  size_t n_strings, cap_strings;
};

static const char *keep_string(geo_registry *reg, char *s) {
  if (!s) return NULL;
  if (chiso_grow((void **)&reg->strings, &reg->cap_strings, reg->n_strings + 1,
                 sizeof(char *)) != CHISO_OK) {
    chiso_free(s);
    return NULL;
  }
  reg->strings[reg->n_strings++] = s;
  return s;
}

void geo_registry_free(geo_registry *reg) {
  if (!reg) return;
  for (size_t i = 0; i < reg->n_strings; i++) chiso_free(reg->strings[i]);
  chiso_free(reg->strings);
  for (size_t i = 0; i < reg->n_aliases; i++) chiso_free(reg->aliases[i].key);
  chiso_free(reg->aliases);
  for (size_t i = 0; i < 64; i++) chiso_free(reg->spaced_keys[i]);
  chiso_free(reg);
}

static int add_alias(geo_registry *reg, const char *text, int unit63,
                     geo_match_kind kind) {
  char *key = NULL;
  int rc = text_compact_key(text, &key);
  if (rc != CHISO_OK) return rc;
  for (size_t i = 0; i < reg->n_aliases; i++)
    if (reg->aliases[i].unit63 == unit63 && strcmp(reg->aliases[i].key, key) == 0) {
      chiso_free(key);
      return CHISO_OK;
    }
  if (chiso_grow((void **)&reg->aliases, &reg->cap_aliases, reg->n_aliases + 1,
                 sizeof(alias)) != CHISO_OK) {
    chiso_free(key);
    return CHISO_ENOMEM;
  }
  reg->aliases[reg->n_aliases++] = (alias){key, unit63, kind};
  return CHISO_OK;
}

/* Common short forms and spellings, each pointing at a 63-era code. Two
** entries with the same key and different codes make that key ambiguous
** on purpose ("ĐN" is used for both Đà Nẵng and Đồng Nai). */
static const struct {
  const char *text, *code;
} short_forms[] = {
    {"HN", "01"}, {"Hanoi", "01"}, {"Thủ đô Hà Nội", "01"},
    {"HCM", "79"}, {"TPHCM", "79"}, {"HCMC", "79"}, {"Sài Gòn", "79"},
    {"Saigon", "79"}, {"SG", "79"}, {"Ho Chi Minh City", "79"},
    {"BRVT", "77"}, {"Bà Rịa", "77"}, {"Vũng Tàu", "77"},
    {"Huế", "46"}, {"TT Huế", "46"}, {"Thừa Thiên", "46"}, {"TTH", "46"},
    {"Đắc Lắc", "66"}, {"Đắk Lắc", "66"}, {"Đăk Lăk", "66"}, {"Dac Lak", "66"},
    {"Đắc Nông", "67"}, {"Đăk Nông", "67"},
    {"Kontum", "62"},
    {"ĐN", "48"}, {"ĐN", "75"},
    {"BD", "74"}, {"BD", "52"},
    {"HP", "31"},
};

/* Provincial capitals whose names differ from their province's (capitals
** named like the province need nothing), and Hà Tây, merged into Hà Nội on
** 1 August 2008. "Vinh" (Nghệ An) is left out: folded it is "Vĩnh", the
** first word of Vĩnh Long and Vĩnh Phúc. */
static const struct {
  const char *text, *code;
  geo_match_kind kind;
} places[] = {
    {"Điện Biên Phủ", "11", GEO_MATCH_CAPITAL}, {"Hạ Long", "22", GEO_MATCH_CAPITAL},
    {"Việt Trì", "25", GEO_MATCH_CAPITAL}, {"Vĩnh Yên", "26", GEO_MATCH_CAPITAL},
    {"Phủ Lý", "35", GEO_MATCH_CAPITAL}, {"Đồng Hới", "44", GEO_MATCH_CAPITAL},
    {"Đông Hà", "45", GEO_MATCH_CAPITAL}, {"Tam Kỳ", "49", GEO_MATCH_CAPITAL},
    {"Quy Nhơn", "52", GEO_MATCH_CAPITAL}, {"Qui Nhơn", "52", GEO_MATCH_CAPITAL},
    {"Tuy Hòa", "54", GEO_MATCH_CAPITAL}, {"Nha Trang", "56", GEO_MATCH_CAPITAL},
    {"Phan Rang", "58", GEO_MATCH_CAPITAL}, {"Phan Rang - Tháp Chàm", "58", GEO_MATCH_CAPITAL},
    {"Phan Thiết", "60", GEO_MATCH_CAPITAL}, {"Pleiku", "64", GEO_MATCH_CAPITAL},
    {"Plei Ku", "64", GEO_MATCH_CAPITAL}, {"Buôn Ma Thuột", "66", GEO_MATCH_CAPITAL},
    {"Ban Mê Thuột", "66", GEO_MATCH_CAPITAL}, {"Gia Nghĩa", "67", GEO_MATCH_CAPITAL},
    {"Đà Lạt", "68", GEO_MATCH_CAPITAL}, {"Đồng Xoài", "70", GEO_MATCH_CAPITAL},
    {"Thủ Dầu Một", "74", GEO_MATCH_CAPITAL}, {"Biên Hòa", "75", GEO_MATCH_CAPITAL},
    {"Tân An", "80", GEO_MATCH_CAPITAL}, {"Mỹ Tho", "82", GEO_MATCH_CAPITAL},
    {"Cao Lãnh", "87", GEO_MATCH_CAPITAL}, {"Long Xuyên", "89", GEO_MATCH_CAPITAL},
    {"Rạch Giá", "91", GEO_MATCH_CAPITAL}, {"Vị Thanh", "93", GEO_MATCH_CAPITAL},
    {"Hà Tây", "01", GEO_MATCH_FORMER},
};

static int split_fields(char *line, char **fields, int max) {
  int n = 0;
  char *p = line;
  while (n < max) {
    fields[n++] = p;
    char *comma = strchr(p, ',');
    if (!comma) break;
    *comma = '\0';
    p = comma + 1;
  }
  return n;
}

static int add_unit_strings(geo_registry *reg, geo_unit *u, const char *name,
                            const char *iso) {
  char *ascii = NULL;
  if (text_ascii(name, &ascii) != CHISO_OK) return CHISO_ENOMEM;
  u->name = keep_string(reg, chiso_strdup(name));
  u->name_ascii = keep_string(reg, ascii);
  u->iso = keep_string(reg, chiso_strdup(iso));
  return (u->name && u->name_ascii && u->iso) ? CHISO_OK : CHISO_ENOMEM;
}

/* Add (or find) the 34-era unit with this code; returns its index or -1. */
static int intern_unit34(geo_registry *reg, const char *code, const char *name,
                         int region) {
  for (size_t i = 0; i < reg->count[GEO_ERA_34]; i++)
    if (strcmp(reg->units[GEO_ERA_34][i].code, code) == 0) return (int)i;
  size_t i = reg->count[GEO_ERA_34]++;
  geo_unit *u = &reg->units[GEO_ERA_34][i];
  snprintf(u->code, sizeof u->code, "%s", code);
  u->era = GEO_ERA_34;
  u->region = region;
  u->successor = -1;
  if (add_unit_strings(reg, u, name, "") != CHISO_OK) return -1;
  return (int)i;
}

static int cmp_unit_code(const void *a, const void *b) {
  return strcmp(((const geo_unit *)a)->code, ((const geo_unit *)b)->code);
}

/* Read the embedded CSV into the two eras. succ_code[i] receives the 2025
** code of the i-th 63-era row. */
static int parse_registry(geo_registry *reg, char succ_code[64][3],
                          chiso_err *err) {
  size_t len = 0;
  const char *csv = embed_find("provinces/provinces.csv", &len);
  if (!csv) return chiso_err_set(err, CHISO_EINTERNAL, "embedded provinces.csv missing");
  char *copy = chiso_strndup(csv, len);
  if (!copy) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  int rc = CHISO_OK;
  long row = 0;
  char *save = NULL;
  for (char *line = strtok_r(copy, "\r\n", &save); line;
       line = strtok_r(NULL, "\r\n", &save)) {
    row++;
    if (row == 1) continue; /* header */
    char *f[10];
    if (split_fields(line, f, 10) != 9 || strlen(f[0]) != 2 || strlen(f[5]) != 2) {
      rc = chiso_err_at(err, CHISO_EINTERNAL, "provinces.csv", row, 0, "malformed row");
      goto cleanup;
    }
    int r63 = find_region(GEO_ERA_63, f[4]), r34 = find_region(GEO_ERA_34, f[7]);
    if (r63 < 0 || r34 < 0 || reg->count[GEO_ERA_63] >= 63) {
      rc = chiso_err_at(err, CHISO_EINTERNAL, "provinces.csv", row, 0,
                        "unknown region or too many rows");
      goto cleanup;
    }
    size_t i = reg->count[GEO_ERA_63]++;
    geo_unit *u = &reg->units[GEO_ERA_63][i];
    snprintf(u->code, sizeof u->code, "%s", f[0]);
    snprintf(succ_code[i], 3, "%s", f[5]);
    u->era = GEO_ERA_63;
    u->region = r63;
    if (add_unit_strings(reg, u, f[1], f[3]) != CHISO_OK ||
        intern_unit34(reg, f[5], f[6], r34) < 0) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      goto cleanup;
    }
  }
  if (reg->count[GEO_ERA_63] != 63 || reg->count[GEO_ERA_34] != 34)
    rc = chiso_err_set(err, CHISO_EINTERNAL,
                       "embedded registry has %zu and %zu units, not 63 and 34",
                       reg->count[GEO_ERA_63], reg->count[GEO_ERA_34]);
cleanup:
  chiso_free(copy);
  return rc;
}

/* Sort both eras by code and link successors and members by index. */
static int link_eras(geo_registry *reg, char succ_code[64][3], chiso_err *err) {
  /* Sort the 63 together with their successor codes. */
  for (size_t i = 0; i < 63; i++)
    for (size_t j = i + 1; j < 63; j++)
      if (strcmp(reg->units[0][j].code, reg->units[0][i].code) < 0) {
        geo_unit t = reg->units[0][i];
        reg->units[0][i] = reg->units[0][j];
        reg->units[0][j] = t;
        char c[3];
        memcpy(c, succ_code[i], 3);
        memcpy(succ_code[i], succ_code[j], 3);
        memcpy(succ_code[j], c, 3);
      }
  qsort(reg->units[1], 34, sizeof(geo_unit), cmp_unit_code);
  for (int era = 0; era < 2; era++)
    for (size_t i = 0; i < reg->count[era]; i++) {
      const char *c = reg->units[era][i].code;
      reg->units[era][i].index = (int)i;
      if (c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9' && !c[2])
        reg->by_code[era][(c[0] - '0') * 10 + (c[1] - '0')] = (signed char)i;
    }
  for (size_t i = 0; i < 63; i++) {
    geo_unit *old_unit = &reg->units[0][i];
    const geo_unit *nu = geo_find_code(reg, GEO_ERA_34, succ_code[i]);
    geo_unit *new_unit = nu ? &reg->units[1][nu->index] : NULL;
    if (!new_unit || new_unit->n_members >= GEO_MAX_MEMBERS)
      return chiso_err_set(err, CHISO_EINTERNAL, "bad 2025 mapping for %s", old_unit->code);
    old_unit->successor = new_unit->index;
    new_unit->members[new_unit->n_members++] = old_unit->index;
  }
  return CHISO_OK;
}

static int build_aliases(geo_registry *reg) {
  int rc = CHISO_OK;
  for (size_t i = 0; i < 63 && rc == CHISO_OK; i++) {
    const geo_unit *u = &reg->units[0][i];
    rc = add_alias(reg, u->name, (int)i, GEO_MATCH_NAME);
    /* ISO 3166-2 codes only in their "VN-xx" form: a bare "44" is a GSO
    ** code, and GSO and ISO numbers differ. */
    if (rc == CHISO_OK) rc = add_alias(reg, u->iso, (int)i, GEO_MATCH_CODE);
    if (rc == CHISO_OK) rc = text_key(u->name, &reg->spaced_keys[i]);
  }
  for (size_t k = 0; k < sizeof short_forms / sizeof short_forms[0] && rc == CHISO_OK; k++) {
    const geo_unit *u = geo_find_code(reg, GEO_ERA_63, short_forms[k].code);
    if (!u) return CHISO_EINTERNAL;
    rc = add_alias(reg, short_forms[k].text, u->index, GEO_MATCH_ALIAS);
  }
  for (size_t k = 0; k < sizeof places / sizeof places[0] && rc == CHISO_OK; k++) {
    const geo_unit *u = geo_find_code(reg, GEO_ERA_63, places[k].code);
    if (!u) return CHISO_EINTERNAL;
    rc = add_alias(reg, places[k].text, u->index, places[k].kind);
  }
  return rc;
}

int geo_registry_shared(const geo_registry **out, chiso_err *err) {
  /* The one process-wide registry: read-only once built, so any thread may
  ** use it; the lock only guards building it. */
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  static geo_registry *shared;
  int rc = CHISO_OK;
  pthread_mutex_lock(&lock);
  if (!shared) rc = geo_registry_new(&shared, err);
  *out = shared;
  pthread_mutex_unlock(&lock);
  return rc;
}

int geo_registry_new(geo_registry **out, chiso_err *err) {
  *out = NULL;
  char succ_code[64][3];
  geo_registry *reg = chiso_calloc(1, sizeof *reg);
  if (!reg) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  memset(reg->by_code, -1, sizeof reg->by_code);
  int rc = parse_registry(reg, succ_code, err);
  if (rc == CHISO_OK) rc = link_eras(reg, succ_code, err);
  if (rc == CHISO_OK && build_aliases(reg) != CHISO_OK)
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory building name index");
  if (rc != CHISO_OK) {
    geo_registry_free(reg);
    return rc;
  }
  *out = reg;
  return CHISO_OK;
}

geo_era geo_era_for_year(int year) {
  return year >= GEO_FIRST_34_YEAR ? GEO_ERA_34 : GEO_ERA_63;
}

size_t geo_count(const geo_registry *reg, geo_era era) { return reg->count[era]; }

const geo_unit *geo_unit_at(const geo_registry *reg, geo_era era, size_t i) {
  return i < reg->count[era] ? &reg->units[era][i] : NULL;
}

const geo_unit *geo_find_code(const geo_registry *reg, geo_era era,
                              const char *code) {
  if (!code) return NULL;
  if (code[0] >= '0' && code[0] <= '9' && code[1] >= '0' && code[1] <= '9' && !code[2]) {
    int i = reg->by_code[era][(code[0] - '0') * 10 + (code[1] - '0')];
    return i >= 0 ? &reg->units[era][i] : NULL;
  }
  for (size_t i = 0; i < reg->count[era]; i++)
    if (strcmp(reg->units[era][i].code, code) == 0) return &reg->units[era][i];
  return NULL;
}

const geo_unit *geo_successor(const geo_registry *reg, const geo_unit *old_unit) {
  if (!old_unit || old_unit->era != GEO_ERA_63) return NULL;
  return &reg->units[GEO_ERA_34][old_unit->successor];
}

const geo_unit *geo_member(const geo_registry *reg, const geo_unit *new_unit, int i) {
  if (!new_unit || new_unit->era != GEO_ERA_34 || i < 0 || i >= new_unit->n_members)
    return NULL;
  return &reg->units[GEO_ERA_63][new_unit->members[i]];
}

int geo_unchanged(const geo_registry *reg, const geo_unit *unit) {
  if (!unit) return 0;
  const geo_unit *nu = unit->era == GEO_ERA_34 ? unit : geo_successor(reg, unit);
  return nu->n_members == 1;
}

/* ------------------------------------------------------------------ */
/* Resolver                                                            */
/* ------------------------------------------------------------------ */

/* Leading words that are not part of a province's name. Longest first. */
static const char *const name_prefixes[] = {
    "thanh pho ", "thu do ", "tinh ", "t p ", "tp ", "province of ", "city of ",
};
static const char *const name_suffixes[] = {" province", " city"};

/* Drop administrative prefixes and English suffixes from a spaced key, in
** place. Only one prefix is removed so that "Tp" alone stays "tp". */
static void strip_affixes(char *key) {
  for (size_t i = 0; i < sizeof name_prefixes / sizeof name_prefixes[0]; i++) {
    size_t n = strlen(name_prefixes[i]);
    if (strncmp(key, name_prefixes[i], n) == 0 && key[n]) {
      memmove(key, key + n, strlen(key + n) + 1);
      break;
    }
  }
  for (size_t i = 0; i < sizeof name_suffixes / sizeof name_suffixes[0]; i++) {
    size_t n = strlen(name_suffixes[i]), k = strlen(key);
    if (k > n && strcmp(key + k - n, name_suffixes[i]) == 0) key[k - n] = '\0';
  }
}

static void remove_spaces(char *s) {
  char *w = s;
  for (char *r = s; *r; r++)
    if (*r != ' ') *w++ = *r;
  *w = '\0';
}

/* A set of distinct 63-era candidates. */
typedef struct candidates {
  int unit[64];
  int n;
  geo_match_kind kind;
} candidates;

static void add_candidate(candidates *c, int unit63, geo_match_kind kind) {
  for (int i = 0; i < c->n; i++)
    if (c->unit[i] == unit63) return;
  if (c->n == 0) c->kind = kind;
  c->unit[c->n++] = unit63;
}

static int is_digits(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return 0;
  return 1;
}

/* A code written as a number with a decimal part, as a spreadsheet or a
** float column writes it ("1.0", "79,00"): its value is the code (01, 79),
** never its digits joined ("10"). Returns 1 with code set, -1 for another
** number with a fraction ("1.5": no code; saying so is better than a
** guess), 0 when the text is not such a number. */
static int decimal_code(const char *name, char code[3]) {
  const char *p = name;
  while (*p == ' ') p++;
  size_t whole = strspn(p, "0123456789");
  if (!whole || (p[whole] != '.' && p[whole] != ',')) return 0;
  const char *q = p + whole + 1;
  size_t frac = strspn(q, "0123456789"), zeros = strspn(q, "0");
  const char *end = q + frac;
  while (*end == ' ') end++;
  if (!frac || *end) return 0;
  while (whole > 1 && *p == '0') p++, whole--;
  if (zeros != frac || whole > 2) return -1;
  int v = atoi(p) % 100; /* at most two digits */
  code[0] = (char)('0' + v / 10), code[1] = (char)('0' + v % 10), code[2] = '\0';
  return 1;
}

/* Exact matches of the compact key against names, aliases and codes. */
static void match_exact(const geo_registry *reg, geo_era era, const char *compact,
                        candidates *c) {
  if (is_digits(compact) && strlen(compact) <= 2) {
    char code[3];
    snprintf(code, sizeof code, "%02d", atoi(compact));
    const geo_unit *u = NULL;
    if (era == GEO_ERA_34 && (u = geo_find_code(reg, GEO_ERA_34, code))) {
      add_candidate(c, u->members[0], GEO_MATCH_CODE);
      /* A 34-era code designates the unit itself: point at the member that
      ** kept the code so that no "old province" note is printed. */
      for (int i = 0; i < u->n_members; i++)
        if (strcmp(reg->units[0][u->members[i]].code, code) == 0)
          c->unit[0] = u->members[i];
      return;
    }
    if ((u = geo_find_code(reg, GEO_ERA_63, code))) add_candidate(c, u->index, GEO_MATCH_CODE);
    return;
  }
  for (size_t i = 0; i < reg->n_aliases; i++)
    if (strcmp(reg->aliases[i].key, compact) == 0)
      add_candidate(c, reg->aliases[i].unit63, reg->aliases[i].kind);
}

/* Names whose first words are exactly the words of the query. */
static void match_prefix(const geo_registry *reg, const char *spaced, candidates *c) {
  size_t n = strlen(spaced);
  if (n < 2) return;
  for (size_t i = 0; i < 63; i++) {
    const char *k = reg->spaced_keys[i];
    if (strncmp(k, spaced, n) == 0 && k[n] == ' ')
      add_candidate(c, (int)i, GEO_MATCH_PREFIX);
  }
}

/* The largest edit distance still taken as a typo, by key length. */
static int fuzzy_limit(size_t len) {
  if (len < 5) return 0;
  if (len < 8) return 1;
  return 2;
}

/* Closest names by edit distance. Fills `best` with units at the smallest
** distance and `near` with up to three closest units overall. */
static int match_fuzzy(const geo_registry *reg, const char *compact,
                       candidates *best, candidates *near) {
  int dist[64];
  for (int i = 0; i < 63; i++) dist[i] = 1 << 20;
  for (size_t i = 0; i < reg->n_aliases; i++) {
    if (reg->aliases[i].kind == GEO_MATCH_CODE) continue;
    int d = text_edit_distance(compact, reg->aliases[i].key);
    if (d >= 0 && d < dist[reg->aliases[i].unit63]) dist[reg->aliases[i].unit63] = d;
  }
  int min = 1 << 20;
  for (int i = 0; i < 63; i++)
    if (dist[i] < min) min = dist[i];
  if (min <= fuzzy_limit(strlen(compact)))
    for (int i = 0; i < 63; i++)
      if (dist[i] == min) add_candidate(best, i, GEO_MATCH_FUZZY);
  /* suggestions only within a third of the name: "Xyzzy" or an unknown
  ** town is not "closest" to Hà Nội (issue 12) */
  int near_limit = (int)strlen(compact) / 3 + 1;
  for (int d = min; d <= min + 4 && d <= near_limit && near->n < 3; d++)
    for (int i = 0; i < 63 && near->n < 3; i++)
      if (dist[i] == d) add_candidate(near, i, GEO_MATCH_FUZZY);
  return min;
}

/* Map 63-era candidates to the units in force in the era, dropping
** duplicates (two old provinces inside one new unit are one answer). */
static void to_era(const geo_registry *reg, geo_era era, const candidates *in,
                   candidates *out) {
  out->n = 0;
  out->kind = in->kind;
  for (int i = 0; i < in->n; i++) {
    int u = era == GEO_ERA_63 ? in->unit[i] : reg->units[0][in->unit[i]].successor;
    int seen = 0;
    for (int j = 0; j < out->n; j++) seen |= out->unit[j] == u;
    if (!seen) out->unit[out->n++] = u;
  }
}

static void list_names(const geo_registry *reg, geo_era era, const candidates *c,
                       char *buf, size_t n) {
  buf[0] = '\0';
  size_t used = 0;
  for (int i = 0; i < c->n && used < n; i++) {
    const geo_unit *u = &reg->units[era][c->unit[i]];
    used += (size_t)snprintf(buf + used, n - used, "%s%s %s", i ? ", " : "", u->code,
                             u->name);
  }
}

static int finish_match(const geo_registry *reg, geo_era era, const char *name,
                        const candidates *c63, geo_match *out, chiso_err *err) {
  candidates in_era;
  to_era(reg, era, c63, &in_era);
  char list[768];
  if (in_era.n > 1) {
    list_names(reg, era, &in_era, list, sizeof list);
    return chiso_err_set(err, CHISO_EAMBIGUOUS, "ambiguous province: \"%s\" could be: %s",
                         name, list);
  }
  const geo_unit *old_unit = &reg->units[0][c63->unit[0]];
  out->unit = &reg->units[era][in_era.unit[0]];
  out->kind = c63->kind;
  out->province = old_unit;
  out->old_unit = (era == GEO_ERA_34 && strcmp(old_unit->code, out->unit->code) != 0)
                      ? old_unit
                      : NULL;
  return CHISO_OK;
}

int geo_resolve(const geo_registry *reg, int year, const char *name,
                geo_match *out, chiso_err *err) {
  assert(reg && name && out);
  memset(out, 0, sizeof *out);
  geo_era era = geo_era_for_year(year);
  char *spaced = NULL, *compact = NULL;
  int rc = CHISO_OK;
  if (!name || text_key(name, &spaced) != CHISO_OK || !spaced[0]) {
    rc = chiso_err_set(err, CHISO_ENOTFOUND, "unknown province: \"%s\"", name ? name : "");
    goto cleanup;
  }
  strip_affixes(spaced);
  compact = chiso_strdup(spaced);
  if (!compact) {
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    goto cleanup;
  }
  remove_spaces(compact);

  candidates c = {.n = 0}, best = {.n = 0}, near = {.n = 0};
  char num_code[3];
  int numeric = decimal_code(name, num_code);
  if (numeric) {
    if (numeric > 0) match_exact(reg, era, num_code, &c);
    if (c.n == 0) {
      rc = chiso_err_set(err, CHISO_ENOTFOUND, "unknown province: \"%s\" (%s)", name,
                         numeric > 0 ? "a number that is no province code"
                                     : "a number with a fraction is no province code");
      goto cleanup;
    }
    rc = finish_match(reg, era, name, &c, out, err);
    goto cleanup;
  }
  match_exact(reg, era, compact, &c);
  /* "TPHCM", "TPHN": the prefix glued to the name. */
  if (c.n == 0 && strncmp(compact, "tp", 2) == 0 && compact[2])
    match_exact(reg, era, compact + 2, &c);
  if (c.n == 0) match_prefix(reg, spaced, &c);
  if (c.n == 0) match_fuzzy(reg, compact, &best, &near);
  if (c.n == 0 && best.n == 0) {
    char list[768];
    candidates in_era;
    to_era(reg, era, &near, &in_era);
    list_names(reg, era, &in_era, list, sizeof list);
    rc = chiso_err_set(err, CHISO_ENOTFOUND, "unknown province: \"%s\"%s%s%s", name,
                       in_era.n ? " (closest: " : "", list, in_era.n ? ")" : "");
    goto cleanup;
  }
  rc = finish_match(reg, era, name, c.n ? &c : &best, out, err);
cleanup:
  chiso_free(spaced);
  chiso_free(compact);
  return rc;
}

int geo_scope_covers(const geo_registry *reg, const char (*scope)[3], size_t n, int scope_year,
                     int year, const char *code) {
  assert(reg && (scope || !n) && code);
  geo_era se = geo_era_for_year(scope_year), ye = geo_era_for_year(year);
  const geo_unit *u = geo_find_code(reg, ye, code);
  if (u && se != ye) u = se == GEO_ERA_34 ? geo_successor(reg, u) : NULL;
  for (size_t i = 0; u && i < n; i++)
    if (memcmp(scope[i], u->code, 3) == 0) return 1;
  return 0;
}
