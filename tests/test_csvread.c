/* Tests of csvread.c: RFC 4180 edge cases, delimiter detection, limits,
** chunk boundaries, UTF-8 checks and the UTF-16 / Windows-1258 decoders.
** Expected UTF-8 is written out by hand from the code charts (Windows-1258
** bytes from the code page table; UTF-16 units as code points). */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

static csvread *open_str(const char *s, size_t n, const csvread_options *o) {
  csvread *r = NULL;
  chiso_err err;
  chiso_err_clear(&err);
  int rc = csvread_open_mem(s, n, "mem.csv", o, &r, &err);
  if (rc) print_error("%s\n", err.message);
  assert_int_equal(rc, 0);
  return r;
}

static csvread_row *next(csvread *r) {
  csvread_row *row = NULL;
  chiso_err err;
  assert_int_equal(csvread_next(r, &row, &err), 0);
  return row;
}

static void test_quoted(void **state) {
  (void)state;
  const char in[] = "a,\"b,c\",\"d\"\"e\",\"line\nbreak\"\r\nx,,z,\"\"\n";
  csvread *r = open_str(in, sizeof in - 1, NULL);
  assert_int_equal(csvread_delimiter(r), ',');
  csvread_row *row = next(r);
  assert_int_equal(row->n, 4);
  assert_string_equal(row->fields[0], "a");
  assert_string_equal(row->fields[1], "b,c");
  assert_string_equal(row->fields[2], "d\"e");
  assert_string_equal(row->fields[3], "line\nbreak");
  assert_int_equal(row->lens[3], 10);
  assert_int_equal(row->row, 1);
  row = next(r);
  assert_int_equal(row->n, 4);
  assert_string_equal(row->fields[1], "");
  assert_string_equal(row->fields[3], "");
  assert_int_equal(row->row, 2);
  assert_int_equal(row->line, 3);
  assert_null(next(r));
  assert_null(next(r));
  csvread_close(r);
}

static void test_blank_lines_and_endings(void **state) {
  (void)state;
  const char in[] = "h1;h2\n\n1;2\r\n\r\n3;4"; /* no final line end */
  csvread *r = open_str(in, sizeof in - 1, NULL);
  assert_int_equal(csvread_delimiter(r), ';');
  assert_int_equal(next(r)->row, 1);
  csvread_row *row = next(r);
  assert_int_equal(row->row, 3);
  assert_string_equal(row->fields[1], "2");
  row = next(r);
  assert_int_equal(row->row, 5);
  assert_string_equal(row->fields[0], "3");
  assert_string_equal(row->fields[1], "4");
  assert_null(next(r));
  csvread_close(r);
  const char cr[] = "a\tb\rc\td\r"; /* old Mac line ends, tabs */
  r = open_str(cr, sizeof cr - 1, NULL);
  assert_int_equal(csvread_delimiter(r), '\t');
  assert_string_equal(next(r)->fields[1], "b");
  assert_string_equal(next(r)->fields[1], "d");
  assert_null(next(r));
  csvread_close(r);
}

static void test_bom_and_forced_delimiter(void **state) {
  (void)state;
  const char in[] = "\xEF\xBB\xBFid,x;y\n1,2;3\n";
  csvread *r = open_str(in, sizeof in - 1, NULL);
  csvread_row *row = next(r);
  assert_string_equal(row->fields[0], "id");
  assert_int_equal(csvread_encoding_used(r), CSVREAD_ENC_UTF8);
  csvread_close(r);
  csvread_options o = {.delimiter = ';'};
  r = open_str(in, sizeof in - 1, &o);
  assert_string_equal(next(r)->fields[0], "id,x");
  csvread_close(r);
}

