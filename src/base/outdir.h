/* outdir.h — a directory of outputs written whole (the HTML report and its
** province pages): built in a temporary sibling directory, then renamed
** into place, so that a full disk, an error or a signal never leaves a
** half-written directory where the old one was. */
#ifndef CHISO_OUTDIR_H
#define CHISO_OUTDIR_H

#include "base/err.h"

typedef struct outdir {
  char final[4096]; /* where the directory goes */
  char tmp[4200];   /* where it is built: "PARENT/.NAME.tmp-XXXXXX" */
  int slot;         /* its cleanup slot (cleanup_add), or -1 */
} outdir;

/* Start building the directory `final`. When `final` exists it must be a
** directory that is empty or that `ours` (may be NULL: none is) says holds
** an earlier output of the same kind: anything else is refused, so that a
** directory of the user's own files is never replaced. Creates the
** missing parents (as mkdir -p), then the temporary sibling (mode 0777
** less the umask) and registers it for removal on a signal. Returns 0, CHISO_EUSAGE (final is a file or holds
** other files), CHISO_EIO (cannot create), located at final. */
int outdir_begin(outdir *d, const char *final, int (*ours)(const char *dir), chiso_err *err);

/* Put the finished directory in place: renamed onto `final` (an earlier
** output there is swapped out atomically with renameat2 RENAME_EXCHANGE
** where the file system allows, else moved aside first, and then
** removed). Returns 0, or CHISO_EIO (the temporary is then removed and
** `final` is as before). */
int outdir_commit(outdir *d, chiso_err *err);

/* Give up: remove the temporary directory. Cannot fail. */
void outdir_abort(outdir *d);

#endif
