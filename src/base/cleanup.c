/* cleanup.c — temporaries removed on a signal (cleanup.h). The table is
** file-scope state by necessity: a signal handler can reach nothing else.
** A slot is claimed with a compare-and-swap (0 free, 1 being written,
** 2 armed), so the handler only ever reads a path that is complete. */
#include "base/cleanup.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PATH_CAP 4096

static struct {
  _Atomic int state;
  int is_dir;
  char path[PATH_CAP];
} slots[CLEANUP_SLOTS];

int cleanup_add(const char *path, int is_dir) {
  size_t n = strlen(path);
  if (n >= PATH_CAP) return -1;
  for (int i = 0; i < CLEANUP_SLOTS; i++) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&slots[i].state, &expected, 1)) continue;
    memcpy(slots[i].path, path, n + 1);
    slots[i].is_dir = is_dir;
    atomic_store(&slots[i].state, 2);
    return i;
  }
  return -1;
}

void cleanup_forget(int slot) {
  if (slot >= 0 && slot < CLEANUP_SLOTS) atomic_store(&slots[slot].state, 0);
}

/* The record getdents64 fills (linux_dirent64; glibc declares no type
** for the raw call). */
struct dirent64_raw {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

/* Empty the directory open as dfd; subdirectories down to `depth` more
** levels. Passes again from the start until a pass removes nothing, since
** removing entries while reading may skip some. */
static void clear_dir(int dfd, int depth) {
  char buf[4096] __attribute__((aligned(8)));
  for (int removed = 1; removed;) {
    removed = 0;
    if (lseek(dfd, 0, SEEK_SET) < 0) return;
    long n;
    while ((n = syscall(SYS_getdents64, dfd, buf, sizeof buf)) > 0) {
      for (long off = 0; off < n;) {
        struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
        off += d->d_reclen;
        const char *name = d->d_name;
        if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]))) continue;
        if (d->d_type == DT_DIR && depth > 0) {
          int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
          if (sub >= 0) {
            clear_dir(sub, depth - 1);
            close(sub);
          }
          removed += unlinkat(dfd, name, AT_REMOVEDIR) == 0;
        } else {
          removed += unlinkat(dfd, name, 0) == 0;
        }
      }
    }
  }
}

int cleanup_remove_tree(const char *path) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) {
    clear_dir(fd, 8);
    close(fd);
  }
  return rmdir(path) == 0 || access(path, F_OK) != 0 ? 0 : -1;
}

void cleanup_run(void) {
  for (int i = 0; i < CLEANUP_SLOTS; i++) {
    int armed = 2;
    if (!atomic_compare_exchange_strong(&slots[i].state, &armed, 1)) continue;
    if (slots[i].is_dir) cleanup_remove_tree(slots[i].path);
    else unlink(slots[i].path);
    atomic_store(&slots[i].state, 0);
  }
}