static void expect_error(const char *in, size_t n, const csvread_options *o, long row, long col,
                         const char *msg) {
  csvread *r = open_str(in, n, o);
  csvread_row *rw = NULL;
  chiso_err err;
  int rc;
  chiso_err_clear(&err);
  while ((rc = csvread_next(r, &rw, &err)) == 0 && rw) {}
  assert_int_equal(rc, CHISO_EDATA);
  assert_int_equal(err.row, row);
  assert_int_equal(err.col, col);
  if (!strstr(err.message, msg)) {
    print_error("message '%s' lacks '%s'\n", err.message, msg);
    fail();
  }
  assert_int_equal(csvread_next(r, &rw, &err), CHISO_EDATA); /* sticky */
  csvread_close(r);
}

static void test_errors(void **state) {
  (void)state;
  const char unclosed[] = "a,b\n1,\"open\n2,3\n";
  expect_error(unclosed, sizeof unclosed - 1, NULL, 2, 2, "unclosed quote");
  const char stray[] = "a,b\n\"x\"y,2\n";
  expect_error(stray, sizeof stray - 1, NULL, 2, 1, "after a closing quote");
  csvread_options small = {.max_field = 10};
  const char longf[] = "a,b\n1,12345678901\n";
  expect_error(longf, sizeof longf - 1, &small, 2, 2, "longer than 10 bytes");
  const char longq[] = "a,b\n\"12345678901\",1\n";
  expect_error(longq, sizeof longq - 1, &small, 2, 1, "longer than 10 bytes");
}

static void test_bad_utf8_located(void **state) {
  (void)state;
  const char in[] = "a,b,c\nok,b\xC3\x28x,\xE1\xBB\x99\n";
  csvread *r = open_str(in, sizeof in - 1, NULL);
  assert_int_equal(next(r)->bad_utf8_field, 0);
  csvread_row *row = next(r);
  assert_int_equal(row->bad_utf8_field, 2);
  assert_int_equal(row->bad_utf8_offset, 1);
  csvread_close(r);
}

/* Rows crossing the 1 MiB read chunks, with quoted line breaks. */
static void test_chunk_boundaries(void **state) {
  (void)state;
  char path[] = "/tmp/chiso-csvread-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fputs("id,text,n\n", f);
  for (int i = 0; i < 60000; i++)
    fprintf(f, "%d,\"multi\nline, \"\"%d\"\"\",%d\r\n", i, i, i * 7);
  fclose(f);
  csvread *r = NULL;
  chiso_err err;
  assert_int_equal(csvread_open(path, NULL, &r, &err), 0);
  csvread_row *row = next(r);
  assert_string_equal(row->fields[2], "n");
  long count = 0;
  while ((row = next(r)) != NULL) {
    char want[64];
    snprintf(want, sizeof want, "multi\nline, \"%ld\"", count);
    assert_string_equal(row->fields[1], want);
    assert_int_equal(atol(row->fields[2]), count * 7);
    assert_int_equal(row->row, count + 2);
    assert_int_equal(row->line, 2 * count + 2);
    count++;
  }
  assert_int_equal(count, 60000);
  csvread_close(r);
  unlink(path);
}

/* UTF-16 bytes from code units written out by hand. */
static size_t utf16(const unsigned short *u, size_t n, int be, int bom, char *out) {
  size_t w = 0;
  if (bom) {
    out[w++] = be ? '\xFE' : '\xFF';
    out[w++] = be ? '\xFF' : '\xFE';
  }
  for (size_t i = 0; i < n; i++) {
    char hi = (char)(u[i] >> 8), lo = (char)(u[i] & 0xFF);
    out[w++] = be ? hi : lo;
    out[w++] = be ? lo : hi;
  }
  return w;
}

