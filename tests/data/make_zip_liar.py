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

def patch(data, sig, size_at, nlen_at, name_at, size):
    """Set the uncompressed size of SHEET's records starting with `sig`
    (fields at the given offsets); returns how many were changed."""
    n, pos = 0, data.find(sig)
    while pos >= 0:
        nlen = struct.unpack_from("<H", data, pos + nlen_at)[0]
        if data[pos + name_at:pos + name_at + nlen] == SHEET.encode():
            struct.pack_into("<I", data, pos + size_at, size)
            n += 1
        pos = data.find(sig, pos + 4)
    return n

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
    lied = patch(data, b"PK\x03\x04", 22, 26, 30, len(real))  # local header
    lied += patch(data, b"PK\x01\x02", 24, 28, 46, len(real))  # central directory
    assert lied == 2, lied
    open(path, "wb").write(bytes(data))

if __name__ == "__main__":
    main()
