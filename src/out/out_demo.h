/* out_demo.h — the summary of the demo workspace for people: the top and
** bottom units with their rank intervals, who is not ranked and why each
** year, the HN+HCM share per year
** against the 50 % target, the national plan KPIs, the files written. */
#ifndef CHISO_OUT_DEMO_H
#define CHISO_OUT_DEMO_H

#include "app/demo.h"

#include <stdio.h>

/* Write the summary of s (made with options o). Returns 0 or CHISO_EIO. */
int out_demo_write(const demo_summary *s, const demo_options *o, FILE *out);

#endif
