/* csvread.c — streaming RFC 4180 CSV reader with encoding detection.
**
** The UTF-8 path never holds more than the longest row plus one read
** chunk: a row is parsed from the buffer; when it runs past the data read
** so far, the partial row is moved to the front, more is read, and the row
** is parsed again. Other encodings are decoded to UTF-8 in memory first. */
#include "io/csvread.h"

#include "base/mem.h"
#include "base/text.h"
#include "base/textfile.h"
#include "io/vnlegacy.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#define CSVREAD_VECTOR 1
#endif

#define CHUNK (1024 * 1024)

struct csvread {
  FILE *f;           /* NULL once everything is in buf */
  char *name;
  char *buf;         /* input bytes [pos, len) not yet parsed */
  size_t cap, len, pos;
  int eof;
  long long read_total, max_bytes; /* bytes read from f, its limit (0: none) */
  char delim;
  csvread_encoding enc;
  size_t max_field;
  long row, line;    /* last record number issued; line where the next starts */
  /* Fields of the current record: spans [offs, ends) of buf found by the
  ** first pass, then cut in place (NUL-terminated, quotes undone). */
  size_t *offs, *ends, *lens;
  unsigned char *quoted;
  char **fields;
  size_t nf, f_cap;
  unsigned char stop[256]; /* bytes that end an unquoted field */
  int vector;        /* records may be cut with vector compares (scan_fast) */
  void (*on_read)(void *ctx, const void *bytes, size_t n); /* csvread_options.on_read */
  void *on_read_ctx;
  csvread_row cur;
  int failed;        /* sticky error code */
  chiso_err saved;
};

/* ---- encodings ------------------------------------------------------------ */

/* Windows-1258 bytes 0x80..0xFF as Unicode code points; 0 = undefined.
** Five bytes are combining marks: 0xCC grave, 0xD2 hook above, 0xDE tilde,
** 0xEC acute, 0xF2 dot below (the tones of Vietnamese). */
static const unsigned short cp1258_high[128] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 80 */
    0x02C6, 0x2030, 0,      0x2039, 0x0152, 0,      0,      0,      /* 88 */
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 90 */
    0x02DC, 0x2122, 0,      0x203A, 0x0153, 0,      0,      0x0178, /* 98 */
    0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, /* A0 */
    0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF, /* A8 */
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, /* B0 */
    0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF, /* B8 */
    0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7, /* C0 */
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF, /* C8 */
    0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7, /* D0 */
    0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF, /* D8 */
    0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7, /* E0 */
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF, /* E8 */
    0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7, /* F0 */
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF, /* F8 */
};

static size_t put_utf8(char *o, unsigned cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

static long line_at(const char *in, size_t off) {
  long line = 1;
  for (size_t i = 0; i < off; i++) line += in[i] == '\n';
  return line;
}

static int decode_cp1258(const unsigned char *in, size_t n, char *o, size_t *olen,
                         int *marks, const char *name, chiso_err *err) {
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned cp = in[i] < 0x80 ? in[i] : cp1258_high[in[i] - 0x80];
    if (cp == 0)
      return chiso_err_at(err, CHISO_EDATA, name, line_at((const char *)in, i), 0,
                          "byte 0x%02X at offset %zu is %s in Windows-1258", in[i], i,
                          in[i] ? "not defined" : "a NUL");
    if (cp >= 0x300 && cp <= 0x323) *marks = 1;
    w += put_utf8(o + w, cp);
  }
  *olen = w;
  return CHISO_OK;
}

static int decode_utf16(const unsigned char *in, size_t n, int be, char *o, size_t *olen,
                        const char *name, chiso_err *err) {
  size_t w = 0;
  if (n % 2)
    return chiso_err_at(err, CHISO_EDATA, name, 0, 0,
                        "UTF-16 input has an odd number of bytes (%zu): truncated?", n);
  for (size_t i = 0; i < n; i += 2) {
    unsigned u = be ? (unsigned)(in[i] << 8 | in[i + 1]) : (unsigned)(in[i + 1] << 8 | in[i]);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
      unsigned v = be ? (unsigned)(in[i + 2] << 8 | in[i + 3])
                      : (unsigned)(in[i + 3] << 8 | in[i + 2]);
      if (v >= 0xDC00 && v <= 0xDFFF) {
        w += put_utf8(o + w, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
        i += 2;
        continue;
      }
    }
    if (u == 0 || (u >= 0xD800 && u <= 0xDFFF))
      return chiso_err_at(err, CHISO_EDATA, name, 0, 0,
                          "UTF-16 input has %s at byte offset %zu",
                          u ? "a broken surrogate pair" : "a NUL character", i);
    w += put_utf8(o + w, u);
  }
  *olen = w;
  return CHISO_OK;
}

