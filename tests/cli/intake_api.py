#!/usr/bin/env python3
"""The write side of `chiso serve` for tests/cli/test_intake.sh (issue 15):
every write endpoint without credentials (401), with a disabled account
(401), with a province account outside its units (403, the store
unchanged), without a CSRF token (403); a replayed one-time invitation;
the login limits; hostile input (markup escaped, SQL stored or refused,
path names ignored, 413 one byte over, a zip bomb and a 10^6-column CSV
failing only their own request); uploads, the questionnaire and the
publication end to end; the audit log. Prints "ok NAME" / "FAIL NAME".

Usage: intake_api.py PORT DB ACCOUNTS.json WORKDIR MAX_UPLOAD"""
import io
import json
import os
import re
import sys
import unicodedata
import zipfile
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intaketest import Client, bearer, jbody, query, scalar, state, status_before_body  # noqa: E402
from servetest import check, done  # noqa: E402

PORT, DB, ACC, WORK, MAX = int(sys.argv[1]), sys.argv[2], json.load(open(sys.argv[3])), sys.argv[4], int(sys.argv[5])
HN, HCM, VIEWER, GONE = ACC["hn_token"], ACC["hcm_token"], ACC["viewer_token"], ACC["disabled_token"]
ROOT, LEAKED = ACC["root_token"], ACC["revoked_token"]
anon = Client(PORT)
YEAR = 2025

# ---- a survey file of unit 01 (Hà Nội) and one of 79, new respondent ids ----------------------------
synth = open(os.path.join(WORK, "s.csv"), encoding="utf-8").read().splitlines()
head = synth[0]


def unit_rows(code, prefix):
    rows = [ln for ln in synth[1:] if ln.startswith("2025-%s-" % code)]
    return [prefix + ln for ln in rows]


hn_rows = unit_rows("01", "A")
hcm_rows = unit_rows("79", "A")
hn_csv = ("\n".join([head] + hn_rows) + "\n").encode()
hcm_csv = ("\n".join([head] + hcm_rows) + "\n").encode()
mixed_csv = ("\n".join([head] + hn_rows[:3] + hcm_rows[:2]) + "\n").encode()

# ---- every write endpoint without credentials, with a disabled account -----------------------------
API_WRITES = [("POST", "/api/v1/surveys?year=2025"), ("POST", "/api/v1/invitations"),
              ("POST", "/api/v1/quotas"), ("POST", "/api/v1/publish?year=2025"),
              ("GET", "/api/v1/audit"), ("GET", "/api/v1/intake"), ("GET", "/api/v1/invitations"),
              ("GET", "/api/v1/whoami")]
PAGE_WRITES = ["/vi/intake/upload", "/vi/intake/invite", "/vi/intake/quota", "/vi/intake/publish", "/vi/logout"]
PAGE_READS = ["/vi/intake", "/en/intake", "/admin/audit", "/vi/admin/audit"]
before = state(DB)
bad = []
for method, path in API_WRITES:
    for label, h in (("none", {}), ("bad token", bearer("chiso_" + "A" * 43)), ("disabled", bearer(GONE)),
                     ("revoked admin token", bearer(LEAKED)), ("malformed", {"Authorization": "Basic cm9vdDpyb290"})):
        st, hd, body = anon.request(method, path, b"{}" if method == "POST" else None,
                                    dict(h, **({"Content-Type": "application/json"} if method == "POST" else {})))
        if st != 401 or "bearer" not in hd.get("www-authenticate", "").lower():
            bad.append((label, method, path, st))
check("api-writes-401", not bad, bad)
bad = []
for path in PAGE_WRITES:
    st, _, _ = anon.post_form(path, {"csrf": "x", "year": "2025"})
    if st != 401:
        bad.append((path, st))
    st, _, _ = anon.request("POST", path, b"year=2025", dict(bearer(GONE), **{"Content-Type": "application/x-www-form-urlencoded"}))
    if st != 401:
        bad.append(("disabled", path, st))
