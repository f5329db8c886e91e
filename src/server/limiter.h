/* limiter.h — how often logins may fail: failures counted per key (an
** account name, a client address) over a sliding window; a key with
** `max` failures in the last `window` seconds is refused (the server
** answers 429 without checking the password) until the oldest of them
** leaves the window. Memory is bounded: at most LIMITER_MAX_KEYS keys,
** the one touched longest ago making room. Thread-safe. */
#ifndef CHISO_LIMITER_H
#define CHISO_LIMITER_H

#include <time.h>

#define LIMITER_MAX_KEYS 4096
#define LIMITER_MAX_FAILURES 64

typedef struct limiter limiter;

/* A limiter of `max` (1 to LIMITER_MAX_FAILURES) failures per `window`
** seconds, or NULL out of memory. Free with limiter_free. */
limiter *limiter_new(unsigned max, unsigned window);
void limiter_free(limiter *l);

/* Seconds before `key` may try again at time `now` (0: now). Cannot fail. */
unsigned limiter_wait(limiter *l, const char *key, time_t now);

/* Count a failure of `key` at `now`; forget `key`'s failures (a
** successful login). Cannot fail. */
void limiter_fail(limiter *l, const char *key, time_t now);
void limiter_clear(limiter *l, const char *key);

#endif
