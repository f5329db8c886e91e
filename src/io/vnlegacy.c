/* vnlegacy.c — TCVN3 and VNI to Unicode, and telling them apart
** (vnlegacy.h).
**
** Sources of the tables:
**   TCVN3: TCVN 5712:1993 "Công nghệ thông tin — Bộ mã chuẩn 8-bit kí tự
**     Việt dùng trong trao đổi thông tin" (Information technology —
**     Vietnamese 8-bit standard coded character set), Bộ Khoa học, Công
**     nghệ và Môi trường, Quyết định 213/QĐ, 12 May 1993. Its table VN3
**     ("TCVN3", the ABC fonts) places the 67 lower-case letters, the 7
**     upper-case letters without tone and the no-break space in
**     0xA0-0xFE; VN2 adds the five combining tones at 0xB0-0xB4 and
**     upper-case letters in the gaps, VN1 the rest of the upper case at
**     0x80-0x9F. Reading the VN1 and VN2 positions as well loses nothing,
**     as VN3 leaves them unassigned.
**   VNI: the VNI Windows font encoding (VNI Software Company, "VNI for
**     Windows", 1990s), as listed in the comparison tables of Vietnamese
**     encodings ("Bảng đối chiếu encoding các bộ chữ hiện hành với
**     Unicode"): an ASCII base letter followed by one byte for its
**     vowel mark and tone (0xE2 "â" after a, e, o is the circumflex, 0xEA
**     the breve, 0xF9 "ù" the sắc tone, ...), upper-case marks 0x20 lower,
**     and whole letters for đ, ơ, ư and the i with a tone.
** The detection rules (syllable structure, the tones allowed before stop
** codas) follow the description of Vietnamese phonotactics in Thompson,
** "A Vietnamese Reference Grammar" (1965/1987), ch. 2. */
#include "io/vnlegacy.h"

#include "base/err.h"
#include "base/mem.h"
#include "base/text.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

const char *vnlegacy_name(vnlegacy_enc e) {
  return e == VNLEGACY_TCVN3 ? "TCVN3" : e == VNLEGACY_VNI ? "VNI" : "";
}

/* ---- TCVN 5712:1993 ----------------------------------------------------------- */

/* Bytes 0x80-0xFF as Unicode code points (VN1 0x80-0x9F, VN2/VN3 above). */
static const uint16_t tcvn_high[128] = {
    /* 80 */ 0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,
    /* 88 */ 0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,
    /* 90 */ 0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,
    /* 98 */ 0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,
    /* A0 */ 0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,
    /* A8 */ 0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
    /* B0 */ 0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,
    /* B8 */ 0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
    /* C0 */ 0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,
    /* C8 */ 0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
    /* D0 */ 0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,
    /* D8 */ 0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
    /* E0 */ 0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,
    /* E8 */ 0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
    /* F0 */ 0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
    /* F8 */ 0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0};

/* Windows-1252 0x80-0x9F (Microsoft's published cp1252 table); 0 where it
** has none, read as the C1 control of the same number. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static uint32_t cp1252_of(unsigned char b) {
  return b >= 0x80 && b < 0xA0 && cp1252_c1[b - 0x80] ? cp1252_c1[b - 0x80] : b;
}

/* ---- VNI ----------------------------------------------------------------------- */

/* A VNI byte: a whole letter (cp), or a mark after a vowel: `mod` the
** vowel mark (circumflex U+0302, breve U+0306) and `tone` the tone. */
typedef struct {
  unsigned char byte;
  uint32_t cp;
  uint16_t mod, tone;
} vni_entry;

#define ACUTE 0x0301
#define GRAVE 0x0300
#define HOOK 0x0309
#define TILDE 0x0303
#define DOT 0x0323
#define CIRC 0x0302
#define BREVE 0x0306
#define HORN 0x031B

