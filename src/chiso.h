/* chiso.h — the public interface of libchiso.
**
** Front ends (the CLI, later the HTTP server) include only this header.
** Each module's header documents its own contracts; this file gathers
** them. Conventions, shared by every module:
**   - functions return 0 (CHISO_OK) or a CHISO_E* code and fill a
**     caller-owned chiso_err (err.h);
**   - the library never prints to stdout and never exits;
**   - memory comes from chiso_malloc/chiso_free (mem.h);
**   - text is UTF-8, NFC for display, folded keys for matching (text.h). */
#ifndef CHISO_H
#define CHISO_H

#define CHISO_VERSION "0.1.0"

#include "base/err.h"
/* Every other module header (the .h files of src and its subfolders, outside src/cli), listed
** by the build in build/gen/modules.h so adding a module touches no shared
** file. */
#include "modules.h"

#endif
