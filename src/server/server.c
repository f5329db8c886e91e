/* server.c — the HTTP server on libmicrohttpd (server.h). */
#include "server.h"

#include "body.h"
#include "gate.h"
#include "page.h"
#include "reply.h"
#include "request.h"
#include "routes.h"
#include "sandbox.h"
#include "state.h"
#include "writes.h"
#include "wstate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

void server_options_init(server_options *o) {
  memset(o, 0, sizeof *o);
  snprintf(o->host, sizeof o->host, "127.0.0.1");
  o->port = 8080;
  o->max_connections = 256;
  o->timeout = 10;
  o->max_url = 4096;
  o->max_header = 8192;
  o->cache_bytes = (size_t)256 << 20;
  o->log = stderr;
  o->max_upload = (size_t)50 << 20;
  o->method = "ebi-2021";
  o->upload_cpu = 60;
  o->upload_mem = 2048;
  o->upload_workers = 2;
}

int server_parse_listen(server_options *o, const char *text, char *err, size_t n) {
  char host[64] = "";
  const char *port = NULL;
  if (text[0] && strspn(text, "0123456789") == strlen(text)) {
    port = text; /* "8081": a port alone */
  } else if (text[0] == '[') {
    const char *end = strchr(text, ']');
    if (!end || (size_t)(end - text - 1) >= sizeof host || (end[1] && end[1] != ':')) {
      snprintf(err, n, "--listen: bad address '%s' (use [IPv6]:PORT)", text);
      return -1;
    }
    memcpy(host, text + 1, (size_t)(end - text - 1));
    port = end[1] ? end + 2 : NULL;
  } else {
    const char *colon = strrchr(text, ':');
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    if (len >= sizeof host || (colon && strchr(text, ':') != colon)) {
      snprintf(err, n, "--listen: bad address '%s' (use HOST:PORT, [IPv6]:PORT or :PORT)", text);
      return -1;
    }
    memcpy(host, text, len);
    port = colon ? colon + 1 : NULL;
  }
  if (host[0]) {
    struct in_addr a4;
    struct in6_addr a6;
    if (strcmp(host, "localhost") && inet_pton(AF_INET, host, &a4) != 1 && inet_pton(AF_INET6, host, &a6) != 1) {
      snprintf(err, n, "--listen: '%s' is not an IP address (names are not looked up)", host);
      return -1;
    }
    snprintf(o->host, sizeof o->host, "%s", host);
  }
  if (port) {
    char *end = NULL;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535) {
      snprintf(err, n, "--listen: the port must be 0 to 65535, not '%s'", port);
      return -1;
    }
    o->port = (int)p;
  }
  return 0;
}

int server_is_loopback(const server_options *o) {
  struct in_addr a4;
  if (strcmp(o->host, "localhost") == 0 || strcmp(o->host, "::1") == 0) return 1;
  return inet_pton(AF_INET, o->host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

/* ---- one request ------------------------------------------------------------------------------ */

typedef struct server {
  const server_options *o;
  state *st;
  wstate *w;            /* the write side (NULL when it cannot start) */
  jobs *pool;           /* its long jobs (uploads, publications) */
  int loopback;
  int tls;
  char authority[80];   /* "127.0.0.1:8080", for the Host check */
  int port;
  pthread_mutex_t log_lock;
} server;

/* Phases of a call. */
enum { P_HEADERS = 0, P_BODY = 1, P_ANSWERED = 2, P_JOB_DONE = 3, P_JOB = 4, P_DRAIN = 5 };

/* A body found too large after its headers is read on and dropped, up to
** this many more bytes, so that the client, still sending, gets its 413:
** libmicrohttpd 0.9.75 queues no response in the middle of a body. */
#define DRAIN_MAX ((size_t)4 << 20)

typedef struct call {
  char uri[512];          /* for the log: the start of the request target */
  size_t uri_len;         /* its whole length */
  struct timespec t0;
  int phase;              /* P_HEADERS ... */
  size_t body;            /* bytes of body received */
  size_t max_body;
  int status;
  size_t bytes;
  const char *note;
  char method[16];
  /* the write side */
  server *sv;
  struct MHD_Connection *conn;
  const routes_route *route;
  char client[INET6_ADDRSTRLEN];
  chiso_account account;  /* the caller (via != AUTH_NONE) */
  auth_via via;
  char session[64];
  body *received;         /* the request's body */
  reply done;             /* the reply a job fills */
} call;

static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c) {
  call *k = calloc(1, sizeof *k);
  if (!k) return NULL;
  k->sv = cls;
  k->conn = c;
  reply_init(&k->done);
  clock_gettime(CLOCK_MONOTONIC, &k->t0);
  k->uri_len = strlen(uri);
  snprintf(k->uri, sizeof k->uri, "%s", uri);
  return k;
}

/* The client's address as text ("-" when unknown). */
static void client_address(struct MHD_Connection *c, char *addr, size_t n) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(addr, n, "-");
  if (ci && ci->client_addr) {
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, (socklen_t)n);
    else if (sa->sa_family == AF_INET6) inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr, (socklen_t)n);
  }
}

