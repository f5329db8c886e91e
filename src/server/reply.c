/* reply.c — the answer to one request (reply.h). */
#include "reply.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

void reply_init(reply *r) {
  memset(r, 0, sizeof *r);
  r->status = 200;
  r->cache = REPLY_NO_STORE;
  r->csp = REPLY_CSP_DATA;
}

void reply_clear(reply *r) {
  if (!r) return;
  free(r->own);
  if (r->ref && r->release) r->release(r->ref);
  if (r->job_ctx && r->job_free) r->job_free(r->job_ctx);
  reply_init(r);
}

void reply_take(reply *r, char *body, size_t len, const char *type) {
  free(r->own);
  if (r->ref && r->release) r->release(r->ref);
  r->ref = NULL;
  r->own = body;
  r->body = body;
  r->len = len;
  snprintf(r->type, sizeof r->type, "%s", type);
}

int reply_text(reply *r, int status, const char *type, const char *s) {
  size_t n = strlen(s);
  char *copy = malloc(n + 1);
  if (!copy) {
    reply_take(r, NULL, 0, "text/plain; charset=utf-8");
    r->status = 500;
    return -1;
  }
  memcpy(copy, s, n + 1);
  reply_take(r, copy, n, type);
  r->status = status;
  return 0;
}

/* A JSON string of s, which may hold bytes that are not UTF-8 (a raw byte
** of the URL echoed in a message): each such byte is written as the text
** \xNN, so that the error keeps its words (json_string refuses such text). */
static json_t *json_text(const char *s) {
  json_t *j = json_string(s);
  if (j) return j;
  size_t n = strlen(s), w = 0;
  char *buf = malloc(4 * n + 1);
  if (!buf) return NULL;
  for (size_t i = 0; i < n;) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
    if (k > 0) {
      memcpy(buf + w, s + i, (size_t)k);
      w += (size_t)k, i += (size_t)k;
    } else {
      w += (size_t)snprintf(buf + w, 5, "\\x%02X", (unsigned char)s[i]);
      i++;
    }
  }
  buf[w] = '\0';
  j = json_string(buf);
  free(buf);
  return j;
}

int reply_error(reply *r, int status, const char *param, const char *const *allowed, size_t n,
                const char *fmt, ...) {
  char msg[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_t *o = json_object();
  json_object_set_new(o, "error", json_text(msg));
  json_object_set_new(o, "status", json_integer(status));
  if (param) json_object_set_new(o, "parameter", json_text(param));
  if (n) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, json_text(allowed[i]));
    json_object_set_new(o, "allowed", a);
  }
  /* Out of memory: a fixed text. */
  char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!text) {
    reply_text(r, status, "application/json; charset=utf-8",
               "{\"error\": \"bad request\", \"status\": 400}\n");
    r->status = status;
    r->cache = REPLY_NO_STORE;
    return status;
  }
  size_t len = strlen(text);
  char *body = realloc(text, len + 2);
  if (body) {
    body[len] = '\n';
    body[len + 1] = '\0';
    reply_take(r, body, len + 1, "application/json; charset=utf-8");
  } else {
    reply_take(r, text, len, "application/json; charset=utf-8");
  }
  r->status = status;
  r->cache = REPLY_NO_STORE;
  r->etag[0] = '\0';
  r->csp = REPLY_CSP_DATA;
  return status;
}

int reply_redirect(reply *r, const char *location) {
  reply_text(r, 302, "text/plain; charset=utf-8", "");
  snprintf(r->location, sizeof r->location, "%s", location);
  return 302;
}

int reply_see_other(reply *r, const char *location) {
  reply_text(r, 303, "text/plain; charset=utf-8", "");
  snprintf(r->location, sizeof r->location, "%s", location);
  return 303;
}

int reply_async(reply *r, void (*job)(void *ctx, reply *r), void *ctx, void (*job_free)(void *ctx)) {
  r->job = job;
  r->job_ctx = ctx;
  r->job_free = job_free;
  r->status = REPLY_ASYNC;
  return REPLY_ASYNC;
}

const char *reply_reason(int status) {
  switch (status) {
  case 200: return "OK";
  case 201: return "Created";
  case 204: return "No Content";
  case 302: return "Found";
  case 303: return "See Other";
  case 304: return "Not Modified";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 409: return "Conflict";
  case 410: return "Gone";
  case 415: return "Unsupported Media Type";
  case 422: return "Unprocessable Content";
  case 429: return "Too Many Requests";
  case 413: return "Content Too Large";
  case 414: return "URI Too Long";
  case 421: return "Misdirected Request";
  case 431: return "Request Header Fields Too Large";
  case 500: return "Internal Server Error";
  case 503: return "Service Unavailable";
  default: return "";
  }
}
