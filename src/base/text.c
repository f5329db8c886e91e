/* text.c — UTF-8 validation, NFC and folded keys through utf8proc. */
#include "base/text.h"

#include "base/cpu.h"
#include "base/err.h"
#include "base/mem.h"

#include <stdint.h>
#include <assert.h>
#include <string.h>
#include <utf8proc.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* The byte-wise check: the reference the vector one is tested against,
** and the one that finds where a string the vector one refuses goes
** wrong. */
static size_t utf8_check_bytes(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    utf8proc_int32_t cp;
    if (p[i] < 0x80) {
      i++;
      while (i + 8 <= n) { /* skip ASCII eight bytes at a time */
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080u) break;
        i += 8;
      }
      continue;
    }
    /* Fast paths, always valid: U+0080..U+07FF (2 bytes) and 3-byte forms
    ** led by E1..EC or EE..EF (no overlong, no surrogate), which cover
    ** Vietnamese letters. Anything else is checked by utf8proc. */
    if (p[i] >= 0xC2 && p[i] <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      i += 2;
      continue;
    }
    if (((p[i] >= 0xE1 && p[i] <= 0xEC) || p[i] >= 0xEE) && p[i] <= 0xEF && i + 2 < n &&
        (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    utf8proc_ssize_t len = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
    if (len < 0) return i;
    i += (size_t)len;
  }
  return n;
}

#if defined(__x86_64__)
/* Whether s[0..n) is valid UTF-8, 32 bytes at a time: the lookup
** algorithm of Keiser and Lemire, "Validating UTF-8 in less than one
** instruction per byte", Software: Practice and Experience 51(5), 2021.
** Every error a sequence can have shows in its first two bytes (the high
** nibble of the first, its low nibble, the high nibble of the second),
** so three 16-entry table lookups (pshufb), ANDed, flag each pair of
** bytes; the third and fourth bytes of a long sequence are checked by
** whether the byte two or three back leads one (the "two continuations"
** bit must then be set, and is cleared by an XOR). The tail is copied into
** a block of zeros, so a sequence cut short by the end of s meets a zero
** byte and is an error like any other cut short. */
enum {
  U8_SHORT = 1 << 0,     /* a lead byte not followed by a continuation */
  U8_LONG = 1 << 1,      /* a continuation after an ASCII byte */
  U8_OVERLONG3 = 1 << 2, /* E0 80..9F */
  U8_TOO_LARGE = 1 << 3, /* F4 90..BF, F5..FF and a continuation */
  U8_SURROGATE = 1 << 4, /* ED A0..BF */
  U8_OVERLONG2 = 1 << 5, /* C0, C1 and a continuation */
  U8_LARGE_1000 = 1 << 6, /* F5..FF 80..8F */
  U8_OVERLONG4 = 1 << 6, /* F0 80..8F (the same bit: told apart by the low nibble) */
  U8_TWO_CONTS = 1 << 7, /* two continuations: an error unless inside a long sequence */
  U8_CARRY = U8_SHORT | U8_LONG | U8_TWO_CONTS
};

/* the three tables, by the high nibble of a byte, its low nibble, and the
** high nibble of the byte after it */
static const unsigned char u8_first_high[16] = {
    U8_LONG, U8_LONG, U8_LONG, U8_LONG, U8_LONG, U8_LONG, U8_LONG, U8_LONG, /* 0___ ASCII */
    U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS,              /* 10__ */
    U8_SHORT | U8_OVERLONG2,                                             /* 1100 */
    U8_SHORT,                                                            /* 1101 */
    U8_SHORT | U8_OVERLONG3 | U8_SURROGATE,                              /* 1110 */
    U8_SHORT | U8_TOO_LARGE | U8_LARGE_1000 | U8_OVERLONG4};             /* 1111 */
static const unsigned char u8_first_low[16] = {
    U8_CARRY | U8_OVERLONG3 | U8_OVERLONG2 | U8_OVERLONG4, /* ___0000 */
    U8_CARRY | U8_OVERLONG2,                               /* ___0001 */
    U8_CARRY, U8_CARRY,                                    /* ___0010, ___0011 */
    U8_CARRY | U8_TOO_LARGE,                               /* ___0100 */
    U8_CARRY | U8_TOO_LARGE | U8_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_LARGE_1000 | U8_SURROGATE, /* ___1101 */
    U8_CARRY | U8_TOO_LARGE | U8_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_LARGE_1000};
