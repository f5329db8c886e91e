#!/usr/bin/env python3
"""API checks of `chiso serve` for tests/cli/test_serve.sh: every resource
against the CLI's output for the same store (the same numbers, or the same
bytes where the CLI writes the resource), the error paths, the security
headers, the limits, and what a request may not reach. Prints "ok NAME" or
"FAIL NAME" lines (tests/run.sh counts them).

Usage: serve_api.py PORT DB CHISO_RELEASE TMPDIR"""
import csv, http.client, io, json, os, re, socket, subprocess, sys, zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servetest import check, done  # noqa: E402

PORT, DB, REL, TMP = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
requests_sent = 0


def get(path, method="GET", headers=None, body=None):
    """(status, headers dict lower-case, body bytes)"""
    global requests_sent
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    requests_sent += 1
    h = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, h, data


def raw(data, timeout=30):
    """Send raw bytes, return what comes back (until the server closes)."""
    global requests_sent
    s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
            if b"\r\n\r\n" in out and b"Content-Length" in out:
                head, _, rest = out.partition(b"\r\n\r\n")
                m = re.search(rb"Content-Length: (\d+)", head)
                if m and len(rest) >= int(m.group(1)):
                    break
    except socket.timeout:
        pass
    s.close()
    requests_sent += 1
    return out


def cli(*args):
    return subprocess.run([REL] + list(args), capture_output=True, check=True).stdout


def jget(path):
    st, h, b = get(path)
    if st != 200:
        raise RuntimeError("%s: %d %s" % (path, st, b[:300]))
    return json.loads(b)


def rows(text):
    return list(csv.DictReader(io.StringIO(text.decode() if isinstance(text, bytes) else text)))


def num(s):
    return None if s in ("", None) else float(s)


# ---- the index: compute's scores and ranks, the report's intervals ------------------------------
ix = jget("/api/v1/index?year=2025")
comp = {r["code"]: r for r in rows(cli("compute", "--db", DB, "--year", "2025", "--format", "csv"))}
bad = []
for u in ix["units"]:
    c = comp[u["code"]]
    if u["score"] != num(c["ebi"]) or (u["rank"] or None) != (int(c["rank"]) if c["rank"] else None):
        bad.append((u["code"], u["score"], c["ebi"], u["rank"], c["rank"]))
    for p, v in u["pillars"].items():
        if v != num(c[p]):
            bad.append((u["code"], p, v, c[p]))
check("index-equals-compute", not bad and len(ix["units"]) == 34 == len(comp), bad[:5])
exp = {r["code"]: r for r in rows(cli("export", "--db", DB, "--year", "2025", "--format", "csv", "--out", "-"))}
bad = [(u["code"], k) for u in ix["units"] for k in ("score_lo", "score_hi", "rank_lo", "rank_hi")
       if u[k] != num(exp[u["code"]][k])]
check("index-intervals-equal-report", not bad, bad[:5])
check("index-intervals-present", all(u["rank_lo"] for u in ix["units"] if u["rank"]))
check("index-rank-order", [u["rank"] for u in ix["units"] if u["rank"]] ==
      sorted(u["rank"] for u in ix["units"] if u["rank"]))
ser = rows(cli("series", "--db", DB, "--format", "csv"))
prev = {r["code"]: int(r["rank"]) if r["rank"] else None for r in ser if r["year"] == "2024"}
bad = [(u["code"], u["prev_rank"], prev[u["code"]]) for u in ix["units"] if u["prev_rank"] != prev[u["code"]]]
check("index-prev-rank-equals-series", not bad and ix["prev_year"] == 2024, bad[:5])
bad = [u["code"] for u in ix["units"] if u["prev_rank"] and u["rank"] and u["rank_change"] != u["prev_rank"] - u["rank"]]
check("index-rank-change", not bad, bad)
ix63 = jget("/api/v1/index?year=2023&units=63")
c63 = {r["code"]: r for r in rows(cli("compute", "--db", DB, "--year", "2023", "--format", "csv"))}
c22 = {r["code"]: r for r in rows(cli("compute", "--db", DB, "--year", "2022", "--format", "csv"))}
bad = [u["code"] for u in ix63["units"] if u["score"] != num(c63[u["code"]]["ebi"])
       or (u["prev_rank"] or "") != (int(c22[u["code"]]["rank"]) if c22[u["code"]]["rank"] else "")]
