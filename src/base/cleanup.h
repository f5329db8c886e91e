/* cleanup.h — temporary files and directories removed when the process is
** stopped by a signal.
**
** Everything libchiso writes goes first to a temporary path beside its
** final one (a FILE.tmp..., a DIR.tmp-XXXXXX) and is renamed into place
** when whole. A front end stopped by SIGINT or SIGTERM in between would
** leave those behind; so each is registered here while it exists, and the
** front end's signal handler calls cleanup_run (through the public
** chiso_remove_temporaries) before the process ends. The library installs
** no handler itself: signals are the front end's. */
#ifndef CHISO_CLEANUP_H
#define CHISO_CLEANUP_H

/* At most this many temporaries are registered at one time (a report
** writes one directory; a synthetic survey three files). */
#define CLEANUP_SLOTS 32

/* Register `path` (a file, or with is_dir a directory tree) for removal
** on a signal; the path is copied. Returns the slot to pass to
** cleanup_forget, or -1 when the table is full or the path too long (the
** temporary then works as before, it is only not removed on a signal).
** Thread-safe. */
int cleanup_add(const char *path, int is_dir);

/* The temporary of `slot` is gone or renamed into place: forget it.
** -1 is a no-op. Thread-safe. */
void cleanup_forget(int slot);

/* Remove every registered temporary (files unlinked, directory trees
** emptied and removed, not following symbolic links) and forget them.
** Async-signal-safe: only open, getdents64, unlinkat, rmdir and close.
** Cannot fail (what cannot be removed is left). */
void cleanup_run(void);

/* Remove the directory tree at `path` now (the same way). Returns 0, or
** -1 when the directory is still there afterwards. */
int cleanup_remove_tree(const char *path);

#endif
