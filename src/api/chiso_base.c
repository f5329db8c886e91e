/* chiso_base.c — the public API: version and output formats (chiso.h).
** Errors, logging and memory are implemented in base/ (err.c, log.c,
** mem.c), whose public part carries the chiso_ prefix. */
#include "chiso.h"

#include "base/cleanup.h"
#include "base/text.h"

#include <assert.h>
#include <string.h>

const char *chiso_version(void) { return CHISO_VERSION; }

void chiso_remove_temporaries(void) { cleanup_run(); }

int chiso_format_parse(const char *name, chiso_format *out) {
  assert(name && out);
  static const char *const names[] = {"table", "csv", "json"};
  for (int i = 0; i < 3; i++)
    if (strcmp(name, names[i]) == 0) {
      *out = (chiso_format)i;
      return CHISO_OK;
    }
  return CHISO_EUSAGE;
}

const char *chiso_suggest(const char *word, const char *const *candidates, size_t n) {
  assert(word && (candidates || !n));
  size_t wl = strlen(word);
  int limit = wl <= 4 ? 1 : 2, best = limit + 1;
  const char *pick = NULL;
  for (size_t i = 0; i < n && wl; i++) {
    if (!candidates[i]) continue;
    int d = strncmp(candidates[i], word, wl) == 0 ? 0 : text_edit_distance(word, candidates[i]);
    if (d >= 0 && d < best) best = d, pick = candidates[i];
  }
  return pick;
}
