/* sandbox.c — untrusted files read in a child process (sandbox.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 */
#endif
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_ANSWER (16u << 20)

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

int sandbox_self(char *out, size_t n) {
  ssize_t k = readlink("/proc/self/exe", out, n - 1);
  if (k <= 0 || (size_t)k >= n - 1) return -1;
  out[k] = '\0';
  return 0;
}

static void answer(int status, const char *msg, int *st, char **body, size_t *len) {
  char buf[512];
  int n = snprintf(buf, sizeof buf, "{\n  \"error\": \"%s\",\n  \"status\": %d\n}\n", msg, status);
  *st = status;
  *body = malloc((size_t)n + 1);
  if (*body) memcpy(*body, buf, (size_t)n + 1);
  *len = *body ? (size_t)n : 0;
}

/* The environment of the worker: ours, and under ASan a memory limit. */
static char **worker_env(const sandbox_limits *lim, char *asan, size_t n) {
  size_t k = 0;
  while (environ[k]) k++;
  char **env = calloc(k + 2, sizeof *env);
  if (!env) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < k; i++)
    if (!UNDER_ASAN || strncmp(environ[i], "ASAN_OPTIONS=", 13) != 0) env[o++] = environ[i];
  if (UNDER_ASAN) {
    const char *old = getenv("ASAN_OPTIONS");
    snprintf(asan, n, "ASAN_OPTIONS=%s%shard_rss_limit_mb=%u:allocator_may_return_null=1",
             old ? old : "", old && *old ? ":" : "", lim->memory_mb);
    env[o++] = asan;
  }
  return env;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child(int in, int out, const char *self, char *const *argv, char *const *env,
                  const sandbox_limits *lim, pid_t parent) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0) _exit(127);
  syscall(SYS_close_range, 3U, ~0U, 0U);
  struct rlimit cpu = {lim->cpu_seconds, lim->cpu_seconds + 1}, core = {0, 0};
  setrlimit(RLIMIT_CPU, &cpu);
  setrlimit(RLIMIT_CORE, &core);
  if (!UNDER_ASAN) {
    struct rlimit as = {(rlim_t)lim->memory_mb << 20, (rlim_t)lim->memory_mb << 20};
    setrlimit(RLIMIT_AS, &as);
  }
  execve(self, argv, env);
  _exit(127);
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Read the child's answer until EOF or the deadline. */
static int read_all(int fd, char **buf, size_t *len, long long deadline) {
  size_t cap = 0;
  *buf = NULL;
  *len = 0;
  for (;;) {
    long long left = deadline - now_ms();
    if (left <= 0) return -1;
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, left > 1000 ? 1000 : (int)left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    if (*len + 65536 > cap) {
      if (cap >= MAX_ANSWER) return -1;
      cap = cap ? cap * 2 : 65536;
      char *g = realloc(*buf, cap + 1);
      if (!g) return -1;
      *buf = g;
    }
    ssize_t k = read(fd, *buf + *len, cap - *len);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    *len += (size_t)k;
  }
  if (*buf) (*buf)[*len] = '\0';
  return 0;
}

void sandbox_run(const char *self, const char *job, const sandbox_limits *lim, int *status,
                 char **body, size_t *len) {
  char asan[1024], *out = NULL;
  char *argv[] = {"chiso", "serve", "--worker", NULL};
  int in[2] = {-1, -1}, res[2] = {-1, -1};
  size_t n = 0;
  *body = NULL;
  char **env = worker_env(lim, asan, sizeof asan);
  if (!env || pipe2(in, O_CLOEXEC) || pipe2(res, O_CLOEXEC)) {
    free(env);
    if (in[0] >= 0) close(in[0]), close(in[1]);
    answer(503, "the server cannot start a worker now", status, body, len);
    return;
  }
  pid_t parent = getpid(), pid = fork();
  if (pid == 0) child(in[0], res[1], self, argv, env, lim, parent);
  close(in[0]);
  close(res[1]);
  free(env);
  if (pid < 0) {
    close(in[1]), close(res[0]);
    answer(503, "the server cannot start a worker now", status, body, len);
    return;
  }
  size_t jl = strlen(job), w = 0;
  while (w < jl) {
    ssize_t k = write(in[1], job + w, jl - w);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    w += (size_t)k;
  }
  close(in[1]);
  long long deadline = now_ms() + (long long)lim->wall_seconds * 1000;
  int timed_out = read_all(res[0], &out, &n, deadline) != 0;
  close(res[0]);
  if (timed_out) kill(pid, SIGKILL);
  int ws = 0;
  while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {}
  /* the answer: "STATUS\n" then the JSON body */
  char *nl = out ? strchr(out, '\n') : NULL;
  int st = nl ? atoi(out) : 0;
  if (!timed_out && WIFEXITED(ws) && WEXITSTATUS(ws) == 0 && nl && st >= 200 && st < 600) {
    *status = st;
    *len = n - (size_t)(nl + 1 - out);
    memmove(out, nl + 1, *len + 1);
    *body = out;
    return;
  }
  free(out);
  char msg[256];
  if (timed_out)
    snprintf(msg, sizeof msg, "the file could not be read within %u s: the upload was stopped", lim->wall_seconds);
  else if (WIFSIGNALED(ws) && (WTERMSIG(ws) == SIGXCPU || WTERMSIG(ws) == SIGKILL))
    snprintf(msg, sizeof msg, "reading the file took more than the %u s of CPU time an upload may use",
             lim->cpu_seconds);
  else
    snprintf(msg, sizeof msg, "reading the file needed more than the %u MB of memory an upload may use, "
                              "or failed (worker %s %d)", lim->memory_mb,
             WIFSIGNALED(ws) ? "signal" : "exit", WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
  answer(422, msg, status, body, len);
}

int sandbox_worker(sandbox_work work) {
  char *job = NULL, *body = NULL;
  size_t len = 0;
  if (read_all(0, &job, &len, now_ms() + 60000) || !job) return 1;
  int status = 500;
  work(job, len, &status, &body);
  free(job);
  int ok = printf("%d\n%s", status, body ? body : "{}\n") > 0 && fflush(stdout) == 0;
  free(body);
  return ok ? 0 : 1;
}
