/* cmd_provinces.c — `chiso provinces`: list the units in force in a year. */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>

static const char help[] =
    "Usage: chiso provinces [--year Y] [--format table|csv|json] [--lang vi|en]\n\n"
    "List the province-level units in force in year Y (default: this year).\n"
    "Up to 2024 there are 63 provinces; from 2025 there are 34 units.\n\n"
    "  --year Y        the year (1900-2100)\n"
    "  --format F      table (default), csv or json\n"
    "  --lang L        language of region names in the table: vi (default) or en\n\n"
    "CSV columns: code,name,name_ascii,iso_3166_2,region,region_id, then\n"
    "code_2025,name_2025 for years before 2025, or members,member_names\n"
    "(old codes and names joined by ';') from 2025 on.\n";

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
  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? 0 : CHISO_EIO;
  fputc('\n', out);
  json_decref(root);
  return rc;
}

static int print_table(const geo_registry *reg, geo_era era, const char *lang, FILE *out) {
  const char *head63[] = {"code", "name", "region", "2025 unit"};
  const char *head34[] = {"code", "name", "region", "formed from"};
  cli_table *t = cli_table_new(4, era == GEO_ERA_63 ? head63 : head34);
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
    cli_table_add(t, row);
  }
  cli_table_print(t, out);
  cli_table_free(t);
  return CHISO_OK;
}

CHISO_COMMAND(provinces, "List the province units in force in a year (63 or 34)")
{
  static const struct option opts[] = {{"year", required_argument, 0, 'y'},
                                       {"format", required_argument, 0, 'f'},
                                       {"lang", required_argument, 0, 'l'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  long year = cli_current_year();
  cli_format fmt = CLI_TABLE;
  const char *lang = "vi";
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "y:f:l:h", opts, NULL)) != -1) {
    switch (c) {
    case 'y':
      if (cli_parse_long("provinces", "--year", optarg, 1900, 2100, &year)) return 1;
      break;
    case 'f':
      if (cli_parse_format("provinces", optarg, &fmt)) return 1;
      break;
    case 'l':
      if (strcmp(optarg, "vi") && strcmp(optarg, "en"))
        return cli_usage_error("provinces", "--lang must be vi or en");
      lang = optarg;
      break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("provinces", optopt, argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage_error("provinces", "unexpected argument '%s'", argv[optind]);
  chiso_err err;
  chiso_err_clear(&err);
  geo_registry *reg = NULL;
  int rc = geo_registry_new(&reg, &err);
  if (rc != CHISO_OK) return cli_report("provinces", rc, &err);
  geo_era era = geo_era_for_year((int)year);
  if (fmt == CLI_CSV) rc = print_csv(reg, era, stdout);
  else if (fmt == CLI_JSON) rc = print_json(reg, era, (int)year, stdout);
  else rc = print_table(reg, era, lang, stdout);
  geo_registry_free(reg);
  if (rc != CHISO_OK) return cli_report("provinces", rc, &err);
  return 0;
}
