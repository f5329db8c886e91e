#!/usr/bin/env python3
"""Write the large bad inputs of the catalogue into OUTDIR (they are made
when the test runs, not committed): python3 tests/data/bad/make_big.py DIR

- gen-line-10mb.csv    a header of one 10 MB line (about 1.3 million
                       column names): refused at the 16,385th column
- gen-columns-400k.csv a header and a row of 400,000 columns
- gen-sst-bomb.xlsx    survey-small.xlsx whose sharedStrings.xml holds 9
                       million empty <si/> (45 MB, stored, ratio 1:1, so no
                       zip-bomb ratio check applies): refused by the limit
                       on shared strings, not after gigabytes
"""
import os, sys, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import make_xlsx  # noqa: E402

def main(out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "gen-line-10mb.csv"), "w") as f:
        n, size = 0, 0
        names = []
        while size < 10 * 1024 * 1024:
            name = "column_%d" % n
            names.append(name)
            size += len(name) + 1
            n += 1
        f.write(",".join(names) + "\n")
    with open(os.path.join(out, "gen-columns-400k.csv"), "w") as f:
        f.write("respondent_id,province," + ",".join("c%d" % i for i in range(400000)) + "\n")
        f.write("r01,Hà Nội," + ",".join("1" for _ in range(400000)) + "\n")
    parts = make_xlsx.excel_style()
    sst = [d for n, d in parts if n == "xl/sharedStrings.xml"][0]
    sst = sst if isinstance(sst, str) else sst.decode()
    head, items = sst.split("<si>", 1)
    bomb = head + "<si/>" * (9 * 1024 * 1024) + "<si>" + items
    with zipfile.ZipFile(os.path.join(out, "gen-sst-bomb.xlsx"), "w", zipfile.ZIP_STORED) as z:
        for n, d in parts:
            z.writestr(n, bomb if n == "xl/sharedStrings.xml" else d)

if __name__ == "__main__":
    main(sys.argv[1])
