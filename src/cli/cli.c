/* cli.c — helpers shared by the commands. */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cli_usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "chiso %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\nTry 'chiso %s --help'.\n", cmd);
  va_end(ap);
  return CLI_EXIT_USAGE;
}

int cli_bad_option(const char *cmd, int optopt_char, const char *arg,
                   const struct option *opts) {
  if (optopt_char && optopt_char != '?') {
    /* a long option given without its value: name it */
    for (size_t i = 0; opts && opts[i].name; i++)
      if (opts[i].val == optopt_char && opts[i].has_arg == required_argument && arg &&
          !strncmp(arg, "--", 2))
        return cli_usage_error(cmd, "option '--%s' needs a value", opts[i].name);
    return cli_usage_error(cmd, "option '-%c' is unknown or needs a value", optopt_char);
  }
  const char *names[128];
  size_t n = 0;
  for (size_t i = 0; opts && opts[i].name && n < 128; i++) names[n++] = opts[i].name;
  char word[64] = "";
  if (arg && !strncmp(arg, "--", 2)) snprintf(word, sizeof word, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
  const char *near = word[0] ? chiso_suggest(word, names, n) : NULL;
  if (near) return cli_usage_error(cmd, "unknown option '%s' (did you mean '--%s'?)", arg, near);
  return cli_usage_error(cmd, "unknown option or missing value: '%s'", arg ? arg : "?");
}

int cli_parse_format(const char *cmd, const char *text, chiso_format *out) {
  if (chiso_format_parse(text, out))
    return cli_usage_error(cmd, "unknown format '%s' (use table, csv or json)", text);
  return 0;
}

int cli_check_encoding(const char *cmd, const char *name) {
  if (chiso_encoding_known(name)) return 0;
  return cli_usage_error(cmd, "unknown encoding '%s' (use auto, tcvn3, vni, utf-8, utf-16le, "
                              "utf-16be or windows-1258)", name);
}

int cli_exit_code(int rc) {
  switch (rc) {
  case CHISO_OK:
  case CHISO_EEXISTS: return CLI_EXIT_OK;
  case CHISO_EUSAGE: return CLI_EXIT_USAGE;
  case CHISO_EDATA:
  case CHISO_ENOTFOUND:
  case CHISO_EAMBIGUOUS:
  case CHISO_EDENIED:
  case CHISO_EIO: return CLI_EXIT_DATA;
  default: return CLI_EXIT_INTERNAL;
  }
}

int cli_parse_long(const char *cmd, const char *what, const char *text, long lo,
                   long hi, long *out) {
  char *end = NULL;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno || !end || end == text || *end || v < lo || v > hi)
    return cli_usage_error(cmd, "%s must be a whole number from %ld to %ld, not '%s'",
                           what, lo, hi, text);
  *out = v;
  return 0;
}

/* The command-line advice for a library hint (the library names the
** problem; the flag is the CLI's). */
static const char *hint_text(int hint) {
  switch (hint) {
  case CHISO_HINT_REPLACE: return "use --replace to swap it";
  case CHISO_HINT_METHOD: return "give --method";
  case CHISO_HINT_ENCODING: return "try --encoding utf-16le (or windows-1258, tcvn3, vni)";
  case CHISO_HINT_YEAR: return "give --year";
  case CHISO_HINT_VERIFY: return "`chiso imports --verify --db FILE` checks every block";
  default: return NULL;
  }
}

void cli_resolve_note(const char *cmd, const char *name, const chiso_match *m) {
  if (m->via)
    fprintf(stderr, "chiso %s: note: \"%s\" is %s, read as %s %s\n", cmd, name, m->via,
            m->former_name ? m->former_code : m->code, m->former_name ? m->former_name : m->name);
  if (m->former_name)
    fprintf(stderr, "chiso %s: note: \"%s\" is %s %s, part of %s %s since %d\n", cmd, name,
            m->former_code, m->former_name, m->code, m->name, CHISO_FIRST_34_YEAR);
  else if (m->inexact)
    fprintf(stderr, "chiso %s: note: \"%s\" read as %s %s\n", cmd, name, m->code, m->name);
}

