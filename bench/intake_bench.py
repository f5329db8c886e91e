#!/usr/bin/env python3
"""Figures of bench/intake.sh: PORT SERVER_PID WORK ANSWERS."""
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "cli"))
from intake_load import ANSWERS, invitations  # noqa: E402
from intaketest import Client  # noqa: E402

port, pid, work, n = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
tokens = json.load(open(os.path.join(work, "tokens.json")))
units = sorted(tokens["units"])
tick = os.sysconf("SC_CLK_TCK")


def cpu():
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    # utime, stime, cutime, cstime: the server and its upload workers
    return sum(int(x) for x in f[11:15]) / tick


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def report(what, t0, c0, lat=None, count=None):
    wall, used = time.time() - t0, cpu() - c0
    extra = ""
    if lat:
        extra = ", p50 %.1f ms, p99 %.1f ms" % (pct(lat, .5) * 1e3, pct(lat, .99) * 1e3)
    if count:
        extra += ", %.0f/s" % (count / wall)
    print("%-44s %7.2f s wall, %6.2f s server CPU%s (load %s)" % (what, wall, used, extra,
                                                                   open("/proc/loadavg").read().split()[0]))


codes = invitations(port, tokens["admin"], units, (2 * n) // len(units) + 1, "BENCH")
seq, par = codes[:n // 2], codes[n // 2:n]
c = Client(port)
lat = []
t0, c0 = time.time(), cpu()
for code, _ in seq:
    t = time.time()
    st, _, _ = c.post_json("/api/v1/responses/2025/%s" % code, {"stratum": "micro", "answers": ANSWERS})
    assert st == 201, st
    lat.append(time.time() - t)
report("%d answers, one client" % len(seq), t0, c0, lat, len(seq))

lat, lock = [], threading.Lock()


def worker(part):
    cl = Client(port)
    for code, _ in part:
        t = time.time()
        st, _, _ = cl.post_json("/api/v1/responses/2025/%s" % code, {"stratum": "micro", "answers": ANSWERS})
        assert st == 201, st
        with lock:
            lat.append(time.time() - t)


t0, c0 = time.time(), cpu()
ts = [threading.Thread(target=worker, args=(par[i::16],)) for i in range(16)]
for t in ts:
    t.start()
for t in ts:
    t.join()
report("%d answers, 16 clients" % len(par), t0, c0, lat, len(par))


def up(u):
    data = open(os.path.join(work, "load-%s.csv" % u), "rb").read()
    st, _, _ = Client(port).post_multipart("/api/v1/surveys?year=2025", [], [("file", "load-%s.csv" % u, data)],
                                           token=tokens["units"][u])
    assert st == 201, st


rows = sum(open(os.path.join(work, "load-%s.csv" % u)).read().count("\n") - 1 for u in units)
t0, c0 = time.time(), cpu()
ts = [threading.Thread(target=up, args=(u,)) for u in units]
for t in ts:
    t.start()
for t in ts:
    t.join()
report("34 uploads at once (%d rows)" % rows, t0, c0)

t0, c0 = time.time(), cpu()
lat = []
for _ in range(5):
    t = time.time()
    st, _, _ = Client(port).login("vi", "root", "bench-password-1")
    assert st == 303, st
    lat.append(time.time() - t)
report("5 password logins (Argon2id)", t0, c0, lat)
