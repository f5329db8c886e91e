/* embed.h — data files compiled into the binary.
**
** The build turns every file listed in the Makefile's EMBED_FILES into a
** byte array, so chiso works from any directory. Names are paths relative
** to data/, e.g. "provinces/provinces.csv". */
#ifndef CHISO_EMBED_H
#define CHISO_EMBED_H

#include <stddef.h>

/* Return the bytes of the embedded file `name` (NUL-terminated, so text
** files can be used as C strings) and set *len to its size without the NUL.
** Returns NULL when there is no such file. The bytes are static: never
** free them. */
const char *embed_find(const char *name, size_t *len);

/* The i-th embedded file's name, or NULL past the end (for listings). */
const char *embed_name(size_t i);

#endif
