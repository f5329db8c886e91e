/* i18n.h — every user-visible text of the report, charts and exports,
** in Vietnamese and English, looked up by key.
**
** Chart and page code never contains display text: it asks for a key. */
#ifndef CHISO_I18N_H
#define CHISO_I18N_H

#include <stddef.h>

/* The text for `key` in `lang` ("vi" or "en"; anything else is "vi").
** Returns the key itself when it is unknown, so a missing entry shows up
** on the page instead of crashing. Never NULL; the string is static. */
const char *i18n_text(const char *lang, const char *key);

/* The text of `key` for an interval at confidence `level` (e.g. 0.90):
** when level is in (0, 1), the entry `key`_level with "{level}" replaced
** by the percentage ("90"; a decimal comma in Vietnamese), else the plain
** entry. Written to buf (n bytes, truncated); returns buf. */
const char *i18n_level(const char *lang, const char *key, double level, char *buf, size_t n);

/* The text of `key` with "{n}" replaced by the whole number `count`.
** Written to buf (n bytes, truncated); returns buf. */
const char *i18n_with_n(const char *lang, const char *key, long count, char *buf, size_t n);

/* 1 when `key` has both a Vietnamese and an English text. */
int i18n_has(const char *key);

/* Number of entries and the i-th key (for tests); NULL past the end. */
size_t i18n_count(void);
const char *i18n_key(size_t i);

#endif
