/* text.h — Vietnamese-aware UTF-8 text: validation, NFC, folded keys.
**
** Display strings are NFC. Matching never compares display strings: it
** compares folded keys (NFC, case fold, marks stripped, đ→d), so "Hoà Bình",
** "Hòa Bình" and "HOA BINH" all give "hoa binh". */
#ifndef CHISO_TEXT_H
#define CHISO_TEXT_H

#include <stddef.h>

/* Return the byte offset of the first invalid UTF-8 sequence in s[0..n),
** or n when all of it is valid. Overlong forms, surrogates and code points
** above U+10FFFF are invalid. With AVX2 (cpu_level) a string of 16 bytes
** or more is checked 32 bytes at a time and only a refused one byte by
** byte (same result; cpu_allow(CPU_PLAIN) keeps to the byte-wise check).
** Cannot fail. */
size_t text_utf8_check(const char *s, size_t n);

/* Compose s to NFC. On success *out is a new string the caller frees with
** chiso_free. Returns CHISO_EDATA for invalid UTF-8, CHISO_ENOMEM, and
** leaves *out NULL on failure. */
int text_nfc(const char *s, char **out);

/* Fold s for matching: NFC, Unicode case folding, combining marks removed,
** and đ/Đ (and the look-alike ð/Ð) turned into d by hand, because Unicode
** gives đ no decomposition. Spacing and punctuation are kept. Same return
** and ownership rules as text_nfc. */
int text_fold(const char *s, char **out);

/* A matching key: text_fold, then every run of characters that are not
** letters or digits (spaces, any dash, dots, commas, quotes) becomes one
** space, with none at either end. "TP. Hồ Chí Minh" gives
** "tp ho chi minh". Same return and ownership rules as text_nfc. */
int text_key(const char *s, char **out);

/* Like text_key but with the spaces removed as well: "Đắk Lắk" and
** "Daklak" both give "daklak". Same rules. */
int text_compact_key(const char *s, char **out);

/* Remove diacritics but keep case: "Đắk Lắk" gives "Dak Lak". Same
** return and ownership rules as text_nfc. */
int text_ascii(const char *s, char **out);

/* Optimal-string-alignment edit distance (Levenshtein plus adjacent
** transpositions) between two byte strings. Returns -1 when either string
** is longer than 255 bytes. */
int text_edit_distance(const char *a, const char *b);

/* Copy s (NULL: "") into buf of n > 0 bytes, always NUL-terminated and cut
** to fit, with every byte that could drive a terminal written as the four
** characters \xNN: the C0 controls (ESC, BEL, CR...; newline and tab are
** kept when keep_lines), DEL, the C1 controls U+0080..U+009F, and bytes
** that are not valid UTF-8 (a lone 0x9B is a CSI on an 8-bit terminal).
** What a file name or a cell says cannot then move the cursor, change
** colours or set the window title when a message is shown. Returns buf.
** Cannot fail. */
char *text_escape_controls(const char *s, int keep_lines, char *buf, size_t n);

/* Number of code points in a valid UTF-8 string (for column widths). */
size_t text_width(const char *s);

#endif