void cli_hint(const char *cmd, const chiso_err *err) {
  const char *hint = err ? hint_text(err->hint) : NULL;
  if (hint) fprintf(stderr, "chiso %s: %s\n", cmd, hint);
}

int cli_report(const char *cmd, int rc, const chiso_err *err) {
  char buf[2048];
  chiso_err_format(err, buf, sizeof buf);
  const char *hint = err ? hint_text(err->hint) : NULL;
  if (rc == CHISO_EUSAGE)
    return cli_usage_error(cmd, "%s%s%s", buf[0] ? buf : chiso_strerror(rc), hint ? "; " : "",
                           hint ? hint : "");
  fprintf(stderr, "chiso %s: %s%s%s\n", cmd, buf[0] ? buf : chiso_strerror(rc), hint ? "; " : "",
          hint ? hint : "");
  return cli_exit_code(rc);
}

int cli_current_year(void) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

/* ------------------------------------------------------------------ */
/* Atomic file outputs                                                 */
/* ------------------------------------------------------------------ */

/* Files being written: each goes to a temporary file beside its final
** name and is renamed on a successful cli_end_output, so a failure never
** leaves a partial file. Any still open at exit (a command that returned
** or exited without ending them) are removed. The front end is one
** process and a command opens a handful of outputs at most, so this table
** is the CLI's own state. */
#define MAX_OUTPUTS 8
static struct {
  FILE *f;
  char tmp[4200], path[4096];
  volatile sig_atomic_t armed; /* tmp exists: remove it on a signal */
} outputs[MAX_OUTPUTS];

/* SIGINT, SIGTERM, SIGHUP: remove the temporary files of the outputs in
** progress and those of the library (chiso_remove_temporaries), then die
** of the same signal. Only async-signal-safe calls. */
static void on_signal(int sig) {
  for (int i = 0; i < MAX_OUTPUTS; i++)
    if (outputs[i].armed) unlink(outputs[i].tmp);
  chiso_remove_temporaries();
  signal(sig, SIG_DFL);
  raise(sig);
}

void cli_install_signals(void) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int i = 0; i < 3; i++) sigaddset(&sa.sa_mask, sigs[i]);
  for (int i = 0; i < 3; i++) {
    struct sigaction old;
    /* a signal ignored by the parent (nohup) stays ignored */
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(sigs[i], &sa, NULL);
  }
  /* A file-size limit (ulimit -f) is a failed write like a full disk:
  ** reported, and the outputs in progress removed, not a silent death. */
  signal(SIGXFSZ, SIG_IGN);
}

static void remove_leftovers(void) {
  for (int i = 0; i < MAX_OUTPUTS; i++)
    if (outputs[i].f) {
      fclose(outputs[i].f);
      remove(outputs[i].tmp);
      outputs[i].f = NULL;
      outputs[i].armed = 0;
    }
}

static int output_slot(void) {
  static int hooked;
  if (!hooked) hooked = atexit(remove_leftovers) == 0;
  for (int i = 0; i < MAX_OUTPUTS; i++)
    if (!outputs[i].f) return i;
  return -1;
}

/* "DIR/.NAME.tmp-XXXXXX" beside path, created with the mode fopen would
** give (0666 less the umask). Returns the stream or NULL (errno set). */
static FILE *open_temp(const char *path, char *tmp, size_t n) {
  const char *base = strrchr(path, '/');
  int dir = base ? (int)(base - path + 1) : 0;
  if (snprintf(tmp, n, "%.*s.%s.tmp-XXXXXX", dir, path, base ? base + 1 : path) >= (int)n) {
    errno = ENAMETOOLONG;
    return NULL;
  }
  int fd = mkstemp(tmp);
  if (fd < 0) return NULL;
  mode_t mask = umask(0);
  umask(mask);
  FILE *f = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "wb") : NULL;
  if (!f) {
    int e = errno;
    close(fd);
    remove(tmp);
    errno = e;
  }
  return f;
}

