# CLI tests of `chiso report --format pdf`, read back with poppler's tools
# (poppler-utils): pdfinfo for the page count and the metadata, pdffonts
# for the embedded fonts, pdftotext for the text of each page (every unit
# name in NFC Vietnamese, a profile page per unit, the ranking's header row
# on each page of the table, the synthetic banner and the page number on
# every page), pdftoppm for pictures of a few pages; the same model gives
# the same bytes; failures leave no file.
. "$(dirname "$0")/lib.sh"
M34=tests/data/report-model-34.json
M63=tests/data/report-model-63.json
sha() { sha256sum "$1" | cut -c1-64; }
# The sanitised binary draws the books once each way; the release binary
# (the same code, and the same bytes: checked below) the rest, for time.
REL=${CHISO_RELEASE:-$CHISO}
[ -x "$REL" ] || REL=$CHISO
if ! command -v pdfinfo >/dev/null 2>&1; then
  fail poppler-utils "pdfinfo, pdffonts, pdftotext and pdftoppm are needed (scripts/deps.sh)"
  exit 0
fi

run "$CHISO" report --model "$M34" --format pdf --out "$TMP/r34.pdf"
expect_rc pdf-34 0
expect_out pdf-34-path "$TMP/r34.pdf"
pages=$(pdfinfo "$TMP/r34.pdf" | awk '/^Pages:/ {print $2}')
info=$(pdfinfo "$TMP/r34.pdf")
expect_eq pdf-a4 "$(printf '%s\n' "$info" | grep -c 'Page size:.*595.276 x 841.89 pts (A4)')" 1
expect_eq pdf-title "$(printf '%s\n' "$info" | grep -c '^Title: *Chỉ số TMĐT Việt Nam 2025')" 1
expect_eq pdf-date-from-data "$(printf '%s\n' "$info" | grep -c '^CreationDate:.*Jan  1 00:00:00 2026')" 1

# Fonts: every one embedded (a subset of each).
fonts=$(pdffonts "$TMP/r34.pdf" | tail -n +3)
expect_eq pdf-has-fonts "$([ -n "$fonts" ] && echo yes)" yes
expect_eq pdf-fonts-embedded "$(printf '%s\n' "$fonts" | awk '$(NF-4) != "yes"' | wc -l)" 0
expect_eq pdf-font-vietnamese "$(printf '%s\n' "$fonts" | grep -c -E 'NotoSans|DejaVuSans')" \
  "$(printf '%s\n' "$fonts" | wc -l)"

# Text, page by page (pages separated by form feeds).
pdftotext -layout "$TMP/r34.pdf" "$TMP/r34.txt"
python3 - "$TMP/r34.txt" "$pages" 34 data/provinces/provinces.csv name_2025 code_2025 \
  'DỮ LIỆU MÔ PHỎNG' 'Trang' 'Tỉnh/thành phố' >"$TMP/check" 2>&1 <<'EOF'
import csv, sys, unicodedata
path, pages, units, prov, name_col, code_col, banner, page_word, rank_head = sys.argv[1:]
pages, units = int(pages), int(units)
text = open(path, encoding="utf-8").read()
pp = text.split("\f")
if pp and not pp[-1].strip():
    pp = pp[:-1]
out = []
out.append(f"pages {len(pp) == pages}")
out.append(f"nfc {unicodedata.normalize('NFC', text) == text}")
rows = list(csv.DictReader(open(prov, encoding="utf-8")))
names = sorted({r[name_col] for r in rows})
codes = sorted({r[code_col] for r in rows})
out.append(f"names {len(names) == units and all(n in text for n in names)}")
# one profile page per unit: "Mã CODE ·" opens each, once, on its own page
heads = [p for p in pp if any(f"Mã {c} ·" in p for c in codes)]
out.append(f"profiles {len(heads) == units and all(sum(f'Mã {c} ·' in p for p in pp) == 1 for c in codes)}")
out.append(f"banner {all(banner in p for p in pp)}")
out.append(f"numbers {all(f'{page_word} {i + 1} / {pages}' in p for i, p in enumerate(pp))}")
# the ranking table runs over at least two pages, its header on each
ranked = [i for i, p in enumerate(pp) if rank_head in p and "Vùng" in p and "Điểm" in p]
out.append(f"ranking-header-repeated {len(ranked) >= 2 and ranked == list(range(ranked[0], ranked[0] + len(ranked)))}")
print("\n".join(out))
EOF
for k in pages nfc names profiles banner numbers ranking-header-repeated; do
  expect_eq "pdf-34-$k" "$(grep "^$k " "$TMP/check" | cut -d' ' -f2)" True
done
grep -q Traceback "$TMP/check" && fail pdf-34-check-script "$(cat "$TMP/check")"
expect_eq pdf-34-pages-at-least "$([ "$pages" -ge $((34 + 8)) ] && echo yes)" yes
# the contents name the sections and the profiles
expect_eq pdf-contents "$(head -c 4000 "$TMP/r34.txt" | grep -c -E 'Mục lục|Hồ sơ các tỉnh, thành phố|Phụ lục phương pháp')" 3

# The same model, the same bytes (from either build).
run "$REL" report --model "$M34" --format pdf --out "$TMP/r34b.pdf"
expect_eq pdf-deterministic "$(sha "$TMP/r34b.pdf")" "$(sha "$TMP/r34.pdf")"