for path in PAGE_READS:
    st, hd, _ = anon.get(path)
    if st != 303 or "/login?next=" not in hd.get("location", ""):
        bad.append((path, st, hd.get("location")))
check("page-writes-401-or-login", not bad, bad)
check("unauthenticated-store-unchanged", state(DB) == before)

# nothing is read of a body before the caller is known: a big upload without
# credentials is refused at once, its bytes never stored
st = status_before_body(PORT, "/api/v1/surveys?year=2025", MAX - 10, {"Content-Type": "text/csv"})
check("upload-401-before-body", st == 401, st)
st = status_before_body(PORT, "/api/v1/surveys?year=2025", MAX - 10, dict(bearer(VIEWER), **{"Content-Type": "text/csv"}))
check("upload-403-before-body", st == 403, st)

# ---- roles: a viewer writes nothing, only an admin reads the audit log -----------------------------
bad = []
for method, path in API_WRITES[:4]:
    st, _, _ = anon.request(method, path, b"{}", dict(bearer(VIEWER), **{"Content-Type": "application/json"}))
    if st != 403:
        bad.append((method, path, st))
st, _, _ = anon.get("/api/v1/audit", headers=bearer(HN))
if st != 403:
    bad.append(("province audit", st))
check("roles-403", not bad, bad)
st, _, body = anon.get("/api/v1/whoami", headers=bearer(HN))
check("whoami", st == 200 and jbody(body)["scope"] == ["01"] and jbody(body)["via"] == 'token "ci"', body[:200])

# ---- a province account outside its units: 403, the rows listed, nothing stored -------------------
before = state(DB)
st, _, body = anon.post_multipart("/api/v1/surveys?year=2025", [], [("file", "hcm.csv", hcm_csv)], token=HN)
j = jbody(body) or {}
check("scope-upload-403", st == 403 and len(j.get("outside", [])) == len(hcm_rows), st, body[:300])
check("scope-upload-rows-named", all(o["unit"] == "79" and o["name"] == "Hồ Chí Minh" for o in j.get("outside", [])),
      j.get("outside", [])[:2])
st, _, body = anon.post_multipart("/api/v1/surveys?year=2025", [], [("file", "mixed.csv", mixed_csv)], token=HN)
j = jbody(body) or {}
check("scope-mixed-403", st == 403 and [o["row"] for o in j.get("outside", [])] == [5, 6], st, body[:400])
st, _, _ = anon.post_json("/api/v1/invitations", {"year": 2025, "unit": "79", "kind": "unit"}, token=HN)
check("scope-invite-403", st == 403, st)
st, _, _ = anon.post_json("/api/v1/quotas", {"year": 2025, "unit": "79", "stratum": "micro", "quota": 5}, token=HN)
check("scope-quota-403", st == 403, st)
check("scope-store-unchanged", state(DB) == before)
check("scope-refusal-logged", scalar(DB, "SELECT count(*) FROM intake_audit WHERE action='upload-refused' AND actor='hn'") == 2)

# ---- uploads: path names ignored, idempotent, replacement only when asked -------------------------
TRAV = "chiso-traversal-%d" % os.getpid()
st, _, body = anon.post_multipart("/api/v1/surveys?year=2025", [],
                                  [("file", "../../../tmp/%s\"/../../%s/hn.csv" % (TRAV, TRAV), hn_csv)], token=HN)
j = jbody(body) or {}
check("upload-201", st == 201 and j["imports"][0]["rows"] == len(hn_rows), st, body[:300])
imp_id = j["imports"][0]["import"] if st == 201 else None
rows = query(DB, "SELECT file, path, rows FROM imports WHERE id=?", (imp_id,))
check("upload-path-ignored", rows == [("hn.csv", "hn.csv", len(hn_rows))], rows)
check("upload-no-file-outside", not any(TRAV in os.path.join(d, f) for root in ("/tmp", os.path.dirname(WORK), WORK)
                                        for d, ds, fs in os.walk(root) if d.count(os.sep) < 4 for f in fs + ds))
