"""Shared by the Python checks of the write side of `chiso serve`
(intake_api.py, intake_load.py, intake_browser.py): a small HTTP client
that keeps cookies, reads CSRF tokens from forms, sends multipart
uploads, and a few store queries."""
import http.client
import json
import re
import sqlite3
import ssl
import uuid


class Client:
    """One browser-like client of the server: its cookies and headers."""

    def __init__(self, port, host="127.0.0.1", tls=False, timeout=300):
        self.port, self.host, self.tls, self.timeout = port, host, tls, timeout
        self.cookies = {}
        self.origin = "%s://%s:%d" % ("https" if tls else "http", host, port)

    def _conn(self):
        if self.tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=ctx)
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(self, method, path, body=None, headers=None, cookies=True):
        """(status, headers dict with lower-case names, body bytes)."""
        h = dict(headers or {})
        if cookies and self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        c = self._conn()
        chunked = h.get("Transfer-Encoding", "").lower() == "chunked"
        c.request(method, path, body=body, headers=h, encode_chunked=chunked)
        r = c.getresponse()
        data = r.read()
        hdrs = {}
        for k, v in r.getheaders():
            k = k.lower()
            if k == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
                hdrs.setdefault("set-cookie", []).append(v)
            else:
                hdrs[k] = v
        c.close()
        return r.status, hdrs, data

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post_form(self, path, fields, origin=True, headers=None):
        """POST urlencoded fields (a list of pairs or a dict)."""
        from urllib.parse import urlencode
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        if origin:
            h["Origin"] = self.origin
        h.update(headers or {})
        items = fields.items() if isinstance(fields, dict) else fields
        return self.request("POST", path, urlencode(list(items)).encode(), h)

    def post_json(self, path, obj, token=None, headers=None):
        h = {"Content-Type": "application/json"}
        if token:
            h["Authorization"] = "Bearer " + token
        h.update(headers or {})
        return self.request("POST", path, json.dumps(obj).encode(), h)

    def post_multipart(self, path, fields, files, token=None, origin=True, headers=None):
        """fields: [(name, value)], files: [(name, filename, bytes)]."""
        b = "----chisotest" + uuid.uuid4().hex
        out = []
        for k, v in fields:
            out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (b, k)).encode() +
                       v.encode() + b"\r\n")
        for k, fn, data in files:
            fn_q = fn.replace("\\", "\\\\").replace('"', '\\"')
            out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                        "Content-Type: application/octet-stream\r\n\r\n" % (b, k, fn_q)).encode() + data + b"\r\n")
        out.append(("--%s--\r\n" % b).encode())
        h = {"Content-Type": "multipart/form-data; boundary=" + b}
        if token:
            h["Authorization"] = "Bearer " + token
        if origin and not token:
            h["Origin"] = self.origin
        h.update(headers or {})
        return self.request("POST", path, b"".join(out), h)

    def csrf(self, path):
        """Load a page and return the CSRF token of its forms."""
        st, _, body = self.get(path)
        m = re.search(rb'name="csrf" value="([^"]+)"', body)
        return m.group(1).decode() if m else None

    def login(self, lang, name, password):
        tok = self.csrf("/%s/login" % lang)
        return self.post_form("/%s/login" % lang, {"csrf": tok, "name": name, "password": password, "next": ""})


def status_before_body(port, path, length, headers=None, host="127.0.0.1", timeout=30):
    """Send a POST's headers announcing `length` bytes of body, send none,
    and return the status line's code the server answers with (it must
    answer without waiting for the body), or None on a timeout."""
    import socket
    lines = ["POST %s HTTP/1.1" % path, "Host: %s:%d" % (host, port), "Content-Length: %d" % length,
             "Connection: close"]
    lines += ["%s: %s" % kv for kv in (headers or {}).items()]
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
        return int(m.group(1)) if m else None
    except socket.timeout:
        return None
    finally:
        s.close()


def bearer(token):
    return {"Authorization": "Bearer " + token}


def jbody(data):
    try:
        return json.loads(data.decode())
    except Exception:  # noqa: BLE001
        return None


def query(db, sql, args=()):
    """Rows of a read-only query on the store."""
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=30)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def scalar(db, sql, args=()):
    return query(db, sql, args)[0][0]


def state(db):
    """What the store holds besides the audit log: imports, responses,
    invitations, quotas (each as a sorted list of rows)."""
    parts = []
    for sql in ("SELECT id, file, sha256, rows, year FROM imports",
                "SELECT id, year, unit, respondent, answers FROM intake_responses",
                "SELECT id, year, unit, kind, respondent, used_at FROM intake_invitations",
                "SELECT year, unit, stratum, quota, population FROM intake_quotas",
                "SELECT count(*) FROM blocks"):
        try:
            parts.append(sorted(query(db, sql)))
        except sqlite3.OperationalError:
            parts.append(None)
    return parts