static void test_utf16(void **state) {
  (void)state;
  /* "tên\tHà Nội\r\n1\tHuế\r\n" */
  const unsigned short u[] = {'t', 0x00EA, 'n', '\t', 'H', 0x00E0, ' ', 'N', 0x1ED9, 'i', '\r',
                              '\n', '1', '\t', 'H', 'u', 0x1EBF, '\r', '\n'};
  size_t nu = sizeof u / sizeof *u;
  char buf[128];
  for (int mode = 0; mode < 3; mode++) {
    int be = mode == 1, bom = mode < 2;
    size_t n = utf16(u, nu, be, bom, buf);
    csvread *r = open_str(buf, n, NULL);
    assert_int_equal(csvread_encoding_used(r), be ? CSVREAD_ENC_UTF16BE : CSVREAD_ENC_UTF16LE);
    assert_int_equal(csvread_delimiter(r), '\t');
    csvread_row *row = next(r);
    assert_string_equal(row->fields[0], "t\xC3\xAAn");
    assert_string_equal(row->fields[1], "H\xC3\xA0 N\xE1\xBB\x99i");
    row = next(r);
    assert_string_equal(row->fields[1], "Hu\xE1\xBA\xBF");
    assert_null(next(r));
    csvread_close(r);
  }
  /* a lone high surrogate */
  const unsigned short bad[] = {'a', 0xD800, 'b'};
  size_t n = utf16(bad, 3, 0, 1, buf);
  csvread *r = NULL;
  chiso_err err;
  assert_int_equal(csvread_open_mem(buf, n, "x.csv", NULL, &r, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "surrogate"));
}

static void test_cp1258(void **state) {
  (void)state;
  /* Windows-1258: à=E0, ô=F4, dot below=F2, ê=EA, acute=EC, Đ=D0, ă=E3,
  ** tilde=DE, â=E2, grave=CC, ơ=F5, ư=FD, hook above=D2. */
  const char in[] = "t\xEAn;m\xE3\r\nH\xE0 N\xF4\xF2i;1\r\nHu\xEA\xEC;2\r\n\xD0\xE0 N\xE3\xDEng;3\r\n"
                    "C\xE2\xCCn Th\xF5;4\r\nTh\xFD\xD2;5\r\n";
  const char *want[] = {"H\xC3\xA0 N\xE1\xBB\x99i", "Hu\xE1\xBA\xBF", "\xC4\x90\xC3\xA0 N\xE1\xBA\xB5ng",
                        "C\xE1\xBA\xA7n Th\xC6\xA1", "Th\xE1\xBB\xAD"};
  for (int forced = 0; forced < 2; forced++) {
    csvread_options o = {.encoding = forced ? CSVREAD_ENC_CP1258 : CSVREAD_ENC_AUTO};
    csvread *r = open_str(in, sizeof in - 1, &o);
    assert_int_equal(csvread_encoding_used(r), CSVREAD_ENC_CP1258);
    assert_string_equal(next(r)->fields[0], "t\xC3\xAAn");
    for (int i = 0; i < 5; i++) {
      csvread_row *row = next(r);
      assert_string_equal(row->fields[0], want[i]);
      assert_int_equal(row->bad_utf8_field, 0);
    }
    assert_null(next(r));
    csvread_close(r);
  }
  csvread_options o = {.encoding = CSVREAD_ENC_CP1258};
  csvread *r = NULL;
  chiso_err err;
  assert_int_equal(csvread_open_mem("a\n\x81\n", 4, "x.csv", &o, &r, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "0x81"));
  assert_int_equal(err.row, 2);
  /* Invalid UTF-8 without tone marks is not taken for Windows-1258. */
  r = open_str("a\nb\xFF\n", 5, NULL);
  assert_int_equal(csvread_encoding_used(r), CSVREAD_ENC_UTF8);
  csvread_close(r);
}

