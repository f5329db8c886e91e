#!/usr/bin/env python3
"""Write the reference survey (tests/data/survey/ref1.csv) with Vietnamese
text in the legacy encodings TCVN3 and VNI, the way old programs left it.
Run from the repository root: python3 tests/data/legacy/make-legacy.py.
Outputs are committed (make check needs no Python).

The survey is ref1.csv with its province codes replaced by the names
(data/provinces/provinces.csv), yes/no as Có/Không, the province column
headed "Tỉnh/Thành phố" and a free-text column; so its estimates are R
survey's tests/reference/caseA.csv.

- vi.csv          that survey in UTF-8 (the reference for the others)
- tcvn3.csv       raw TCVN3 bytes, encoded by glibc's iconv (TCVN5712-1),
                  independently of chiso
- tcvn3-utf8.csv  the TCVN3 bytes taken as Windows-1252 characters and saved
                  as UTF-8 ("Hµ Néi"), as Excel saves a sheet typed in a .Vn font
- tcvn3.xlsx      the same characters in an XLSX workbook
- vni.csv         raw VNI Windows bytes ("Haø Noäi"), encoded below from the
                  VNI font table (an ASCII letter, then one byte for its
                  vowel mark and tone)
- vni-utf8.csv    the VNI bytes as Windows-1252 characters, in UTF-8
- labels.csv      text,tcvn3,vni: each label of tests/reference/statfiles.R
                  as the Windows-1252 characters of its TCVN3 and VNI bytes
"""
import csv, io, os, subprocess, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..", "..")
sys.path.insert(0, os.path.join(HERE, ".."))
import make_xlsx  # noqa: E402  (zip and sheet helpers)

def tcvn3(text):
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(),
                          capture_output=True, check=True).stdout

# VNI Windows: (vowel mark, tone) -> the byte after the base letter (lower case).
CIRC, BREVE, HORN = "\u0302", "\u0306", "\u031b"
TONES = {"\u0301": "acute", "\u0300": "grave", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}
VNI_MARK = {
    (None, "acute"): 0xF9, (None, "grave"): 0xF8, (None, "hook"): 0xFB, (None, "tilde"): 0xF5,
    (None, "dot"): 0xEF, (CIRC, None): 0xE2, (CIRC, "acute"): 0xE1, (CIRC, "grave"): 0xE0,
    (CIRC, "hook"): 0xE5, (CIRC, "tilde"): 0xE3, (CIRC, "dot"): 0xE4, (BREVE, None): 0xEA,
    (BREVE, "acute"): 0xE9, (BREVE, "grave"): 0xE8, (BREVE, "hook"): 0xFA,
    (BREVE, "tilde"): 0xFC, (BREVE, "dot"): 0xEB}
VNI_I = {"acute": 0xED, "grave": 0xEC, "hook": 0xE6, "tilde": 0xF3, "dot": 0xF2}

def vni(text):
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            out.append(0xF1 if ch == "đ" else 0xD1)
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        if ord(base) >= 0x80:
            raise ValueError(f"no VNI for {ch!r}")
        up = base.isupper()
        mod = next((m for m in marks if m in (CIRC, BREVE, HORN)), None)
        tone = next((TONES[m] for m in marks if m in TONES), None)
        shift = 0x20 if up else 0
        if mod == HORN:  # ơ, ư are whole letters; the tone follows
            out.append((0xF4 if base.lower() == "o" else 0xF6) - shift)
            if tone:
                out.append(VNI_MARK[(None, tone)] - shift)
        elif base.lower() == "i" and tone:
            out.append(VNI_I[tone] - shift)
        elif base.lower() == "y" and tone == "dot":
            out.append(0xEE - shift)
        else:
            out.append(ord(base))
            if mod or tone:
                out.append(VNI_MARK[(mod, tone)] - shift)
    return bytes(out)

def survey():
    names = {}
    with open(os.path.join(ROOT, "data/provinces/provinces.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            names[r["code_2008"]] = r["name_vi"]
    yes = {"1": "Có", "0": "Không", "": ""}
    rows = []
    with open(os.path.join(ROOT, "tests/data/survey/ref1.csv"), encoding="utf-8") as f:
        rd = csv.reader(f)
        head = next(rd)
        head[1] = "Tỉnh/Thành phố"
        rows.append(head + ["Ghi chú"])
        for i, r in enumerate(rd):
            r[1] = names[r[1]]
            r[4], r[5] = yes[r[4]], yes[r[5]]
            rows.append(r + ["hộ cá nhân" if i % 2 else "doanh nghiệp tư nhân"])
    return rows

def csv_text(rows):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()

def xlsx(rows, path):
    cells_xml = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{make_xlsx.col(c)}{r}"
            if v == "":
                continue
            if r > 1 and make_xlsx.is_number(v):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{make_xlsx.escape(v)}</t></is></c>')
        cells_xml.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    main, rel, pkg = make_xlsx.MAIN, make_xlsx.REL, make_xlsx.PKG
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'
             + "".join(cells_xml) + "</sheetData></worksheet>")
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
                '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wrels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
             f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
             "</Relationships>")
    make_xlsx.write_zip(path, [("[Content_Types].xml", make_xlsx.CONTENT_TYPES),
                               ("_rels/.rels", make_xlsx.ROOT_RELS), ("xl/workbook.xml", workbook),
                               ("xl/_rels/workbook.xml.rels", wrels),
                               ("xl/worksheets/sheet1.xml", sheet)])

def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)

def main():
    rows = survey()
    text = csv_text(rows)
    write("vi.csv", text.encode("utf-8"))
    t3 = tcvn3(text)
    write("tcvn3.csv", t3)
    write("tcvn3-utf8.csv", t3.decode("cp1252").encode("utf-8"))
    xlsx([[c.encode() and tcvn3(c).decode("cp1252") if c else c for c in r] for r in rows],
         os.path.join(HERE, "tcvn3.xlsx"))
    v = b"".join(vni(line) + b"\n" for line in text.splitlines())
    write("vni.csv", v)
    write("vni-utf8.csv", v.decode("cp1252").encode("utf-8"))
    labels = ["Tỉnh/Thành phố", "Có", "Không", "Không trả lời", "Không dùng", "Cơ bản",
              "Phần mềm ERP", "Khác", "Dùng email", "Có website", "Mã doanh nghiệp", "Quy mô",
              "Trọng số", "Phần mềm quản lý", "Ghi chú", "Ngày phỏng vấn", "hộ cá nhân",
              "doanh nghiệp"] + sorted(set(r[1] for r in rows[1:]))
    out = [["text", "tcvn3", "vni"]] + [[t, tcvn3(t).decode("cp1252"), vni(t).decode("cp1252")]
                                        for t in labels]
    write("labels.csv", csv_text(out).encode("utf-8"))

if __name__ == "__main__":
    main()
