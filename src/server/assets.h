/* assets.h — the dashboard's own files compiled into the binary: the
** stylesheet, the one small script and the OpenAPI document, from
** src/server/assets (the build generates the arrays with tools/embed), so
** the server never reads a file to answer a request. */
#ifndef CHISO_ASSETS_H
#define CHISO_ASSETS_H

#include <stddef.h>

/* The bytes of asset `name` (e.g. "app.css"; NUL-terminated) with *len its
** size, or NULL when there is no such asset. Static: never freed. */
const char *assets_find(const char *name, size_t *len);

/* The i-th asset's name, NULL past the last. */
const char *assets_name(size_t i);

#endif
