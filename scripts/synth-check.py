#!/usr/bin/env python3
"""Summarise a synthetic survey made by `chiso synth` (clean CSV) against
the calibration targets: per-province weighted score proxy (mean share of
the 15 positive survey indicators, 0-100), respondents per province, the
HN+HCM share of weighted online sales, and Spearman's rank correlation of
the score proxy with the published EBI totals of the same method.

Independent of chiso's C code: it reads only the CSV and the data files.
Usage: scripts/synth-check.py FILE.csv [data/synth/provinces.csv] [data/published/ebi-headlines.csv]
"""
import csv, sys, collections

POS = ["q_email", "q_internet", "q_ec_staff", "q_website", "q_social", "q_marketplace",
       "q_app", "q_online_orders", "q_online_payment", "q_online_ads", "q_b2b_orders",
       "q_econtract", "q_einvoice"]

def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r

def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb)

def main():
    path = sys.argv[1]
    params = sys.argv[2] if len(sys.argv) > 2 else "data/synth/provinces.csv"
    published = sys.argv[3] if len(sys.argv) > 3 else "data/published/ebi-headlines.csv"
    num = collections.defaultdict(lambda: collections.defaultdict(float))
    den = collections.defaultdict(lambda: collections.defaultdict(float))
    n = collections.Counter()
    sales = collections.defaultdict(float)
    year = None
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            p, w = row["province"], float(row["weight"])
            year = int(row["year"])
            n[p] += 1
            for q in POS + ["q_recruit_hard"]:
                if row[q] in ("Có", "Không"):
                    den[p][q] += w
                    num[p][q] += w * (row[q] == "Có")
            sw = set(row["q_software"].split(";")) if row["q_software"] else set()
            den[p]["mgmt"] += w
            num[p]["mgmt"] += w * bool(sw & {"erp", "crm", "scm"})
            if row["q_web_update"]:
                den[p]["upd"] += w
                num[p]["upd"] += w * (row["q_web_update"] in ("daily", "weekly"))
            if row["q_online_sales"]:
                sales[p] += w * float(row["q_online_sales"])
    score = {p: 100 * sum(num[p][q] / den[p][q] for q in POS + ["mgmt", "upd"] if den[p][q]) / 15 for p in n}
    target = {r["name"]: float(r["target_2021"]) for r in csv.DictReader(open(params, encoding="utf-8"))}
    pub = {}
    for r in csv.DictReader(open(published, encoding="utf-8")):
        if r["method"] == "ebi-2021" and r["measure"] == "total" and int(r["data_year"]) == year:
            pub.setdefault(r["unit"], float(r["value"]))
    print(f"{'province':24} {'n':>5} {'score':>6} {'target':>6} {'published':>9}")
    for p in sorted(score, key=lambda p: -score[p]):
        print(f"{p:24} {n[p]:5d} {score[p]:6.1f} {target.get(p, float('nan')):6.1f} {pub.get(p, ''):>9}")
    vals = list(score.values())
    print(f"mean of province scores: {sum(vals) / len(vals):.2f}")
    tot = sum(sales.values())
    city = sales.get("Hà Nội", 0) + sales.get("Hồ Chí Minh", 0)
    print(f"HN+HCM share of weighted online sales: {100 * city / tot:.1f}%")
    common = [p for p in pub if p in score]
    if len(common) >= 3:
        print(f"Spearman(score, published {year}) over {len(common)} provinces: "
              f"{spearman([score[p] for p in common], [pub[p] for p in common]):.3f}")
    common = [p for p in target if p in score]
    if len(common) >= 3:
        print(f"Spearman(score, 2021 targets) over {len(common)} provinces: "
              f"{spearman([score[p] for p in common], [target[p] for p in common]):.3f}")

if __name__ == "__main__":
    main()
