/* cli.h — shared helpers of the chiso command-line front end.
**
** Each command lives in src/cli/cmd_NAME.c and starts with a line
**   CHISO_COMMAND(NAME, "one-line summary")
** followed by the function body. The build collects those lines into the
** command table (build/gen/commands.inc), so adding a command touches no
** other file. Underscores in NAME are shown as dashes: drop_import is
** `chiso drop-import`. */
#ifndef CHISO_CLI_H
#define CHISO_CLI_H

#include "chiso.h"

#include <stdio.h>

#define CHISO_COMMAND(name, summary) int cmd_##name(int argc, char **argv)

typedef enum { CLI_TABLE = 0, CLI_CSV = 1, CLI_JSON = 2 } cli_format;

/* Parse "table", "csv" or "json". Returns 0, or 1 after printing a usage
** error for `cmd`. */
int cli_parse_format(const char *cmd, const char *text, cli_format *out);

/* Parse a whole decimal integer in [lo, hi]. Returns 0, or 1 after printing
** a usage error naming `what`. */
int cli_parse_long(const char *cmd, const char *what, const char *text, long lo,
                   long hi, long *out);

/* Print "chiso CMD: MESSAGE" and a hint to stderr; returns CHISO_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print a library error (with its location) to stderr and return the exit
** code for rc. */
int cli_report(const char *cmd, int rc, const chiso_err *err);

/* Print the usage for an unknown or bad option that getopt reported and
** return CHISO_EXIT_USAGE. `optopt_char` is getopt's optopt, `arg` the
** offending argv element. */
int cli_bad_option(const char *cmd, int optopt_char, const char *arg);

/* The current calendar year (the default --year). */
int cli_current_year(void);

/* Open `path` for writing, or stdout when path is NULL or "-". A regular
** file is written to a temporary file beside it (".NAME.tmp-XXXXXX") that
** becomes `path` only when the output ends well, so a failure never
** leaves a partial or half-replaced file; a device or pipe is written
** directly. Returns NULL after printing an error. End with cli_end_output
** (or cli_close_output); an output still open at exit is removed. */
FILE *cli_open_output(const char *cmd, const char *path);

/* End an output. When rc is 0 the data are flushed and the file takes its
** name: returns 0, or CHISO_EIO (a write, the close or the rename
** failed; nothing is left at the path). When rc is not 0 the output is
** discarded (no file left, a previous file at the path untouched) and rc
** is returned. stdout is only flushed. NULL returns rc. */
int cli_end_output(FILE *f, int rc);

/* cli_end_output(f, 0). */
int cli_close_output(FILE *f);

/* Write PATH.meta.json (atomically: temporary name, then rename) saying
** that the file at PATH was made by `chiso CMD` from SYNTHETIC data of
** store DB, year YEAR: {"synthetic": true, "note", "generator",
** "chiso_version", "file", "store", "year"}. Nothing is done when path is
** NULL or "-". Returns 0, or prints an error and returns CHISO_EXIT_DATA. */
int cli_write_synthetic_meta(const char *cmd, const char *path, const char *db, int year);

/* *out = 1 when the survey imports of `year` in st are synthetic
** (store_year_synthetic); year 0 asks whether any stored year is. Returns
** 0 or the store's error code with err filled. */
int cli_store_synthetic(store *st, int year, int *out, chiso_err *err);

/* Label an output made from synthetic data (issue 5) once it is written;
** nothing when `synthetic` is 0 or fmt is JSON (JSON carries its own
** "synthetic": true field). Written to a file PATH: PATH.meta.json
** (cli_write_synthetic_meta); written to stdout (PATH NULL or "-"): a note
** "synthetic data" on stderr. Returns 0, or prints an error and returns
** CHISO_EXIT_DATA (the file at PATH is then removed: no synthetic file
** goes without its mark). */
int cli_mark_synthetic(const char *cmd, cli_format fmt, const char *path, const char *db,
                       int year, int synthetic);

/* A table of UTF-8 strings printed with columns aligned by code points. */
typedef struct cli_table cli_table;
cli_table *cli_table_new(int ncols, const char *const *headers);
/* Append a row of ncols strings (copied). Returns 0 or CHISO_ENOMEM. */
int cli_table_add(cli_table *t, const char *const *cells);
/* Right-align column `col` (numbers). */
void cli_table_right(cli_table *t, int col);
void cli_table_print(const cli_table *t, FILE *f);
void cli_table_free(cli_table *t);

/* 1 when stderr is a terminal (progress is shown only then). */
int cli_stderr_is_tty(void);

/* A chiso_progress_fn that draws a one-line bar on stderr when it is a
** terminal, and does nothing otherwise. */
void cli_progress(void *userdata, const char *stage, double done, double total);

#endif
