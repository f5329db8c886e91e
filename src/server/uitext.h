/* uitext.h — every text of the dashboard in Vietnamese and English, by
** key (the texts of the report's own charts and map come from the
** library). Page code never contains display text: it asks for a key. */
#ifndef CHISO_UITEXT_H
#define CHISO_UITEXT_H

#include <stddef.h>

/* The text of `key` in `lang` ("vi" or "en"; anything else is "vi"); the
** key itself when unknown, so a missing entry shows on the page. Never
** NULL; static. */
const char *uitext_get(const char *lang, const char *key);

/* 1 when `key` has a text. */
int uitext_has(const char *key);

/* The number of entries and the i-th key (tests), NULL past the end. */
size_t uitext_count(void);
const char *uitext_key(size_t i);

#endif
