/* reply.h — the answer to one HTTP request, built by a route handler and
** sent by the server (server.c): status, body, content type, the caching
** policy and the security headers that go with the kind of body.
**
** A body is either owned by the reply (freed with it) or borrowed from a
** cache entry that the reply holds a reference to. Errors are JSON
** {"error": message, "status": code[, "parameter": name][, "allowed":
** [...]]}: every 4xx names what was wrong and, where it helps, what exists. */
#ifndef CHISO_REPLY_H
#define CHISO_REPLY_H

#include <stddef.h>

/* What the Content-Security-Policy of a reply allows. */
typedef enum {
  REPLY_CSP_DATA = 0,  /* data (JSON, CSV, XLSX): nothing at all */
  REPLY_CSP_PAGE = 1,  /* a dashboard page: its one nonce'd script, the
                          stylesheet of this origin, fetches to it */
  REPLY_CSP_SVG = 2    /* a chart downloaded as an image: its own <style> */
} reply_csp;

/* How a client may keep a reply. */
typedef enum {
  REPLY_NO_STORE = 0,   /* never (pages: each carries a fresh nonce; errors) */
  REPLY_REVALIDATE = 1  /* keep, but ask again with If-None-Match (ETag) */
} reply_cache;

/* The status of a reply whose work runs off the HTTP thread: the server
** suspends the connection, runs job(job_ctx, reply) on its job pool
** (jobs.h), then sends the reply the job filled and frees job_ctx with
** job_free. */
#define REPLY_ASYNC 1

typedef struct reply {
  int status;
  char type[80];          /* Content-Type */
  const char *body;       /* owned (own != NULL) or borrowed from `ref` */
  size_t len;
  char *own;              /* the owned body, freed with the reply */
  void *ref;              /* a reference released with the reply (release) */
  void (*release)(void *ref);
  char etag[48];          /* "" for none; quoted when set */
  reply_cache cache;
  reply_csp csp;
  char allow[64];         /* 405: the methods allowed */
  char location[512];     /* 3xx: where to */
  char filename[96];      /* a download: Content-Disposition attachment */
  const char *note;       /* for the log: "hit", "miss" (static), NULL */
  char nonce[32];          /* a page's CSP nonce (made with the page) */
  char cookies[2][320];   /* Set-Cookie values ("" for none) */
  unsigned retry_after;   /* 429, 503: Retry-After seconds (0: none) */
  int www_authenticate;   /* 401 of the API: WWW-Authenticate: Bearer */
  void (*job)(void *ctx, struct reply *r);
  void *job_ctx;
  void (*job_free)(void *ctx);
} reply;

/* A reply with status 200, no body, no caching, the data CSP. Cannot fail. */
void reply_init(reply *r);

/* Release what the reply owns or references and re-initialise it. NULL
** is a no-op. */
void reply_clear(reply *r);

/* Take `body` (allocated with malloc: the reply frees it) of `len` bytes
** as the body with this content type. Cannot fail. */
void reply_take(reply *r, char *body, size_t len, const char *type);

/* A copy of the NUL-terminated text s as the body. Returns 0, or -1 out of
** memory (the reply is then a 500). */
int reply_text(reply *r, int status, const char *type, const char *s);

/* An error reply: status with the JSON body {"error": the message,
** "status": status, "parameter": param (when not NULL), "allowed": the
** n strings of allowed (when n > 0)}. Any earlier body is released.
** Returns status. */
int reply_error(reply *r, int status, const char *param, const char *const *allowed, size_t n,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* A redirect (302) to `location`. Returns 302. */
int reply_redirect(reply *r, const char *location);

/* A redirect after a POST (303 See Other: the browser GETs `location`).
** Returns 303. */
int reply_see_other(reply *r, const char *location);

/* Answer later: job(ctx, r) runs off the HTTP thread; free(ctx) after.
** Returns REPLY_ASYNC. */
int reply_async(reply *r, void (*job)(void *ctx, reply *r), void *ctx, void (*job_free)(void *ctx));

/* The reason phrase of an HTTP status ("Not Found"). Never NULL. */
const char *reply_reason(int status);

#endif