/* The URI for the log: control characters, quotes and bytes over 126 as
** \xNN, so a request cannot forge log lines. */
static void clean(const char *s, char *out, size_t n) {
  size_t o = 0;
  for (; *s && o + 5 < n; s++) {
    unsigned char c = (unsigned char)*s;
    if (c < 32 || c > 126 || c == '"' || c == '\\') o += (size_t)snprintf(out + o, n - o, "\\x%02x", c);
    else out[o++] = (char)c;
  }
  out[o] = '\0';
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
  server *sv = cls;
  call *k = *con_cls;
  if (!k) return;
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (double)(t1.tv_sec - k->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - k->t0.tv_nsec) / 1e6;
  char addr[INET6_ADDRSTRLEN] = "-", uri[1200], when[32], line[1600];
  client_address(c, addr, sizeof addr);
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  clean(k->uri, uri, sizeof uri);
  char status[8] = "-"; /* no answer: the client left or timed out first */
  if (k->status) snprintf(status, sizeof status, "%d", k->status);
  int n = snprintf(line, sizeof line, "%s %s \"%s %s%s\" %s %zu %.1fms%s%s%s\n", when, addr,
                   k->method[0] ? k->method : "-", uri, k->uri_len >= sizeof k->uri ? "..." : "",
                   status, k->bytes, ms, k->note ? " " : "", k->note ? k->note : "",
                   toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection closed)");
  if (n > 0 && sv->o->log) {
    pthread_mutex_lock(&sv->log_lock);
    fwrite(line, 1, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, sv->o->log);
    fflush(sv->o->log);
    pthread_mutex_unlock(&sv->log_lock);
  }
  body_free(k->received);
  reply_clear(&k->done);
  free(k);
  *con_cls = NULL;
}

/* ---- sending ------------------------------------------------------------------------------------ */

static const char *csp_of(reply_csp csp, const char *nonce, char *buf, size_t n) {
  switch (csp) {
  case REPLY_CSP_PAGE:
    snprintf(buf, n,
             "default-src 'none'; script-src 'nonce-%s'; style-src 'self'; img-src 'self' data:; "
             "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
             nonce);
    return buf;
  case REPLY_CSP_SVG: return "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
  default: return "default-src 'none'; frame-ancestors 'none'";
  }
}

static void release_cb(void *cls) {
  reply *r = cls;
  reply_clear(r);
  free(r);
}

