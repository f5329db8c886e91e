/* sandbox.h — an untrusted file read in a child process with limits
** (docs/intake.md, "Uploads"). The server runs its own binary again as a
** worker (`chiso serve --worker`), writes it the job (a JSON text) on its
** standard input and reads its answer (an HTTP status line and a JSON
** body) from its standard output. The child has:
**   - a CPU-time limit (RLIMIT_CPU: SIGXCPU, then SIGKILL a second later);
**   - a memory limit (RLIMIT_AS; under AddressSanitizer, whose shadow
**     memory an address-space limit forbids, ASan's own hard_rss_limit_mb);
**   - no core file, no file descriptor of the server but its standard
**     streams, no blocked signal, and death when the server dies;
**   - a wall-clock limit, after which it is killed.
** So a file that makes the reader spin, allocate without end or crash
** fails its own request, with a 422 saying which limit ended it, and
** nothing else. */
#ifndef CHISO_SANDBOX_H
#define CHISO_SANDBOX_H

#include <stddef.h>

typedef struct sandbox_limits {
  unsigned cpu_seconds;
  unsigned memory_mb;
  unsigned wall_seconds;
} sandbox_limits;

/* Run the binary at `self` as a worker on `job`. On return *status and
** *body (malloc'ed, NUL-terminated JSON; *len its length) hold the
** worker's answer, or a 422 when the worker did not answer (a limit, a
** crash), or a 503 when no child could be started. Cannot fail otherwise. */
void sandbox_run(const char *self, const char *job, const sandbox_limits *lim, int *status,
                 char **body, size_t *len);

/* The worker: what a job is turned into. Fills *status and *body
** (malloc'ed JSON). */
typedef void (*sandbox_work)(const char *job, size_t len, int *status, char **body);

/* The worker's side of sandbox_run: read one job from standard input,
** run `work` on it, write the answer to standard output. Returns the
** process's exit code (0, or 1 when the job could not be read or the
** answer written). */
int sandbox_worker(sandbox_work work);

/* The path of the running binary (/proc/self/exe) into out. Returns 0 or
** -1. */
int sandbox_self(char *out, size_t n);

#endif