int csvread_decode(const char *in, size_t n, csvread_encoding enc, const char *name, char **out,
                size_t *out_len, chiso_err *err) {
  /* Worst cases: a UTF-16 unit gives 3 bytes for 2; a cp1258 byte gives 3. */
  char *o = chiso_malloc(n * 3 + 1), *nfc = NULL;
  size_t w = 0;
  int marks = 0, rc;
  *out = NULL;
  *out_len = 0;
  if (!o) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (enc == CSVREAD_ENC_TCVN3 || enc == CSVREAD_ENC_VNI) {
    chiso_free(o);
    rc = vnlegacy_decode(in, n, enc == CSVREAD_ENC_TCVN3 ? VNLEGACY_TCVN3 : VNLEGACY_VNI, out,
                         out_len);
    return rc ? chiso_err_set(err, rc, "out of memory") : CHISO_OK;
  }
  if (enc == CSVREAD_ENC_CP1258)
    rc = decode_cp1258((const unsigned char *)in, n, o, &w, &marks, name, err);
  else if (enc == CSVREAD_ENC_UTF16LE || enc == CSVREAD_ENC_UTF16BE)
    rc = decode_utf16((const unsigned char *)in, n, enc == CSVREAD_ENC_UTF16BE, o, &w, name, err);
  else if (text_utf8_check(in, n) != n || memchr(in, 0, n))
    rc = chiso_err_at(err, CHISO_EDATA, name, 0, 0, "invalid UTF-8");
  else
    rc = (memcpy(o, in, n), w = n, CHISO_OK);
  if (rc) goto done;
  o[w] = '\0';
  if (marks) { /* compose base letter + tone mark into NFC */
    if ((rc = text_nfc(o, &nfc))) {
      rc = chiso_err_set(err, rc, rc == CHISO_ENOMEM ? "out of memory" : "cannot compose text");
      goto done;
    }
    chiso_free(o);
    o = nfc;
    w = strlen(o);
  }
  *out = o;
  *out_len = w;
  o = NULL;
done:
  chiso_free(o);
  return rc;
}

int csvread_parse_encoding(const char *name, csvread_encoding *out) {
  static const struct { const char *name; csvread_encoding enc; } names[] = {
      {"auto", CSVREAD_ENC_AUTO},         {"utf-8", CSVREAD_ENC_UTF8},
      {"utf8", CSVREAD_ENC_UTF8},         {"utf-16", CSVREAD_ENC_UTF16LE},
      {"utf-16le", CSVREAD_ENC_UTF16LE},  {"utf-16be", CSVREAD_ENC_UTF16BE},
      {"utf16le", CSVREAD_ENC_UTF16LE},   {"utf16be", CSVREAD_ENC_UTF16BE},
      {"windows-1258", CSVREAD_ENC_CP1258}, {"cp1258", CSVREAD_ENC_CP1258},
      {"tcvn3", CSVREAD_ENC_TCVN3},       {"tcvn", CSVREAD_ENC_TCVN3},
      {"abc", CSVREAD_ENC_TCVN3},         {"vni", CSVREAD_ENC_VNI}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcasecmp(name, names[i].name) == 0) {
      *out = names[i].enc;
      return CHISO_OK;
    }
  return CHISO_EUSAGE;
}

const char *csvread_encoding_name(csvread_encoding enc) {
  static const char *const n[] = {"auto",         "UTF-8", "UTF-16LE", "UTF-16BE",
                                  "Windows-1258", "TCVN3", "VNI"};
  return (unsigned)enc < sizeof n / sizeof n[0] ? n[enc] : "?";
}

/* ---- detection ------------------------------------------------------------ */

