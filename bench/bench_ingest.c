/* bench_ingest.c — prints the throughput of reading a large survey CSV:
** the bare CSV parser (csvr_) and the whole ingest (header matching,
** province resolution, coding every cell into survey_data), in MB/s and
** rows/s, and peak RSS. The input (n respondents × 40 questions, Vietnamese
** yes/no words and numbers with decimal commas) is generated in /tmp and
** removed. Prints figures; asserts nothing. Usage: bench_ingest [n] */
#include "chiso_internal.h"

#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define NQ 40

static double file_mb(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  double mb = (double)ftell(f) / 1e6;
  fclose(f);
  return mb;
}

static void write_input(const char *path, size_t n) {
  static const char *prov[] = {"Hà Nội", "TP.HCM", "Đà Nẵng", "Cần Thơ", "Hải Phòng", "Huế",
                               "Bình Dương", "Đồng Nai", "Nghệ An", "Quảng Ninh"};
  static const char *size[] = {"micro", "small", "medium", "large"};
  static const char *yn[] = {"Có", "Không", "1", "0", ""};
  FILE *f = fopen(path, "w");
  fputs("respondent_id,province,size_class,weight", f);
  for (int q = 0; q < NQ; q++) fprintf(f, ",q%02d", q);
  fputc('\n', f);
  unsigned x = 12345;
  for (size_t i = 0; i < n; i++) {
    fprintf(f, "r%07zu,%s,%s,%u.5", i, prov[i % 10], size[i % 4], 1 + (unsigned)(i % 50));
    for (int q = 0; q < NQ; q++) {
      x = x * 1103515245u + 12345u;
      if (q < 30) fprintf(f, ",%s", yn[(x >> 16) % 5]);
      else fprintf(f, ",\"%u,%u\"", (x >> 16) % 5000, (x >> 8) % 10);
    }
    fputc('\n', f);
  }
  fclose(f);
}

static codebook *make_codebook(void) {
  char *json = malloc(16384);
  size_t w = (size_t)sprintf(json, "{\"codebook\": {\"design\": {\"respondent_id\": \"respondent_id\", "
                                   "\"province\": \"province\", \"stratum\": \"size_class\", "
                                   "\"weight\": \"weight\"}, \"questions\": [");
  for (int q = 0; q < NQ; q++)
    w += (size_t)sprintf(json + w, "%s{\"id\": \"q%02d\", \"type\": \"%s\"}", q ? ", " : "", q,
                         q < 30 ? "yesno" : "number");
  sprintf(json + w, "]}}");
  codebook *cb = NULL;
  chiso_err err;
  if (codebook_parse(json, "bench", &cb, &err)) fprintf(stderr, "%s\n", err.message);
  free(json);
  return cb;
}

/* The CSV again as an .xlsx written by libxlsxwriter (numbers as numbers). */
static void write_xlsx(const char *csv, const char *out) {
  lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
  lxw_workbook *wb = workbook_new_opt(out, &wo);
  lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
  csvread *r = NULL;
  csvread_row *row;
  chiso_err err;
  lxw_row_t ri = 0;
  if (csvread_open(csv, NULL, &r, &err)) return;
  while (csvread_next(r, &row, &err) == 0 && row) {
    for (size_t c = 0; c < row->n; c++) {
      char *end;
      double d = strtod(row->fields[c], &end);
      if (ri && c == 3 && *end == '\0') worksheet_write_number(ws, ri, (lxw_col_t)c, d, NULL);
      else if (row->fields[c][0]) worksheet_write_string(ws, ri, (lxw_col_t)c, row->fields[c], NULL);
    }
    ri++;
  }
  csvread_close(r);
  workbook_close(wb);
}

static void bench_xlsx(const char *csv, codebook *cb, geo_registry *reg) {
  char path[] = "/tmp/chiso-bench-XXXXXX.xlsx";
  int fd = mkstemps(path, 5);
  if (fd < 0) return;
  close(fd);
  write_xlsx(csv, path);
  double mb = file_mb(path);
  survey_data *s = NULL;
  ingest_report *rep = NULL;
  chiso_err err;
  double t, cpu;
  bench_mark m = bench_start();
  int rc = ingest_file(path, cb, reg, 2024, NULL, &s, &rep, &err);
  cpu = bench_since(m, &t);
  bench_line("ingest xlsx", t, cpu, "%.0f MB/s of .xlsx, %.0f rows/s (rc %d, %zu rows)", mb / t,
             (double)(s ? s->n : 0) / t, rc, s ? s->n : 0);
  survey_free(s);
  ingest_report_free(rep);
  unlink(path);
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 500000;
  char path[] = "/tmp/chiso-bench-XXXXXX.csv";
  int fd = mkstemps(path, 4);
  if (fd < 0) return 1;
  close(fd);
  write_input(path, n);
  double mb = file_mb(path);
  printf("input: %zu rows x %d questions, %.1f MB\n", n, NQ, mb);

  chiso_err err;
  csvread *r = NULL;
  csvread_row *row;
  double t, cpu;
  bench_mark m = bench_start();
  size_t rows = 0, fields = 0;
  if (csvread_open(path, NULL, &r, &err) == 0) {
    while (csvread_next(r, &row, &err) == 0 && row) rows++, fields += row->n;
    csvread_close(r);
  }
  cpu = bench_since(m, &t);
  bench_line("csvread parse", t, cpu, "%.0f MB/s, %.0f rows/s (%zu fields)", mb / t, rows / t, fields);

  codebook *cb = make_codebook();
  geo_registry *reg = NULL;
  geo_registry_new(&reg, &err);
  survey_data *s = NULL;
  ingest_report *rep = NULL;
  m = bench_start();
  int rc = ingest_file(path, cb, reg, 2024, NULL, &s, &rep, &err);
  cpu = bench_since(m, &t);
  bench_line("ingest_file", t, cpu, "%.0f MB/s, %.0f rows/s (rc %d, %zu rows)", mb / t,
             (double)(s ? s->n : 0) / t, rc, s ? s->n : 0);
  survey_free(s);
  s = NULL;
  char small[] = "/tmp/chiso-bench-XXXXXX.csv";
  fd = mkstemps(small, 4);
  if (fd >= 0) {
    close(fd);
    write_input(small, n / 5);
    bench_xlsx(small, cb, reg);
    unlink(small);
  }
  printf("  peak RSS: %.0f MB\n", bench_peak_mb());
  survey_free(s);
  ingest_report_free(rep);
  geo_registry_free(reg);
  codebook_free(cb);
  unlink(path);
  return 0;
}
