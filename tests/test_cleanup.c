/* Tests of base/cleanup.c and base/outdir.c: temporaries registered are
** removed by cleanup_run (also from a signal handler, in a child process
** that dies of SIGTERM), forgotten ones are not; a directory written whole
** lands new, over an empty directory or over an earlier output, and never
** over a directory of other files. */
#include "testutil.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char root[64];

static int setup(void **state) {
  (void)state;
  snprintf(root, sizeof root, "/tmp/chiso-cleanup-XXXXXX");
  return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  return cleanup_remove_tree(root);
}

static void touch(const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("x\n", f);
  fclose(f);
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

/* DIR with files two levels down, and a symbolic link out of it that
** must not be followed. */
static void make_tree(const char *dir, const char *outside) {
  char p[256];
  assert_int_equal(mkdir(dir, 0777), 0);
  for (int k = 0; k < 40; k++) {
    snprintf(p, sizeof p, "%s/f%02d.html", dir, k);
    touch(p);
  }
  snprintf(p, sizeof p, "%s/sub", dir);
  assert_int_equal(mkdir(p, 0777), 0);
  snprintf(p, sizeof p, "%s/sub/deeper", dir);
  assert_int_equal(mkdir(p, 0777), 0);
  snprintf(p, sizeof p, "%s/sub/deeper/x", dir);
  touch(p);
  snprintf(p, sizeof p, "%s/link", dir);
  assert_int_equal(symlink(outside, p), 0);
}

static void test_run_removes_registered(void **state) {
  (void)state;
  char file[128], dir[128], kept[128], outside[128], keepme[160];
  snprintf(file, sizeof file, "%s/a.tmp", root);
  snprintf(dir, sizeof dir, "%s/d.tmp", root);
  snprintf(kept, sizeof kept, "%s/kept.tmp", root);
  snprintf(outside, sizeof outside, "%s/outside", root);
  snprintf(keepme, sizeof keepme, "%s/keep", outside);
  assert_int_equal(mkdir(outside, 0777), 0);
  touch(keepme);
  touch(file);
  touch(kept);
  make_tree(dir, outside);
  int a = cleanup_add(file, 0), d = cleanup_add(dir, 1), k = cleanup_add(kept, 0);
  assert_true(a >= 0 && d >= 0 && k >= 0);
  cleanup_forget(k);
  cleanup_run();
  assert_false(exists(file));
  assert_false(exists(dir));
  assert_true(exists(kept));    /* forgotten: left alone */
  assert_true(exists(keepme));  /* the link was removed, not followed */
  cleanup_run();                /* nothing registered any more: a no-op */
  assert_true(exists(kept));
}

static void on_term(int sig) {
  cleanup_run();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* A child registers a tree, is killed by SIGTERM; its handler removes it. */
static void test_signal_in_child(void **state) {
  (void)state;
  char dir[128], outside[128];
  snprintf(dir, sizeof dir, "%s/child.tmp", root);
  snprintf(outside, sizeof outside, "%s/outside2", root);
  assert_int_equal(mkdir(outside, 0777), 0);
  int p[2];
  assert_int_equal(pipe(p), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    signal(SIGTERM, on_term);
    make_tree(dir, outside);
    cleanup_add(dir, 1);
    if (write(p[1], "r", 1) != 1) _exit(3);
    for (;;) pause();
  }
  char c;
  assert_int_equal(read(p[0], &c, 1), 1);
  assert_true(exists(dir));
  kill(pid, SIGTERM);
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  assert_false(exists(dir));
  close(p[0]);
  close(p[1]);
}

static int ours(const char *dir) {
  char p[256];
  snprintf(p, sizeof p, "%s/index.html", dir);
  return exists(p);
}

static void write_output(const char *dir, const char *marker) {
  char p[256];
  snprintf(p, sizeof p, "%s/index.html", dir);
  touch(p);
  snprintf(p, sizeof p, "%s/%s", dir, marker);
  touch(p);
}

static void test_outdir(void **state) {
  (void)state;
  char final[128], p[256];
  outdir d;
  chiso_err err;
  snprintf(final, sizeof final, "%s/report", root);
  /* new */
  assert_int_equal(outdir_begin(&d, final, ours, &err), 0);
  assert_false(exists(final));
  write_output(d.tmp, "one");
  assert_int_equal(outdir_commit(&d, &err), 0);
  snprintf(p, sizeof p, "%s/one", final);
  assert_true(exists(p));
  /* over an earlier output: swapped whole, the old one removed */
  assert_int_equal(outdir_begin(&d, final, ours, &err), 0);
  write_output(d.tmp, "two");
  assert_int_equal(outdir_commit(&d, &err), 0);
  assert_false(exists(p));
  snprintf(p, sizeof p, "%s/two", final);
  assert_true(exists(p));
  /* abort: nothing changes */
  assert_int_equal(outdir_begin(&d, final, ours, &err), 0);
  write_output(d.tmp, "three");
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s", d.tmp);
  outdir_abort(&d);
  assert_false(exists(tmp));
  assert_true(exists(p));
  /* other files: refused, untouched */
  snprintf(final, sizeof final, "%s/mine", root);
  assert_int_equal(mkdir(final, 0777), 0);
  snprintf(p, sizeof p, "%s/notes.txt", final);
  touch(p);
  assert_int_equal(outdir_begin(&d, final, ours, &err), CHISO_EUSAGE);
  assert_true(exists(p));
  assert_int_equal(outdir_begin(&d, p, ours, &err), CHISO_EUSAGE); /* a file */
  /* an empty directory is used */
  snprintf(final, sizeof final, "%s/empty", root);
  assert_int_equal(mkdir(final, 0777), 0);
  assert_int_equal(outdir_begin(&d, final, NULL, &err), 0);
  write_output(d.tmp, "four");
  assert_int_equal(outdir_commit(&d, &err), 0);
  snprintf(p, sizeof p, "%s/four", final);
  assert_true(exists(p));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_run_removes_registered),
      cmocka_unit_test(test_signal_in_child),
      cmocka_unit_test(test_outdir),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
