/* example.c — a program outside chiso built against the installed tree:
** the system's <strings.h> and the public header together, flags from
** pkg-config, a call into the library. Run by tests/install/check-install.sh. */
#include <strings.h>

#include <chiso.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  chiso_match m;
  chiso_err err;
  chiso_err_clear(&err);
  if (strcasecmp(chiso_version(), CHISO_VERSION) != 0) return 1;
  if (chiso_resolve(2025, "TP.HCM", &m, &err) != CHISO_OK || strcmp(m.code, "79") != 0) return 2;
  printf("chiso %s: %s %s\n", chiso_version(), m.code, m.name);
  return 0;
}