/* Files in the legacy TCVN3 and VNI bytes (tests/data/legacy) are told
** from Windows-1258 by their words and decoded; asked for either, a file
** that is valid UTF-8 stays UTF-8 (its cells hold the bytes as letters). */
static void test_legacy(void **state) {
  (void)state;
  const char *files[] = {"tests/data/legacy/tcvn3.csv", "tests/data/legacy/vni.csv"};
  const csvread_encoding want[] = {CSVREAD_ENC_TCVN3, CSVREAD_ENC_VNI};
  for (int k = 0; k < 2; k++) {
    csvread *r = NULL;
    chiso_err err;
    assert_int_equal(csvread_open(files[k], NULL, &r, &err), 0);
    assert_int_equal(csvread_encoding_used(r), want[k]);
    assert_string_equal(next(r)->fields[1], "T\xE1\xBB\x89nh/Th\xC3\xA0nh ph\xE1\xBB\x91");
    assert_string_equal(next(r)->fields[1], "H\xC3\xA0 N\xE1\xBB\x99i");
    csvread_close(r);
  }
  csvread_options o = {CSVREAD_ENC_VNI, 0, 0, 0, 0, NULL, NULL};
  csvread *r = open_str("a\nHa\xC3\xB8\n", 7, &o);
  assert_int_equal(csvread_encoding_used(r), CSVREAD_ENC_UTF8);
  csvread_close(r);
  csvread_encoding e;
  assert_int_equal(csvread_parse_encoding("TCVN3", &e), 0);
  assert_int_equal(e, CSVREAD_ENC_TCVN3);
  assert_int_equal(csvread_parse_encoding("vni", &e), 0);
  assert_string_equal(csvread_encoding_name(e), "VNI");
}

static void test_encoding_names(void **state) {
  (void)state;
  csvread_encoding e;
  assert_int_equal(csvread_parse_encoding("UTF-8", &e), 0);
  assert_int_equal(e, CSVREAD_ENC_UTF8);
  assert_int_equal(csvread_parse_encoding("windows-1258", &e), 0);
  assert_int_equal(e, CSVREAD_ENC_CP1258);
  assert_int_equal(csvread_parse_encoding("utf-16be", &e), 0);
  assert_int_equal(e, CSVREAD_ENC_UTF16BE);
  assert_int_equal(csvread_parse_encoding("latin9", &e), CHISO_EUSAGE);
  assert_string_equal(csvread_encoding_name(CSVREAD_ENC_UTF16LE), "UTF-16LE");
}

/* A NUL byte is refused where it is, near the start of a file (where
** UTF-16 is sniffed) as well as far into it, and never cuts a cell: a
** sales figure "1500\0999" is not read as 1500. */
static void test_nul_bytes(void **state) {
  (void)state;
  csvread *r = NULL;
  csvread_row *row = NULL;
  chiso_err err;
  const char in[] = "a,b\n\0\0\0x,\0\0\0\0\0\0\0\0\n";
  assert_int_equal(csvread_open_mem(in, sizeof in - 1, "x.csv", NULL, &r, &err), 0);
  assert_int_equal(csvread_next(r, &row, &err), 0);
  assert_int_equal(csvread_next(r, &row, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "a NUL byte in the cell (byte 1)"));
  assert_int_equal(err.row, 2);
  assert_int_equal(err.col, 1);
  assert_int_equal(err.hint, CHISO_HINT_ENCODING);
  csvread_close(r);
  /* far from the start: 5000 rows, then a NUL in a quoted cell */
  size_t cap = 5000 * 8 + 64, n = 0;
  char *big = malloc(cap);
  n += (size_t)sprintf(big + n, "id,sales\n");
  for (int i = 0; i < 5000; i++) n += (size_t)sprintf(big + n, "%d,1\n", i);
  memcpy(big + n, "x,\"1500\0" "999\"\n", 12);
  n += 12;
  assert_int_equal(csvread_open_mem(big, n, "x.csv", NULL, &r, &err), 0);
  int rc;
  while ((rc = csvread_next(r, &row, &err)) == 0 && row) {}
  assert_int_equal(rc, CHISO_EDATA);
  assert_int_equal(err.row, 5002);
  assert_int_equal(err.col, 2);
  assert_non_null(strstr(err.message, "(byte 5)"));
  csvread_close(r);
  free(big);
}

/* ---- the vector cut against the byte-wise one ---------------------------- */

