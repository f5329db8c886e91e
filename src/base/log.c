/* log.c — the log hook. The handler and level are process-wide settings,
** set once by the front end before any work starts: with mem.c's test
** hook, the only mutable file-scope state libchiso has (design rule: no
** globals), and read-only once threads run. */
#include "base/log.h"

#include "base/text.h"

#include <stdarg.h>
#include <stdio.h>

static void default_handler(void *userdata, chiso_log_level level,
                            const char *message) {
  (void)userdata;
  static const char *const names[] = {"debug", "info", "note", "warning", "error"};
  const char *name = level <= CHISO_LOG_ERROR ? names[level] : "log";
  fprintf(stderr, "chiso: %s: %s\n", name, message);
}

static chiso_log_fn log_handler = default_handler;
static void *log_userdata = NULL;
static chiso_log_level log_level = CHISO_LOG_NOTE;

void chiso_log_set_handler(chiso_log_fn fn, void *userdata) {
  log_handler = fn ? fn : default_handler;
  log_userdata = fn ? userdata : NULL;
}

void chiso_log_set_level(chiso_log_level level) { log_level = level; }

chiso_log_level chiso_log_get_level(void) { return log_level; }

void chiso_log(chiso_log_level level, const char *fmt, ...) {
  if (level < log_level) return;
  char raw[2048], buf[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(raw, sizeof raw, fmt, ap);
  va_end(ap);
  /* file names and values in notes come from outside: no terminal codes */
  log_handler(log_userdata, level, text_escape_controls(raw, 1, buf, sizeof buf));
}
