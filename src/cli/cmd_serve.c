/* cmd_serve.c — `chiso serve`: the dashboard and the JSON API over a store. */
#include "cli.h"
#include "server.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
    "Usage: chiso serve --db DB [--listen HOST:PORT] [--threads N]\n"
    "                   [--max-connections N] [--timeout SECONDS]\n\n"
    "Serve the store DB read-only over HTTP: an interactive dashboard in\n"
    "Vietnamese (/vi/) and English (/en/) and a JSON API under /api/v1\n"
    "(docs/api.md; OpenAPI document at /api/v1/openapi.json). Responses are\n"
    "computed once per store state and recomputed after another process\n"
    "imports into the store. One line per request is logged on stderr.\n"
    "SIGINT (Ctrl-C) or SIGTERM stops the server cleanly.\n\n"
    "  --listen HOST:PORT     address to listen on (default 127.0.0.1:8080; PORT\n"
    "                         alone keeps 127.0.0.1; port 0: any free port,\n"
    "                         printed at start). Only a loopback address keeps\n"
    "                         the server private\n"
    "  --threads N            HTTP threads (default: one per CPU, at most 8)\n"
    "  --max-connections N    connections at once (default 256; more are refused)\n"
    "  --timeout SECONDS      close a connection idle that long (default 10)\n";

static int parse(int argc, char **argv, server_options *o) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},      {"listen", required_argument, 0, 'l'},
      {"threads", required_argument, 0, 't'}, {"max-connections", required_argument, 0, 'm'},
      {"timeout", required_argument, 0, 'T'}, {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  int c;
  long v;
  char msg[256];
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:l:t:m:T:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'l':
      if (server_parse_listen(o, optarg, msg, sizeof msg)) return cli_usage_error("serve", "%s", msg);
      break;
    case 't':
      if (cli_parse_long("serve", "--threads", optarg, 1, 64, &v)) return 1;
      o->threads = (int)v;
      break;
    case 'm':
      if (cli_parse_long("serve", "--max-connections", optarg, 1, 100000, &v)) return 1;
      o->max_connections = (unsigned)v;
      break;
    case 'T':
      if (cli_parse_long("serve", "--timeout", optarg, 1, 3600, &v)) return 1;
      o->timeout = (unsigned)v;
      break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("serve", optopt, argv[optind - 1]);
    }
  }
  if (optind < argc)
    return cli_usage_error("serve", "unexpected argument '%s' (the store is given with --db FILE)", argv[optind]);
  if (!o->db) return cli_usage_error("serve", "--db DB is required");
  return 0;
}

CHISO_COMMAND(serve, "Serve the dashboard and the JSON API over a store")
{
  server_options o;
  server_options_init(&o);
  int rc = parse(argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  chiso_err err;
  chiso_err_clear(&err);
  rc = server_run(&o, &err);
  return rc ? cli_report("serve", rc, &err) : 0;
}