# English, and the 63 provinces.
run "$CHISO" report --model "$M34" --format pdf --lang en --out "$TMP/en.pdf"
expect_rc pdf-en 0
pdftotext "$TMP/en.pdf" "$TMP/en.txt"
# the banner on every page, and once more in a box on the cover
expect_eq pdf-en-banner "$(grep -c 'SYNTHETIC DATA — not real survey results' "$TMP/en.txt")" \
  "$(($(pdfinfo "$TMP/en.pdf" | awk '/^Pages:/ {print $2}') + 1))"
expect_eq pdf-en-contents "$(head -c 3000 "$TMP/en.txt" | grep -c -E '^(Contents|Province profiles|Methodology appendix)')" 3
expect_eq pdf-en-page-word "$(grep -c '^Page 1 / ' "$TMP/en.txt")" 1
run "$REL" report --model "$M63" --format pdf --out "$TMP/r63.pdf"
expect_rc pdf-63 0
pdftotext "$TMP/r63.pdf" "$TMP/r63.txt"
python3 - "$TMP/r63.txt" data/provinces/provinces.csv >"$TMP/check63" <<'EOF'
import csv, sys
text = open(sys.argv[1], encoding="utf-8").read()
names = {r["name_vi"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
print(len(names), sum(n in text for n in names))
EOF
expect_eq pdf-63-names "$(cat "$TMP/check63")" "63 63"
expect_eq pdf-63-pages "$([ "$(pdfinfo "$TMP/r63.pdf" | awk '/^Pages:/ {print $2}')" -ge 71 ] && echo yes)" yes

# Pictures of a few pages (the cover, the ranking, the map, a profile).
pdftoppm -r 40 -png -f 1 -l 4 "$TMP/r34.pdf" "$TMP/page"
pdftoppm -r 40 -png -f "$pages" -l "$pages" "$TMP/r34.pdf" "$TMP/last"
n=$(ls "$TMP"/page-*.png "$TMP"/last-*.png 2>/dev/null | wc -l)
expect_eq pdf-pictures "$n" 5
small=$(find "$TMP" -name 'page-*.png' -size -6k | wc -l)
expect_eq pdf-pictures-not-blank "$small" 0

# A name ending in .pdf is a PDF without --format.
run "$REL" report --model "$M34" --out "$TMP/by-name.PDF"
expect_rc pdf-by-name 0
expect_eq pdf-by-name-same "$(sha "$TMP/by-name.PDF")" "$(sha "$TMP/r34.pdf")"
run "$REL" report --model "$M34" --format html --out "$TMP/html.pdf"
expect_eq pdf-html-asked "$([ -f "$TMP/html.pdf/index.html" ] && echo dir)" dir

# Errors: usage, a bad model, an unwritable place; no file is left.
run "$CHISO" report --model "$M34" --format pdf
expect_rc pdf-no-out 1
expect_err pdf-no-out-msg "--out FILE.pdf is required"
run "$CHISO" report --model "$M34" --format docx --out "$TMP/x.docx"
expect_rc pdf-bad-format 1
run "$CHISO" report --model "$M34" --format pdf --units 63 --out "$TMP/u.pdf"
expect_rc pdf-units 1
expect_eq pdf-units-no-file "$(ls "$TMP/u.pdf" 2>/dev/null)" ""
run "$CHISO" report --model "$M34" --format pdf --out "$TMP/no/dir/r.pdf"
expect_rc pdf-no-dir 2
printf '{"year": 2024' > "$TMP/broken.json"
run "$CHISO" report --model "$TMP/broken.json" --format pdf --out "$TMP/b.pdf"
expect_rc pdf-bad-model 2
expect_eq pdf-bad-model-no-file "$(ls "$TMP/b.pdf" 2>/dev/null)" ""
# A file of the same name is replaced only by a whole new one.
cp "$TMP/r34.pdf" "$TMP/keep.pdf"
run "$REL" report --model "$TMP/broken.json" --format pdf --out "$TMP/keep.pdf"
expect_eq pdf-failure-keeps-old "$(sha "$TMP/keep.pdf")" "$(sha "$TMP/r34.pdf")"

# From a store (--db): a synthetic year imported, the book with its profiles.
"$REL" synth --year 2024 --respondents 2500 --seed 7 --out "$TMP/s.csv" 2>/dev/null
"$REL" import --db "$TMP/s.db" --method ebi-2021 --year 2024 "$TMP/s.csv" 2>/dev/null
run "$CHISO" report --db "$TMP/s.db" --year 2024 --runs 20 --sobol 8 --format pdf --out "$TMP/db.pdf"
expect_rc pdf-db 0
pdftotext "$TMP/db.pdf" "$TMP/db.txt"
expect_eq pdf-db-pages "$([ "$(pdfinfo "$TMP/db.pdf" | awk '/^Pages:/ {print $2}')" -ge 71 ] && echo yes)" yes
expect_eq pdf-db-synthetic "$(grep -c 'DỮ LIỆU MÔ PHỎNG' "$TMP/db.txt" | awk '{print ($1 > 70)}')" 1
expect_eq pdf-db-provenance "$(grep -c 's.csv' "$TMP/db.txt")" 1
