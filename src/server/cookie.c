/* cookie.c — cookies read and written (cookie.h). */
#include "cookie.h"

#include <stdio.h>
#include <string.h>

static int octet(unsigned char c) {
  return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
}

int cookie_get(const char *header, const char *name, char *out, size_t n) {
  size_t nl = strlen(name);
  if (!header || !nl || n < 2) return 0;
  for (const char *p = header; *p;) {
    while (*p == ' ' || *p == '\t' || *p == ';') p++;
    const char *eq = p;
    while (*eq && *eq != '=' && *eq != ';') eq++;
    const char *end = eq;
    while (*end && *end != ';') end++;
    if (*eq == '=' && (size_t)(eq - p) == nl && memcmp(p, name, nl) == 0) {
      const char *v = eq + 1, *ve = end;
      while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
      if (ve - v >= 2 && *v == '"' && ve[-1] == '"') v++, ve--;
      size_t len = (size_t)(ve - v);
      if (!len || len > COOKIE_MAX_VALUE || len >= n) return 0;
      for (size_t i = 0; i < len; i++)
        if (!octet((unsigned char)v[i])) return 0;
      memcpy(out, v, len);
      out[len] = '\0';
      return 1;
    }
    p = end;
  }
  return 0;
}

void cookie_name(const char *base, int secure, char *out, size_t n) {
  snprintf(out, n, "%s%s", secure ? "__Host-" : "", base);
}

int cookie_set(char *out, size_t n, const char *name, const char *value, long max_age, int secure) {
  for (const char *p = value; *p; p++)
    if (!octet((unsigned char)*p)) return -1;
  char age[48] = "";
  if (max_age > 0) snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
  else if (max_age < 0) snprintf(age, sizeof age, "; Max-Age=0");
  int w = snprintf(out, n, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value, age,
                   secure ? "; Secure" : "");
  return w < 0 || (size_t)w >= n ? -1 : 0;
}