check("upload-provenance", query(DB, "SELECT via, account FROM intake_provenance WHERE import_id=?", (imp_id,)) == [("upload", "hn")])
st, _, body = anon.post_multipart("/api/v1/surveys?year=2025", [], [("file", "hn.csv", hn_csv)], token=HN)
check("upload-same-200", st == 200 and jbody(body)["imports"][0]["outcome"] == "same", st, body[:200])
changed = hn_csv.replace(b"\n", b"\r\n")
st, _, body = anon.post_multipart("/api/v1/surveys?year=2025", [], [("file", "hn.csv", changed)], token=HN)
check("upload-conflict-409", st == 409 and jbody(body).get("parameter") == "replace", st, body[:300])
st, _, body = anon.post_multipart("/api/v1/surveys?year=2025&replace=1", [], [("file", "hn.csv", changed)], token=HN)
check("upload-replace-201", st == 201 and jbody(body)["imports"][0]["outcome"] == "replaced", st, body[:300])
check("upload-once", scalar(DB, "SELECT count(*) FROM imports WHERE file='hn.csv'") == 1)
# the raw bytes of a file, named by ?name=
raw_csv = ("\n".join([head] + [ln.replace("A2025", "B2025", 1) for ln in hn_rows[:5]]) + "\n").encode()
st, _, body = anon.request("POST", "/api/v1/surveys?year=2025&name=raw%20file.csv", raw_csv,
                           dict(bearer(HN), **{"Content-Type": "text/csv"}))
check("upload-raw-201", st == 201, st, body[:300])
# a file with a planted error: 422 with FILE:ROW:COL, column and value
planted = raw_csv.decode().replace("B2025", "C2025").splitlines()
cells = planted[3].split(",")
col = head.split(",").index("q_online_rev_pct")
cells[col] = "150"
planted[3] = ",".join(cells)
st, _, body = anon.post_multipart("/api/v1/surveys?year=2025", [], [("file", "planted.csv", ("\n".join(planted) + "\n").encode())], token=HN)
j = jbody(body) or {}
p0 = (j.get("problems") or [{}])[0]
check("upload-422", st == 422 and p0.get("where") == "planted.csv:4:%d" % (col + 1) and p0.get("column") == "q_online_rev_pct"
      and p0.get("value") == "150", st, body[:500])

# ---- limits: 413 one byte over, in every form --------------------------------------------------------
before = state(DB)
exact = b"x" * MAX
over = b"x" * (MAX + 1)
# a declared length one byte over is refused before the body is read
st = status_before_body(PORT, "/api/v1/surveys?year=2025&name=big.csv", MAX + 1, dict(bearer(HN), **{"Content-Type": "text/csv"}))
check("413-raw-one-byte-over", st == 413, st)
st, _, _ = anon.request("POST", "/api/v1/surveys?year=2025&name=big.csv", exact, dict(bearer(HN), **{"Content-Type": "text/csv"}))
check("413-raw-exact-taken", st == 422, st)
st, _, _ = anon.post_multipart("/api/v1/surveys?year=2025", [], [("file", "big.csv", over)], token=HN)
check("413-multipart-one-byte-over", st == 413, st)
st, _, _ = anon.post_multipart("/api/v1/surveys?year=2025", [], [("file", "big.csv", exact)], token=HN)
check("413-multipart-exact-taken", st == 422, st)


def chunks():
    for i in range(0, len(over), 65536):
        yield over[i:i + 65536]


st, _, _ = anon.request("POST", "/api/v1/surveys?year=2025&name=big.csv", chunks(),
                        dict(bearer(HN), **{"Content-Type": "text/csv", "Transfer-Encoding": "chunked"}))
