/* out_divide.h — the divide measures as a table, CSV or JSON (the formats
** of `chiso divide`, docs/cli.md). */
#ifndef CHISO_OUT_DIVIDE_H
#define CHISO_OUT_DIVIDE_H

#include "chiso.h"
#include "divide/inequality.h"
#include "year/divide.h"

#include <stdio.h>

/* Write measures m[0..n): CSV measure,value,lo,hi; JSON {"year",
** ["synthetic": true], and with y (a stored year, may be NULL) "units",
** "volume", "interval", the unit "shares" and the "lorenz" curve, then
** "measures"}; table: shares in %. Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int out_divide_write(const inequality_measure *m, size_t n, const divide_year *y, int year,
                     int synthetic, chiso_format fmt, FILE *out);

#endif
