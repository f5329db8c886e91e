#!/usr/bin/env python3
"""Write the XLSX and CSV variants of tests/data/survey-small.csv that the
tests read, the way different programs write them. Run from the repository
root: python3 tests/data/make_xlsx.py. Outputs are committed.

- survey-small.xlsx         Excel style: shared strings, a styles part,
                            numbers as numbers, cell references on every cell,
                            a rich-text shared string (two runs), a second
                            sheet, and a date cell in a sheet "dates".
- survey-small-lo.xlsx      LibreOffice style: other namespace prefixes,
                            inline strings, booleans for yes/no, no cell refs
                            on some cells, a gap row, the 1904 date system.
- survey-small-semicolon.csv  ';' delimited, CRLF line ends, UTF-8 BOM.
- bad/*.xlsx                  broken workbooks for the bad-input catalogue.
"""
import csv, io, os, zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

def rows():
    with open(os.path.join(HERE, "survey-small.csv"), encoding="utf-8", newline="") as f:
        return list(csv.reader(f))

def col(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s

def is_number(v):
    try:
        float(v)
        return v.strip() == v and v != "" and not v.startswith("0") or v == "0"
    except ValueError:
        return False

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
</Types>"""

ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""

def write_zip(path, parts, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, compress_type=method)

def excel_style():
    data = rows()
    sst, index = [], {}
    def si(v):
        if v not in index:
            index[v] = len(sst)
            sst.append(v)
        return index[v]
    out = []
    for r, row in enumerate(data, 1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{col(c)}{r}"
            if v == "":
                continue  # empty cells are simply absent
            if r > 1 and c == 10 and is_number(v):
                # the percent column as Excel keeps it: a fraction shown as 35%
                cells.append(f'<c r="{ref}" s="4"><v>{float(v) / 100!r}</v></c>')
            elif r > 1 and is_number(v):
                cells.append(f'<c r="{ref}" s="1"><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{si(v)}</v></c>')
        out.append(f'<row r="{r}" spans="1:{len(row)}">' + "".join(cells) + "</row>")
    # "Kế toán; ERP" written as rich text in two runs
    items = []
    for v in sst:
        if v == "Kế toán; ERP":
            items.append('<si><r><rPr><b/></rPr><t>Kế toán;</t></r><r><t xml:space="preserve"> ERP</t></r></si>')
        else:
            items.append(f'<si><t xml:space="preserve">{escape(v)}</t></si>')
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
             f'xmlns:r="{REL}"><dimension ref="A1:M7"/><sheetData>' + "".join(out) +
             '</sheetData></worksheet>')
    dates = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row r="2"><c r="A2" s="2"><v>45356</v></c><c r="B2" s="3"><v>45356.6041666667</v></c>'
             '<c r="C2" s="2"><v>60</v></c><c r="D2" s="2"><v>1</v></c><c r="E2" t="b"><v>1</v></c>'
             '<c r="F2" t="e"><v>#N/A</v></c><c r="G2"><v>0.1</v></c><c r="H2" t="str"><f>A1</f><v>text</v></c>'
             '<c r="I2" s="4"><v>0.35</v></c><c r="J2" s="5"><v>0.125</v></c></row>'
             '</sheetData></worksheet>')
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
              '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ hh:mm"/>'
              '<numFmt numFmtId="165" formatCode="0.0&quot;pts&quot;%"/></numFmts>'
              '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
              '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="2"/><xf numFmtId="14"/><xf numFmtId="164"/>'
              '<xf numFmtId="9"/><xf numFmtId="165"/></cellXfs>'
              '</styleSheet>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                '<workbookPr/><sheets><sheet name="Khảo sát" sheetId="1" r:id="rId3"/>'
                '<sheet name="dates" sheetId="2" r:id="rId4"/></sheets></workbook>')
    wrels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
             f'<Relationship Id="rId1" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
             f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
             f'<Relationship Id="rId3" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
             f'<Relationship Id="rId4" Type="{REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
             '</Relationships>')
    # the dates sheet uses shared strings 0 and 1 as headers
    sst_xml = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(sst)}" '
               f'uniqueCount="{len(sst)}">' + "".join(items) + "</sst>")
    return [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", wrels),
            ("xl/styles.xml", styles), ("xl/sharedStrings.xml", sst_xml),
            ("xl/worksheets/sheet1.xml", sheet), ("xl/worksheets/sheet2.xml", dates)]

def libreoffice_style():
    data = rows()
    out = []
    r_out = 0
    for r, row in enumerate(data, 1):
        r_out = r if r <= 2 else r + 1  # leave row 3 empty: a gap
        cells = []
        for c, v in enumerate(row):
            ref = f' r="{col(c)}{r_out}"' if c % 2 == 0 or v == "" else ""
            if v == "":
                cells.append(f'<x:c r="{col(c)}{r_out}" s="0"/>')  # an empty styled cell
            elif r > 1 and v in ("TRUE",):
                cells.append(f'<x:c{ref} t="b"><x:v>1</x:v></x:c>')
            elif r > 1 and is_number(v):
                cells.append(f'<x:c{ref} t="n"><x:v>{v}</x:v></x:c>')
            else:
                cells.append(f'<x:c{ref} t="inlineStr"><x:is><x:t>{escape(v)}</x:t></x:is></x:c>')
        out.append(f'<x:row r="{r_out}">' + "".join(cells) + "</x:row>")
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="{MAIN}" '
             f'xmlns:rel="{REL}"><x:sheetData>' + "".join(out) + '</x:sheetData></x:worksheet>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="{MAIN}" xmlns:rel="{REL}">'
                '<x:workbookPr date1904="true"/><x:sheets><x:sheet name="Sheet1" sheetId="1" rel:id="rIdA"/>'
                '</x:sheets></x:workbook>')
    wrels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
             f'<Relationship Id="rIdA" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
             '</Relationships>')
    return [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", wrels),
            ("xl/worksheets/sheet1.xml", sheet)]

def semicolon_csv():
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    for row in rows():
        w.writerow(row)
    with open(os.path.join(HERE, "survey-small-semicolon.csv"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))

def bad_workbooks():
    bad = os.path.join(HERE, "bad")
    good = open(os.path.join(HERE, "survey-small.xlsx"), "rb").read()
    with open(os.path.join(bad, "truncated.xlsx"), "wb") as f:
        f.write(good[: len(good) // 2])
    # 20 MB of zeros inflate from about 20 KB: a ratio near 1000:1
    parts = excel_style()
    parts[-2] = ("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    write_zip(os.path.join(bad, "zip-bomb.xlsx"), parts)
    write_zip(os.path.join(bad, "no-workbook.xlsx"), [("hello.txt", "not a workbook")])
    parts = excel_style()
    parts[-2] = ("xl/worksheets/sheet1.xml", parts[-2][1].replace("</sheetData>", ""))
    write_zip(os.path.join(bad, "bad-xml.xlsx"), parts)
    with open(os.path.join(bad, "not-a-zip.xlsx"), "wb") as f:
        f.write(b"respondent_id,province\nr1,Ha Noi\n")

if __name__ == "__main__":
    write_zip(os.path.join(HERE, "survey-small.xlsx"), excel_style())
    write_zip(os.path.join(HERE, "survey-small-lo.xlsx"), libreoffice_style())
    semicolon_csv()
    os.makedirs(os.path.join(HERE, "bad"), exist_ok=True)
    bad_workbooks()