/* Every row and the final outcome of a reader, written out as text:
** fields with their lengths, row and line numbers, the bad UTF-8 place,
** then the return code and the error (row, column, message). */
static char *read_all_text(csvread *r) {
  size_t cap = 1 << 16, n = 0;
  char *out = malloc(cap);
  assert_non_null(out);
  csvread_row *row = NULL;
  chiso_err err;
  chiso_err_clear(&err);
  int rc;
  while ((rc = csvread_next(r, &row, &err)) == 0 && row) {
    for (size_t k = 0; k < row->n + 1; k++) {
      size_t need = n + (k < row->n ? row->lens[k] : 0) + 128;
      if (need > cap) {
        while (need > cap) cap *= 2;
        out = realloc(out, cap);
        assert_non_null(out);
      }
      if (k < row->n) {
        n += (size_t)sprintf(out + n, "[%zu:", row->lens[k]);
        memcpy(out + n, row->fields[k], row->lens[k]);
        n += row->lens[k];
        out[n++] = ']';
      } else {
        n += (size_t)sprintf(out + n, " row %ld line %ld bad %zu@%zu\n", row->row, row->line,
                             row->bad_utf8_field, row->bad_utf8_offset);
      }
    }
  }
  if (n + sizeof err.message + 100 > cap) out = realloc(out, cap = n + sizeof err.message + 100);
  snprintf(out + n, cap - n, "rc %d row %ld col %ld %s", rc, rc ? err.row : 0, rc ? err.col : 0,
           rc ? err.message : "");
  return out;
}

/* The same bytes read with vector compares and byte by byte (from memory,
** or from a file: its 1 MiB reads cut records) give the same text. */
static void same_both_ways(const char *in, size_t n, const csvread_options *given, int file) {
  char *text[2];
  for (int way = 0; way < 2; way++) {
    csvread_options o = given ? *given : (csvread_options){0};
    o.bytewise = way;
    csvread *r = NULL;
    chiso_err err;
    int rc;
    if (file) {
      char path[] = "/tmp/chiso-csvcut-XXXXXX";
      int fd = mkstemp(path);
      assert_true(fd >= 0);
      assert_int_equal(write(fd, in, n), (ssize_t)n);
      close(fd);
      rc = csvread_open(path, &o, &r, &err);
      unlink(path);
    } else {
      rc = csvread_open_mem(in, n, "mem.csv", &o, &r, &err);
    }
    if (rc) {
      text[way] = malloc(sizeof err.message + 32);
      snprintf(text[way], sizeof err.message + 32, "open %d %s", rc, err.message);
    } else {
      text[way] = read_all_text(r);
      csvread_close(r);
    }
  }
  if (strcmp(text[0], text[1]) != 0) {
    size_t i = 0;
    while (text[0][i] == text[1][i]) i++;
    print_error("differ at %zu:\nvector:   %.120s\nbytewise: %.120s\n", i, text[0] + i, text[1] + i);
  }
  assert_string_equal(text[0], text[1]);
  free(text[0]);
  free(text[1]);
}

