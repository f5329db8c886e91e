/* state.h — what the server knows of its store: a snapshot per store
** state, each with the years loaded once, the report models and what-ifs
** computed once, and the cache of the responses made from them.
**
** Every request takes the current snapshot (state_acquire). Before it is
** handed out, the store is asked (at most every 20 ms) whether another
** process has committed since (the store's data version) and whether the
** file was replaced; then a new snapshot is built on a thread of its own
** and warmed with what the current one had computed (the report models
** and what-ifs of its views, and the latest year's report), while the
** current one keeps answering; then it takes the current one's place,
** which lives on until its last request releases it. So a response is
** never computed from two store states, no request waits for a new state
** to be computed, and an import is seen as soon as its state is ready
** (the time of a report model or so after its commit). A thread of the
** state also looks every second without requests, so that an idle server
** moves to a new state too: its old snapshot, pinned to the old state
** (chiso_store_open_snapshot), would otherwise keep every later write in
** the store's WAL until the next request.
**
** The store is opened read-only. The library's year contexts are not
** thread-safe: a snapshot computes under its own lock (state_lock), and
** what it hands out after computing (report models, what-ifs) is only
** read, by any number of threads. */
#ifndef CHISO_STATE_H
#define CHISO_STATE_H

#include "cache.h"
#include "chiso.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct state state;
typedef struct state_snap state_snap;

/* The store at db_path (opened read-only; it must exist), responses cached
** up to cache_bytes per snapshot, computations on `threads` threads (the
** results do not depend on it). Each new state served is noted on `log`
** (NULL: nowhere). On success *out is new (state_free). Returns the errors
** of chiso_store_open_readonly. */
int state_open(const char *db_path, size_t cache_bytes, int threads, FILE *log, state **out,
               chiso_err *err);

/* Free the state. Every snapshot must have been released. NULL is a no-op. */
void state_free(state *s);

/* The current snapshot with a reference (state_release), a new one when the
** store changed. NULL when the store cannot be read (err says why; the
** old snapshot is kept for the next try). */
state_snap *state_acquire(state *s, chiso_err *err);

/* Drop a reference; the last one frees a replaced snapshot. NULL: no-op. */
void state_release(state_snap *sn);

/* How many snapshots were made (1 at the start; +1 per store change seen). */
uint64_t state_generation(const state_snap *sn);

/* The snapshot's response cache. */
cache *state_cache(state_snap *sn);

/* The stored years, ascending (borrowed from the snapshot); returns how
** many. Cannot fail. */
size_t state_years(state_snap *sn, const int **years);

/* 1 when `year` is stored. */
int state_has_year(state_snap *sn, int year);

/* The snapshot's compute lock: hold it around any use of the store, the
** year set or a year context (state_store, state_year_set). */
void state_lock(state_snap *sn);
void state_unlock(state_snap *sn);

/* The snapshot's store and year set (use with the lock held). */
chiso_store *state_store(state_snap *sn);
chiso_years *state_year_set(state_snap *sn);

/* The report model of `year` on `units` (63 or 34), built once with the
** report's defaults (chiso_report_options_init). Takes the lock itself;
** the model is only read afterwards and lives as long as the snapshot.
** Returns 0 or the errors of chiso_years_report. */
int state_report(state_snap *sn, int year, int units, const chiso_report **out, chiso_err *err);

/* The what-if of `year` on `units`, prepared once with the same settings
** (chiso_whatif_new). Takes the lock itself; chiso_whatif_write may then
** run without it. */
int state_whatif(state_snap *sn, int year, int units, const chiso_whatif **out, chiso_err *err);

#endif