check("413-chunked-one-byte-over", st == 413, st)
check("413-nothing-stored", state(DB) == before)

# ---- hostile files fail only their own request ---------------------------------------------------------
def zip_bomb():
    """An XLSX whose one sheet inflates to 1 GiB (about 1 MB sent)."""
    ns = "http://schemas.openxmlformats.org/"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="%spackage/2006/content-types"/>' % ns)
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="%sspreadsheetml/2006/main" '
                   'xmlns:r="%sofficeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>' % (ns, ns))
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="%spackage/2006/'
                   'relationships"><Relationship Id="rId1" Type="%sofficeDocument/2006/relationships/worksheet" '
                   'Target="worksheets/sheet1.xml"/></Relationships>' % (ns, ns))
        zi = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        zi.compress_type = zipfile.ZIP_DEFLATED
        block = b" " * (1 << 20)
        with z.open(zi, "w", force_zip64=True) as w:
            w.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                    b'2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
            for _ in range(1024):
                w.write(block)
            w.write(b"</t></is></c></row></sheetData></worksheet>")
    return buf.getvalue()


bomb = zip_bomb()
check("zip-bomb-small", len(bomb) < MAX, len(bomb))
st, _, body = anon.post_multipart("/api/v1/surveys?year=2025", [], [("file", "bomb.xlsx", bomb)], token=HN)
check("zip-bomb-fails-its-request", st in (413, 422), st, body[:300])
def b36(i):
    d = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        i, r = divmod(i, 36)
        out = d[r] + out
        if not i:
            return "c" + out


wide = (",".join(b36(i) for i in range(1000000)) + "\n" + ",".join("1" for _ in range(1000000)) + "\n").encode()
check("wide-csv-fits", len(wide) < MAX, len(wide))
st, _, body = anon.post_multipart("/api/v1/surveys?year=2025", [], [("file", "wide.csv", wide)], token=HN)
check("million-columns-fails-its-request", st == 422, st, body[:300])
st, _, _ = anon.get("/api/v1/years")
check("server-serves-after-hostile-files", st == 200, st)
check("hostile-files-nothing-stored", state(DB) == before)

# ---- CSRF: every form of the dashboard, signed in by cookie --------------------------------------------
officer = Client(PORT)
st, hd, _ = officer.login("vi", "hn", ACC["hn_password"])
check("login-303", st == 303 and hd.get("location") == "/vi/intake", st, hd)
sc = [c for c in hd.get("set-cookie", []) if c.startswith("chiso_session=")]
check("session-cookie-flags", sc and "HttpOnly" in sc[0] and "SameSite=Strict" in sc[0] and "Secure" not in sc[0], sc)
token = officer.csrf("/vi/intake")
other = Client(PORT)
other.login("vi", "root", ACC["root_password"])
foreign = other.csrf("/vi/intake")
bad = []
forms = {"/vi/intake/invite": {"year": "2025", "unit": "01", "kind": "unit"},
         "/vi/intake/quota": {"year": "2025", "unit": "01", "stratum": "micro", "quota": "5"},
         "/vi/intake/publish": {"year": "2025"}, "/vi/logout": {}}
before = state(DB)
for path, fields in forms.items():
    for label, extra, origin in (("no token", {}, True), ("wrong token", {"csrf": "A" * 43}, True),
                                 ("another session's token", {"csrf": foreign}, True)):
        st, _, _ = officer.post_form(path, dict(fields, **extra), origin=origin)
        if st != 403:
            bad.append((label, path, st))
    st, _, _ = officer.post_form(path, dict(fields, csrf=token), headers={"Origin": "http://evil.example"})
    if st != 403:
        bad.append(("cross-origin", path, st))
    st, _, _ = officer.post_form(path, dict(fields, csrf=token), origin=False, headers={"Sec-Fetch-Site": "cross-site"})
    if st != 403:
        bad.append(("sec-fetch-site", path, st))
