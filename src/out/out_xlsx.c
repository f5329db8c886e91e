/* out_xlsx.c — a CSV table as a one-sheet workbook (out_xlsx.h). */
#include "out/out_xlsx.h"

#include "base/text.h"
#include "io/csvread.h"
#include "io/number.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_COLS 256

/* A number cell: a plain decimal (number_parse_data) that is not a code
** written with a leading zero ("01", "079"). */
static int as_number(const char *s, double *v) {
  if (!*s || number_parse_data(s, v) != NUMBER_OK) return 0;
  const char *d = s + (*s == '-' || *s == '+');
  return !(d[0] == '0' && d[1] >= '0' && d[1] <= '9');
}

static int fill(lxw_workbook *wb, lxw_worksheet *ws, csvread *r, chiso_err *err) {
  lxw_format *head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDCE6F1);
  format_set_bottom(head, LXW_BORDER_THIN);
  double width[MAX_COLS] = {0};
  csvread_row *row = NULL;
  int rc;
  lxw_row_t at = 0;
  while (!(rc = csvread_next(r, &row, err)) && row) {
    for (size_t c = 0; c < row->n && c < MAX_COLS; c++) {
      const char *s = row->fields[c];
      double v, w = (double)text_width(s) * 1.1;
      if (at > 0 && as_number(s, &v)) {
        worksheet_write_number(ws, at, (lxw_col_t)c, v, NULL);
        w = 10;
      } else if (*s) {
        worksheet_write_string(ws, at, (lxw_col_t)c, s, at ? NULL : head);
      }
      if (w > width[c]) width[c] = w > 60 ? 60 : w;
    }
    at++;
  }
  worksheet_freeze_panes(ws, 1, 0);
  for (int c = 0; c < MAX_COLS; c++)
    if (width[c] > 0) worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c] + 2, NULL);
  return rc;
}

int out_xlsx_from_csv(const char *csv, size_t n, const char *sheet, const char *path,
                      chiso_err *err) {
  assert(csv && path);
  char tmp[4096], name[32];
  snprintf(tmp, sizeof tmp, "%s.tmp%ld.xlsx", path, (long)getpid());
  snprintf(name, sizeof name, "%s", sheet && *sheet ? sheet : "data");
  csvread_options o = {.encoding = CSVREAD_ENC_UTF8, .delimiter = ','};
  csvread *r = NULL;
  int rc = csvread_open_mem(csv, n, path, &o, &r, err);
  if (rc) return rc;
  lxw_workbook *wb = workbook_new(tmp);
  if (!wb) {
    csvread_close(r);
    return chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot create the workbook");
  }
  lxw_doc_properties props = {0};
  props.title = name;
  props.created = 946684800; /* 2000-01-01 UTC: the same table, the same bytes */
  workbook_set_properties(wb, &props);
  lxw_worksheet *ws = workbook_add_worksheet(wb, name);
  rc = ws ? fill(wb, ws, r, err) : chiso_err_set(err, CHISO_EDATA, "bad sheet name '%s'", name);
  csvread_close(r);
  lxw_error e = workbook_close(wb);
  if (!rc && e != LXW_NO_ERROR)
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot write the workbook: %s", lxw_strerror(e));
  if (!rc && rename(tmp, path) != 0)
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot move the workbook into place");
  if (rc) remove(tmp);
  return rc;
}
