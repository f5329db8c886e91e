/* cmd_audit_log.c — `chiso audit-log`: read and verify the audit log of
** the server's write side (docs/intake.md). */
#include "cli.h"

#include <getopt.h>

static const char help[] =
    "Usage: chiso audit-log --db FILE [--verify] [--limit N] [--action A]\n"
    "                       [--format table|csv|json]\n\n"
    "The audit log of the write side of `chiso serve` (docs/intake.md): every\n"
    "login, token use, upload, questionnaire response, publication and account\n"
    "change, with who, when, from where, what and a SHA-256, newest first.\n"
    "Each entry is chained to the one before by a SHA-256 over both.\n\n"
    "  --verify      recompute the whole chain instead: prints the entries\n"
    "                checked and exits 2 when an entry was changed or removed\n"
    "                (naming the first)\n"
    "  --limit N     at most N entries (1 to 10000, default 100)\n"
    "  --action A    only entries of action A (login, upload, response, ...)\n";

CHISO_COMMAND(audit_log, "Read the audit log of the server's write side, or verify its chain")
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"verify", no_argument, 0, 'v'},
                                       {"limit", required_argument, 0, 'l'},
                                       {"action", required_argument, 0, 'a'},
                                       {"format", required_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *db = NULL, *action = NULL;
  long limit = 100;
  int verify = 0;
  chiso_format fmt = CHISO_FORMAT_TABLE;
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:vl:a:f:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'v': verify = 1; break;
    case 'l': if (cli_parse_long("audit-log", "--limit", optarg, 1, 10000, &limit)) return 1; break;
    case 'a': action = optarg; break;
    case 'f': if (cli_parse_format("audit-log", optarg, &fmt)) return 1; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("audit-log", optopt, argv[optind - 1], opts);
    }
  }
  if (!db) return cli_usage_error("audit-log", "--db FILE is required");
  if (optind < argc) return cli_usage_error("audit-log", "unexpected argument '%s'", argv[optind]);
  chiso_err err;
  chiso_err_clear(&err);
  chiso_intake *h = NULL;
  int out = 0;
  int rc = chiso_intake_open(db, 0, &h, &err);
  if (rc) {
    out = cli_report("audit-log", rc, &err);
  } else if (verify) {
    long long checked = 0, broken = 0;
    rc = chiso_audit_log_verify(h, &checked, &broken, &err);
    if (rc) {
      out = cli_report("audit-log", rc, &err);
    } else if (broken) {
      fprintf(stderr, "chiso audit-log: %s: the chain breaks at entry %lld of %lld: it, or an entry "
                      "before it, was changed or removed\n", db, broken, checked);
      out = CLI_EXIT_DATA;
    } else {
      printf("%lld entries checked: the chain holds\n", checked);
    }
  } else if ((rc = chiso_audit_log_write(h, (size_t)limit, 0, action, fmt, stdout, &err))) {
    out = cli_report("audit-log", rc, &err);
  }
  chiso_intake_close(h);
  return out;
}