/* Queue reply r (taken: freed when the response is) for request q. */
static enum MHD_Result send_reply(struct MHD_Connection *c, call *k, const request *q, reply *r) {
  reply *held = malloc(sizeof *held);
  if (!held) {
    reply_clear(r);
    return MHD_NO;
  }
  *held = *r;
  int empty = held->status == 304 || !held->body;
  if (held->status == 303 || held->status == 302) empty = 1;
  struct MHD_Response *resp =
      empty ? MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT)
            : MHD_create_response_from_buffer_with_free_callback_cls(held->len, (void *)held->body,
                                                                     release_cb, held);
  if (!resp) {
    release_cb(held);
    return MHD_NO;
  }
  char csp[512];
  if (!empty && held->type[0]) MHD_add_response_header(resp, "Content-Type", held->type);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
  MHD_add_response_header(resp, "Content-Security-Policy",
                          csp_of(held->csp, held->nonce[0] ? held->nonce : q ? q->nonce : "", csp, sizeof csp));
  for (int i = 0; i < 2; i++)
    if (held->cookies[i][0]) MHD_add_response_header(resp, "Set-Cookie", held->cookies[i]);
  if (held->retry_after) {
    char ra[16];
    snprintf(ra, sizeof ra, "%u", held->retry_after);
    MHD_add_response_header(resp, "Retry-After", ra);
  }
  if (held->www_authenticate) MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"chiso\"");
  MHD_add_response_header(resp, "Cache-Control", held->cache == REPLY_REVALIDATE ? "no-cache" : "no-store");
  if (held->etag[0]) MHD_add_response_header(resp, "ETag", held->etag);
  if (held->allow[0]) MHD_add_response_header(resp, "Allow", held->allow);
  if (held->location[0]) MHD_add_response_header(resp, "Location", held->location);
  if (held->filename[0]) {
    char d[160];
    snprintf(d, sizeof d, "attachment; filename=\"%s\"", held->filename);
    MHD_add_response_header(resp, "Content-Disposition", d);
  }
  k->status = held->status;
  k->bytes = empty ? 0 : held->len;
  k->note = held->note;
  k->phase = P_ANSWERED;
  enum MHD_Result ok = MHD_queue_response(c, (unsigned)held->status, resp);
  MHD_destroy_response(resp);
  if (empty) release_cb(held);
  return ok;
}

/* Refuse a body in the middle of it: drop what follows, answer at its end. */
static enum MHD_Result refuse_body(call *k, int status, const char *msg) {
  body_free(k->received); /* its file goes at once */
  k->received = NULL;
  reply_clear(&k->done);
  reply_error(&k->done, status, NULL, NULL, 0, "%s", msg);
  k->phase = P_DRAIN;
  k->body = 0;
  return MHD_YES;
}

static enum MHD_Result send_error(struct MHD_Connection *c, call *k, int status, const char *msg) {
  reply r;
  reply_init(&r);
  reply_error(&r, status, NULL, NULL, 0, "%s", msg);
  if (status == 405) snprintf(r.allow, sizeof r.allow, "GET, HEAD");
  return send_reply(c, k, NULL, &r);
}

/* ---- reading the request -------------------------------------------------------------------------- */

static enum MHD_Result add_param(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  request *q = cls;
  if (q->n_params == REQUEST_MAX_PARAMS) {
    q->too_many_params = 1;
    return MHD_NO;
  }
  q->params[q->n_params].key = key;
  q->params[q->n_params++].value = value ? value : "";
  return MHD_YES;
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  size_t *n = cls;
  *n += strlen(key) + (value ? strlen(value) : 0) + 4;
  return MHD_YES;
}

/* The Host of a request to a loopback server must name this server:
** another name means a page elsewhere reached us through DNS rebinding. */
static int host_ok(const server *sv, const char *host) {
  if (!sv->loopback) return 1;
  if (!host) return 0;
  static const char *const names[] = {"localhost", "127.0.0.1", "[::1]"};
  char port[16];
  snprintf(port, sizeof port, ":%d", sv->port);
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t n = strlen(names[i]);
    if (strncmp(host, names[i], n) == 0 && (!host[n] || strcmp(host + n, port) == 0)) return 1;
  }
  return strcmp(host, sv->authority) == 0;
}

