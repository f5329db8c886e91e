/* log.h — logging and progress reporting, routed through a hook.
**
** The library never writes to stdout. Log lines go to a handler that the
** front end installs; the default handler writes "chiso: LEVEL: message" to
** stderr. */
#ifndef CHISO_LOG_H
#define CHISO_LOG_H

typedef enum {
  CHISO_LOG_DEBUG = 0,
  CHISO_LOG_INFO = 1,
  CHISO_LOG_NOTE = 2,
  CHISO_LOG_WARN = 3,
  CHISO_LOG_ERROR = 4,
  CHISO_LOG_QUIET = 5
} chiso_log_level;

typedef void (*chiso_log_fn)(void *userdata, chiso_log_level level,
                             const char *message);

/* Install a handler (NULL restores the default stderr handler) and the
** minimum level that reaches it. Call once at start-up, before any
** threads start. Cannot fail. */
void chiso_log_set_handler(chiso_log_fn fn, void *userdata);
void chiso_log_set_level(chiso_log_level level);
chiso_log_level chiso_log_get_level(void);

/* Format and emit one log line (no trailing newline needed). Cannot fail;
** a message too long is truncated. */
void chiso_log(chiso_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Progress of a long job: `done` of `total` units of `stage` finished.
** Front ends pass one of these to long-running library calls; NULL means
** no progress is reported. */
typedef void (*chiso_progress_fn)(void *userdata, const char *stage,
                                  double done, double total);

#endif