/* Lower-case bytes; each upper-case byte is 0x20 below. */
static const vni_entry vni_lower[] = {
    {0xF9, 0, 0, ACUTE},    {0xF8, 0, 0, GRAVE},    {0xFB, 0, 0, HOOK},     {0xF5, 0, 0, TILDE},
    {0xEF, 0, 0, DOT},      {0xE2, 0, CIRC, 0},     {0xE1, 0, CIRC, ACUTE}, {0xE0, 0, CIRC, GRAVE},
    {0xE5, 0, CIRC, HOOK},  {0xE3, 0, CIRC, TILDE}, {0xE4, 0, CIRC, DOT},   {0xEA, 0, BREVE, 0},
    {0xE9, 0, BREVE, ACUTE}, {0xE8, 0, BREVE, GRAVE}, {0xFA, 0, BREVE, HOOK}, {0xFC, 0, BREVE, TILDE},
    {0xEB, 0, BREVE, DOT},  {0xF1, 0x0111, 0, 0},   {0xF4, 0x01A1, 0, 0},   {0xF6, 0x01B0, 0, 0},
    {0xED, 0x00ED, 0, 0},   {0xEC, 0x00EC, 0, 0},   {0xE6, 0x1EC9, 0, 0},   {0xF3, 0x0129, 0, 0},
    {0xF2, 0x1ECB, 0, 0},   {0xEE, 0x1EF5, 0, 0}};

/* The entry of byte b and whether it is upper case, or NULL. */
static const vni_entry *vni_of(unsigned char b, int *upper) {
  for (size_t i = 0; i < sizeof vni_lower / sizeof vni_lower[0]; i++) {
    if (vni_lower[i].byte == b) return *upper = 0, &vni_lower[i];
    if (vni_lower[i].byte - 0x20 == b) return *upper = 1, &vni_lower[i];
  }
  return NULL;
}

/* ---- output ---------------------------------------------------------------------- */

typedef struct {
  char *s;
  size_t n, cap;
  int oom;
} obuf;

static void put_cp(obuf *o, uint32_t cp) {
  if (o->oom || chiso_grow((void **)&o->s, &o->cap, o->n + 5, 1)) {
    o->oom = 1;
    return;
  }
  o->n += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)o->s + o->n);
  o->s[o->n] = '\0';
}

static int is_vowel(uint32_t c) { return c < 0x80 && strchr("aeiouyAEIOUY", (int)c) && c; }

/* VNI: a mark byte applies to the vowel before it (a tone also after ơ,
** ư and the other whole letters); a mark after anything else is the
** Windows-1252 character of the byte. */
static void decode_vni(const unsigned char *in, size_t n, obuf *o) {
  uint32_t base = 0;   /* the last letter written, for the marks that follow */
  int has_mod = 0, has_tone = 0;
  for (size_t i = 0; i < n; i++) {
    int upper = 0;
    const vni_entry *e = in[i] >= 0x80 ? vni_of(in[i], &upper) : NULL;
    if (e && e->cp) {
      uint32_t cp = e->cp;
      if (upper) cp = (uint32_t)utf8proc_toupper((utf8proc_int32_t)cp);
      put_cp(o, cp);
      /* đ takes nothing; ơ and ư a tone; the toned i and y nothing more */
      int horn = e->cp == 0x01A1 || e->cp == 0x01B0;
      base = e->cp == 0x0111 ? 0 : cp, has_mod = 1, has_tone = !horn;
      continue;
    }
    if (e && base) {
      uint32_t lb = base < 0x80 ? (base | 0x20) : base;
      int mod_ok = !e->mod || (!has_mod && (e->mod == BREVE ? lb == 'a' : (lb == 'a' || lb == 'e' || lb == 'o')));
      if (mod_ok && (!e->tone || !has_tone)) {
        if (e->mod) put_cp(o, e->mod), has_mod = 1;
        if (e->tone) put_cp(o, e->tone), has_tone = 1;
        continue;
      }
    }
    uint32_t cp = cp1252_of(in[i]);
    put_cp(o, cp);
    base = is_vowel(cp) ? cp : 0, has_mod = has_tone = 0;
  }
}

int vnlegacy_decode(const char *in, size_t n, vnlegacy_enc e, char **out, size_t *out_len) {
  obuf o = {chiso_malloc(1), 0, 1, 0};
  const unsigned char *b = (const unsigned char *)in;
  *out = NULL;
  if (out_len) *out_len = 0;
  if (!o.s) return CHISO_ENOMEM;
  o.s[0] = '\0';
  if (e == VNLEGACY_VNI) decode_vni(b, n, &o);
  else
    for (size_t i = 0; i < n; i++) put_cp(&o, b[i] < 0x80 ? b[i] : tcvn_high[b[i] - 0x80]);
  char *nfc = NULL;
  if (o.oom || text_nfc(o.s, &nfc)) {
    chiso_free(o.s);
    return CHISO_ENOMEM;
  }
  chiso_free(o.s);
  *out = nfc;
  if (out_len) *out_len = strlen(nfc);
  return CHISO_OK;
}