check("index-63-equals-compute", not bad and len(ix63["units"]) == 63 and ix63["unit_set"] == 63, bad[:5])
ix34 = jget("/api/v1/index?year=2023&units=34")
c34 = {r["code"]: r for r in rows(cli("compute", "--db", DB, "--year", "2023", "--units", "34", "--format", "csv"))}
bad = [u["code"] for u in ix34["units"] if u["score"] != num(c34[u["code"]]["ebi"])]
check("index-2023-on-34-equals-compute", not bad and len(ix34["units"]) == 34, bad[:5])
# who is not ranked and why (issue 17): compute's note and tier for the same
# year, in both languages; the dashboard lists them with a link
bad = [u["code"] for u in ix63["units"]
       if (u["not_ranked"] or {}).get("en", "") != c63[u["code"]]["note"]
       or (u["method_tier"] or {}).get("id", "") != c63[u["code"]]["tier"]
       or bool(u["not_ranked"]) != (not c63[u["code"]]["rank"])
       or (u["not_ranked"] and not u["not_ranked"]["vi"].startswith("không xếp hạng vì"))]
unranked = [u for u in ix63["units"] if u["not_ranked"]]
check("index-not-ranked-equals-compute", not bad and unranked and
      [t["id"] for t in ix63["method_tiers"]] == ["leading", "advanced", "developing", "emerging"] and
      ix63["top_n"] is None, bad[:5], len(unranked))
st, h, b = get("/en/?year=2023&units=63")
page = b.decode()
listed = re.findall(r'<li data-code="(\d+)"><a href="/en/p/\d+\?year=2023&amp;units=63">[^<]*</a>: ([^<]*)</li>', page)
want = [(u["code"], u["not_ranked"]["en"].replace("&", "&amp;").replace("<", "&lt;").replace("'", "&#39;"))
        for u in unranked]
check("dashboard-not-ranked-list", st == 200 and sorted(listed) == sorted(want) and
      ("Not ranked (%d)" % len(unranked)) in page and 'id="method-tiers"' in page, listed[:3], want[:3])
nr = unranked[0]["code"]
st, h, b = get("/vi/p/%s?year=2023&units=63" % nr)
m = re.search(r'<p class="warn" id="not-ranked">([^<]*)</p>', b.decode())
check("dashboard-profile-not-ranked-vi", st == 200 and m and
      m.group(1) == unranked[0]["not_ranked"]["vi"].replace("&", "&amp;").replace("<", "&lt;"), m and m.group(1))
# an indicator that is a share of firms (0..1) reads as a percentage, as in the static report
prof = jget("/api/v1/units/01?year=2025")
email = [x for x in prof["indicators"] if x["id"] == "email_use"][0]
units = {x["unit"] for x in prof["indicators"]}
st, h, b = get("/vi/p/01?year=2025")
row = re.search(r'<tr[^>]*><td>Sử dụng email</td><td class="n" data-v="[^"]*">([^<]*)</td>', b.decode())
check("profile-share-as-percent", email["unit"] == "share" and units <= {"share", "percent", ""} and
      row and row.group(1) == ("%.1f%%" % (100 * email["value"])).replace(".", ","), email, row and row.group(1))
cmp = jget("/api/v1/compare?year=2025&codes=01,79")
crow = [x for x in cmp["rows"] if x["id"] == "email_use"][0]
st, h, b = get("/vi/compare?year=2025&codes=01,79")
cells = re.search(r'<th scope="row">Sử dụng email</th><td class="n[^"]*">([^<]*)</td><td class="n[^"]*">([^<]*)</td>',
                  b.decode())
check("compare-share-as-percent", crow["unit"] == "share" and cells and
      list(cells.groups()) == [("%.1f%%" % (100 * v)).replace(".", ",") for v in crow["values"]],
      crow, cells and cells.groups())
# a unit not ranked for its small sample says so once (the reason), as a sentence
small = [u["code"] for u in unranked if jget("/api/v1/units/%s?year=2023&units=63" % u["code"]).get("small_sample")]
page = get("/vi/p/%s?year=2023&units=63" % small[0])[2].decode() if small else ""
check("small-sample-said-once", small and 'id="not-ranked"' in page and 'id="small-sample"' not in page and
      "#not-ranked::first-letter{text-transform:uppercase}" in get("/assets/report.css")[2].decode(), small[:1])