st, _, _ = officer.post_multipart("/vi/intake/upload", [("year", "2025")], [("file", "x.csv", hn_csv)])
if st != 403:
    bad.append(("upload no token", st))
# the JSON API with the session cookie needs the token too (in X-CSRF-Token)
st, _, _ = officer.post_json("/api/v1/quotas", {"year": 2025, "unit": "01", "stratum": "micro", "quota": 5})
if st != 403:
    bad.append(("api by cookie", st))
st, _, _ = officer.post_json("/api/v1/quotas", {"year": 2025, "unit": "01", "stratum": "micro", "quota": 5,
                                                "population": 5000}, headers={"X-CSRF-Token": token})
if st != 200:
    bad.append(("api by cookie with token", st))
check("csrf-403-everywhere", not bad, bad)
check("csrf-store-unchanged", state(DB)[:3] == before[:3])
# the login form and the questionnaire need theirs too
st, _, _ = Client(PORT).post_form("/vi/login", {"name": "hn", "password": ACC["hn_password"]})
check("csrf-login-403", st == 403, st)

# ---- the desk's forms with their token ---------------------------------------------------------------
st, _, body = officer.post_form("/vi/intake/invite", {"csrf": token, "year": "2025", "unit": "01", "kind": "enterprise",
                                                      "respondents": "ENT-1,small\nENT-2\n<b>ENT-3</b>,<i>x</i>"})
links = re.findall(rb'class="invite-link" href="[^"]*/survey/2025/([a-z2-7]{26})"', body)
check("invite-page-201", st == 201 and len(links) == 3, st, body[-600:])
check("invite-page-escapes", b"<b>ENT-3" not in body and b"&lt;b&gt;ENT-3&lt;/b&gt;" in body)
codes = [c.decode() for c in links]
# a unit outside the officer's scope: refused, said in Vietnamese with the English detail after it
st, _, body = officer.post_form("/vi/intake/invite", {"csrf": token, "year": "2025", "unit": "79", "kind": "unit"})
check("invite-page-403-vi", st == 403 and "Không có quyền".encode() in body
      and "Chi tiết (tiếng Anh):".encode() in body and b"invite-link" not in body, st, body[-600:])
st, _, body = officer.post_form("/vi/intake/quota", {"csrf": token, "year": "2025", "unit": "01", "stratum": "small",
                                                     "quota": "3", "population": "300"})
check("quota-page-303", st == 303, st)

# ---- a one-time invitation answered twice ---------------------------------------------------------------
resp = Client(PORT)
tok = resp.csrf("/survey/2025/%s" % codes[0])
answers = [("csrf", tok), ("q_email", "1"), ("q_internet", "1"), ("q_software", "erp"), ("q_software", "crm"),
           ("q_web_update", "daily"), ("q_online_rev_pct", "12,5"), ("q_online_sales", "1.234,5")]
st, _, body = resp.post_form("/survey/2025/%s" % codes[0], answers)
check("survey-201", st == 201 and b'id="thanks"' in body, st, body[-400:])
st, _, body = resp.post_form("/survey/2025/%s" % codes[0], answers)
check("replayed-invitation-page-410", st == 410, st)
st, _, _ = resp.get("/survey/2025/%s" % codes[0])
check("replayed-invitation-form-410", st == 410, st)
st, _, body = anon.post_json("/api/v1/responses/2025/%s" % codes[1], {"stratum": "micro", "answers": {"q_email": True, "q_software": ["erp"], "q_online_sales": 12}})
check("survey-api-201", st == 201, st, body[:300])
st, _, body = anon.post_json("/api/v1/responses/2025/%s" % codes[1], {"stratum": "micro", "answers": {"q_email": True}})
check("replayed-invitation-api-410", st == 410, st, body[:200])
check("replay-stored-once", scalar(DB, "SELECT count(*) FROM intake_responses WHERE respondent IN ('ENT-1','ENT-2')") == 2)
st, _, body = anon.post_json("/api/v1/responses/2025/%s" % codes[2], {"stratum": "micro", "answers": {"q_online_rev_pct": "150", "q_web_update": "<script>alert(1)</script>"}})
j = jbody(body) or {}
check("survey-api-422", st == 422 and {p["column"] for p in j.get("problems", [])} == {"q_online_rev_pct", "q_web_update"}, st, body[:500])
st, _, _ = anon.post_json("/api/v1/responses/2025/aaaaaaaaaaaaaaaaaaaaaaaaaa", {"answers": {}})
check("survey-unknown-404", st == 404, st)