FILE *cli_open_output(const char *cmd, const char *path) {
  if (!path || strcmp(path, "-") == 0) return stdout;
  struct stat sb;
  int slot = output_slot();
  FILE *f = NULL;
  if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
    f = fopen(path, "wb"); /* a device or a pipe: nothing to rename */
  } else if (slot < 0 || strlen(path) >= sizeof outputs[0].path) {
    errno = slot < 0 ? EMFILE : ENAMETOOLONG;
  } else if ((f = open_temp(path, outputs[slot].tmp, sizeof outputs[slot].tmp))) {
    outputs[slot].armed = 1;
    outputs[slot].f = f;
    snprintf(outputs[slot].path, sizeof outputs[slot].path, "%s", path);
  }
  if (!f) fprintf(stderr, "chiso %s: cannot write %s: %s\n", cmd, path, strerror(errno));
  return f;
}

int cli_end_output(FILE *f, int rc) {
  if (!f) return rc;
  if (f == stdout) return fflush(f) == 0 || rc ? rc : CHISO_EIO;
  int slot = -1;
  for (int i = 0; i < MAX_OUTPUTS; i++)
    if (outputs[i].f == f) slot = i;
  int bad = ferror(f);
  bad |= fclose(f) != 0;
  if (slot < 0) return rc ? rc : bad ? CHISO_EIO : 0;
  outputs[slot].f = NULL;
  if (!rc && !bad && rename(outputs[slot].tmp, outputs[slot].path) == 0) {
    outputs[slot].armed = 0;
    return 0;
  }
  remove(outputs[slot].tmp);
  outputs[slot].armed = 0;
  return rc ? rc : CHISO_EIO;
}

int cli_close_output(FILE *f) { return cli_end_output(f, 0); }

int cli_mark_synthetic(const char *cmd, chiso_format fmt, const char *path, const char *db,
                       int year, int synthetic) {
  if (!synthetic || fmt == CHISO_FORMAT_JSON) return 0;
  if (path && strcmp(path, "-") != 0) {
    char gen[64];
    chiso_err err;
    chiso_err_clear(&err);
    snprintf(gen, sizeof gen, "chiso %s", cmd);
    if (chiso_synthetic_mark(path, gen, db, year, &err) == CHISO_OK) return 0;
    remove(path); /* never a synthetic file without its mark */
    return cli_report(cmd, CHISO_EIO, &err);
  }
  fprintf(stderr, "chiso %s: note: synthetic data: made from SYNTHETIC survey data "
                  "(chiso synth), not real figures\n", cmd);
  return 0;
}

void cli_index_notes(const chiso_index *ix) {
  chiso_log_level level;
  const char *note;
  for (size_t i = 0; (note = chiso_index_note(ix, i, &level)); i++) chiso_log(level, "%s", note);
  if (chiso_index_undenominated(ix))
    chiso_log(CHISO_LOG_NOTE, "--denominate applies them (as COINr's Denominate)");
}

int cli_stderr_is_tty(void) { return isatty(STDERR_FILENO); }

void cli_progress(void *userdata, const char *stage, double done, double total) {
  (void)userdata;
  if (!cli_stderr_is_tty()) return;
  double frac = total > 0 ? done / total : 0;
  if (frac > 1) frac = 1;
  /* Redraw only when the stage or the whole percent changes: workers call
  ** this for every chunk, thousands of times a second. The front end is
  ** single-process, so this state of the terminal line is the CLI's. */
  static char last_stage[32];
  static int last_pct = -1;
  int pct = (int)(frac * 100);
  if (pct == last_pct && done < total && strncmp(last_stage, stage, sizeof last_stage - 1) == 0)
    return;
  last_pct = done >= total ? -1 : pct;
  snprintf(last_stage, sizeof last_stage, "%s", done >= total ? "" : stage);
  int width = 30, filled = (int)(frac * width + 0.5);
  fprintf(stderr, "\r%-24.24s [", stage);
  for (int i = 0; i < width; i++) fputc(i < filled ? '#' : ' ', stderr);
  fprintf(stderr, "] %3d%%", pct);
  if (done >= total) fputc('\n', stderr);
  fflush(stderr);
}
