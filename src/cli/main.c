/* main.c — the chiso command-line front end: global options and dispatch. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* The command table, generated from the CHISO_COMMAND lines of
** src/cli/cmd_*.c (see the Makefile). */
#undef CHISO_COMMAND
#define CHISO_COMMAND(name, summary) int cmd_##name(int argc, char **argv);
#include "commands.inc"
#undef CHISO_COMMAND

typedef struct command {
  const char *name, *summary;
  int (*run)(int argc, char **argv);
} command;

#define CHISO_COMMAND(name, summary) {#name, summary, cmd_##name},
static const command commands[] = {
#include "commands.inc"
};
#undef CHISO_COMMAND
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* "drop_import" is typed "drop-import". */
static void display_name(const char *name, char *buf, size_t n) {
  snprintf(buf, n, "%s", name);
  for (char *p = buf; *p; p++)
    if (*p == '_') *p = '-';
}

static void print_help(FILE *f) {
  fprintf(f,
          "chiso %s: the provincial e-business index of Vietnam.\n\n"
          "Usage: chiso [--quiet|--verbose] COMMAND [OPTIONS] [ARGS]\n"
          "       chiso COMMAND --help  (or: chiso help COMMAND)\n"
          "       chiso --version\n\n"
          "Commands:\n",
          CHISO_VERSION);
  for (size_t i = 0; i < N_COMMANDS; i++) {
    char name[64];
    display_name(commands[i].name, name, sizeof name);
    fprintf(f, "  %-18s %s\n", name, commands[i].summary);
  }
  fprintf(f, "\nExit codes: 0 ok, 1 usage error, 2 data error, 3 internal error.\n"
             "Data goes to stdout; notes, warnings and progress go to stderr.\n");
}

/* Run the command argv[0], or say it is unknown and which one was meant. */
static int run_command(int argc, char **argv) {
  char names[N_COMMANDS][64];
  const char *list[N_COMMANDS];
  for (size_t c = 0; c < N_COMMANDS; c++) {
    display_name(commands[c].name, names[c], sizeof names[c]);
    list[c] = names[c];
    if (strcmp(names[c], argv[0]) == 0) return commands[c].run(argc, argv);
  }
  const char *near = chiso_suggest(argv[0], list, N_COMMANDS);
  if (near)
    fprintf(stderr, "chiso: unknown command '%s' (did you mean '%s'?)\nTry 'chiso --help'.\n",
            argv[0], near);
  else
    fprintf(stderr, "chiso: unknown command '%s'\nTry 'chiso --help'.\n", argv[0]);
  return CLI_EXIT_USAGE;
}

int main(int argc, char **argv) {
  int i = 1;
  cli_install_signals();
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      print_help(stdout);
      return CLI_EXIT_OK;
    } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
      printf("chiso %s\n", chiso_version());
      return CLI_EXIT_OK;
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      chiso_log_set_level(CHISO_LOG_WARN);
    } else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
      chiso_log_set_level(CHISO_LOG_DEBUG);
    } else {
      fprintf(stderr, "chiso: unknown option '%s'\nTry 'chiso --help'.\n", a);
      return CLI_EXIT_USAGE;
    }
  }
  if (i >= argc) {
    print_help(stderr);
    return CLI_EXIT_USAGE;
  }
  /* `chiso help` and `chiso help CMD` (CMD --help) */
  if (strcmp(argv[i], "help") == 0) {
    if (i + 1 >= argc) {
      print_help(stdout);
      return CLI_EXIT_OK;
    }
    char *sub[] = {argv[i + 1], "--help", NULL};
    return run_command(2, sub);
  }
  return run_command(argc - i, argv + i);
}