st, h, b = get("/api/v1/index?year=2025&format=csv")
rr = rows(b)
check("index-csv", st == 200 and h["content-type"].startswith("text/csv") and len(rr) == 34 and
      rr[0]["code"] == ix["units"][0]["code"] and num(rr[0]["score"]) == ix["units"][0]["score"]
      and "attachment" in h.get("content-disposition", ""), st, h, b[:200])
st, h, b = get("/api/v1/index?year=2025&format=xlsx")
try:
    z = zipfile.ZipFile(io.BytesIO(b))
    strings = z.read("xl/sharedStrings.xml").decode()
    good = "Hà Nội" in strings and "xl/worksheets/sheet1.xml" in z.namelist()
except Exception as e:  # noqa: BLE001
    good, strings = False, str(e)
check("index-xlsx", st == 200 and "spreadsheetml" in h["content-type"] and good, st, strings[:200])

# ---- a profile ----------------------------------------------------------------------------------------
dn = jget("/api/v1/units/48?year=2025")
u48 = [u for u in ix["units"] if u["code"] == "48"][0]
check("unit-score-equals-index", dn["score"] == u48["score"] and dn["rank"] == u48["rank"] and
      dn["prev_rank"] == u48["prev_rank"])
sr = {int(r["year"]): (int(r["rank"]) if r["rank"] else None, num(r["score"])) for r in ser if r["code"] == "48"}
bad = [s for s in dn["series"] if (s["rank"], s["score"]) != sr[s["year"]]]
check("unit-series-equals-series", not bad and len(dn["series"]) == 6, bad, sr)
check("unit-series-flags", [s["harmonised"] for s in dn["series"]] == [True] * 5 + [False])
check("unit-formed-from", sorted(x["code"] for x in dn["formed_from"]) == ["48", "49"], dn["formed_from"])
check("unit-pillars-indicators", len(dn["pillars"]) == 3 and len(dn["indicators"]) >= 15 and
      all("national_mean" in p and "region_mean" in p for p in dn["pillars"]))
st, h, b = get("/api/v1/units/48?year=2025&format=csv")
check("unit-csv", st == 200 and b.startswith(b"kind,id,name_vi,name_en,value,rank,"), b[:100])
old = jget("/api/v1/units/49?year=2024")
check("unit-63-became", old["became"]["code"] == "48" and old["unit_set"] == 63, old.get("became"))

# ---- compare -------------------------------------------------------------------------------------------
cmp_ = jget("/api/v1/compare?year=2025&codes=01,79,48")
sc = [r for r in cmp_["rows"] if r["id"] == "score"][0]["values"]
byc = {u["code"]: u["score"] for u in ix["units"]}
check("compare-scores", sc == [byc["01"], byc["79"], byc["48"]] and cmp_["codes"] == ["01", "79", "48"])

# ---- what-if: compute --weights for the same weights; the index's intervals without weights -------------
wpath = os.path.join(TMP, "weights.csv")
with open(wpath, "w") as f:
    f.write("iCode,Weight\nb2c,0.9\nemail_use,2\n")
cw = {r["code"]: r for r in rows(cli("compute", "--db", DB, "--year", "2025", "--weights", wpath, "--format", "csv"))}
wi = jget("/api/v1/whatif?year=2025&w.b2c=0.9&w.email_use=2")
bad = [u["code"] for u in wi["units"] if u["score"] != num(cw[u["code"]]["ebi"]) or
       (u["rank"] or "") != (int(cw[u["code"]]["rank"]) if cw[u["code"]]["rank"] else "")]
check("whatif-equals-compute-weights", not bad and len(wi["units"]) == 34, bad[:5])
moved = [u["code"] for u in wi["units"] if u["rank"] != u["nominal_rank"]]
check("whatif-moves-ranks", moved != [], "the weights changed no rank")
st, h, b = get("/api/v1/whatif?year=2025&w.b2c=0.9&w.email_use=2&format=csv")
head = b.split(b"\n", 1)[0].decode()
check("whatif-csv-columns", head == "code,name,ebi,hr_it,b2c,b2b,rank,score_lo,score_hi,rank_lo,rank_hi,tier,note", head)
w0 = {u["code"]: u for u in jget("/api/v1/whatif?year=2025")["units"]}
bad = [u["code"] for u in ix["units"] for k in ("score", "score_lo", "score_hi", "rank", "rank_lo", "rank_hi")
       if u[k] != w0[u["code"]][k]]
check("whatif-nominal-equals-index", not bad, bad[:5])

