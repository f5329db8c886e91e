/* vnlegacy.h — the legacy Vietnamese 8-bit encodings TCVN3 (ABC) and VNI:
** decoding, and telling them apart from Unicode text.
**
** Before Unicode, Vietnamese text was typed with fonts whose byte layout
** was one of these: TCVN3 (TCVN 5712:1993, the ".Vn" fonts of the ABC
** keyboard, mostly in the north and in government) or VNI (the "VNI-"
** fonts of VNI Software, mostly in the south). Such text reaches chiso in
** two shapes:
**   - raw bytes, in a CSV file saved from an old program (not UTF-8);
**   - the same bytes already taken as Windows-1252 or Latin-1 characters,
**     in UTF-8 or XLSX files and in SPSS and Stata labels, because the
**     program that converted them did not know the font: "hé c¸ nh©n"
**     is "hộ cá nhân" in TCVN3, "hoä caù nhaân" in VNI.
** Both are decoded to NFC UTF-8 here.
**
** Detection scores the words of a sample under each reading (the words
** with both ASCII letters and other characters, the ones a reading
** changes): a word that is a well-formed Vietnamese syllable (an onset, a vowel nucleus from the
** list of the language's rhymes, a coda, at most one tone, and only the
** sắc or nặng tone before the stop codas c, ch, p, t) counts for the
** reading, a word with letters that make no syllable (or symbols such as
** "¸" and "©" inside it) counts against. */
#ifndef CHISO_VNLEGACY_H
#define CHISO_VNLEGACY_H

#include <stddef.h>

typedef enum {
  VNLEGACY_NONE = 0,  /* Unicode text: nothing to convert */
  VNLEGACY_TCVN3 = 1, /* TCVN 5712:1993 (VN3, ABC); the VN1 letters are read too */
  VNLEGACY_VNI = 2    /* VNI Windows */
} vnlegacy_enc;

/* "TCVN3", "VNI" or "" (NONE). Never NULL. */
const char *vnlegacy_name(vnlegacy_enc e);

/* Decode n raw bytes of encoding e (not NONE) into new NFC UTF-8 text:
** *out (caller frees with chiso_free, NUL-terminated) and *out_len. Every
** byte is defined (ASCII below 0x80). Returns 0 or CHISO_ENOMEM. */
int vnlegacy_decode(const char *in, size_t n, vnlegacy_enc e, char **out, size_t *out_len);

/* Convert one cell of text that holds encoding e's bytes: either valid
** UTF-8 whose characters are all Latin-1 or Windows-1252 ones (each taken
** back as its byte), or bytes that are not UTF-8 (taken as they are).
** *out is new NFC UTF-8 text, or NULL when s is left as it is (plain
** ASCII, or characters no single byte stands for, such as "ộ": text
** that is Unicode already). Returns 0 or CHISO_ENOMEM. */
int vnlegacy_convert(const char *s, vnlegacy_enc e, char **out);

/* 1 when s could hold legacy bytes: it has a non-ASCII character and
** vnlegacy_convert would not leave it as it is. Cannot fail. */
int vnlegacy_eligible(const char *s);

/* Evidence from a sample of cells, for each reading. */
typedef struct vnlegacy_detector {
  long good[3], bad[3]; /* syllables and non-syllables as read as is
                           ([NONE]), as TCVN3 and as VNI */
  long unicode;         /* cells with characters beyond any legacy byte */
} vnlegacy_detector;

/* Count the words of one cell under every reading (cells that are not
** eligible count for NONE only). Returns 0 or CHISO_ENOMEM. */
int vnlegacy_feed(vnlegacy_detector *d, const char *s);

/* The reading the evidence supports: TCVN3 or VNI when its score (good
** minus bad words) is at least 2 and beats reading the text as it is and
** the other encoding; else NONE. Cannot fail. */
vnlegacy_enc vnlegacy_decide(const vnlegacy_detector *d);

/* Score UTF-8 text as Vietnamese (good minus bad words): for choosing how
** to decode a file that is not UTF-8. Returns 0 and sets *score, or
** CHISO_ENOMEM. */
int vnlegacy_score(const char *utf8, long *score);

#endif
