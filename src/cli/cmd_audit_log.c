/* cmd_audit_log.c — `chiso audit-log`: read and verify the audit log of
** the server's write side (docs/intake.md). */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso audit-log --db FILE [--verify [--head ID:CHAIN]] [--limit N] [--action A]\n"
    "                       [--format table|csv|json]\n\n"
    "The audit log of the write side of `chiso serve` (docs/intake.md): every\n"
    "login, token use, upload, questionnaire response, publication and account\n"
    "change, with who, when, from where, what and a SHA-256, newest first.\n"
    "Each entry is chained to the one before by a SHA-256 over both.\n\n"
    "  --verify      recompute the whole chain instead: prints the entries\n"
    "                checked and exits 2 when an entry was changed or removed\n"
    "                (naming the first), then the log's head: the newest\n"
    "                entry's id and chain. Keep the head where the store's host\n"
    "                cannot change it: the chain alone cannot show entries cut\n"
    "                from the end, or a whole log written anew\n"
    "  --head ID:CHAIN\n"
    "                with --verify: check too that entry ID still has the\n"
    "                chain of a head kept earlier (exit 2 when it is gone or\n"
    "                differs)\n"
    "  --limit N     at most N entries (1 to 10000, default 100)\n"
    "  --action A    only entries of action A (login, upload, response, ...)\n";

/* "ID:CHAIN" into *id (>= 1) and chain (64 hexadecimal digits, lower
** case); 0, or -1 when it is not that. */
static int parse_head(const char *text, long long *id, char chain[65]) {
  char *end = NULL;
  errno = 0;
  long long n = strtoll(text, &end, 10);
  if (errno || end == text || n < 1 || *end != ':' || strlen(end + 1) != 64 || !isdigit((unsigned char)*text))
    return -1;
  for (int i = 0; i < 64; i++) {
    int ch = (unsigned char)end[1 + i];
    if (!isxdigit(ch)) return -1;
    chain[i] = (char)tolower(ch);
  }
  chain[64] = '\0';
  *id = n;
  return 0;
}

/* --verify: the chain, then the kept head when head_id is not 0. The exit
** status. */
static int verify_log(chiso_intake *h, const char *db, long long head_id, const char *head_chain) {
  chiso_err err;
  chiso_err_clear(&err);
  long long checked = 0, broken = 0, newest = 0;
  char chain[65] = "";
  int rc = chiso_audit_log_verify(h, &checked, &broken, &err);
  if (rc) return cli_report("audit-log", rc, &err);
  if (broken) {
    fprintf(stderr, "chiso audit-log: %s: the chain breaks at entry %lld of %lld: it, or an entry "
                    "before it, was changed or removed\n", db, broken, checked);
    return CLI_EXIT_DATA;
  }
  printf("%lld entries checked: the chain holds\n", checked);
  if (checked) {
    if ((rc = chiso_audit_log_chain(h, &newest, chain, &err))) return cli_report("audit-log", rc, &err);
    printf("head: %lld:%s\n", newest, chain);
  }
  if (!head_id) return 0;
  long long id = head_id;
  rc = chiso_audit_log_chain(h, &id, chain, &err);
  if (rc == CHISO_ENOTFOUND) {
    fprintf(stderr, "chiso audit-log: %s: entry %lld of the head you kept is gone: the log now ends at "
                    "entry %lld, so entries were cut from its end\n", db, head_id, checked);
    return CLI_EXIT_DATA;
  }
  if (rc) return cli_report("audit-log", rc, &err);
  if (strcmp(chain, head_chain) != 0) {
    fprintf(stderr, "chiso audit-log: %s: entry %lld does not have the chain of the head you kept: "
                    "the log was written anew up to that entry\n", db, head_id);
    return CLI_EXIT_DATA;
  }
  printf("the head you kept (entry %lld) is in the chain: nothing up to it was changed or removed; "
         "%lld entries came after it\n", head_id, checked - head_id);
  return 0;
}

CHISO_COMMAND(audit_log, "Read the audit log of the server's write side, or verify its chain")
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"verify", no_argument, 0, 'v'},
                                       {"head", required_argument, 0, 'H'},
                                       {"limit", required_argument, 0, 'l'},
                                       {"action", required_argument, 0, 'a'},
                                       {"format", required_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *db = NULL, *action = NULL, *head = NULL;
  long limit = 100;
  int verify = 0;
  chiso_format fmt = CHISO_FORMAT_TABLE;
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:vH:l:a:f:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'v': verify = 1; break;
    case 'H': head = optarg; break;
    case 'l': if (cli_parse_long("audit-log", "--limit", optarg, 1, 10000, &limit)) return 1; break;
    case 'a': action = optarg; break;
    case 'f': if (cli_parse_format("audit-log", optarg, &fmt)) return 1; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("audit-log", optopt, argv[optind - 1], opts);
    }
  }
  if (!db) return cli_usage_error("audit-log", "--db FILE is required");
  long long head_id = 0;
  char head_chain[65] = "";
  if (head && !verify) return cli_usage_error("audit-log", "--head is given with --verify");
  if (head && parse_head(head, &head_id, head_chain))
    return cli_usage_error("audit-log", "--head '%s' is not ID:CHAIN (an entry's number, a colon, "
                           "and its 64 hexadecimal digits, as --verify prints them)", head);
  if (optind < argc) return cli_usage_error("audit-log", "unexpected argument '%s'", argv[optind]);
  chiso_err err;
  chiso_err_clear(&err);
  chiso_intake *h = NULL;
  int out = 0;
  int rc = chiso_intake_open(db, 0, &h, &err);
  if (rc) {
    out = cli_report("audit-log", rc, &err);
  } else if (verify) {
    out = verify_log(h, db, head ? head_id : 0, head_chain);
  } else if ((rc = chiso_audit_log_write(h, (size_t)limit, 0, action, fmt, stdout, &err))) {
    out = cli_report("audit-log", rc, &err);
  }
  chiso_intake_close(h);
  return out;
}