# ---- the resources the CLI writes: the same bytes -------------------------------------------------------
same = [
    ("estimates-csv", "/api/v1/estimates?year=2025&format=csv", ["estimate", "--db", DB, "--year", "2025", "--format", "csv"]),
    ("estimates-json", "/api/v1/estimates?year=2024", ["estimate", "--db", DB, "--year", "2024", "--format", "json"]),
    ("estimates-level", "/api/v1/estimates?year=2025&level=region&format=csv",
     ["estimate", "--db", DB, "--year", "2025", "--level", "region", "--format", "csv"]),
    ("divide-csv", "/api/v1/divide?year=2025&format=csv", ["divide", "--db", DB, "--year", "2025", "--format", "csv"]),
    ("divide-34", "/api/v1/divide?year=2023&units=34", ["divide", "--db", DB, "--year", "2023", "--units", "34", "--format", "json"]),
    ("series-csv", "/api/v1/series?format=csv", ["series", "--db", DB, "--format", "csv"]),
    ("series-divide", "/api/v1/series?view=divide&format=csv", ["series", "--db", DB, "--divide", "--format", "csv"]),
    ("series-convergence", "/api/v1/series?view=convergence", ["series", "--db", DB, "--convergence", "--format", "json"]),
    ("targets-csv", "/api/v1/targets?plan=qd645-2021-2025&format=csv",
     ["targets", "--db", DB, "--plan", "qd645-2021-2025", "--format", "csv"]),
    ("targets-province", "/api/v1/targets?plan=hanoi-2021&province=Ha%20Noi",
     ["targets", "--db", DB, "--plan", "hanoi-2021", "--province", "Hà Nội", "--format", "json"]),
    ("uncertainty-csv", "/api/v1/uncertainty?year=2025&format=csv",
     ["uncertainty", "--db", DB, "--year", "2025", "--format", "csv"]),
    ("uncertainty-method", "/api/v1/uncertainty?year=2024&mode=method",
     ["uncertainty", "--db", DB, "--year", "2024", "--mode", "method", "--format", "json"]),
    ("imports-json", "/api/v1/imports", ["imports", "--db", DB, "--format", "json"]),
    ("plans", "/api/v1/plans", ["targets", "--list"]),
]
for name, path, args in same:
    st, h, b = get(path)
    want = cli(*args)
    check("same-bytes-" + name, st == 200 and b == want, path, st, b[:200], want[:200])

# the summary's HN+HCM share is the divide's, in percent
div = {r["measure"]: r for r in rows(cli("divide", "--db", DB, "--year", "2025", "--format", "csv"))}
sm = jget("/api/v1/summary?year=2025")
share = [m for m in sm["measures"] if m["id"] == "hnhcm_share"][0]
check("summary-share-equals-divide", abs(share["value"] - 100 * float(div["hn_hcm_share"]["value"])) < 1e-9
      and abs(share["lo"] - 100 * float(div["hn_hcm_share"]["lo"])) < 1e-9, share, div["hn_hcm_share"])
scored = [u["score"] for u in ix["units"] if u["score"] is not None]
check("summary-national-mean", abs(sm["national_mean"] - sum(scored) / len(scored)) < 1e-9
      and sm["mean_label_en"] == "Mean of the %d units with a score" % len(scored), sm["mean_label_en"])
meth = jget("/api/v1/methodology?year=2025")
expj = json.loads(cli("export", "--db", DB, "--year", "2025", "--format", "json", "--out", "-"))
check("methodology-nodes-equal-report", [(n["id"], n["weight"]) for n in meth["nodes"]] ==
      [(n["id"], n["weight"]) for n in expj["nodes"]])
yrs = jget("/api/v1/years")
check("years", [y["year"] for y in yrs["years"]] == [2020, 2021, 2022, 2023, 2024, 2025] and yrs["latest"] == 2025
      and yrs["years"][0]["views"] == [63, 34] and yrs["years"][-1]["views"] == [34]
      and all(y["synthetic"] for y in yrs["years"]), yrs)
st, h, b = get("/api/v1/charts/map.svg?year=2025&lang=en")
check("chart-svg", st == 200 and h["content-type"].startswith("image/svg+xml") and b"<svg" in b and
      b"<style>" in b and "style-src 'unsafe-inline'" in h["content-security-policy"]
      and "script" not in h["content-security-policy"], h)
