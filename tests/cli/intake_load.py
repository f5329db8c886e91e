#!/usr/bin/env python3
"""Load and crashes on the write side of `chiso serve`, for
tests/cli/test_intake_load.sh (issue 15). Prints "ok NAME" / "FAIL NAME".

  intake_load.py load PORT DB WORK
      34 uploaders (one per unit, each with its own province token), 200
      questionnaire answers (one-time invitations) and readers of the API,
      all at once, bounded in time. Afterwards every accepted upload and
      answer is in the store exactly once (counted), and no request had a
      5xx answer.

  intake_load.py crash CHISO DB WORK ROUNDS
      ROUNDS times: start `CHISO serve` on DB, put it under the same kind of
      load, kill -9 it in the middle; then every answer and upload that had
      its success reply is in the store, and PRAGMA integrity_check says ok.

WORK holds tokens.json ({"admin": T, "units": {CODE: T}}) and unit files
load-CODE.csv made by the shell script."""
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intaketest import Client, bearer, jbody, query, scalar  # noqa: E402
from servetest import check, done  # noqa: E402

YEAR = 2025
ANSWERS = {"q_email": True, "q_internet": True, "q_software": ["erp"], "q_web_update": "monthly",
           "q_online_rev_pct": 10, "q_online_sales": 1000}