# ---- markup in names, answers and file contents: escaped where shown -------------------------------------
XSS = "<script>alert('x')</script>\"'><img src=x onerror=alert(1)>"
st, _, body = officer.post_form("/vi/intake/quota", {"csrf": token, "year": "2025", "unit": "01", "stratum": XSS[:60], "quota": "1"})
check("xss-stratum-stored", st == 303, st)
xss_csv = ("\n".join([head] + [ln.replace("A2025", "X2025", 1) for ln in hn_rows[:2]]) + "\n")
xss_csv = xss_csv.replace(",micro,", ",%s,", 1) if ",micro," in xss_csv else xss_csv
cells = xss_csv.splitlines()[1].split(",")
cells[col] = XSS.replace(",", ";")
xss_csv = "\n".join([head, ",".join(cells)]) + "\n"
st, _, body = officer.post_multipart("/vi/intake/upload", [("csrf", token), ("year", "2025")],
                                     [("file", "<img src=x onerror=alert(2)>.csv", xss_csv.encode())])
check("xss-upload-page-422", st == 422 and b"id=\"problems\"" in body, st, body[-500:])
pages = {"upload result": body}
rtok = resp.csrf("/survey/2025/%s" % codes[2])
st, _, body = resp.post_form("/survey/2025/%s" % codes[2], [("csrf", rtok), ("q_online_sales", XSS), ("q_web_update", XSS)])
pages["survey 422"] = body
check("xss-survey-422", st == 422, st)
for path in ("/vi/intake", "/en/intake", "/survey/2025/%s" % codes[2]):
    pages[path] = officer.get(path)[2]
root = Client(PORT)
root.login("en", "root", ACC["root_password"])
pages["audit"] = root.get("/admin/audit")[2]
leaks = [k for k, v in pages.items() if b"<script>alert" in v or b"<img src=x" in v]