st, h, b = get("/api/v1/openapi.json")
doc = json.loads(b) if st == 200 else {}
check("openapi", doc.get("openapi", "").startswith("3.") and "/api/v1/whatif" in doc.get("paths", {}) and
      all(p in doc["paths"] for p in ["/api/v1/years", "/api/v1/index", "/api/v1/units/{code}", "/api/v1/estimates",
                                      "/api/v1/divide", "/api/v1/series", "/api/v1/targets", "/api/v1/uncertainty",
                                      "/api/v1/methodology"]))

# ---- errors: named parameters, what exists, the status codes ----------------------------------------------
def error(path, status, param=None, method="GET", headers=None, body=None, says=None, allowed=None):
    st, h, b = get(path, method=method, headers=headers, body=body)
    try:
        e = json.loads(b)
    except ValueError:
        e = {}
    good = st == status and e.get("status") == status and "error" in e
    if param is not None:
        good = good and e.get("parameter") == param
    if says is not None:
        good = good and says in e.get("error", "")
    if allowed is not None:
        good = good and allowed in e.get("allowed", [])
    return good, st, h, e


for name, args in [
    ("400-year-not-a-number", ("/api/v1/index?year=abc", 400, "year")),
    ("400-unknown-parameter", ("/api/v1/index?year=2025&yeer=2024", 400, "yeer")),
    ("400-parameter-twice", ("/api/v1/index?year=2025&year=2024", 400, "year", "GET", None, None, "twice")),
    ("400-units", ("/api/v1/index?units=50", 400, "units", "GET", None, None, None, "34")),
    ("400-units-63-in-2025", ("/api/v1/index?year=2025&units=63", 400, "units")),
    ("400-format", ("/api/v1/index?format=xml", 400, "format", "GET", None, None, None, "xlsx")),
    ("400-whatif-unknown-node", ("/api/v1/whatif?w.zz=1", 400, "w.zz", "GET", None, None, "b2c")),
    ("400-whatif-zero", ("/api/v1/whatif?w.b2c=0", 400, "w.b2c", "GET", None, None, "> 0")),
    ("400-whatif-not-a-number", ("/api/v1/whatif?w.b2c=1%2C5", 400, "w.b2c")),
    ("400-compare-one", ("/api/v1/compare?codes=01", 400, "codes")),
    ("400-compare-bad", ("/api/v1/compare?codes=01,x9", 400, "codes")),
    ("400-compare-twice", ("/api/v1/compare?codes=01,01", 400)),
    ("400-targets-no-plan", ("/api/v1/targets", 400, "plan")),
    ("400-estimates-level", ("/api/v1/estimates?level=district", 400, "level", "GET", None, None, None, "region")),
    ("404-year-lists-years", ("/api/v1/index?year=2019", 404, "year", "GET", None, None, "2020, 2021", "2025")),
    ("404-unit-lists-codes", ("/api/v1/units/02?year=2025", 404, None, "GET", None, None, "48")),
    ("404-unit-not-a-code", ("/api/v1/units/abc", 404, "code")),
    ("404-compare-unknown", ("/api/v1/compare?codes=01,02&year=2025", 404)),
    ("404-chart", ("/api/v1/charts/pie.svg", 404, None, "GET", None, None, "pie", "map")),
    ("404-chart-name", ("/api/v1/charts/map.png", 404, "chart")),
    ("404-path", ("/api/v1/nothing", 404, None, "GET", None, None, None, "/api/v1")),
    ("404-province-name", ("/api/v1/targets?plan=qd645-2021-2025&province=Atlantis", 404, "province")),
    ("405-post", ("/api/v1/index", 405, None, "POST")),
    ("405-delete-page", ("/vi/", 405, None, "DELETE")),
    ("413-body", ("/api/v1/index", 413, None, "GET", {"Content-Type": "text/plain"}, b"x" * 10)),
    ("421-host", ("/api/v1/years", 421, None, "GET", {"Host": "evil.example"})),
]:
    good, st, h, e = error(*args)
    check(name, good, args[0], st, e)
_, st, h, _ = error("/api/v1/index", 405, method="PUT")
check("405-allow-header", h.get("allow") == "GET, HEAD", h)