/* ---- cells ------------------------------------------------------------------------- */

/* The byte each character of s stands for (Latin-1, or Windows-1252 for
** U+20AC and the like), or s's own bytes when it is not UTF-8. Returns the
** number of bytes written to buf (cap at least strlen(s)), 0 when s is
** plain ASCII or has a character no byte stands for. */
static size_t cell_bytes(const char *s, unsigned char *buf) {
  size_t n = strlen(s), w = 0;
  int high = 0;
  if (text_utf8_check(s, n) != n) { /* raw bytes */
    memcpy(buf, s, n);
    return n;
  }
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  while (*p) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
    if (k <= 0) return 0;
    p += k;
    int byte = cp < 0x100 ? cp : -1;
    for (int c = 0; byte < 0 && c < 32; c++)
      if (cp1252_c1[c] == cp) byte = 0x80 + c;
    if (byte < 0) return 0;
    high |= byte >= 0x80;
    buf[w++] = (unsigned char)byte;
  }
  return high ? w : 0;
}

int vnlegacy_eligible(const char *s) {
  unsigned char stack[256], *buf = stack;
  size_t n = strlen(s);
  if (n >= sizeof stack && !(buf = chiso_malloc(n + 1))) return 0;
  size_t k = cell_bytes(s, buf);
  if (buf != stack) chiso_free(buf);
  return k > 0;
}

int vnlegacy_convert(const char *s, vnlegacy_enc e, char **out) {
  *out = NULL;
  if (e == VNLEGACY_NONE) return CHISO_OK;
  size_t n = strlen(s);
  unsigned char *buf = chiso_malloc(n + 1);
  if (!buf) return CHISO_ENOMEM;
  size_t k = cell_bytes(s, buf);
  int rc = k ? vnlegacy_decode((const char *)buf, k, e, out, NULL) : CHISO_OK;
  chiso_free(buf);
  return rc;
}

/* ---- syllables ------------------------------------------------------------------------ */

/* A word's letters as one symbol each: the 26 ASCII letters in lower case
** and A=ă B=â D=đ E=ê O=ô P=ơ U=ư; and its tones. */
typedef struct {
  char sym[16];
  size_t n;
  int tones;      /* tone marks seen */
  uint32_t tone;  /* the last one */
  int bad;        /* a character that is no Vietnamese letter */
} word;

static void add_letter(word *w, utf8proc_int32_t cp) {
  utf8proc_int32_t d[8];
  int last = 0;
  utf8proc_ssize_t k = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &last);
  if (k <= 0 || k > 8) { w->bad = 1; return; }
  utf8proc_int32_t base = utf8proc_tolower(d[0]);
  char c;
  if (base == 0x0111) c = 'D';
  else if (base >= 'a' && base <= 'z' && !strchr("fjwz", (int)base)) c = (char)base;
  else { w->bad = 1; return; }
  for (utf8proc_ssize_t i = 1; i < k; i++) {
    utf8proc_int32_t m = d[i];
    if (m == CIRC && (c == 'a' || c == 'e' || c == 'o')) c = c == 'a' ? 'B' : c == 'e' ? 'E' : 'O';
    else if (m == BREVE && c == 'a') c = 'A';
    else if (m == HORN && (c == 'o' || c == 'u')) c = c == 'o' ? 'P' : 'U';
    else if ((m == ACUTE || m == GRAVE || m == HOOK || m == TILDE || m == DOT) &&
             strchr("aAeEBiOoPuUy", c)) w->tones++, w->tone = (uint32_t)m;
    else w->bad = 1;
  }
  if (w->n + 1 >= sizeof w->sym) { w->bad = 1; return; }
  w->sym[w->n++] = c;
  w->sym[w->n] = '\0';
}

/* The rhymes' vowel nuclei, glides included (Thompson 1965, 2.3). */
static const char *const nuclei[] = {
    "a", "A", "B", "e", "E", "i", "o", "O", "P", "u", "U", "y",
    "ai", "ao", "au", "ay", "Bu", "By", "eo", "Eu", "ia", "iE", "iu", "oa", "oA", "oe", "oi",
    "oo", "Oi", "Pi", "ua", "uB", "uE", "ui", "uO", "uP", "uy", "Ua", "Ui", "UP", "Uu", "yE",
    "iEu", "yEu", "oai", "oay", "oao", "oeo", "uBy", "uOi", "UPi", "UPu", "uyE", "uya", "uyu"};