static const char *header(struct MHD_Connection *c, const char *name) {
  return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* The language of a page path ("/en/..." is English), else Vietnamese. */
static const char *lang_of_path(const char *url) {
  return strncmp(url, "/en/", 4) == 0 || strcmp(url, "/en") == 0 ? "en" : "vi";
}

/* A refusal of the write side as its route answers: JSON for the API; for
** a page, the sign-in page when a GET is not signed in, else an error page. */
static enum MHD_Result refuse(struct MHD_Connection *c, call *k, request *q, reply *r) {
  if (!k->route || routes_is_api(k->route)) return send_reply(c, k, q, r);
  const char *lang = lang_of_path(q->path);
  if (r->status == 401 && strcmp(q->method, "GET") == 0) {
    char to[700];
    snprintf(to, sizeof to, "/%s/login?next=", lang);
    size_t n = strlen(to);
    for (const char *p = q->path; *p && n + 4 < sizeof to; p++) { /* the path, percent-encoded */
      unsigned char ch = (unsigned char)*p;
      if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr("/-_.", ch)) to[n++] = (char)ch;
      else n += (size_t)snprintf(to + n, sizeof to - n, "%%%02X", ch);
    }
    to[n] = '\0';
    reply_clear(r);
    reply_see_other(r, to);
    return send_reply(c, k, q, r);
  }
  page_error(q, r, lang);
  return send_reply(c, k, q, r);
}

/* ---- jobs off the HTTP threads ------------------------------------------------------------------- */

static void run_job(void *arg) {
  call *k = arg;
  void (*fn)(void *, reply *) = k->done.job;
  void *ctx = k->done.job_ctx;
  void (*fr)(void *) = k->done.job_free;
  k->done.job = NULL, k->done.job_ctx = NULL, k->done.job_free = NULL;
  k->done.status = 500;
  fn(ctx, &k->done);
  if (fr) fr(ctx);
  k->phase = P_JOB_DONE;
  MHD_resume_connection(k->conn);
}

/* Fill the request of a call from the connection. */
static void fill_request(server *sv, struct MHD_Connection *c, call *k, const char *url,
                         const char *method, request *q) {
  memset(q, 0, sizeof *q);
  q->method = method;
  q->path = url;
  q->if_none_match = header(c, "If-None-Match");
  q->accept_language = header(c, "Accept-Language");
  MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_param, q);
  q->wstate = sv->w;
  q->client = k->client;
  q->tls = sv->tls;
  q->cookies = header(c, "Cookie");
  q->host = header(c, "Host");
  q->account = k->via != AUTH_NONE ? &k->account : NULL;
  q->via_session = k->via == AUTH_SESSION;
  q->session = k->session;
  q->body = k->received;
}

/* Run the route of the request and queue its reply. */
static enum MHD_Result dispatch(server *sv, struct MHD_Connection *c, call *k, const char *url,
                                const char *method) {
  request q;
  reply r;
  chiso_err err;
  reply_init(&r);
  chiso_err_clear(&err);
  fill_request(sv, c, k, url, method, &q);
  const char *args[ROUTES_MAX_ARGS];
  size_t n_args = 0;
  int known = 0;
  const routes_route *route = routes_match(method, url, args, &n_args, &known, r.allow, sizeof r.allow);
  if (!route) {
    if (known) {
      reply_error(&r, 405, NULL, NULL, 0, "%s is not allowed here (allowed: %s)", method, r.allow);
    } else {
      static const char *const roots[] = {"/vi/", "/en/", "/api/v1"};
      reply_error(&r, 404, NULL, roots, 3, "nothing at this path (the dashboard is at /vi/ and /en/, "
                                           "the API at /api/v1)");
    }
    return send_reply(c, k, &q, &r);
  }
  if (gate_check(route, &q, header(c, "Origin"), header(c, "Sec-Fetch-Site"), header(c, "Host"),
                 header(c, "X-CSRF-Token"), &r))
    return refuse(c, k, &q, &r);
  state_snap *sn = state_acquire(sv->st, &err);
  if (!sn) {
    reply_error(&r, 503, NULL, NULL, 0, "the store cannot be read: %s", err.message);
    return send_reply(c, k, &q, &r);
  }
  q.state = sv->st;
  q.snap = sn;
  route->handler(&q, &r, args, n_args);
  state_release(sn);
  if (r.status != REPLY_ASYNC) return send_reply(c, k, &q, &r);
  /* the connection waits, its thread serves others, the job answers */
  k->done = r;
  k->phase = P_JOB;
  MHD_suspend_connection(c);
  if (!sv->pool || jobs_submit(sv->pool, run_job, k)) {
    reply_clear(&k->done);
    reply_error(&k->done, 503, NULL, NULL, 0, "the server is busy with other uploads: try again soon");
    k->done.retry_after = 10;
    k->phase = P_JOB_DONE;
    MHD_resume_connection(c);
  }
  return MHD_YES;
}