# 414 and 431 on the raw wire
resp = raw(b"GET /api/v1/years?x=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
check("414-long-url", resp.startswith(b"HTTP/1.1 414"), resp[:200])
resp = raw(b"GET /api/v1/years HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n")
check("431-big-headers", resp.startswith(b"HTTP/1.1 431"), resp[:200])
resp = raw(b"GET /api/v1/years HTTP/1.0\r\n\r\n")
check("421-no-host", resp.startswith(b"HTTP/1.1 421"), resp[:120])

# ---- caching: ETag and 304 ------------------------------------------------------------------------------
st, h, b = get("/api/v1/index?year=2025")
tag = h.get("etag", "")
st2, h2, b2 = get("/api/v1/index?year=2025", headers={"If-None-Match": tag})
check("etag-304", st == 200 and re.fullmatch(r'"[0-9a-f]{32}"', tag) and st2 == 304 and b2 == b"" and
      h2.get("etag") == tag and h.get("cache-control") == "no-cache", tag, st2, h2)
st3, h3, _ = get("/api/v1/index?year=2024")
check("etag-differs", h3.get("etag") != tag)
st, h, b = get("/api/v1/index?year=2025", method="HEAD")
check("head", st == 200 and b == b"" and h.get("etag") == tag)

# ---- security headers on every kind of reply ---------------------------------------------------------
for path in ["/api/v1/years", "/vi/", "/api/v1/nothing", "/assets/app.js", "/vi/p/99"]:
    st, h, b = get(path)
    csp = h.get("content-security-policy", "")
    good = (h.get("x-content-type-options") == "nosniff" and h.get("referrer-policy") == "no-referrer"
            and "frame-ancestors 'none'" in csp and "default-src 'none'" in csp and h.get("x-frame-options") == "DENY")
    check("headers" + path.replace("/", "-"), good, st, h)
st, h, b = get("/vi/")
csp = h["content-security-policy"]
m = re.search(r"script-src 'nonce-([A-Za-z0-9_-]{22})'", csp)
scripts = re.findall(rb"<script[^>]*>", b)
check("page-nonce", m and scripts == [('<script nonce="%s" src="/assets/app.js">' % m.group(1)).encode()]
      and "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp, scripts)
st2, h2, b2 = get("/vi/")
m2 = re.search(r"'nonce-([^']+)'", h2["content-security-policy"])
check("page-nonce-fresh", m and m2 and m.group(1) != m2.group(1) and h2.get("cache-control") == "no-store")
check("page-no-inline-handlers", not re.search(rb"\son[a-z]+\s*=", b) and b"javascript:" not in b)
st, h, b = get("/assets/app.js")
check("asset-js", st == 200 and h["content-type"].startswith("text/javascript") and b"use strict" in b)
for p in [b"/assets/../../../../etc/passwd", b"/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd", b"/assets//etc/passwd",
          b"/../../etc/passwd", b"/assets/app.js/../../chiso.db"]:
    resp = raw(b"GET " + p + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    code = resp[9:12]
    check("no-file-path-" + re.sub(rb"[^a-z]", b"", p).decode()[:24], code in (b"404", b"400") and b"root:" not in resp
          and b"SQLite format" not in resp, resp[:160])
st, h, b = get("/")
check("home-redirect", st == 302 and h.get("location") == "/vi/")
st, h, b = get("/", headers={"Accept-Language": "en-GB,en;q=0.9,vi;q=0.5"})
check("home-redirect-en", st == 302 and h.get("location") == "/en/")

# every page renders in both languages
for page in ["/", "/p/79", "/compare?codes=01,79", "/whatif", "/methodology", "/provenance", "/?year=2022",
             "/?year=2022&units=34", "/p/49?year=2024"]:
    for lang in ("vi", "en"):
        st, h, b = get("/" + lang + page)
        check("page-%s%s" % (lang, re.sub(r"[^a-z0-9]", "-", page)), st == 200 and
              ('<html lang="%s">' % lang).encode() in b and b"</html>" in b, st, b[:200])
st, h, b = get("/vi/p/99")
check("page-404-in-language", st == 404 and h["content-type"].startswith("text/html") and
      "Về trang tổng quan".encode() in b, st, b[:300])
# the error itself in Vietnamese, the library's English message after it as the detail
check("page-404-reason-vi", "<h1>404 Không tìm thấy</h1>".encode() in b and
      re.search('id="error">Không tìm thấy\\. <span class="muted" lang="en">Chi tiết \\(tiếng Anh\\): [^<]+</span>'.encode(), b),
      b[:600])
st, h, b = get("/en/p/99")
check("page-404-reason-en", st == 404 and b"<h1>404 Not Found</h1>" in b and b"Chi ti" not in b, st, b[:600])
st, h, b = get("/xx/")
check("page-unknown-language", st == 404)

print("requests %d" % requests_sent)
done()
