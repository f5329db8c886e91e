/* log.h — logging and progress reporting, routed through a hook.
**
** The library never writes to stdout. Log lines go to a handler that the
** front end installs; the default handler writes "chiso: LEVEL: message" to
** stderr. */
#ifndef CHISO_LOG_H
#define CHISO_LOG_H

#include "chiso.h" /* the levels, the handler and chiso_log are public */

#endif