static const char *const onsets[] = {"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
                                     "b", "c", "d", "D", "g", "h", "k", "l", "m", "n", "p", "r",
                                     "s", "t", "v", "x", ""};
static const char *const codas[] = {"ch", "ng", "nh", "c", "k", "m", "n", "p", "t", ""};

static int in_list(const char *s, size_t n, const char *const *list, size_t count) {
  for (size_t i = 0; i < count; i++)
    if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0) return 1;
  return 0;
}

/* A well-formed syllable: onset + nucleus + coda, at most one tone, and
** only sắc or nặng before a stop (c, ch, k, p, t). */
static int syllable_ok(const word *w) {
  if (w->bad || w->tones > 1 || !w->n) return 0;
  for (size_t o = 0; o < sizeof onsets / sizeof onsets[0]; o++) {
    size_t on = strlen(onsets[o]);
    if (on > w->n || memcmp(w->sym, onsets[o], on)) continue;
    for (size_t c = 0; c < sizeof codas / sizeof codas[0]; c++) {
      size_t cn = strlen(codas[c]);
      if (on + cn >= w->n || memcmp(w->sym + w->n - cn, codas[c], cn)) continue;
      if (!in_list(w->sym + on, w->n - on - cn, nuclei, sizeof nuclei / sizeof nuclei[0])) continue;
      int stop = cn && strchr("cpkt", codas[c][0]) && strcmp(codas[c], "ng") && strcmp(codas[c], "nh");
      if (stop && !(w->tones == 1 && (w->tone == ACUTE || w->tone == DOT))) continue;
      return 1;
    }
  }
  return 0;
}

/* Count the words of s that mix ASCII letters and other characters (the
** ones a legacy reading changes; a lone symbol such as "×" says nothing):
** good syllables and the others. Words are cut at ASCII spaces,
** punctuation and digits, which no reading changes. */
static void count_words(const char *s, long *good, long *bad) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  word w;
  int ascii = 0, non_ascii = 0;
  memset(&w, 0, sizeof w);
  for (;;) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t k = *p ? utf8proc_iterate(p, -1, &cp) : 0;
    if (k < 0) { k = 1, cp = 0xFFFD; }
    int letter = cp < 0x80 && (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    int sep = !cp || (cp < 0x80 && !letter) || cp == 0xA0;
    if (sep) {
      if (ascii && non_ascii) *(syllable_ok(&w) ? good : bad) += 1;
      memset(&w, 0, sizeof w);
      ascii = non_ascii = 0;
      if (!cp) break;
    } else {
      ascii |= letter;
      non_ascii |= cp >= 0x80;
      add_letter(&w, cp);
    }
    p += k;
  }
}

int vnlegacy_score(const char *utf8, long *score) {
  long good = 0, bad = 0;
  count_words(utf8, &good, &bad);
  *score = good - bad;
  return CHISO_OK;
}

int vnlegacy_feed(vnlegacy_detector *d, const char *s) {
  int ascii = 1;
  for (const char *p = s; *p && ascii; p++) ascii = (unsigned char)*p < 0x80;
  if (ascii) return CHISO_OK;
  size_t n = strlen(s);
  long good = 0, bad = 0;
  if (text_utf8_check(s, n) == n) count_words(s, &good, &bad);
  else bad = 1; /* bytes that are not UTF-8 read as nothing */
  d->good[0] += good, d->bad[0] += bad;
  if (!vnlegacy_eligible(s)) { /* the same under every reading */
    d->unicode++;
    for (int e = 1; e <= 2; e++) d->good[e] += good, d->bad[e] += bad;
    return CHISO_OK;
  }
  for (int e = 1; e <= 2; e++) {
    char *t = NULL;
    if (vnlegacy_convert(s, (vnlegacy_enc)e, &t)) return CHISO_ENOMEM;
    if (t) count_words(t, &d->good[e], &d->bad[e]);
    chiso_free(t);
  }
  return CHISO_OK;
}

vnlegacy_enc vnlegacy_decide(const vnlegacy_detector *d) {
  long s0 = d->good[0] - d->bad[0], s1 = d->good[1] - d->bad[1], s2 = d->good[2] - d->bad[2];
  if (s1 >= 2 && s1 > s0 && s1 > s2) return VNLEGACY_TCVN3;
  if (s2 >= 2 && s2 > s0 && s2 > s1) return VNLEGACY_VNI;
  return VNLEGACY_NONE;
}