/* UTF-16 without a BOM: text in Latin script has a NUL in every other
** byte. Returns the encoding, UTF-8 when there is no NUL at all, and AUTO
** when there are NULs in no pattern (binary data). */
static csvread_encoding sniff_utf16(const unsigned char *b, size_t n) {
  size_t even = 0, odd = 0;
  if (n > 4096) n = 4096;
  for (size_t i = 0; i + 1 < n; i += 2) {
    even += b[i] == 0;
    odd += b[i + 1] == 0;
  }
  if (even == 0 && odd == 0 && (n % 2 == 0 || b[n - 1] != 0)) return CSVREAD_ENC_UTF8;
  if (odd * 3 > n / 2 && even == 0) return CSVREAD_ENC_UTF16LE;
  if (even * 3 > n / 2 && odd == 0) return CSVREAD_ENC_UTF16BE;
  return CSVREAD_ENC_AUTO;
}

static int is_tone_byte(unsigned char c) {
  return c == 0xCC || c == 0xD2 || c == 0xDE || c == 0xEC || c == 0xF2;
}

/* Windows-1258 text: not UTF-8, and some tone-mark byte follows a letter
** (ASCII or a Vietnamese letter byte) and is not followed by a UTF-8
** continuation byte, which is how a tone is written in that code page. */
static int looks_cp1258(const unsigned char *b, size_t n) {
  size_t bad = text_utf8_check((const char *)b, n);
  if (bad == n || n - bad < 4) return 0; /* valid, or cut at the sample end */
  static const char viet[] = "\xC2\xC3\xCA\xD4\xD5\xDD\xE2\xE3\xEA\xF4\xF5\xFD";
  for (size_t i = 1; i < n; i++) {
    if (!is_tone_byte(b[i])) continue;
    unsigned char p = b[i - 1];
    int letter = (p < 0x80 && ((p | 0x20) >= 'a' && (p | 0x20) <= 'z')) ||
                 (p >= 0xC0 && memchr(viet, p, sizeof viet - 1));
    int cont = i + 1 < n && b[i + 1] >= 0x80 && b[i + 1] <= 0xBF;
    if (letter && !cont) return 1;
  }
  return 0;
}

/* The start of the input is UTF-8 (a sequence cut at the end of the
** sample does not count against it, unless the sample is the whole input). */
static int valid_utf8_start(const unsigned char *b, size_t n, int whole) {
  size_t bad = text_utf8_check((const char *)b, n);
  return bad == n || (!whole && n - bad < 4);
}

/* UTF-8 with a few bad bytes: more well-formed multi-byte sequences than
** bytes that fit none (legacy text makes few sequences by chance). */
static int mostly_utf8(const unsigned char *b, size_t n) {
  size_t good = 0, bad = 0;
  if (n > 65536) n = 65536;
  for (size_t i = 0; i < n;) {
    if (b[i] < 0x80) { i++; continue; }
    size_t k = text_utf8_check((const char *)b + i, n - i);
    if (k) { /* count the sequences of the valid run */
      for (size_t j = i; j < i + k; j++) good += (b[j] & 0xC0) == 0xC0;
      i += k;
    } else {
      bad++, i++;
    }
  }
  return good > bad;
}

/* A sample decoded as Windows-1258 for scoring: an undefined byte is
** U+FFFD (a bad word) rather than an error, so that a Windows-1258 file
** with one stray byte is still taken as one, and the byte reported. */
static int cp1258_sample(const unsigned char *b, size_t n, char **out) {
  char *o = chiso_malloc(n * 3 + 1), *nfc = NULL;
  size_t w = 0;
  *out = NULL;
  if (!o) return CHISO_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    unsigned cp = b[i] < 0x80 ? b[i] : cp1258_high[b[i] - 0x80];
    w += put_utf8(o + w, cp && b[i] ? cp : 0xFFFD);
  }
  o[w] = '\0';
  int rc = text_nfc(o, &nfc);
  chiso_free(o);
  *out = nfc;
  return rc == CHISO_ENOMEM ? rc : nfc ? CHISO_OK : CHISO_EDATA;
}