/* The body limit of a route: an upload's is the server's. */
static size_t body_limit(const server *sv, const routes_route *route) {
  if (!route) return 0;
  return route->body == ROUTES_UPLOAD ? sv->o->max_upload + ((size_t)1 << 20) : route->max_body;
}

/* Headers read: the limits, the caller, the body's receiver. */
static enum MHD_Result headers_seen(server *sv, struct MHD_Connection *c, call *k, const char *url,
                                    const char *method) {
  snprintf(k->method, sizeof k->method, "%s", method);
  k->phase = P_BODY;
  client_address(c, k->client, sizeof k->client);
  if (k->uri_len > sv->o->max_url) {
    char m[96];
    snprintf(m, sizeof m, "the request target is longer than %zu bytes", sv->o->max_url);
    return send_error(c, k, 414, m);
  }
  size_t hb = 0;
  MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &hb);
  if (hb > sv->o->max_header) {
    char m[96];
    snprintf(m, sizeof m, "the request headers are larger than %zu bytes", sv->o->max_header);
    return send_error(c, k, 431, m);
  }
  if (!host_ok(sv, header(c, "Host")))
    return send_error(c, k, 421, "this server answers to its own address only (Host)");
  const char *args[ROUTES_MAX_ARGS];
  char allow[64];
  size_t n_args = 0;
  int known = 0;
  k->route = routes_match(method, url, args, &n_args, &known, allow, sizeof allow);
  k->max_body = body_limit(sv, k->route);
  reply r;
  reply_init(&r);
  if (k->route && gate_enter(sv->w, k->route, header(c, "Authorization"), header(c, "Cookie"), sv->tls,
                             &k->account, &k->via, k->session, &r)) {
    request q;
    fill_request(sv, c, k, url, method, &q);
    return refuse(c, k, &q, &r);
  }
  const char *cl = header(c, "Content-Length");
  long long declared = cl ? atoll(cl) : 0;
  const char *type = header(c, "Content-Type");
  int raw_upload = k->route && k->route->body == ROUTES_UPLOAD && !(type && strncasecmp(type, "multipart/", 10) == 0);
  if (declared > (long long)k->max_body || (raw_upload && declared > (long long)sv->o->max_upload)) {
    char m[160];
    snprintf(m, sizeof m, "the request body is larger than %zu bytes",
             raw_upload ? sv->o->max_upload : k->max_body);
    return send_error(c, k, 413, m);
  }
  if (k->route && k->route->body != ROUTES_NO_BODY) {
    body_limits lim = {k->route->body == ROUTES_UPLOAD ? 64 * 1024 : k->route->max_body,
                       sv->o->max_upload, sv->w ? wstate_dir(sv->w) : "/tmp"};
    int st = body_new((body_kind)k->route->body, type, &lim, &k->received);
    if (st) {
      request q;
      fill_request(sv, c, k, url, method, &q);
      reply_error(&r, st, NULL, NULL, 0, st == 415 ? "this content type is not taken here" :
                  st == 400 ? "the request body is malformed" : "the request body cannot be received");
      return refuse(c, k, &q, &r);
    }
  }
  /* Answer on the next call, when the request has been read whole:
  ** libmicrohttpd closes a connection answered in the first call, and
  ** keep-alive is what makes a cached resource cheap. */
  return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
  server *sv = cls;
  call *k = *con_cls;
  (void)version;
  if (!k) return MHD_NO; /* out of memory in uri_seen */
  switch (k->phase) {
  case P_ANSWERED: /* answered early (413): drop the rest of the body */
    *upload_size = 0;
    return MHD_YES;
  case P_JOB: /* suspended: nothing to do until the job resumes it */
    *upload_size = 0;
    return MHD_YES;
  case P_DRAIN:
    if (*upload_size) {
      k->body += *upload_size;
      *upload_size = 0;
      return k->body > DRAIN_MAX ? MHD_NO : MHD_YES;
    }
    /* fall through - the body has ended: answer */
  case P_JOB_DONE: {
    reply r = k->done;
    reply_init(&k->done);
    *upload_size = 0;
    return send_reply(c, k, NULL, &r);
  }
  case P_HEADERS: return headers_seen(sv, c, k, url, method);
  default: break;
  }
  if (*upload_size) {
    size_t n = *upload_size;
    k->body += n;
    *upload_size = 0;
    if (k->body > k->max_body) {
      char m[96];
      snprintf(m, sizeof m, "the request body is larger than %zu bytes", k->max_body);
      return refuse_body(k, 413, m);
    }
    int st = k->received ? body_feed(k->received, upload, n) : 0;
    if (st == 413) {
      char m[96];
      snprintf(m, sizeof m, "the uploaded file is larger than %zu bytes", sv->o->max_upload);
      return refuse_body(k, 413, m);
    }
    if (st) return refuse_body(k, st, st == 400 ? "the request body is malformed" : "the request body is too large");
    return MHD_YES;
  }
  if (k->received) {
    int st = body_finish(k->received);
    if (st) return send_error(c, k, st, "the request body is malformed or incomplete");
  }
  return dispatch(sv, c, k, url, method);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) {
  server *sv = cls;
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  size_t n = strlen(msg);
  while (n && msg[n - 1] == '\n') msg[--n] = '\0';
  if (!sv->o->log) return;
  pthread_mutex_lock(&sv->log_lock);
  fprintf(sv->o->log, "chiso serve: libmicrohttpd: %s\n", msg);
  fflush(sv->o->log);
  pthread_mutex_unlock(&sv->log_lock);
}

