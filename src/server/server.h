/* server.h — `chiso serve`: the HTTP front end of a store, on
** libmicrohttpd. It answers the routes of routes.h from a read-only
** store (state.h), one log line per request on the log stream, and stops
** cleanly on SIGINT or SIGTERM.
**
** Limits (each refused request gets its status and a JSON error): a URL
** longer than max_url (414), request headers beyond max_header (431), a
** request body beyond the route's limit (413), a Host that is not this
** server's when it listens on loopback (421: no DNS rebinding), more than
** max_connections connections at once (new ones are closed) or per_ip
** from one address, a connection idle for `timeout` seconds (closed: a
** slow client holds no thread, connections are multiplexed by epoll). */
#ifndef CHISO_SERVER_H
#define CHISO_SERVER_H

#include "chiso.h"

#include <stddef.h>
#include <stdio.h>

typedef struct server_options {
  const char *db;            /* the store (must exist; opened read-only) */
  char host[64];             /* an IP address or "localhost" */
  int port;                  /* 0: any free port (printed at start) */
  int threads;               /* HTTP threads; 0: one per CPU, at most 8 */
  unsigned max_connections;
  unsigned per_ip;           /* 0: as max_connections */
  unsigned timeout;          /* seconds a connection may stay idle */
  size_t max_url;            /* bytes of request target */
  size_t max_header;         /* bytes of request headers */
  size_t cache_bytes;        /* responses kept per store state */
  FILE *log;                 /* one line per request; stderr by default */
  /* the write side (issue 15, docs/intake.md) */
  const char *tls_cert;      /* PEM files: HTTPS when both are given */
  const char *tls_key;
  size_t max_upload;         /* bytes of an uploaded file (one more: 413) */
  const char *method;        /* the methodology of a year with nothing stored */
  unsigned upload_cpu;       /* seconds of CPU time a worker may use */
  unsigned upload_mem;       /* MB of memory a worker may use */
  int upload_workers;        /* uploads and publications run at once */
} server_options;

/* Defaults: 127.0.0.1:8080, threads 0, 256 connections, 10 s, URL 4096
** bytes, headers 8192 bytes, a 256 MiB cache, log to stderr; no TLS,
** uploads up to 50 MB read by 2 workers of at most 60 s of CPU and 2048 MB,
** methodology ebi-2021. Cannot fail. */
void server_options_init(server_options *o);

/* Read "HOST:PORT", "[IPv6]:PORT", "HOST", ":PORT" or "PORT" into o->host and
** o->port (a port 0 to 65535; HOST an IP address or localhost, no name
** lookups). Returns 0, or -1 with a message in err (size n). */
int server_parse_listen(server_options *o, const char *text, char *err, size_t n);

/* 1 when the host of o is a loopback address (127.0.0.0/8, ::1,
** localhost). */
int server_is_loopback(const server_options *o);

/* The worker of an upload (`chiso serve --worker`, sandbox.h): read one
** job on standard input, answer on standard output. Returns the exit
** code. */
int server_worker(void);

/* Serve until SIGINT or SIGTERM (blocked in the calling thread and the
** server's threads; the caller must not have other threads that take
** them). Prints "chiso serve: http://HOST:PORT/ ..." on the log stream when
** ready (https with TLS; a warning when it listens beyond this machine
** without TLS). Returns 0 after a clean stop, CHISO_EIO when it cannot
** listen or read the TLS files (err says why), or the errors of opening
** the store. */
int server_run(const server_options *o, chiso_err *err);

#endif