# ---- every page of the write side: a strict CSP, no inline script or style, NFC text -----------------
class Inline(HTMLParser):
    """Inline script or style in a page: a script without src, a style
    element, a style or on* attribute (escaped text is not markup)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = [k for k, _ in attrs]
        if (tag == "script" and "src" not in names) or tag == "style":
            self.found.append(tag)
        self.found += ["%s %s" % (tag, k) for k in names if k == "style" or k.startswith("on")]


def csp_problems(client, path, method="GET", fields=None):
    if method == "GET":
        st, hd, body = client.get(path)
    else:
        st, hd, body = client.post_form(path, fields)
    csp = hd.get("content-security-policy", "")
    out = []
    if "default-src 'none'" not in csp or "frame-ancestors 'none'" not in csp or "unsafe-inline" in csp \
            or "unsafe-eval" in csp:
        out.append(("csp", csp))
    inline = Inline()
    inline.feed(body.decode("utf-8"))
    if inline.found:
        out.append(("inline",) + tuple(inline.found[:3]))
    if hd.get("x-frame-options") != "DENY" or hd.get("x-content-type-options") != "nosniff":
        out.append(("headers", hd.get("x-frame-options"), hd.get("x-content-type-options")))
    text = body.decode("utf-8")
    if not unicodedata.is_normalized("NFC", text):
        out.append(("not NFC",))
    return [(path, st) + tuple(out)] if out else []


bad = []
for path in ("/vi/login", "/en/login", "/survey/2025/%s" % codes[2], "/survey/2025/%s?lang=en" % codes[2]):
    bad += csp_problems(Client(PORT), path)
for path in ("/vi/intake", "/en/intake"):
    bad += csp_problems(officer, path)
bad += csp_problems(root, "/en/admin/audit")
bad += csp_problems(root, "/vi/admin/audit")
bad += csp_problems(resp, "/survey/2025/%s" % codes[2], "POST", {"csrf": rtok, "q_online_rev_pct": "x"})
bad += csp_problems(officer, "/vi/intake/quota", "POST", {"csrf": token, "year": "2025", "unit": "79", "stratum": "s", "quota": "1"})
check("write-pages-strict-csp-nfc", not bad, bad)
st, _, body = Client(PORT).get("/survey/2025/%s" % codes[2])
check("survey-vietnamese-labels", "Doanh nghiệp có sử dụng email" in body.decode(), body[:200])
st, _, body = Client(PORT).get("/survey/2025/%s?lang=en" % codes[2])
check("survey-english-labels", st == 200 and 'lang="en"' in body.decode() and "email" in body.decode(), body[:200])
check("xss-escaped-everywhere", not leaks, leaks)
check("xss-shown-as-text", b"&lt;img src=x onerror=alert(2)&gt;.csv" in pages["upload result"], pages["upload result"][-800:])

# ---- SQL in every parameter: stored or refused, never executed -------------------------------------------
SQL = "x'); DROP TABLE imports; --"
before_tables = scalar(DB, "SELECT count(*) FROM sqlite_master WHERE type='table'")
st_login = Client(PORT).login("vi", SQL, SQL)[0]
results = {"login": st_login,
           "token": anon.get("/api/v1/whoami", headers=bearer(SQL))[0],
           "year": anon.get("/api/v1/intake?year=" + SQL.replace(" ", "%20"), headers=bearer(HN))[0],
           "invitation": anon.get("/survey/2025/%27%3B%20DROP%20TABLE%20imports%3B--")[0],
           "stratum": anon.post_json("/api/v1/quotas", {"year": 2025, "unit": "01", "stratum": SQL, "quota": 1}, token=HN)[0],
           "respondent": anon.post_json("/api/v1/invitations", {"year": 2025, "unit": "01", "kind": "enterprise", "respondents": [{"id": SQL}]}, token=HN)[0],
           "unit": anon.post_json("/api/v1/invitations", {"year": 2025, "unit": SQL, "kind": "unit"}, token=HN)[0],
           "file name": anon.post_multipart("/api/v1/surveys?year=2025", [], [("file", SQL + ".csv", raw_csv.replace(b"B2025", b"S2025"))], token=HN)[0],
           "audit action": anon.get("/api/v1/audit?action=" + SQL.replace(" ", "%20").replace("'", "%27").replace(";", "%3B"), headers=bearer(ROOT))[0]}
check("sql-refused-or-stored", results == {"login": 401, "token": 401, "year": 400, "invitation": 404, "stratum": 200,
                                           "respondent": 201, "unit": 403, "file name": 201, "audit action": 200}, results)
check("sql-never-executed", scalar(DB, "SELECT count(*) FROM sqlite_master WHERE type='table'") == before_tables
      and scalar(DB, "SELECT count(*) FROM imports") > 0)
check("sql-stored-as-text", scalar(DB, "SELECT count(*) FROM intake_quotas WHERE stratum=?", (SQL,)) == 1
      and scalar(DB, "SELECT count(*) FROM intake_invitations WHERE respondent=?", (SQL,)) == 1
      and scalar(DB, "SELECT count(*) FROM imports WHERE file=?", (SQL + ".csv",)) == 1)

# ---- publication: the responses, once, in the store the index reads --------------------------------------
st, _, body = officer.post_form("/vi/intake/publish", {"csrf": token, "year": "2025"})
check("publish-page-201", st == 201 and b'id="imports"' in body, st, body[-600:])
pub = query(DB, "SELECT rows FROM imports WHERE file='web-2025-01.csv'")
staged = scalar(DB, "SELECT count(*) FROM intake_responses WHERE year=2025 AND unit='01'")
check("publish-every-response-once", pub == [(staged,)] and staged == 2, pub, staged)
st, _, body = anon.get("/api/v1/index?year=2025")
check("index-reads-published", st == 200, st)

# ---- a session cookie replayed after its logout: 401 ---------------------------------------------------
rep = Client(PORT)
rep.login("vi", "hn", ACC["hn_password"])
old_cookies, old_csrf = dict(rep.cookies), rep.csrf("/vi/intake")
st_out, _, _ = rep.post_form("/vi/logout", {"csrf": old_csrf})
rep.cookies = old_cookies
st_after = rep.post_form("/vi/intake/quota", {"csrf": old_csrf, "year": "2025", "unit": "01", "stratum": "micro",
                                              "quota": "7"})[0]
st_read = rep.get("/api/v1/whoami")[0]
check("session-replayed-after-logout-401", st_out == 303 and st_after == 401 and st_read == 401,
      st_out, st_after, st_read)

# ---- the login limits -----------------------------------------------------------------------------------
lim = Client(PORT)
codes_seen = [lim.login("vi", "viewer1", "wrong-password-%d" % i)[0] for i in range(6)]
st_right = lim.login("vi", "viewer1", ACC["viewer_password"])[0]
check("login-limit-per-account", codes_seen == [401] * 5 + [429] and st_right == 429, codes_seen, st_right)
addr = [Client(PORT).login("vi", "nobody%d" % i, "wrong-password")[0] for i in range(16)]
check("login-limit-per-address", addr[-1] == 429 and 429 not in addr[:14], addr)

# ---- the audit log --------------------------------------------------------------------------------------
st, _, body = anon.get("/api/v1/audit?limit=10000", headers=bearer(ROOT))
j = jbody(body) or {}
actions = {e["action"] for e in j.get("entries", [])}
want = {"user-add", "token-create", "login", "login-failed", "upload", "upload-refused", "response", "publish",
        "invitation-create", "quota-set", "user-disable", "token-revoke"}
check("audit-every-write", want <= actions, sorted(want - actions))
check("audit-chain", j.get("chain", {}).get("broken", 0) is None and j["chain"]["checked"] == len(j["entries"]), j.get("chain"))
up = [e for e in j.get("entries", []) if e["action"] == "upload"]
check("audit-upload-sha256", up and all(len(e["sha256"]) == 64 and e["address"] == "127.0.0.1" and e["actor"] == "hn" for e in up), up[:1])
st, hd, body = anon.get("/api/v1/audit?format=csv", headers=bearer(ROOT))
check("audit-csv", st == 200 and body.startswith(b"id,at,actor,via,address,action,target,detail,sha256,chain\n"), body[:100])
st, _, body = root.get("/en/admin/audit")
check("audit-page", st == 200 and b'id="chain"' in body and b"holds" in body, st)

# ---- the OpenAPI document lists the write side ----------------------------------------------------------
doc = jbody(anon.get("/api/v1/openapi.json")[2]) or {}
want = {"/api/v1/whoami", "/api/v1/surveys", "/api/v1/invitations", "/api/v1/quotas", "/api/v1/intake",
        "/api/v1/publish", "/api/v1/responses/{year}/{code}", "/api/v1/audit"}
check("openapi-write-side", want <= set(doc.get("paths", {})) and "bearer" in doc.get("components", {}).get("securitySchemes", {}),
      sorted(want - set(doc.get("paths", {}))))

# ---- methods -------------------------------------------------------------------------------------------
st, hd, _ = anon.request("DELETE", "/api/v1/surveys", None, bearer(ROOT))
check("method-405", st == 405, st)
done()