/* ---- the daemon -------------------------------------------------------------------------------------- */

static int threads_of(const server_options *o) {
  if (o->threads > 0) return o->threads;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* A whole PEM file (malloc'ed), or NULL with err filled. */
static char *read_pem(const char *path, chiso_err *err) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n = -1;
  if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < (1L << 20) && fseek(f, 0, SEEK_SET) == 0 &&
      (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
    buf[n] = '\0';
  } else {
    free(buf);
    buf = NULL;
    chiso_err_clear(err);
    if (err) {
      err->code = CHISO_EIO;
      snprintf(err->message, sizeof err->message, "cannot read the TLS file %s", path);
    }
  }
  if (f) fclose(f);
  return buf;
}

static struct MHD_Daemon *start(server *sv, const char *key, const char *cert, chiso_err *err) {
  const server_options *o = sv->o;
  struct sockaddr_in a4;
  struct sockaddr_in6 a6;
  const struct sockaddr *sa;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ERROR_LOG |
                   MHD_ALLOW_SUSPEND_RESUME | (key ? MHD_USE_TLS : 0);
  struct MHD_OptionItem tls[] = {{MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key},
                                 {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert},
                                 {MHD_OPTION_END, 0, NULL}};
  memset(&a4, 0, sizeof a4);
  memset(&a6, 0, sizeof a6);
  const char *host = strcmp(o->host, "localhost") == 0 ? "127.0.0.1" : o->host;
  if (inet_pton(AF_INET, host, &a4.sin_addr) == 1) {
    a4.sin_family = AF_INET;
    a4.sin_port = htons((uint16_t)o->port);
    sa = (const struct sockaddr *)&a4;
  } else {
    inet_pton(AF_INET6, host, &a6.sin6_addr);
    a6.sin6_family = AF_INET6;
    a6.sin6_port = htons((uint16_t)o->port);
    sa = (const struct sockaddr *)&a6;
    flags |= MHD_USE_IPv6;
  }
  /* The socket is ours, bound and listening before the daemon starts: its
  ** port (the one the system chose for port 0) is known before any request
  ** checks its Host against it. */
  socklen_t len = sa->sa_family == AF_INET ? (socklen_t)sizeof a4 : (socklen_t)sizeof a6;
  int one = 1, fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  errno = 0;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
      (sa->sa_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one)) ||
      bind(fd, sa, len) ||
      listen(fd, 1024) || getsockname(fd, (struct sockaddr *)(sa->sa_family == AF_INET ? (void *)&a4 : (void *)&a6), &len)) {
    int e = errno;
    if (fd >= 0) close(fd);
    chiso_err_clear(err);
    if (err) {
      err->code = CHISO_EIO;
      snprintf(err->message, sizeof err->message, "cannot listen on %s:%d (%s)", o->host, o->port,
               e ? strerror(e) : "address in use or not available");
    }
    return NULL;
  }
  sv->port = ntohs(sa->sa_family == AF_INET ? a4.sin_port : a6.sin6_port);
  snprintf(sv->authority, sizeof sv->authority, strchr(o->host, ':') ? "[%s]:%d" : "%s:%d", o->host, sv->port);
  int threads = threads_of(o);
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, sv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, sv,
      MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT, o->max_connections,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->per_ip ? o->per_ip : o->max_connections,
      MHD_OPTION_CONNECTION_TIMEOUT, o->timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      (size_t)(o->max_url + o->max_header) * 2, MHD_OPTION_URI_LOG_CALLBACK, uri_seen, sv,
      MHD_OPTION_NOTIFY_COMPLETED, completed, sv,
      MHD_OPTION_ARRAY, key ? tls : tls + 2, MHD_OPTION_END);
  if (!d) {
    close(fd);
    chiso_err_clear(err);
    if (err) {
      err->code = CHISO_EIO;
      snprintf(err->message, sizeof err->message, "cannot listen on %s:%d (%s)", o->host, o->port,
               errno ? strerror(errno) : "address in use or not available");
    }
    return NULL;
  }
  return d;
}

