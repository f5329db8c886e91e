#!/usr/bin/env python3
"""Write the bad CSV inputs of the catalogue (tests/data/bad/EXPECTED lists
what each must give). Run from the repository root:
python3 tests/data/bad/make_bad.py (the XLSX ones come from
tests/data/make_xlsx.py). Outputs are committed."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
HEAD = "respondent_id,province,size_class,weight,year,Email,q_website,q_software,q_web_update,q_online_rev_pct,q_online_sales"
OK1 = "r01,Hà Nội,micro,2,2024,Có,Không,ERP,Daily,10,100"
OK2 = "r02,Huế,small,3,2024,Không,Có,,,0,0"

def put(name, text, raw=False):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(text if raw else text.encode("utf-8"))

def rows(*lines, head=HEAD):
    return "\n".join((head,) + lines) + "\n"

put("empty.csv", "")
put("header-only.csv", HEAD + "\n")
put("blank-lines-only.csv", "\n\n\r\n")
put("unclosed-quote.csv", rows(OK1, 'r02,"Huế,small,3,2024,Không,Có,,,0,0', OK2.replace("r02", "r03")))
put("stray-quote.csv", rows(OK1, 'r02,"Huế"x,small,3,2024,Không,Có,,,0,0'))
put("field-1mb.csv", rows(OK1, "r02,Huế,small,3,2024,Không,Có,,,0," + "9" * (1024 * 1024)))
put("no-province-column.csv", rows(OK1, head=HEAD.replace("province", "region")))
put("no-id-column.csv", rows(OK1, head=HEAD.replace("respondent_id", "firm")))
put("nul-bytes.csv", (rows(OK1) + "r02\0\0\0\0,Huế\0\0\0\0\0\0\n").encode("utf-8"), raw=True)
put("utf16-odd-length.csv", b"\xff\xfe" + rows(OK1).encode("utf-16-le") + b"\x41", raw=True)
put("cp1258-undefined-byte.csv", (rows("r01,H\xe0 N\xf4\xf2i,micro,2,2024,C\xf3,,,,,").encode("latin-1")
                                  .replace(b"\xf3", b"\xf3") + b"r02,\x81,small,1,2024,1,,,,,\n"), raw=True)
put("invalid-utf8.csv", rows(OK1).encode("utf-8") + b"r02,Hu\xc3\x28,small,3,2024,0,1,,,0,0\n", raw=True)
put("bad-utf8-header.csv", (HEAD + ",note\xff\n" + OK1 + ",\n").encode("latin-1", "replace")
    if False else (HEAD + ",note").encode() + b"\xff\n" + (OK1 + ",x\n").encode(), raw=True)
put("duplicate-id.csv", rows(OK1, OK2, OK2.replace("Huế", "Hà Nội")))
put("unknown-province.csv", rows(OK1, OK2.replace("Huế", "Atlantis")))
put("ambiguous-province.csv", rows(OK1, OK2.replace("Huế", "DN")))
put("bad-number.csv", rows(OK1, OK2.replace(",0,0", ",0,12abc")))
put("out-of-range.csv", rows(OK1, OK2.replace(",0,0", ",120,0")))
put("percent-over.csv", rows(OK1, OK2.replace(",0,0", ",150%,0")))
put("negative-number.csv", rows(OK1, OK2.replace(",0,0", ",0,-5")))
put("disallowed-answer.csv", rows(OK1, OK2.replace(",,,0,0", ",,Sometimes,0,0")))
put("disallowed-multi.csv", rows(OK1, OK2.replace(",,,0,0", ",ERP;Blockchain,,0,0")))
put("bad-yesno.csv", rows(OK1, OK2.replace("Không,Có", "Maybe,Có")))
put("missing-required.csv", rows(OK1, OK2.replace("Không,Có", ",Có")))
put("missing-required-column.csv", rows("r01,Hà Nội,micro,2,2024,Không,ERP,Daily,10,100",
                                        head=HEAD.replace("Email,", "")))
put("missing-id.csv", rows(OK1, OK2.replace("r02", "")))
put("missing-province.csv", rows(OK1, OK2.replace("Huế", "")))
put("missing-stratum.csv", rows(OK1, OK2.replace("small", "")))
put("zero-weight.csv", rows(OK1, OK2.replace(",3,", ",0,")))
put("weight-not-number.csv", rows(OK1, OK2.replace(",3,", ",heavy,")))
put("wrong-year.csv", rows(OK1, OK2.replace("2024", "2023")))
put("extra-field.csv", rows(OK1, OK2 + ",surplus"))
put("duplicate-column.csv", rows(OK1 + ",Có", head=HEAD + ",Sử dụng email"))
put("many-problems.csv", rows(OK1, *["r%02d,Atlantis,micro,2,2024,Maybe,,,,," % i for i in range(3, 40)]))

# ---- issue 13 (hardening): what fuzzing and an outside review found ----------
import json, sys, zipfile
sys.path.insert(0, os.path.dirname(HERE))
import make_xlsx  # noqa: E402  (the Excel-style parts of survey-small)

put("dup-empty-header.csv", rows(OK1 + ",,Hà Nội", head=HEAD + ",,province"))
put("header-case.csv", rows(OK1 + ",Có", head=HEAD + ",email"))
put("header-diacritics.csv", rows(OK1 + ",Huế", head=HEAD + ",Tỉnh"))
put("number-1e309.csv", rows(OK1, OK2.replace(",0,0", ",0,1e309")))
put("number-nan.csv", rows(OK1, OK2.replace(",0,0", ",0,NaN")))
put("number-huge.csv", rows(OK1, OK2.replace(",0,0", ",0,1e300")))
put("weight-minus-zero.csv", rows(OK1, OK2.replace(",3,", ",-0,")))
put("weight-negative.csv", rows(OK1, OK2.replace(",3,", ",-3,")))
put("weight-inf.csv", rows(OK1, OK2.replace(",3,", ",inf,")))
put("weight-1e308.csv", rows(OK1, OK2.replace(",3,", ",1e308,")))
put("weight-subnormal.csv", rows(OK1, OK2.replace(",3,", ",1e-320,")))
put("formula-cell.csv", rows(OK1, OK2.replace(",0,0", ",0,=1+1")))
put("year-1e80.csv", rows(OK1, OK2.replace("2024", "1e80")))
put("nul-in-cell.csv", rows(OK1).encode() + "r02,Huế,small,3,2024,Không,Có,,,0,1500\0999\n".encode(),
    raw=True)
put("escape-in-cell.csv", rows(OK1, OK2.replace("Huế", "\x1b[2J\x1b]0;pwned\x07Huế")))
put("province-no-answers.csv", rows(OK1, "r02,Cần Thơ,small,3,2024,,,,,,", "r03,Cần Thơ,micro,2,2024,,,,,,"))
put("lonely-stratum.csv", rows(OK1, OK2, OK1.replace("r01", "r03"), OK2.replace("r02", "r04").replace("small", "large")))

# methodologies: the codebook of method-test.json with an index tree
with open(os.path.join(os.path.dirname(HERE), "method-test.json"), encoding="utf-8") as f:
    METHOD = json.load(f)

def method(name, nodes):
    m = dict(METHOD)
    m["tree"] = {"nodes": nodes}
    put(name, json.dumps(m, ensure_ascii=False, indent=1))

def leaf(i, parent="ebi", **kw):
    return dict({"id": i, "parent": parent, "weight": 1, "direction": 1}, **kw)

ROOT = {"id": "ebi", "type": "aggregate"}
method("method-cycle.json", [ROOT, {"id": "a", "parent": "b", "weight": 1},
                             {"id": "b", "parent": "a", "weight": 1}, leaf("email_use", "a")])
method("method-weight-zero.json", [ROOT, leaf("email_use"), leaf("website", weight=0)])
method("method-weight-negative.json", [ROOT, leaf("email_use"), leaf("website", weight=-1)])
method("method-weight-string.json", [ROOT, leaf("email_use"), leaf("website", weight="heavy")])
put("method-deep.json", "[" * 10000 + "]" * 10000)
put("method-not-json.json", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin\n")

# workbooks: the Excel-style survey-small.xlsx, broken one way each
def workbook(name, parts):
    with zipfile.ZipFile(os.path.join(HERE, name), "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts:
            z.writestr(zipfile.ZipInfo(n, (2024, 1, 1, 0, 0, 0)), data)

SHEET = "xl/worksheets/sheet1.xml"
parts = make_xlsx.excel_style()
sheet = dict(parts)[SHEET]
sheet = sheet if isinstance(sheet, str) else sheet.decode()
empty = sheet.split("<sheetData>")[0] + "<sheetData/></worksheet>"
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # zipfile warns about the duplicate, as it should
    workbook("zip-duplicate.xlsx", parts + [(SHEET, empty)])
workbook("zip-traversal.xlsx", parts + [("../../../tmp/evil.xml", "<x/>")])
workbook("xlsx-long-ref.xlsx", [(n, sheet.replace('r="C2"', 'r="AAAAAAAAAAAAAAAC2"'))
                                if n == SHEET else (n, d) for n, d in parts])
workbook("xlsx-bad-row.xlsx", [(n, sheet.replace('<row r="2"', '<row r="99999999999"'))
                               if n == SHEET else (n, d) for n, d in parts])
