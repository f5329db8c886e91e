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

#include <getopt.h>
#include <stdio.h>

#define CHISO_COMMAND(name, summary) int cmd_##name(int argc, char **argv)

/* Process exit codes of the command line. */
enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_USAGE = 1,    /* bad arguments */
  CLI_EXIT_DATA = 2,     /* bad input data, a file that cannot be read or written */
  CLI_EXIT_INTERNAL = 3  /* out of memory, a bug */
};

/* The exit code of a library result code. Cannot fail. */
int cli_exit_code(int rc);

/* Check an --encoding value (chiso_encoding_known). Returns 0, or prints
** a usage error naming the encodings and returns CLI_EXIT_USAGE. */
int cli_check_encoding(const char *cmd, const char *name);

/* Parse "table", "csv" or "json". Returns 0, or 1 after printing a usage
** error for `cmd`. */
int cli_parse_format(const char *cmd, const char *text, chiso_format *out);

/* Parse a whole decimal integer in [lo, hi]. Returns 0, or 1 after printing
** a usage error naming `what`. */
int cli_parse_long(const char *cmd, const char *what, const char *text, long lo,
                   long hi, long *out);

/* Print "chiso CMD: MESSAGE" and a hint to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print a library error (with its location and, for a hint, the flag to
** use) to stderr and return the exit code for rc: a usage error (rc
** CHISO_EUSAGE) is shown as one, with the pointer to --help. */
int cli_report(const char *cmd, int rc, const chiso_err *err);

/* Print "chiso CMD: FLAG advice" for the hint of err (e.g. "give --year")
** to stderr, nothing when err has no hint. Cannot fail. */
void cli_hint(const char *cmd, const chiso_err *err);

/* The note of a resolved name on stderr, "chiso CMD: note: ...": a former
** province read as the 2025 unit it became part of ("\"Bình Dương\" is 74
** Bình Dương, part of 79 Hồ Chí Minh since 2025"), or a name read by a
** prefix or near spelling. Nothing for an exact name. Cannot fail. */
void cli_resolve_note(const char *cmd, const char *name, const chiso_match *m);

/* Print the usage for an unknown or bad option that getopt reported and
** return CLI_EXIT_USAGE. `optopt_char` is getopt's optopt, `arg` the
** offending argv element, `opts` the command's long options (terminated
** by a NULL name; may be NULL): a mistyped flag gets "did you mean". */
int cli_bad_option(const char *cmd, int optopt_char, const char *arg,
                   const struct option *opts);

/* Handle SIGINT, SIGTERM and SIGHUP: the temporary files of outputs in
** progress (cli_open_output's and the library's) are removed before the
** process dies of the signal; SIGXFSZ is ignored, so that a file-size
** limit fails a write like a full disk. Called once by main. */
void cli_install_signals(void);

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

/* Label an output made from synthetic data (issue 5) once it is written;
** nothing when `synthetic` is 0 or fmt is JSON (JSON carries its own
** "synthetic": true field). Written to a file PATH: PATH.meta.json
** (chiso_synthetic_mark); written to stdout (PATH NULL or "-"): a note
** "synthetic data" on stderr. Returns 0, or prints an error and returns
** CLI_EXIT_DATA (the file at PATH is then removed: no synthetic file goes
** without its mark). */
int cli_mark_synthetic(const char *cmd, chiso_format fmt, const char *path, const char *db,
                       int year, int synthetic);

/* Log the notes of an index result (chiso_index_note). */
void cli_index_notes(const chiso_index *ix);

/* 1 when stderr is a terminal (progress is shown only then). */
int cli_stderr_is_tty(void);

/* A chiso_progress_fn that draws a one-line bar on stderr when it is a
** terminal, and does nothing otherwise. */
void cli_progress(void *userdata, const char *stage, double done, double total);

#endif
