/* fuzz_request.c — the server's request parsers (src/server): the route
** table's path matching (routes_match, every route of `chiso serve`), the
** strict parameter readers (request_params_check, request_int,
** request_choice), If-None-Match (request_etag_matches), the language
** segment (request_lang), what-if weights given as w.NODE=VALUE (the
** same reader as the server's what-if: number_parse_data, > 0), and the
** JSON error reply (reply_error) that echoes a parameter's name and value.
** libmicrohttpd itself splits and percent-decodes the URL; what reaches
** these parsers is any byte string, which is what this harness gives.
**
** Input: lines. Line 1 the method, line 2 the decoded path, line 3
** If-None-Match, line 4 Accept-Language; every further line a parameter
** "key=value" (no '=': a key without value), as libmicrohttpd hands them.
** Oracles: a matched route's {} arguments are non-empty, hold no '/', and
** come from the path; a path known with other methods lists them in
** Allow; every 400 is a JSON object naming its status and, when it names
** a parameter, an error text (also for bytes that are not UTF-8); a
** number accepted by request_int is inside its range; a weight accepted is
** finite and > 0. */
#include "fuzz.h"

#include "reply.h"
#include "request.h"
#include "routes.h"

#include <jansson.h>
#include <math.h>

/* The body of an error reply: a JSON object with "status" == status and
** an "error" string. */
static void check_error(const reply *r, int status) {
  FUZZ_CHECK(r->status == status);
  FUZZ_CHECK(r->body && r->len);
  json_error_t je;
  json_t *o = json_loadb(r->body, r->len, 0, &je);
  FUZZ_CHECK(o && json_is_object(o));
  FUZZ_CHECK(json_integer_value(json_object_get(o, "status")) == status);
  FUZZ_CHECK(json_is_string(json_object_get(o, "error")));
  json_decref(o);
}

static void check_route(const char *method, const char *path) {
  const char *args[ROUTES_MAX_ARGS];
  size_t n_args = 0;
  int known = 0;
  char allow[64];
  allow[0] = '\0';
  const routes_route *rt = routes_match(method, path, args, &n_args, &known, allow, sizeof allow);
  if (rt) {
    FUZZ_CHECK(n_args <= ROUTES_MAX_ARGS);
    for (size_t i = 0; i < n_args; i++) {
      FUZZ_CHECK(args[i][0] && !strchr(args[i], '/'));
      FUZZ_CHECK(strstr(path, args[i]) != NULL);
    }
    FUZZ_CHECK(strstr(rt->methods, method) != NULL);
  } else if (known) {
    FUZZ_CHECK(memchr(allow, '\0', sizeof allow) && allow[0]);
    reply r;
    reply_init(&r);
    reply_error(&r, 405, NULL, NULL, 0, "%s is not allowed here (allowed: %s)", method, allow);
    check_error(&r, 405);
    reply_clear(&r);
  }
}

static void check_params(request *q) {
  static const char *const allowed[] = {"year", "units", "lang", "w."};
  static const char *const units[] = {"34", "63"};
  reply r;
  reply_init(&r);
  if (!request_params_check(q, allowed, 4, &r)) check_error(&r, 400);
  reply_clear(&r);

  long year = 0;
  if (request_int(q, "year", 1900, 2100, 2024, &year, &r)) FUZZ_CHECK(year >= 1900 && year <= 2100);
  else check_error(&r, 400);
  reply_clear(&r);

  size_t which = 9;
  if (request_choice(q, "units", units, 2, 0, &which, &r)) FUZZ_CHECK(which < 2);
  else check_error(&r, 400);
  reply_clear(&r);

  /* what-if weights: the rule of a weight table, as whatif_parse reads them */
  for (size_t i = 0; i < q->n_params; i++) {
    if (strncmp(q->params[i].key, "w.", 2)) continue;
    double v = 0;
    if (number_parse_data(q->params[i].value, &v) == NUMBER_OK && v > 0) {
      FUZZ_CHECK(isfinite(v));
    } else {
      reply_error(&r, 400, q->params[i].key, NULL, 0, "the weight of %s is not a number > 0: \"%.80s\"",
                  q->params[i].key + 2, q->params[i].value);
      check_error(&r, 400);
      reply_clear(&r);
    }
  }
  (void)request_etag_matches(q, "\"0123456789abcdef\"");
  (void)request_etag_matches(q, "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 65536) return 0;
  char *s = fuzz_string(data, size);
  if (!s) return 0;
  char *line[4 + REQUEST_MAX_PARAMS + 1];
  size_t n = 0;
  for (char *p = s; p && n < sizeof line / sizeof line[0]; n++) {
    line[n] = p;
    p = strchr(p, '\n');
    if (p) *p++ = '\0';
  }
  request q;
  memset(&q, 0, sizeof q);
  q.method = n > 0 ? line[0] : "GET";
  q.path = n > 1 ? line[1] : "/";
  q.if_none_match = n > 2 ? line[2] : NULL;
  q.accept_language = n > 3 ? line[3] : NULL;
  for (size_t i = 4; i < n; i++) {
    if (q.n_params == REQUEST_MAX_PARAMS) {
      q.too_many_params = 1;
      break;
    }
    char *eq = strchr(line[i], '=');
    if (eq) *eq++ = '\0';
    q.params[q.n_params].key = line[i];
    q.params[q.n_params++].value = eq ? eq : "";
  }
  check_route(q.method, q.path);
  const char *seg = q.path[0] == '/' ? q.path + 1 : q.path;
  char first[8];
  size_t len = strcspn(seg, "/");
  if (len < sizeof first) {
    memcpy(first, seg, len);
    first[len] = '\0';
    const char *lang = request_lang(first);
    FUZZ_CHECK(!lang || strcmp(lang, first) == 0);
  }
  check_params(&q);
  free(s);
  return 0;
}