/* Hand-made cases: fields that straddle the 16-byte blocks, a record
** ending at the last byte, CR LF split by a block, a lone CR, quotes,
** NUL, bad UTF-8, a field just at and just past the limit. */
static void test_vector_cut_cases(void **state) {
  (void)state;
  static const char *const cases[] = {
      "a,b,c\n",
      "abcdefghijklmno,p\n",                /* the delimiter at byte 15 */
      "abcdefghijklmnop,q\n",               /* ... at byte 16 */
      "abcdefghijklmn\r\nxy,z\r\n",         /* CR at 14, LF at 15 */
      "abcdefghijklmno\r\nxy,z\r\n",        /* CR at 15, LF at 16 */
      "abcdefghijklmno\rxy,z\rlast,row",    /* lone CRs, no final line end */
      "0123456789,0123456789,0123456789,0123456789\n0123456789abcdef,0123456789abcdef\n",
      "a,b\n\n\nc,d\n",                     /* blank lines */
      "a,\"b,c\",d\n0123456789012345,\"x\"\"y\"\n",
      "a,b\"c,d\n0123456789012345678,e\"\n", /* a quote inside an unquoted field */
      "x,\"never closed\n0123456789012345678901234567890\n",
      "id,C\xC3\xB3,Kh\xC3\xB4ng,0123456789\n1,C\xC3\xB3,Kh\xC3\xB4ng,01234567890123\n",
      "a,b\xC3,c0123456789012345\n",        /* bad UTF-8 */
      "a,b\xE1\xBA\xA1\xE1\xBA\xA1\xE1\xBA\xA1\xE1\xBA\xA1\xE1\xBA,c\n",
      "abcdefghijklmnopqrstuvwxyz0123456789,x\n",
      ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n,,\n",
      "\"a\"x,b0123456789012345\n",       /* a character after a closing quote */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    same_both_ways(cases[i], strlen(cases[i]), NULL, 0);
    csvread_options small = {.max_field = 16, .delimiter = ','};
    same_both_ways(cases[i], strlen(cases[i]), &small, 0);
  }
  const char nul[] = "a,b,c\n0123456789012345,x\0y,z\n";
  same_both_ways(nul, sizeof nul - 1, NULL, 0);
  const char semi[] = "a;b;c\n0123456789;012345;6789;\"q;r\"\r\n";
  same_both_ways(semi, sizeof semi - 1, NULL, 0);
}

/* Random records from the characters that matter (delimiters, quotes, CR,
** LF, NUL, a 2-byte letter, broken UTF-8) at every length, from memory
** and from a file of several 1 MiB reads. */
static void test_vector_cut_random(void **state) {
  (void)state;
  static const char *const atoms[] = {"a", "b", "0", "12", ",", ",", ",", ";", "\t", "\"",
                                      "\"\"", "\r", "\n", "\r\n", " ", "\xC3\xB3", "\xC3",
                                      "x,y,z", "abcdefghijklmnopq", ",\"q\","};
  unsigned seed = 12345;
  char *buf = malloc(3 << 20);
  assert_non_null(buf);
  for (int round = 0; round < 400; round++) {
    size_t n = 0, len = (size_t)(round % 50) * 7 + 1;
    int quotes = round % 3 != 0; /* a third without any quote: the fast path's records */
    for (size_t i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      const char *a = atoms[(seed >> 16) % (sizeof atoms / sizeof *atoms)];
      if (!quotes && strchr(a, '"')) a = "c";
      n += (size_t)sprintf(buf + n, "%s", a);
    }
    if (round % 7 == 0) buf[n++] = '\0', buf[n++] = 'z';
    same_both_ways(buf, n, NULL, 0);
    csvread_options o = {.delimiter = ',', .max_field = round % 2 ? 16 : 0};
    same_both_ways(buf, n, &o, 0);
  }
  /* several reads of 1 MiB: records cut by every read */
  size_t n = 0;
  n += (size_t)sprintf(buf + n, "id,a,b,c\n");
  for (int i = 0; n < (3u << 20) - 200; i++) {
    seed = seed * 1103515245u + 12345u;
    n += (size_t)sprintf(buf + n, "%d,C\xC3\xB3,%u,%.*s\r\n", i, seed % 1000, (int)(seed >> 28),
                         "0123456789abcdefghij");
  }
  same_both_ways(buf, n, NULL, 1);
  free(buf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_quoted),
      cmocka_unit_test(test_blank_lines_and_endings),
      cmocka_unit_test(test_bom_and_forced_delimiter),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_bad_utf8_located),
      cmocka_unit_test(test_chunk_boundaries),
      cmocka_unit_test(test_utf16),
      cmocka_unit_test(test_cp1258),
      cmocka_unit_test(test_legacy),
      cmocka_unit_test(test_encoding_names),
      cmocka_unit_test(test_nul_bytes),
      cmocka_unit_test(test_vector_cut_cases),
      cmocka_unit_test(test_vector_cut_random),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