/* Not UTF-8: decode a sample as Windows-1258, TCVN3 and VNI and keep the
** one whose words are Vietnamese syllables (vnlegacy_score; Windows-1258
** wins a tie, being the encoding of Vietnamese Windows itself); with no
** Vietnamese either way, Windows-1258 when it has tone-mark bytes after
** letters, else UTF-8 (whose bad cells are then reported). Returns AUTO
** when out of memory (err filled). */
static csvread_encoding sniff_legacy(const char *name, const unsigned char *b, size_t n,
                                     int whole, chiso_err *err) {
  if (valid_utf8_start(b, n, whole) || mostly_utf8(b, n)) return CSVREAD_ENC_UTF8;
  static const csvread_encoding cand[] = {CSVREAD_ENC_CP1258, CSVREAD_ENC_TCVN3, CSVREAD_ENC_VNI};
  csvread_encoding best = CSVREAD_ENC_UTF8;
  long best_score = 1; /* two words at least, as vnlegacy_decide asks */
  if (n > 65536) n = 65536;
  while (n > 0 && b[n - 1] != '\n' && n > 1024) n--; /* whole lines */
  for (size_t k = 0; k < sizeof cand / sizeof cand[0]; k++) {
    char *dec = NULL;
    size_t len = 0;
    chiso_err e;
    long score = 0;
    int rc = cand[k] == CSVREAD_ENC_CP1258 ? cp1258_sample(b, n, &dec)
                                           : csvread_decode((const char *)b, n, cand[k], name, &dec, &len, &e);
    if (rc == CHISO_ENOMEM) {
      chiso_err_set(err, rc, "out of memory");
      return CSVREAD_ENC_AUTO;
    }
    if (!rc) vnlegacy_score(dec, &score);
    chiso_free(dec);
    if (!rc && score > best_score) best = cand[k], best_score = score;
  }
  if (best == CSVREAD_ENC_UTF8 && looks_cp1258(b, n)) best = CSVREAD_ENC_CP1258;
  return best;
}

/* ---- buffer --------------------------------------------------------------- */

/* Keep buf[pos, len), read more after it. Sets eof at the end of input. */
static int refill(csvread *r, chiso_err *err) {
  if (!r->f) {
    r->eof = 1;
    return CHISO_OK;
  }
  if (r->pos > 0) {
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->len -= r->pos;
    r->pos = 0;
  }
  if (r->len + CHUNK / 2 > r->cap) {
    if (r->cap >= (size_t)CSVREAD_MAX_ROW + CHUNK)
      return chiso_err_at(err, CHISO_EDATA, r->name, r->row + 1, 0,
                          "row longer than %d bytes (an unclosed quote?)", CSVREAD_MAX_ROW);
    if (chiso_grow((void **)&r->buf, &r->cap, r->cap + 1, 1))
      return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  /* one byte is kept spare: cutting a last field without a line end
  ** writes its NUL at buf[len] */
  size_t got = fread(r->buf + r->len, 1, r->cap - r->len - 1, r->f);
  r->read_total += (long long)got;
  if (got && r->on_read) r->on_read(r->on_read_ctx, r->buf + r->len, got);
  if (r->max_bytes > 0 && r->read_total > r->max_bytes)
    return chiso_err_at(err, CHISO_EDATA, r->name, 0, 0,
                        "the file grew past the limit of %lld bytes: refused", r->max_bytes);
  if (got == 0) {
    if (ferror(r->f))
      return chiso_err_at(err, CHISO_EIO, r->name, 0, 0, "read error: %s", strerror(errno));
    r->eof = 1;
  }
  r->len += got;
  return CHISO_OK;
}

/* Read the rest of the file and replace the buffer by its UTF-8 decoding. */
static int decode_all(csvread *r, chiso_err *err) {
  while (!r->eof) {
    r->pos = 0; /* nothing parsed yet: keep it all */
    if (r->len + 1 >= r->cap && chiso_grow((void **)&r->buf, &r->cap, r->cap * 2, 1))
      return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    int rc = refill(r, err);
    if (rc) return rc;
  }
  char *dec = NULL;
  size_t n = 0;
  int rc = csvread_decode(r->buf + r->pos, r->len - r->pos, r->enc, r->name, &dec, &n, err);
  if (rc) return rc;
  chiso_free(r->buf);
  r->buf = dec;
  r->len = n;
  r->cap = n + 1; /* csvread_decode leaves a NUL at [n] */
  r->pos = 0;
  return CHISO_OK;
}

/* Pick the delimiter of the header row: over the first records (a few
** title rows, "PHIẾU KHẢO SÁT ...", may come before the header), the one
** that occurs most often in a single record. A title row with one comma
** does not make a ';' file comma-separated. */
static char detect_delimiter(const char *b, size_t n) {
  size_t comma = 0, semi = 0, tab = 0, best[3] = {0, 0, 0};
  int quoted = 0, lines = 0;
  for (size_t i = 0; i < n && lines < 12; i++) {
    char c = b[i];
    if (c == '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c == ',') comma++;
    else if (c == ';') semi++;
    else if (c == '\t') tab++;
    if (c == '\n' || i + 1 == n) {
      if (comma > best[0]) best[0] = comma;
      if (semi > best[1]) best[1] = semi;
      if (tab > best[2]) best[2] = tab;
      comma = semi = tab = 0;
      lines++;
    }
  }
  if (best[1] > best[0] && best[1] >= best[2]) return ';';
  if (best[2] > best[0] && best[2] > best[1]) return '\t';
  return ',';
}

/* Decide the encoding from the BOM or the bytes, skip the BOM, and decode
** the whole input when it is not UTF-8. */
static int setup_encoding(csvread *r, csvread_encoding want, chiso_err *err) {
  const unsigned char *b = (const unsigned char *)r->buf;
  size_t n = r->len;
  int whole = r->eof || !r->f || feof(r->f); /* the sample is all there is */
  csvread_encoding enc = want;
  if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
    r->pos = 3;
    if (enc == CSVREAD_ENC_AUTO) enc = CSVREAD_ENC_UTF8;
  } else if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
    if (enc == CSVREAD_ENC_AUTO || enc == CSVREAD_ENC_UTF16LE || enc == CSVREAD_ENC_UTF16BE)
      enc = b[0] == 0xFF ? CSVREAD_ENC_UTF16LE : CSVREAD_ENC_UTF16BE;
    r->pos = 2;
  }
  if (enc == CSVREAD_ENC_AUTO) {
    /* NUL bytes in no UTF-16 pattern: read as UTF-8, and the tokenizer
    ** refuses the first NUL where it is (nul_in_cell) */
    enc = sniff_utf16(b, n);
    if (enc == CSVREAD_ENC_AUTO) enc = CSVREAD_ENC_UTF8;
    if (enc == CSVREAD_ENC_UTF8) enc = sniff_legacy(r->name, b, n, whole, err);
    if (enc == CSVREAD_ENC_AUTO) return CHISO_ENOMEM;
  } else if ((enc == CSVREAD_ENC_TCVN3 || enc == CSVREAD_ENC_VNI) && valid_utf8_start(b, n, whole)) {
    enc = CSVREAD_ENC_UTF8; /* the legacy bytes are characters already */
  }
  r->enc = enc;
  return enc == CSVREAD_ENC_UTF8 ? CHISO_OK : decode_all(r, err);
}