/* Compute the latest year's report model before the first visitor asks
** for it (a second or so on a large store); requests meanwhile wait for
** it on the snapshot's lock or are answered from what is ready. */
static void *warm(void *arg) {
  server *sv = arg;
  chiso_err err;
  struct timespec t0, t1;
  const int *years = NULL;
  const chiso_report *r = NULL;
  chiso_err_clear(&err);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  state_snap *sn = state_acquire(sv->st, &err);
  size_t n = sn ? state_years(sn, &years) : 0;
  int rc = n ? state_report(sn, years[n - 1], years[n - 1] >= CHISO_FIRST_34_YEAR ? 34 : 63, &r, &err) : -1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (n && sv->o->log) {
    pthread_mutex_lock(&sv->log_lock);
    if (rc) fprintf(sv->o->log, "chiso serve: %d cannot be computed: %s\n", years[n - 1], err.message);
    else
      fprintf(sv->o->log, "chiso serve: %d computed in %.1f s\n", years[n - 1],
              (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    fflush(sv->o->log);
    pthread_mutex_unlock(&sv->log_lock);
  }
  state_release(sn);
  return NULL;
}

/* The write side over the store, when it can start (a store that cannot
** be written leaves it answering 503). */
static void open_write_side(server *sv, chiso_err *err) {
  const server_options *o = sv->o;
  char self[4096];
  wstate_options wo = {o->db, o->method, o->max_upload, {o->upload_cpu, o->upload_mem, o->upload_cpu * 3 + 30},
                       o->upload_workers, sv->tls, sandbox_self(self, sizeof self) ? NULL : self};
  if (wstate_open(&wo, &sv->w, err) == CHISO_OK) sv->pool = wstate_jobs(sv->w);
  else if (o->log) fprintf(o->log, "chiso serve: warning: %s: the write side is off\n", err->message);
}

static void banner(const server *sv) {
  const server_options *o = sv->o;
  FILE *f = o->log ? o->log : stderr;
  char up[64];
  snprintf(up, sizeof up, "%zu bytes", o->max_upload);
  if (o->max_upload % (1u << 20) == 0) snprintf(up, sizeof up, "%zu MB", o->max_upload >> 20);
  fprintf(f, "chiso serve: %s://%s/ (store %s; %d threads; %s). Ctrl-C stops.\n", sv->tls ? "https" : "http",
          sv->authority, o->db, threads_of(o), sv->w ? "with the write side" : "read-only");
  if (sv->w) fprintf(f, "chiso serve: uploads up to %s, read in a worker of at most %u s of CPU and %u MB\n",
                     up, o->upload_cpu, o->upload_mem);
  if (!sv->loopback)
    fprintf(f, "chiso serve: warning: listening beyond this machine: anyone who can reach it can read the store\n");
  if (!sv->loopback && !sv->tls)
    fprintf(f, "chiso serve: warning: no TLS: passwords, session cookies and uploads cross the network in "
               "clear text; give --tls-cert and --tls-key\n");
  fflush(f);
}

int server_run(const server_options *o, chiso_err *err) {
  server sv;
  char *key = NULL, *cert = NULL;
  memset(&sv, 0, sizeof sv);
  sv.o = o;
  sv.loopback = server_is_loopback(o);
  pthread_mutex_init(&sv.log_lock, NULL);
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  signal(SIGPIPE, SIG_IGN);
  /* blocked before the daemon's threads start, so they inherit it and the
  ** signals wait for sigwait below */
  pthread_sigmask(SIG_BLOCK, &set, &old);
  int rc = CHISO_OK;
  if (o->tls_cert || o->tls_key) {
    if (!(key = read_pem(o->tls_key, err)) || !(cert = read_pem(o->tls_cert, err))) rc = CHISO_EIO;
    sv.tls = 1;
  }
  if (!rc) rc = state_open(o->db, o->cache_bytes, 2, o->log ? o->log : stderr, &sv.st, err);
  if (!rc) {
    open_write_side(&sv, err);
    chiso_err_clear(err);
  }
  struct MHD_Daemon *d = rc ? NULL : start(&sv, key, cert, err);
  if (!rc && !d) rc = CHISO_EIO;
  if (!rc) {
    banner(&sv);
    pthread_t warmer;
    int warming = pthread_create(&warmer, NULL, warm, &sv) == 0;
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(o->log ? o->log : stderr, "chiso serve: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_socket listening = MHD_quiesce_daemon(d); /* ours again: closed below */
    if (sv.pool) jobs_drain(sv.pool); /* every suspended request gets its answer */
    MHD_stop_daemon(d);
    if (listening != MHD_INVALID_SOCKET) close(listening);
    if (warming) pthread_join(warmer, NULL);
    fprintf(o->log ? o->log : stderr, "chiso serve: stopped\n");
  }
  wstate_free(sv.w);
  state_free(sv.st);
  free(key);
  free(cert);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  pthread_mutex_destroy(&sv.log_lock);
  return rc;
}

int server_worker(void) { return sandbox_worker(writes_upload_work); }
