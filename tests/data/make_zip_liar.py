#!/usr/bin/env python3
"""Write bad/zip-bomb-lying.xlsx: a zip bomb that lies. Its worksheet is a
real sheet padded with 20 MB of blanks (deflated to about 20 KB), and both
the local header and the central directory declare the size of the sheet
WITHOUT the padding, so a size or ratio check on the directory alone lets
it through. The reader must count the bytes it actually inflates and stop
at the declared size. Run from the repository root:
python3 tests/data/make_zip_liar.py (the output is committed)."""
import os, struct, sys, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_xlsx  # noqa: E402  (the Excel-style parts of survey-small)

SHEET = "xl/worksheets/sheet1.xml"
PAD = 20 * 1024 * 1024

def main():
    parts = make_xlsx.excel_style()
    names = [n for n, _ in parts]
    real = parts[names.index(SHEET)][1]
    real = real.encode("utf-8") if isinstance(real, str) else real
    head, tail = real.rsplit(b"</worksheet>", 1)
    padded = head + b" " * PAD + b"</worksheet>" + tail
    parts[names.index(SHEET)] = (SHEET, padded)
    path = os.path.join(HERE, "bad", "zip-bomb-lying.xlsx")
    make_xlsx.write_zip(path, parts)
    data = bytearray(open(path, "rb").read())
    name = SHEET.encode()
    lied = 0
    # local file header: the uncompressed size is at offset 22
    pos = data.find(b"PK\x03\x04" + b"", 0)
    while pos >= 0:
        nlen = struct.unpack_from("<H", data, pos + 26)[0]
        if data[pos + 30:pos + 30 + nlen] == name:
            struct.pack_into("<I", data, pos + 22, len(real))
            lied += 1
        pos = data.find(b"PK\x03\x04", pos + 4)
    # central directory entry: the uncompressed size is at offset 24
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        nlen = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + nlen] == name:
            struct.pack_into("<I", data, pos + 24, len(real))
            lied += 1
        pos = data.find(b"PK\x01\x02", pos + 4)
    assert lied == 2, lied
    open(path, "wb").write(bytes(data))

if __name__ == "__main__":
    main()