static int open_common(csvread *r, const csvread_options *opt, chiso_err *err) {
  int rc = refill(r, err);
  if (rc) return rc;
  if ((rc = setup_encoding(r, opt ? opt->encoding : CSVREAD_ENC_AUTO, err))) return rc;
  r->delim = opt && opt->delimiter ? opt->delimiter
                                   : detect_delimiter(r->buf + r->pos, r->len - r->pos);
  r->max_field = opt && opt->max_field ? opt->max_field : CSVREAD_DEFAULT_MAX_FIELD;
  r->stop[(unsigned char)r->delim] = r->stop['\r'] = r->stop['\n'] = 1;
  r->vector = !(opt && opt->bytewise) && r->delim != '"' && r->delim != '\0';
  r->line = 1;
  return CHISO_OK;
}

static csvread *alloc_reader(const char *name, size_t cap) {
  csvread *r = chiso_calloc(1, sizeof *r);
  if (!r) return NULL;
  r->name = chiso_strdup(name);
  r->buf = chiso_malloc(cap + 1);
  r->cap = cap + 1;
  if (!r->name || !r->buf) {
    csvread_close(r);
    return NULL;
  }
  return r;
}

int csvread_open(const char *path, const csvread_options *opt, csvread **out, chiso_err *err) {
  assert(path && out);
  *out = NULL;
  FILE *f = NULL;
  long long size = 0, max = opt ? opt->max_bytes : 0;
  int rc = textfile_open(path, max, &f, &size, err);
  if (rc) return rc;
  /* a small file needs no 1 MiB buffer (the buffer grows with long rows) */
  csvread *r = alloc_reader(path, size + 1 < CHUNK ? (size_t)size + 1 : CHUNK);
  if (!r) {
    fclose(f);
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  r->f = f;
  r->max_bytes = max;
  if (opt) r->on_read = opt->on_read, r->on_read_ctx = opt->on_read_ctx;
  rc = open_common(r, opt, err);
  if (rc) {
    csvread_close(r);
    return rc;
  }
  *out = r;
  return CHISO_OK;
}

int csvread_open_mem(const char *data, size_t n, const char *name, const csvread_options *opt,
                  csvread **out, chiso_err *err) {
  *out = NULL;
  csvread *r = alloc_reader(name, n);
  if (!r) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  memcpy(r->buf, data, n);
  r->len = n;
  r->eof = 1;
  int rc = open_common(r, opt, err);
  if (rc) {
    csvread_close(r);
    return rc;
  }
  *out = r;
  return CHISO_OK;
}

void csvread_close(csvread *r) {
  if (!r) return;
  if (r->f) fclose(r->f);
  chiso_free(r->name);
  chiso_free(r->buf);
  chiso_free(r->offs);
  chiso_free(r->ends);
  chiso_free(r->quoted);
  chiso_free(r->lens);
  chiso_free(r->fields);
  chiso_free(r);
}

char csvread_delimiter(const csvread *r) { return r->delim; }
csvread_encoding csvread_encoding_used(const csvread *r) { return r->enc; }

/* ---- the record parser ---------------------------------------------------- */

/* A record is read in two passes. The first finds the field spans without
** touching the buffer, so that it can start again after a refill; once the
** record is known to be complete, the second cuts the fields in place:
** a NUL over each delimiter, quoted fields unescaped (never longer). */

static int grow_fields(csvread *r) {
  size_t cap = r->f_cap ? r->f_cap * 2 : 64;
  void **arrays[] = {(void **)&r->offs, (void **)&r->ends, (void **)&r->lens,
                     (void **)&r->fields, (void **)&r->quoted};
  size_t sizes[] = {sizeof(size_t), sizeof(size_t), sizeof(size_t), sizeof(char *), 1};
  for (int k = 0; k < 5; k++) {
    void *p = chiso_realloc(*arrays[k], cap * sizes[k]);
    if (!p) return CHISO_ENOMEM;
    *arrays[k] = p;
  }
  r->f_cap = cap;
  return CHISO_OK;
}

static size_t count_nl(const char *s, size_t n) {
  size_t c = 0;
  for (const char *p = s; (p = memchr(p, '\n', (size_t)(s + n - p))) != NULL; p++) c++;
  return c;
}

typedef struct {
  size_t p;   /* parse position in buf */
  long nl;    /* line breaks consumed */
  int more;   /* ran out of data before the record ended */
  int ascii;  /* scan_fast: the record is ASCII without a NUL */
  int no_nul; /* scan_fast: the record has no NUL (it stops at one) */
} scan;

static int too_long(csvread *r, chiso_err *err) {
  return chiso_err_at(err, CHISO_EDATA, r->name, r->row + 1, (long)r->nf + 1,
                      "field longer than %zu bytes (an unclosed quote, or raise the limit)",
                      r->max_field);
}

/* Past a quoted field starting at s->p (on the opening quote). */
static int scan_quoted(csvread *r, scan *s, chiso_err *err) {
  const char *b = r->buf;
  size_t end = r->len, start = s->p;
  long open_line = r->line + s->nl;
  s->p++;
  for (;;) {
    const char *q = memchr(b + s->p, '"', end - s->p);
    size_t stop = q ? (size_t)(q - b) : end;
    s->nl += (long)count_nl(b + s->p, stop - s->p);
    s->p = stop;
    if (stop - start - 1 > r->max_field) return too_long(r, err);
    if (!q || stop + 1 == end) {
      if (!r->eof) return (s->more = 1, CHISO_OK);
      if (!q)
        return chiso_err_at(err, CHISO_EDATA, r->name, r->row + 1, (long)r->nf + 1,
                            "unclosed quote: the field opened on line %ld never ends",
                            open_line);
    }
    s->p++; /* the quote */
    if (s->p < end && b[s->p] == '"') {
      s->p++; /* a doubled quote */
      continue;
    }
    break;
  }
  if (s->p < end && !r->stop[(unsigned char)b[s->p]])
    return chiso_err_at(err, CHISO_EDATA, r->name, r->row + 1, (long)r->nf + 1,
                        "unexpected character '%c' after a closing quote (line %ld)",
                        b[s->p], r->line + s->nl);
  return CHISO_OK;
}

#ifdef CSVREAD_VECTOR
/* The first pass over the common record, with vector compares: 16 bytes
** at a time are compared with the delimiter, the line ends, the quote and
** NUL, and the fields are cut at the bits of the mask (the technique of
** simdjson's structural index: Langdale and Lemire, "Parsing gigabytes of
** JSON per second", VLDB Journal 28, 2019). Returns 1 with the fields of
** the record at r->pos in offs/ends and s set as scan_record would set
** them; returns 0 (nothing the byte-wise scan does not set again) for
** every other record: one holding a quote or a NUL, a field past
** max_field, too many fields, or a record that does not end inside the
** whole 16-byte blocks read so far (the end of the buffer, a CR as its
** last byte). Those go through scan_record byte by byte, which makes the
** same fields and the errors. */
static int scan_fast(csvread *r, scan *s) {
  const char *b = r->buf;
  size_t end = r->len, start = r->pos, nf = 0;
  const __m128i vd = _mm_set1_epi8(r->delim), vq = _mm_set1_epi8('"'),
                vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r'), vz = _mm_setzero_si128();
  unsigned high = 0; /* bytes >= 0x80 seen in the record */
  for (size_t blk = r->pos; blk + 16 <= end; blk += 16) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(b + blk));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vd), _mm_cmpeq_epi8(x, vq)),
                               _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vn),
                                                         _mm_cmpeq_epi8(x, vr)),
                                            _mm_cmpeq_epi8(x, vz)));
    unsigned m = (unsigned)_mm_movemask_epi8(hit), hi = (unsigned)_mm_movemask_epi8(x);
    while (m) {
      size_t at = blk + (size_t)__builtin_ctz(m);
      m &= m - 1;
      char c = b[at];
      if (c == '"' || c == '\0' || at - start > r->max_field || nf == CSVREAD_MAX_FIELDS) return 0;
      if (nf == r->f_cap && grow_fields(r)) return 0;
      r->offs[nf] = start;
      r->ends[nf] = at;
      r->quoted[nf++] = 0;
      start = at + 1;
      if (c == r->delim) continue;
      if (c == '\r') { /* CR LF or a lone CR: where the next record starts */
        if (at + 1 >= end) return 0;
        if (b[at + 1] == '\n') start++;
      }
      high |= hi & ((1u << (at - blk)) - 1); /* the bytes before the line end */
      r->nf = nf;
      s->p = start;
      s->nl = 1;
      s->more = 0;
      s->ascii = high == 0;
      s->no_nul = 1;
      return 1;
    }
    high |= hi;
  }
  return 0;
}
#endif