static const unsigned char u8_second_high[16] = {
    U8_SHORT, U8_SHORT, U8_SHORT, U8_SHORT, U8_SHORT, U8_SHORT, U8_SHORT, U8_SHORT, /* 0___ */
    U8_LONG | U8_OVERLONG2 | U8_TWO_CONTS | U8_OVERLONG3 | U8_LARGE_1000 | U8_OVERLONG4, /* 1000 */
    U8_LONG | U8_OVERLONG2 | U8_TWO_CONTS | U8_OVERLONG3 | U8_TOO_LARGE,                /* 1001 */
    U8_LONG | U8_OVERLONG2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,                /* 1010 */
    U8_LONG | U8_OVERLONG2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,                /* 1011 */
    U8_SHORT, U8_SHORT, U8_SHORT, U8_SHORT};                                            /* 11__ */

/* a 16-byte table in both lanes */
__attribute__((target("avx2"))) static __m256i u8_table(const unsigned char *t) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)t));
}

__attribute__((target("avx2"))) static __m256i utf8_block_avx2(__m256i x, __m256i prev) {
  const __m256i first_high = u8_table(u8_first_high), first_low = u8_table(u8_first_low),
                second_high = u8_table(u8_second_high);
  const __m256i nib = _mm256_set1_epi8(0x0F);
  /* the 32 bytes before each byte of x, one, two and three back */
  __m256i joint = _mm256_permute2x128_si256(prev, x, 0x21);
  __m256i prev1 = _mm256_alignr_epi8(x, joint, 15);
  __m256i prev2 = _mm256_alignr_epi8(x, joint, 14);
  __m256i prev3 = _mm256_alignr_epi8(x, joint, 13);
  __m256i e = _mm256_and_si256(
      _mm256_and_si256(
          _mm256_shuffle_epi8(first_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nib)),
          _mm256_shuffle_epi8(first_low, _mm256_and_si256(prev1, nib))),
      _mm256_shuffle_epi8(second_high, _mm256_and_si256(_mm256_srli_epi16(x, 4), nib)));
  /* a third byte (two after E0..FF) or a fourth (three after F0..FF)
  ** must be a continuation: its bit 7 set by the saturating subtractions */
  __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
  __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
  __m256i must = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
  return _mm256_xor_si256(must, e);
}

__attribute__((target("avx2"))) static int utf8_valid_avx2(const unsigned char *p, size_t n) {
  __m256i prev = _mm256_setzero_si256(), err = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
    err = _mm256_or_si256(err, utf8_block_avx2(x, prev));
    prev = x;
  }
  unsigned char tail[32] = {0}; /* at least one zero after the last byte */
  memcpy(tail, p + i, n - i);
  __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)tail);
  err = _mm256_or_si256(err, utf8_block_avx2(x, prev));
  return _mm256_testz_si256(err, err);
}
#endif

size_t text_utf8_check(const char *s, size_t n) {
#if defined(__x86_64__)
  /* the vector check says whether; where, for the rare string it refuses,
  ** the byte-wise one */
  if (n >= 16 && cpu_level() >= CPU_AVX2 && utf8_valid_avx2((const unsigned char *)s, n)) return n;
#endif
  return utf8_check_bytes(s, n);
}

/* Run utf8proc_map with `options` and copy the result into our allocator so
** that every string we hand out is freed with chiso_free. */
static int map_text(const char *s, utf8proc_option_t options, char **out) {
  *out = NULL;
  if (!s) return CHISO_EDATA;
  size_t n = strlen(s);
  if (text_utf8_check(s, n) != n) return CHISO_EDATA;
  utf8proc_uint8_t *mapped = NULL;
  utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
                                      &mapped, options | UTF8PROC_STABLE);
  if (len < 0) return len == UTF8PROC_ERROR_NOMEM ? CHISO_ENOMEM : CHISO_EDATA;
  *out = chiso_strndup((const char *)mapped, (size_t)len);
  free(mapped);
  return *out ? CHISO_OK : CHISO_ENOMEM;
}

int text_nfc(const char *s, char **out) {
  return map_text(s, UTF8PROC_COMPOSE, out);
}

