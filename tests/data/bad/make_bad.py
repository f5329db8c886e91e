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
