#!/usr/bin/env python3
"""Limits of `chiso serve` for tests/cli/test_serve.sh, against a server
started with --threads 1 --max-connections 4 --timeout 5:
  - slow clients (a request that never ends) hold no thread: with several
    of them connected, a normal request is answered at once;
  - the server closes them after the idle timeout;
  - past the connection cap a new connection is refused, and once the
    others close, requests are answered again.
Prints "ok NAME" / "FAIL NAME" lines.

Usage: serve_limits.py PORT"""
import http.client, os, socket, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servetest import check, done  # noqa: E402

PORT = int(sys.argv[1])


def request(path="/api/v1/years", timeout=10):
    """The status, or the exception's name when the connection failed."""
    try:
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        c.close()
        return r.status
    except Exception as e:  # noqa: BLE001
        return type(e).__name__


def slow_client():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=20)
    s.sendall(b"GET /api/v1/years HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # never finished
    return s


def closed_by_server(s):
    """True when the server has closed the socket (EOF or reset)."""
    try:
        s.settimeout(1)
        return s.recv(100) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


# A warm-up request computes the resource once.
check("limits-warm", request(timeout=300) == 200)

# Three slow clients on a one-thread server: a normal request still gets
# its answer well within the client's patience (the server's timeout is 5 s:
# a server that gave its thread to a slow client could not answer before).
slow = [slow_client() for _ in range(3)]
time.sleep(0.3)
t0 = time.monotonic()
st = request(timeout=3)
check("slow-clients-hold-no-thread", st == 200, st)
print("# answered in %.0f ms with 3 slow clients connected" % (1000 * (time.monotonic() - t0)))

# The idle timeout closes them.
time.sleep(6.5)
closed = [closed_by_server(s) for s in slow]
check("idle-timeout-closes", all(closed), closed)
for s in slow:
    s.close()

# The connection cap (4): four idle connections, then a fifth is refused.
held = [socket.create_connection(("127.0.0.1", PORT), timeout=10) for _ in range(4)]
time.sleep(0.3)
st = request(timeout=2)
check("cap-refuses", st != 200, st)
for s in held:
    s.close()
time.sleep(0.5)
check("cap-recovers", request(timeout=10) == 200)
done()
