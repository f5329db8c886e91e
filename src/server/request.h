/* request.h — one HTTP request as the route handlers see it: the method,
** the decoded path, the query parameters and the few headers that matter,
** with strict readers for parameters: a bad value is a 400 that names the
** parameter, never a silent default.
**
** The server fills a request from libmicrohttpd; nothing here depends on
** it, so handlers can be tested without a socket. */
#ifndef CHISO_REQUEST_H
#define CHISO_REQUEST_H

#include "chiso.h"
#include "reply.h"

#include <stddef.h>

#define REQUEST_MAX_PARAMS 64

typedef struct request_param {
  const char *key, *value; /* decoded, borrowed for the request's life */
} request_param;

typedef struct request {
  const char *method;      /* "GET", "HEAD", ... */
  const char *path;        /* decoded path, without the query */
  request_param params[REQUEST_MAX_PARAMS];
  size_t n_params;
  int too_many_params;     /* 1: more than REQUEST_MAX_PARAMS were given */
  const char *if_none_match; /* NULL when absent */
  const char *accept_language;
  char nonce[32];          /* the CSP nonce of a page reply (base64url) */
  void *state;             /* the server's data (state.h), for handlers */
  void *snap;              /* the store snapshot of this request (state.h) */
  /* the write side (issue 15) */
  void *wstate;            /* wstate.h */
  const char *client;      /* the client's address as text */
  int tls;                 /* 1: the request came over TLS */
  const char *cookies;     /* the Cookie header, NULL when none */
  const char *host;        /* the Host header, NULL when none */
  const chiso_account *account; /* the caller, when the route needs one */
  int via_session;         /* 1: the caller's credential is the session cookie */
  const char *session;     /* its id ("" when none) */
  struct body *body;       /* the request's body (body.h), NULL when none */
} request;

/* The value of parameter `key` (NULL when absent). Cannot fail. */
const char *request_param_get(const request *q, const char *key);

/* 1 when every parameter is one of the n `allowed` names (a name ending in
** '.' allows every key with that prefix, e.g. "w.") and none is given
** twice; else 0 with a 400 in r naming the parameter and listing the
** allowed ones. */
int request_params_check(const request *q, const char *const *allowed, size_t n, reply *r);

/* A whole decimal integer in [lo, hi] from parameter `key` into *out
** (dflt when absent). Returns 1, or 0 with a 400 in r naming `key`. */
int request_int(const request *q, const char *key, long lo, long hi, long dflt, long *out,
                reply *r);

/* One of n choices from parameter `key` (dflt when absent): *out is its
** index. Returns 1, or 0 with a 400 in r naming `key` and the choices. */
int request_choice(const request *q, const char *key, const char *const *choices, size_t n,
                   size_t dflt, size_t *out, reply *r);

/* 1 when the request's If-None-Match lists `etag` (or is "*"). */
int request_etag_matches(const request *q, const char *etag);

/* The dashboard language from a path segment ("vi" or "en"), else NULL. */
const char *request_lang(const char *segment);

#endif
