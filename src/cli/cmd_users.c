/* cmd_users.c — `chiso users`: the accounts of the server's write side. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const char help[] =
    "Usage: chiso users add --db FILE --name NAME --role admin|province|viewer\n"
    "                       [--units CODES --year Y] [--password-stdin] [--token LABEL]\n"
    "                       [--days N]\n"
    "       chiso users list --db FILE [--format table|csv|json]\n"
    "       chiso users tokens --db FILE [--name NAME] [--format table|csv|json]\n"
    "       chiso users disable --db FILE --name NAME\n"
    "       chiso users password --db FILE --name NAME [--password-stdin]\n"
    "       chiso users token --db FILE --name NAME [--label LABEL] [--days N]\n"
    "       chiso users revoke --db FILE --name NAME --label LABEL\n\n"
    "The accounts of `chiso serve`'s write side (docs/intake.md), kept in the\n"
    "store FILE (created by `add` when missing):\n"
    "  admin      everything: every unit, the accounts, the audit log\n"
    "  province   uploads, invitations, quotas and publication for its units\n"
    "  viewer     reads only\n\n"
    "  --units CODES      a province account's units: codes or names of year Y's\n"
    "                     units, separated by commas (\"01,79\", \"Hà Nội\")\n"
    "  --year Y           the year whose units --units names (default: this year)\n"
    "  --password-stdin   read the password from the first line of standard\n"
    "                     input; without it a terminal is asked twice, and an\n"
    "                     account added without a terminal has no password\n"
    "                     (it signs in with tokens only)\n"
    "  --token LABEL      also make an API token (add), labelled LABEL\n"
    "  --label LABEL      the label of a new token (default \"api\"); with revoke,\n"
    "                     the label of the tokens to revoke (the account's\n"
    "                     other tokens, password and sessions keep working)\n"
    "  --days N           the new token is refused N days after it is made\n"
    "                     (1 to 36500; default: until revoked)\n\n"
    "`tokens` lists the API tokens (of NAME, or of every account) with their\n"
    "label, creation, expiry and state: live, expired or revoked.\n\n"
    "A password is kept as an Argon2id hash, a token as its SHA-256: a token is\n"
    "printed on standard output this once. Passwords are never taken on the\n"
    "command line, where other users of the machine could read them.\n";

typedef struct uopts {
  const char *db, *name, *role, *units, *label, *token, *format;
  long year, days;
  int password_stdin;
} uopts;

static int parse_args(int argc, char **argv, uopts *o) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},    {"name", required_argument, 0, 'n'},
      {"role", required_argument, 0, 'r'},  {"units", required_argument, 0, 'u'},
      {"year", required_argument, 0, 'y'},  {"password-stdin", no_argument, 0, 'p'},
      {"token", required_argument, 0, 't'}, {"label", required_argument, 0, 'l'},
      {"format", required_argument, 0, 'f'}, {"days", required_argument, 0, 'D'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  int c;
  opterr = 0;
  optind = 2; /* after the subcommand */
  while ((c = getopt_long(argc, argv, "d:n:r:u:y:pt:l:f:D:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'n': o->name = optarg; break;
    case 'r': o->role = optarg; break;
    case 'u': o->units = optarg; break;
    case 'y': if (cli_parse_long("users", "--year", optarg, 1900, 2100, &o->year)) return 1; break;
    case 'p': o->password_stdin = 1; break;
    case 't': o->token = optarg; break;
    case 'l': o->label = optarg; break;
    case 'f': o->format = optarg; break;
    case 'D': if (cli_parse_long("users", "--days", optarg, 1, 36500, &o->days)) return 1; break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("users", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("users", "unexpected argument '%s'", argv[optind]);
  if (!o->db) return cli_usage_error("users", "--db FILE is required");
  return 0;
}

/* One line of standard input (the password), its line end removed. */
static int read_line(char *buf, size_t n) {
  if (!fgets(buf, (int)n, stdin)) return -1;
  size_t len = strlen(buf);
  if (len == n - 1 && buf[len - 1] != '\n') return -1; /* longer than a password may be */
  while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) buf[--len] = '\0';
  return 0;
}

/* A password asked on the terminal without echo. */
static int ask(const char *prompt, char *buf, size_t n) {
  struct termios old, quiet;
  if (tcgetattr(STDIN_FILENO, &old)) return -1;
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t)ECHO;
  fputs(prompt, stderr);
  fflush(stderr);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  int rc = read_line(buf, n);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  fputc('\n', stderr);
  return rc;
}

/* The password of the command: from stdin, the terminal, or none (*has 0). */
static int password_of(const uopts *o, int needed, char *pw, size_t n, int *has) {
  char again[1100];
  *has = 0;
  if (o->password_stdin) {
    if (read_line(pw, n)) return cli_usage_error("users", "no password on standard input (or longer than 1024 bytes)");
    *has = 1;
    return 0;
  }
  if (!isatty(STDIN_FILENO)) {
    if (needed) return cli_usage_error("users", "give the password with --password-stdin");
    return 0;
  }
  if (ask("Password: ", pw, n) || ask("Password again: ", again, sizeof again))
    return cli_usage_error("users", "no password read");
  if (strcmp(pw, again) != 0) return cli_usage_error("users", "the two passwords differ");
  *has = 1;
  return 0;
}

/* A token for o->name labelled `label`, for o->days days or until revoked. */
static int new_token(chiso_intake *h, const uopts *o, const char *label, char token[64],
                     chiso_err *err) {
  return o->days ? chiso_token_new_days(h, o->name, label, (int)o->days, NULL, "", token, err)
                 : chiso_token_new(h, o->name, label, NULL, "", token, err);
}

static int add(chiso_intake *h, const uopts *o, chiso_err *err) {
  chiso_role role;
  char pw[1100], copy[1024];
  const char *units[64];
  size_t n = 0;
  int has = 0;
  if (!o->name || !o->role) return cli_usage_error("users", "add needs --name and --role");
  if (chiso_role_parse(o->role, &role)) return cli_usage_error("users", "--role must be admin, province or viewer");
  if (o->units) {
    snprintf(copy, sizeof copy, "%s", o->units);
    for (char *s = strtok(copy, ","); s && n < 64; s = strtok(NULL, ",")) {
      while (*s == ' ') s++;
      if (*s) units[n++] = s;
    }
  }
  int rc = password_of(o, 0, pw, sizeof pw, &has);
  if (rc) return rc;
  rc = chiso_user_add(h, o->name, role, o->year ? (int)o->year : cli_current_year(), units, n,
                      has ? pw : NULL, NULL, "", err);
  memset(pw, 0, sizeof pw);
  if (rc) return cli_report("users", rc, err);
  chiso_log(CHISO_LOG_NOTE, "account %s (%s) added%s", o->name, o->role, has ? "" : " without a password");
  if (o->token) {
    char token[64];
    rc = new_token(h, o, o->token, token, err);
    if (rc) return cli_report("users", rc, err);
    printf("%s\n", token);
    chiso_log(CHISO_LOG_NOTE, "the token above is shown this once: keep it");
  }
  return 0;
}

CHISO_COMMAND(users, "The accounts of the server's write side (add, list, tokens, disable, password, token, revoke)")
{
  uopts o = {0};
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_EXIT_USAGE : 0;
  }
  const char *sub = argv[1];
  static const char *const subs[] = {"add", "list", "disable", "password", "token", "revoke", "tokens"};
  size_t k = 0;
  while (k < 7 && strcmp(sub, subs[k])) k++;
  if (k == 7)
    return cli_usage_error("users", "unknown subcommand '%s' (add, list, tokens, disable, password, token, revoke)", sub);
  int a = parse_args(argc, argv, &o);
  if (a) return a < 0 ? 0 : a;
  if (o.days && !(k == 0 && o.token) && k != 4)
    return cli_usage_error("users", "--days is the life of a new token (add --token, or token)");
  chiso_err err;
  chiso_err_clear(&err);
  chiso_intake *h = NULL;
  int rc = chiso_intake_open(o.db, k == 0, &h, &err);
  if (rc) return cli_report("users", rc, &err);
  int out = 0;
  if (k == 0) {
    out = add(h, &o, &err);
  } else if (k == 1 || k == 6) {
    chiso_format fmt = CHISO_FORMAT_TABLE;
    if (o.format && cli_parse_format("users", o.format, &fmt)) out = CLI_EXIT_USAGE;
    else if ((rc = k == 1 ? chiso_users_write(h, fmt, stdout, &err)
                          : chiso_tokens_write(h, o.name, fmt, stdout, &err)))
      out = cli_report("users", rc, &err);
  } else if (!o.name) {
    out = cli_usage_error("users", "%s needs --name", sub);
  } else if (k == 2) {
    if ((rc = chiso_user_disable(h, o.name, NULL, "", &err))) out = cli_report("users", rc, &err);
    else chiso_log(CHISO_LOG_NOTE, "account %s disabled: its sessions ended, its password and tokens refused", o.name);
  } else if (k == 3) {
    char pw[1100];
    int has = 0;
    out = password_of(&o, 1, pw, sizeof pw, &has);
    if (!out && (rc = chiso_user_password(h, o.name, pw, NULL, "", &err))) out = cli_report("users", rc, &err);
    memset(pw, 0, sizeof pw);
  } else if (k == 5) {
    int n = 0;
    if (!o.label) out = cli_usage_error("users", "revoke needs --label (the label the token was made with)");
    else if ((rc = chiso_token_revoke(h, o.name, o.label, NULL, "", &n, &err))) out = cli_report("users", rc, &err);
    else chiso_log(CHISO_LOG_NOTE, "%d token%s of %s labelled \"%s\" revoked", n, n == 1 ? "" : "s", o.name, o.label);
  } else {
    char token[64];
    if ((rc = new_token(h, &o, o.label ? o.label : "api", token, &err))) {
      out = cli_report("users", rc, &err);
    } else {
      printf("%s\n", token);
      chiso_log(CHISO_LOG_NOTE, "the token above is shown this once: keep it");
    }
  }
  chiso_intake_close(h);
  return out;
}
