/* cmd_serve.c — `chiso serve`: the dashboard and the JSON API over a store. */
#include "cli.h"
#include "server.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso serve --db DB [--listen HOST:PORT] [--threads N]\n"
    "                   [--max-connections N] [--timeout SECONDS]\n"
    "                   [--tls-cert FILE --tls-key FILE] [--max-upload SIZE]\n"
    "                   [--method M] [--upload-cpu SECONDS] [--upload-mem MB]\n"
    "                   [--upload-workers N]\n\n"
    "Serve the store DB over HTTP: an interactive dashboard in Vietnamese\n"
    "(/vi/) and English (/en/) and a JSON API under /api/v1 (docs/api.md;\n"
    "OpenAPI document at /api/v1/openapi.json). Responses are computed once\n"
    "per store state and recomputed after another process imports into the\n"
    "store. The write side (docs/intake.md) takes uploads, the web\n"
    "questionnaire and publications from the accounts of `chiso users`.\n"
    "One line per request is logged on stderr. SIGINT (Ctrl-C) or SIGTERM\n"
    "stops the server cleanly.\n\n"
    "  --listen HOST:PORT     address to listen on (default 127.0.0.1:8080; PORT\n"
    "                         alone keeps 127.0.0.1; port 0: any free port,\n"
    "                         printed at start). Only a loopback address keeps\n"
    "                         the server private\n"
    "  --threads N            HTTP threads (default: one per CPU, at most 8)\n"
    "  --max-connections N    connections at once (default 256; more are refused)\n"
    "  --timeout SECONDS      close a connection idle that long (default 10)\n"
    "  --tls-cert FILE, --tls-key FILE\n"
    "                         serve HTTPS with this PEM certificate and key\n"
    "                         (cookies then Secure); without TLS another address\n"
    "                         than loopback gets a warning\n"
    "  --max-upload SIZE      largest uploaded file: bytes, or with K, M, G\n"
    "                         (default 50M; one byte more is refused with 413)\n"
    "  --method M             methodology of a year with nothing stored yet\n"
    "                         (default ebi-2021)\n"
    "  --upload-cpu SECONDS   CPU time the worker reading an upload may use (60)\n"
    "  --upload-mem MB        memory it may use (2048)\n"
    "  --upload-workers N     uploads and publications run at once (2)\n";

/* "50M", "1048576", "2G" into bytes (1 byte to 64 GiB). */
static int parse_size(const char *s, size_t *out) {
  char *end = NULL;
  unsigned long long v = strtoull(s, &end, 10);
  unsigned shift = 0;
  if (end == s || *s == '-') return -1;
  if (*end == 'K' || *end == 'k') shift = 10, end++;
  else if (*end == 'M' || *end == 'm') shift = 20, end++;
  else if (*end == 'G' || *end == 'g') shift = 30, end++;
  if (*end || v < 1 || v > (64ULL << 30) >> shift) return -1;
  *out = (size_t)(v << shift);
  return 0;
}

static int parse(int argc, char **argv, server_options *o, int *worker) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},      {"listen", required_argument, 0, 'l'},
      {"threads", required_argument, 0, 't'}, {"max-connections", required_argument, 0, 'm'},
      {"timeout", required_argument, 0, 'T'}, {"help", no_argument, 0, 'h'},
      {"tls-cert", required_argument, 0, 'C'}, {"tls-key", required_argument, 0, 'K'},
      {"max-upload", required_argument, 0, 'U'}, {"method", required_argument, 0, 'M'},
      {"upload-cpu", required_argument, 0, 'P'}, {"upload-mem", required_argument, 0, 'E'},
      {"upload-workers", required_argument, 0, 'W'}, {"worker", no_argument, 0, 'w'},
      {0, 0, 0, 0}};
  int c;
  long v;
  char msg[256];
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:l:t:m:T:hC:K:U:M:P:E:W:w", opts, NULL)) != -1) {
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
    case 'C': o->tls_cert = optarg; break;
    case 'K': o->tls_key = optarg; break;
    case 'U':
      if (parse_size(optarg, &o->max_upload)) return cli_usage_error("serve", "--max-upload: a size like 50M, not '%s'", optarg);
      break;
    case 'M': o->method = optarg; break;
    case 'P':
      if (cli_parse_long("serve", "--upload-cpu", optarg, 1, 86400, &v)) return 1;
      o->upload_cpu = (unsigned)v;
      break;
    case 'E':
      if (cli_parse_long("serve", "--upload-mem", optarg, 64, 1048576, &v)) return 1;
      o->upload_mem = (unsigned)v;
      break;
    case 'W':
      if (cli_parse_long("serve", "--upload-workers", optarg, 1, 64, &v)) return 1;
      o->upload_workers = (int)v;
      break;
    case 'w': *worker = 1; break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("serve", optopt, argv[optind - 1], opts);
    }
  }
  if (*worker) return 0;
  if (!o->tls_cert != !o->tls_key) return cli_usage_error("serve", "--tls-cert and --tls-key go together");
  if (optind < argc)
    return cli_usage_error("serve", "unexpected argument '%s' (the store is given with --db FILE)", argv[optind]);
  if (!o->db) return cli_usage_error("serve", "--db DB is required");
  return 0;
}

CHISO_COMMAND(serve, "Serve the dashboard and the JSON API over a store")
{
  server_options o;
  int worker = 0;
  server_options_init(&o);
  int rc = parse(argc, argv, &o, &worker);
  if (rc) return rc < 0 ? 0 : rc;
  if (worker) return server_worker(); /* an upload read for a server (sandbox) */
  chiso_err err;
  chiso_err_clear(&err);
  rc = server_run(&o, &err);
  return rc ? cli_report("serve", rc, &err) : 0;
}