class Tally:
    """What the clients saw: statuses, errors, what succeeded."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = {}
        self.errors = []
        self.answered = []    # respondent ids whose answer had its 201
        self.uploaded = []    # file names whose upload had its 201/200

    def saw(self, what, status):
        with self.lock:
            self.statuses.setdefault(what, {}).setdefault(status, 0)
            self.statuses[what][status] += 1

    def five_xx(self):
        return {w: {s: n for s, n in d.items() if s >= 500} for w, d in self.statuses.items()
                if any(s >= 500 for s in d)}


def invitations(port, admin, units, per_unit, tag):
    """per_unit one-time invitations in each unit: [(code, respondent id)]."""
    c = Client(port)
    out = []
    for code in units:
        resp = [{"id": "%s-%s-%03d" % (tag, code, i), "stratum": "micro"} for i in range(per_unit)]
        st, _, body = c.post_json("/api/v1/invitations", {"year": YEAR, "unit": code, "kind": "enterprise",
                                                          "respondents": resp}, token=admin)
        if st != 201:
            raise RuntimeError("invitations for %s: %s %s" % (code, st, body[:200]))
        out += [(v["code"], v["respondent"]) for v in jbody(body)["invitations"]]
    return out


def answer(port, code, rid, tally, log=None):
    c = Client(port, timeout=300)
    try:
        st, _, body = c.post_json("/api/v1/responses/%d/%s" % (YEAR, code), {"stratum": "micro", "answers": ANSWERS})
    except Exception as e:  # noqa: BLE001 - a dead server in the crash test
        with tally.lock:
            tally.errors.append("answer %s: %r" % (rid, e))
        return
    tally.saw("answer", st)
    if st == 201:
        with tally.lock:
            tally.answered.append(rid)
            if log:
                log.write(rid + "\n")
                log.flush()


def upload(port, token, name, data, tally, log=None):
    c = Client(port, timeout=300)
    try:
        st, _, body = c.post_multipart("/api/v1/surveys?year=%d" % YEAR, [], [("file", name, data)], token=token)
    except Exception as e:  # noqa: BLE001
        with tally.lock:
            tally.errors.append("upload %s: %r" % (name, e))
        return
    tally.saw("upload", st)
    if st in (200, 201):
        with tally.lock:
            tally.uploaded.append(name)
            if log:
                log.write(name + "\n")
                log.flush()
    elif log is None:
        with tally.lock:
            tally.errors.append("upload %s: %d %s" % (name, st, body[:300]))


def reader(port, admin, stop, tally):
    c = Client(port, timeout=300)
    paths = [("/api/v1/index?year=%d" % YEAR, None), ("/api/v1/years", None),
             ("/api/v1/intake?year=%d" % YEAR, admin), ("/api/v1/estimates?year=%d&level=nation" % YEAR, None)]
    i = 0
    while not stop.is_set():
        path, tok = paths[i % len(paths)]
        i += 1
        try:
            st, _, _ = c.get(path, headers=bearer(tok) if tok else None)
            tally.saw("read", st)
        except Exception as e:  # noqa: BLE001
            with tally.lock:
                tally.errors.append("read %s: %r" % (path, e))
            if stop.is_set():
                return
            time.sleep(0.05)


def unit_files(work, tokens):
    files = {}
    for code in sorted(tokens["units"]):
        with open(os.path.join(work, "load-%s.csv" % code), "rb") as f:
            files[code] = f.read()
    return files


def run_load(port, db, work, deadline):
    tokens = json.load(open(os.path.join(work, "tokens.json")))
    units = sorted(tokens["units"])
    files = unit_files(work, tokens)
    # 200 answers spread over the 34 units
    per = [200 // len(units) + (1 if i < 200 % len(units) else 0) for i in range(len(units))]
    codes = []
    for code, k in zip(units, per):
        codes += invitations(port, tokens["admin"], [code], k, "LOAD")
    check("load-invitations-made", len(codes) == 200, len(codes))
    tally = Tally()
    stop = threading.Event()
    threads = [threading.Thread(target=upload, args=(port, tokens["units"][u], "load-%s.csv" % u, files[u], tally))
               for u in units]
    threads += [threading.Thread(target=answer, args=(port, c, rid, tally)) for c, rid in codes]
    random.Random(7).shuffle(threads)
    readers = [threading.Thread(target=reader, args=(port, tokens["admin"], stop, tally)) for _ in range(6)]
    t0 = time.time()
    for t in readers + threads:
        t.start()
    for t in threads:
        t.join(max(1, deadline - (time.time() - t0)))
    stop.set()
    for t in readers:
        t.join(60)
    took = time.time() - t0
    check("load-bounded-in-time", not any(t.is_alive() for t in threads), "%.0f s" % took)
    print("# load: 34 uploads, 200 answers and %d reads in %.1f s" % (sum(tally.statuses.get("read", {}).values()), took))
    check("load-no-5xx", not tally.five_xx(), tally.five_xx())
    check("load-no-client-errors", not tally.errors, tally.errors[:5])
    check("load-every-upload-accepted", sorted(tally.uploaded) == ["load-%s.csv" % u for u in units],
          tally.statuses.get("upload"))
    check("load-every-answer-accepted", len(tally.answered) == 200, tally.statuses.get("answer"))
    # each in the store exactly once
    stored = dict(query(db, "SELECT file, count(*) FROM imports WHERE file LIKE 'load-%' GROUP BY file"))
    check("load-uploads-once", stored == {"load-%s.csv" % u: 1 for u in units}, stored)
    rows = dict(query(db, "SELECT file, rows FROM imports WHERE file LIKE 'load-%'"))
    want = {"load-%s.csv" % u: files[u].count(b"\n") - 1 for u in units}
    check("load-upload-rows", rows == want, sorted(set(rows.items()) ^ set(want.items()))[:4])
    n_resp = scalar(db, "SELECT count(*) FROM intake_responses WHERE respondent LIKE 'LOAD-%'")
    n_dist = scalar(db, "SELECT count(DISTINCT respondent) FROM intake_responses WHERE respondent LIKE 'LOAD-%'")
    check("load-answers-once", n_resp == 200 and n_dist == 200, n_resp, n_dist)
    check("load-integrity", scalar(db, "PRAGMA integrity_check") == "ok")


def start_server(chiso, db, log):
    p = subprocess.Popen([chiso, "serve", "--db", db, "--listen", "127.0.0.1:0", "--threads", "4",
                          "--max-connections", "512", "--upload-workers", "2", "--timeout", "120"],
                         stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(600):
        m = re.search(r"chiso serve: http://127\.0\.0\.1:(\d+)/", open(log.name).read())
        if m:
            return p, int(m.group(1))
        if p.poll() is not None:
            raise RuntimeError("the server ended: " + open(log.name).read()[-500:])
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def run_crash(chiso, db, work, rounds):
    tokens = json.load(open(os.path.join(work, "tokens.json")))
    units = sorted(tokens["units"])
    files = unit_files(work, tokens)
    rng = random.Random(11)
    all_answered, all_uploaded, bad_integrity, no_5xx, errors = [], [], [], True, 0
    for r in range(rounds):
        log = open(os.path.join(work, "crash-%d.log" % r), "w")
        proc, port = start_server(chiso, db, log)
        codes = invitations(port, tokens["admin"], units[r % 34:r % 34 + 3], 10, "CRASH%02d" % r)
        tally = Tally()
        ok_log = open(os.path.join(work, "crash-ok-%d.txt" % r), "w")
        stop = threading.Event()
        up = [u for u in units if rng.random() < 0.15]
        threads = [threading.Thread(target=answer, args=(port, c, rid, tally, ok_log)) for c, rid in codes]
        threads += [threading.Thread(target=upload, args=(port, tokens["units"][u], "crash%02d-%s.csv" % (r, u),
                                                          files[u].replace(b"\nLOAD", b"\nC%02d" % r), tally, ok_log))
                    for u in up]
        readers = [threading.Thread(target=reader, args=(port, tokens["admin"], stop, tally)) for _ in range(2)]
        for t in readers + threads:
            t.start()
        time.sleep(rng.uniform(0.3, 3.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stop.set()
        for t in readers + threads:
            t.join(120)
        ok_log.close()
        log.close()
        all_answered += tally.answered
        all_uploaded += tally.uploaded
        errors += len(tally.errors)
        if tally.five_xx():
            no_5xx = False
            print("# round %d: %s" % (r, tally.five_xx()))
        # every success the clients saw is in the store, whatever the kill cut
        got = {x for (x,) in query(db, "SELECT respondent FROM intake_responses WHERE respondent LIKE 'CRASH%02d-%%'" % r)}
        lost = [x for x in tally.answered if x not in got]
        files_in = {x for (x,) in query(db, "SELECT file FROM imports WHERE file LIKE 'crash%02d-%%'" % r)}
        lost += [x for x in tally.uploaded if x not in files_in]
        if lost:
            print("# round %d lost %s" % (r, lost[:5]))
            all_answered.append("LOST")
        ic = scalar(db, "PRAGMA integrity_check")
        if ic != "ok":
            bad_integrity.append((r, ic))
    print("# crash: %d rounds, %d answers and %d uploads acknowledged before the kills, %d requests cut"
          % (rounds, len(all_answered), len(all_uploaded), errors))
    check("crash-acknowledged-writes-kept", "LOST" not in all_answered)
    check("crash-some-writes-acknowledged", len(all_answered) > 0)
    check("crash-integrity", not bad_integrity, bad_integrity)
    check("crash-no-5xx", no_5xx)
    dup = scalar(db, "SELECT count(*) - count(DISTINCT respondent) FROM intake_responses")
    check("crash-answers-once", dup == 0, dup)
    # the store serves again after the last kill
    log = open(os.path.join(work, "crash-last.log"), "w")
    proc, port = start_server(chiso, db, log)
    st, _, _ = Client(port).get("/api/v1/years")
    check("crash-restarts", st == 200, st)
    proc.send_signal(signal.SIGTERM)
    check("crash-clean-stop", proc.wait(60) == 0)
    log.close()


if __name__ == "__main__":
    if sys.argv[1] == "load":
        run_load(int(sys.argv[2]), sys.argv[3], sys.argv[4], 600)
    else:
        run_crash(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    done()
