/* writes.h — the write side of the JSON API (docs/intake.md, "API"):
**   GET  /api/v1/whoami                  the caller
**   POST /api/v1/surveys?year=Y[&replace=1][&name=N]   a survey file (CSV,
**        XLSX; multipart field "file" or the raw bytes): 201 with the
**        import, 200 when the same bytes are stored, 422 with the
**        problems, 403 with the rows outside the caller's units, 409 when
**        a file of that name exists and replace=1 was not given, 413
**   POST /api/v1/invitations             JSON {year, unit, kind, respondents}
**   GET  /api/v1/invitations?year=Y      the caller's units' invitations
**   POST /api/v1/quotas                  JSON {year, unit, stratum, quota, population}
**   GET  /api/v1/intake?year=Y           responses against quotas
**   POST /api/v1/publish?year=Y          publish the staged responses
**   POST /api/v1/responses/{year}/{code} JSON {stratum, answers} (an invitation's answer)
**   GET  /api/v1/audit                   the audit log (admins)
** Access, body limits and CSRF are the route table's and the gate's
** (routes.h, gate.h): a handler runs only for a caller the route admits.
**
** The upload and the publication are long: they answer REPLY_ASYNC and
** run on the job pool; an upload is read by a worker process (sandbox.h)
** through writes_upload_work. The pages of the write side (ipages.h) use
** the same jobs and show their JSON. */
#ifndef CHISO_WRITES_H
#define CHISO_WRITES_H

#include "reply.h"
#include "request.h"

#include <jansson.h>
#include <stddef.h>

/* The resources above, one handler each; each returns the reply's status
** (REPLY_ASYNC for an upload and a publication). */
int writes_whoami(request *q, reply *r, const char *const *args, size_t n_args);
int writes_upload(request *q, reply *r, const char *const *args, size_t n_args);
int writes_invite(request *q, reply *r, const char *const *args, size_t n_args);
int writes_invites(request *q, reply *r, const char *const *args, size_t n_args);
int writes_quota(request *q, reply *r, const char *const *args, size_t n_args);
int writes_status(request *q, reply *r, const char *const *args, size_t n_args);
int writes_publish(request *q, reply *r, const char *const *args, size_t n_args);
int writes_respond(request *q, reply *r, const char *const *args, size_t n_args);
int writes_audit(request *q, reply *r, const char *const *args, size_t n_args);

/* The worker's job (sandbox_work): an upload described by a JSON job is
** imported; *status and *body (malloc'ed JSON) are the HTTP answer. */
void writes_upload_work(const char *job, size_t len, int *status, char **body);

/* Start the upload of q's file for `year` (`name`: the client's name,
** cleaned here; `replace`): answers REPLY_ASYNC with a job that fills r
** with the JSON answer; `then` (may be NULL) is called after the job with
** the reply and `ctx` (a page renders it). Or answers an error at once
** (400 for a bad name or no file). Returns r's status. */
int writes_start_upload(request *q, reply *r, int year, const char *name, int replace,
                        void (*then)(void *ctx, reply *r), void *ctx, void (*ctx_free)(void *ctx));

/* Start the publication of `year` for q's caller: REPLY_ASYNC, as
** writes_start_upload. */
int writes_start_publish(request *q, reply *r, int year, void (*then)(void *ctx, reply *r),
                         void *ctx, void (*ctx_free)(void *ctx));

/* A safe name for an uploaded file from the client's: its last path
** segment, control characters and bad UTF-8 as '_', no leading dot, at
** most 200 bytes; "upload" when nothing is left (the extension kept).
** Cannot fail. */
void writes_clean_name(const char *client, char *out, size_t n);

/* The year a request of the write side is about: parameter `year`
** (1900..2100), default the latest stored year, else the current year.
** Returns 1, or 0 with a 400 in r. */
int writes_year(request *q, reply *r, int *year);

/* The HTTP status of a library result of the write side. */
int writes_status_of(int rc);

/* Reply with JSON o (taken) and status. Returns status. */
int writes_json(reply *r, int status, json_t *o);

#endif