/* First pass over the record at r->pos. Sets s->more when the data read
** so far ends inside the record. */
static int scan_record(csvread *r, scan *s, chiso_err *err) {
  const char *b = r->buf;
  const unsigned char *stop = r->stop;
  size_t end = r->len;
#ifdef CSVREAD_VECTOR
  if (r->vector && scan_fast(r, s)) return CHISO_OK;
#endif
  s->p = r->pos;
  s->nl = 0;
  s->more = 0;
  s->ascii = 0;
  s->no_nul = 0;
  r->nf = 0;
  for (;;) {
    size_t start = s->p;
    int quoted = start < end && b[start] == '"';
    if (quoted) {
      int rc = scan_quoted(r, s, err);
      if (rc || s->more) return rc;
    } else {
      size_t p = start;
      while (p < end && !stop[(unsigned char)b[p]]) p++;
      s->p = p;
      if (p - start > r->max_field) return too_long(r, err);
      if (p == end && !r->eof) return (s->more = 1, CHISO_OK);
    }
    if (r->nf == CSVREAD_MAX_FIELDS)
      return chiso_err_at(err, CHISO_EDATA, r->name, r->row + 1, CSVREAD_MAX_FIELDS + 1,
                          "more than %d columns (a spreadsheet has at most %d)",
                          CSVREAD_MAX_FIELDS, CSVREAD_MAX_FIELDS);
    if (r->nf == r->f_cap && grow_fields(r)) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    r->offs[r->nf] = start;
    r->ends[r->nf] = s->p;
    r->quoted[r->nf++] = (unsigned char)quoted;
    if (s->p == end) return CHISO_OK; /* last record without a line end */
    char c = b[s->p++];
    if (c == r->delim) continue;
    if (c == '\r') {
      if (s->p == end && !r->eof) return (s->more = 1, CHISO_OK);
      if (s->p < end && b[s->p] == '\n') s->p++;
    }
    s->nl++;
    return CHISO_OK;
  }
}