/* Replace đ (U+0111), Đ (U+0110), ð (U+00F0) and Ð (U+00D0) by 'd' or 'D'
** in place; the result is never longer than the input. */
static void replace_d_stroke(char *s, int keep_case) {
  unsigned char *r = (unsigned char *)s, *w = r;
  while (*r) {
    if (r[0] == 0xC4 && (r[1] == 0x91 || r[1] == 0x90)) {
      *w++ = (keep_case && r[1] == 0x90) ? 'D' : 'd';
      r += 2;
    } else if (r[0] == 0xC3 && (r[1] == 0xB0 || r[1] == 0x90)) {
      *w++ = (keep_case && r[1] == 0x90) ? 'D' : 'd';
      r += 2;
    } else {
      *w++ = *r++;
    }
  }
  *w = '\0';
}

int text_fold(const char *s, char **out) {
  int rc = map_text(s, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, out);
  if (rc == CHISO_OK) replace_d_stroke(*out, 0);
  return rc;
}

int text_ascii(const char *s, char **out) {
  int rc = map_text(s, UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK, out);
  if (rc == CHISO_OK) replace_d_stroke(*out, 1);
  return rc;
}

static int is_word_char(utf8proc_int32_t cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= '0' && cp <= '9');
  utf8proc_category_t cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
         cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
         cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_ND ||
         cat == UTF8PROC_CATEGORY_MN;
}

/* Squeeze non-word runs of a folded string into single spaces, or drop them
** when `sep` is 0. Works in place. */
static void squeeze_separators(char *s, int sep) {
  const unsigned char *r = (const unsigned char *)s;
  char *w = s;
  int pending = 0;
  size_t n = strlen(s);
  const unsigned char *end = r + n;
  while (r < end) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate(r, end - r, &cp);
    if (len <= 0) break; /* cannot happen: input was validated */
    if (is_word_char(cp)) {
      if (pending && w != s && sep) *w++ = (char)sep;
      pending = 0;
      memmove(w, r, (size_t)len);
      w += len;
    } else {
      pending = 1;
    }
    r += len;
  }
  *w = '\0';
}

int text_key(const char *s, char **out) {
  int rc = text_fold(s, out);
  if (rc == CHISO_OK) squeeze_separators(*out, ' ');
  return rc;
}

int text_compact_key(const char *s, char **out) {
  int rc = text_fold(s, out);
  if (rc == CHISO_OK) squeeze_separators(*out, 0);
  return rc;
}

int text_edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 255 || m > 255) return -1;
  /* Three rolling rows of the dynamic programme (the OSA recurrence needs
  ** the row two back for transpositions). */
  int rows[3][256];
  int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
  for (size_t j = 0; j <= m; j++) prev[j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    cur[0] = (int)i;
    for (size_t j = 1; j <= m; j++) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = prev[j] + 1;
      if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
      if (prev[j - 1] + cost < best) best = prev[j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          prev2[j - 2] + 1 < best)
        best = prev2[j - 2] + 1;
      cur[j] = best;
    }
    int *t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

size_t text_width(const char *s) {
  size_t w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p & 0xC0) != 0x80) w++;
  return w;
}

/* Append one byte as \xNN when there is room for it and the NUL. */
static size_t put_hex(char *buf, size_t w, size_t n, unsigned char c) {
  static const char hex[] = "0123456789ABCDEF";
  if (w + 5 > n) return w;
  buf[w++] = '\\', buf[w++] = 'x', buf[w++] = hex[c >> 4], buf[w++] = hex[c & 15];
  return w;
}

char *text_escape_controls(const char *s, int keep_lines, char *buf, size_t n) {
  assert(buf && n > 0);
  size_t w = 0, len = s ? strlen(s) : 0;
  for (size_t i = 0; i < len && w + 1 < n;) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      int control = c < 0x20 || c == 0x7F;
      if (control && !(keep_lines && (c == '\n' || c == '\t'))) w = put_hex(buf, w, n, c);
      else buf[w++] = (char)c;
      i++;
      continue;
    }
    /* the length of the one UTF-8 sequence starting here, if valid */
    size_t seq = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    int ok = seq > 1 && i + seq <= len && text_utf8_check(s + i, seq) == seq;
    /* C1 controls U+0080..U+009F are C2 80..C2 9F */
    if (ok && !(c == 0xC2 && (unsigned char)s[i + 1] < 0xA0)) {
      if (w + seq + 1 > n) break;
      memcpy(buf + w, s + i, seq);
      w += seq;
      i += seq;
      continue;
    }
    size_t bad = ok ? seq : 1;
    for (size_t k = 0; k < bad; k++) w = put_hex(buf, w, n, (unsigned char)s[i + k]);
    i += bad;
  }
  buf[w] = '\0';
  return buf;
}