/* Second pass: cut the fields in place. */
static void cut_fields(csvread *r) {
  char *b = r->buf;
  for (size_t k = 0; k < r->nf; k++) {
    char *w = b + r->offs[k];
    r->fields[k] = w;
    if (!r->quoted[k]) {
      b[r->ends[k]] = '\0';
      r->lens[k] = r->ends[k] - r->offs[k];
      continue;
    }
    const char *rd = w + 1, *e = b + r->ends[k] - 1; /* inside the quotes */
    while (rd < e) {
      if (*rd == '"') rd++; /* the first of a doubled quote */
      *w++ = *rd++;
    }
    *w = '\0';
    r->lens[k] = (size_t)(w - r->fields[k]);
  }
}

/* A NUL byte at buf[at] inside the record just scanned: no text file has
** one, and C strings would cut the cell there ("1500\0999" read as 1500),
** so the file is refused where it happens. */
static int nul_in_cell(csvread *r, size_t at, chiso_err *err) {
  size_t k = 0;
  while (k + 1 < r->nf && at >= r->offs[k + 1]) k++;
  chiso_err_at(err, CHISO_EDATA, r->name, r->row, (long)k + 1,
               "a NUL byte in the cell (byte %zu): binary data, or a text file in another "
               "encoding", at - r->offs[k] + 1 - r->quoted[k]);
  return chiso_err_hint(err, CHISO_HINT_ENCODING);
}

static int next_record(csvread *r, chiso_err *err) {
  scan s;
  for (;;) {
    int rc = scan_record(r, &s, err);
    if (rc) return rc;
    if (!s.more) break;
    if ((rc = refill(r, err))) return rc;
  }
  size_t start = r->pos;
  r->pos = s.p;
  r->row++;
  r->cur.line = r->line;
  r->line += s.nl;
  int blank = r->nf == 1 && !r->quoted[0] && r->ends[0] == r->offs[0];
  if (blank) return CHISO_OK;
  const char *nul = s.no_nul ? NULL : memchr(r->buf + start, '\0', s.p - start);
  if (nul) return nul_in_cell(r, (size_t)(nul - r->buf), err);
  /* Validate before cutting, when the bytes are still contiguous. The
  ** line end is left out: it is ASCII. */
  int valid = s.ascii || text_utf8_check(r->buf + start, s.p - start) == s.p - start;
  cut_fields(r);
  if (valid) {
    r->cur.bad_utf8_field = 0;
    r->cur.bad_utf8_offset = 0;
  } else {
    r->cur.bad_utf8_field = 0;
    for (size_t k = 0; k < r->nf && !r->cur.bad_utf8_field; k++) {
      size_t bad = text_utf8_check(r->fields[k], r->lens[k]);
      if (bad < r->lens[k]) r->cur.bad_utf8_field = k + 1, r->cur.bad_utf8_offset = bad;
    }
  }
  return CHISO_OK;
}

int csvread_next(csvread *r, csvread_row **row, chiso_err *err) {
  *row = NULL;
  if (r->failed) {
    if (err) *err = r->saved;
    return r->failed;
  }
  for (;;) {
    int rc = CHISO_OK;
    if (r->pos == r->len && !r->eof) rc = refill(r, err);
    if (!rc && r->pos == r->len && r->eof) return CHISO_OK;
    if (!rc) rc = next_record(r, err);
    if (rc) {
      r->failed = rc;
      if (err) r->saved = *err;
      return rc;
    }
    if (r->nf == 1 && !r->quoted[0] && r->ends[0] == r->offs[0]) continue; /* blank line */
    break;
  }
  r->cur.n = r->nf;
  r->cur.fields = r->fields;
  r->cur.lens = r->lens;
  r->cur.row = r->row;
  *row = &r->cur;
  return CHISO_OK;
}
