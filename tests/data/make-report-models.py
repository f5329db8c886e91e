#!/usr/bin/env python3
"""Write the example report models tests/data/report-model-63.json and
report-model-34.json: SYNTHETIC, made-up but plausible numbers (fixed seed)
for testing the report and exports. Not survey results. Run from the
repository root: python3 tests/data/make-report-models.py"""
import csv, json, math, random

rng = random.Random(20250101)
rows = list(csv.DictReader(open("data/provinces/provinces.csv", encoding="utf-8")))

PILLARS = [("hr_it", "Nguồn nhân lực và hạ tầng CNTT", "Human resources and IT infrastructure", 0.3),
           ("b2c", "Giao dịch B2C", "B2C transactions", 0.4),
           ("b2b", "Giao dịch B2B", "B2B transactions", 0.3)]
INDICATORS = [("email_use", "hr_it", "Sử dụng email", "Email use", 1),
              ("internet", "hr_it", "Có máy tính nối mạng", "Internet-connected computers", 1),
              ("ec_staff", "hr_it", "Có nhân viên TMĐT", "Dedicated e-commerce staff", 1),
              ("recruit_difficulty", "hr_it", "Khó tuyển nhân sự CNTT", "Hard to recruit IT staff", -1),
              ("website", "b2c", "Có website", "Has a website", 1),
              ("social_selling", "b2c", "Bán hàng qua mạng xã hội", "Sells on social networks", 1),
              ("marketplace", "b2c", "Bán trên sàn TMĐT", "Sells on marketplaces", 1),
              ("online_payment", "b2c", "Nhận thanh toán trực tuyến", "Accepts online payment", 1),
              ("b2b_ordering", "b2b", "Đặt hàng nhà cung cấp trực tuyến", "Orders from suppliers online", 1),
              ("e_contracts", "b2b", "Dùng hợp đồng điện tử", "Uses e-contracts", 1),
              ("e_invoices", "b2b", "Dùng hóa đơn điện tử", "Issues e-invoices", 1)]
YEARS = [2020, 2021, 2022, 2023, 2024]
LEADERS = {"79": 82, "01": 79, "48": 58, "74": 55, "31": 54, "92": 48, "75": 47, "22": 46, "56": 44, "27": 45}


def r1(x):
    return round(x, 1)


def unit_rows(units):
    out = []
    for code, base in units:
        base = min(90.0, max(12.0, base))
        pil = [r1(min(100, max(0, base + rng.gauss(0, 6)))) for _ in PILLARS]
        score = r1(sum(p[3] * v for p, v in zip(PILLARS, pil)))
        half = r1(1.5 + 30 / math.sqrt(40 + rng.random() * 300))
        ind = []
        for _, _, _, _, d in INDICATORS:
            share = min(0.99, max(0.01, base / 100 * (0.8 + 0.4 * rng.random())))
            ind.append(round(1 - share if d < 0 else share, 3))
        trend = [r1(max(0, score - 2.2 * (2024 - y) + rng.gauss(0, 1.5))) for y in YEARS]
        n = int(18 + base * 3 + rng.random() * 60)
        out.append({"code": code, "score": score, "score_lo": r1(score - half), "score_hi": r1(score + half),
                    "respondents": n, "pillars": pil, "indicators": ind, "trend": trend})
    out.sort(key=lambda u: -u["score"])
    for i, u in enumerate(out):
        u["rank"] = i + 1
    for u in out:  # rank interval: units whose score intervals overlap
        better = sum(1 for v in out if v["score_lo"] > u["score_hi"])
        worse = sum(1 for v in out if v["score_hi"] < u["score_lo"])
        u["rank_lo"], u["rank_hi"] = better + 1, len(out) - worse
    out.sort(key=lambda u: u["code"])
    keys = ["code", "score", "score_lo", "score_hi", "rank", "rank_lo", "rank_hi", "respondents",
            "pillars", "indicators", "trend"]
    return [{k: u[k] for k in keys} for u in out]


def lorenz(n=20):
    pts, cum = [[0.0, 0.0]], 0.0
    shares = sorted(rng.paretovariate(1.3) for _ in range(n))
    tot = sum(shares)
    for i, s in enumerate(shares):
        cum += s
        pts.append([round((i + 1) / n, 3), round(cum / tot, 4)])
    gini = 1 - sum((pts[i + 1][0] - pts[i][0]) * (pts[i + 1][1] + pts[i][1]) for i in range(n))
    return pts, round(gini, 4)


def model(n_units):
    if n_units == 63:
        units = [(r["code_2008"], LEADERS.get(r["code_2008"], 30 + rng.gauss(0, 6))) for r in rows]
    else:
        codes = sorted({r["code_2025"] for r in rows})
        units = [(c, LEADERS.get(c, 33 + rng.gauss(0, 6))) for c in codes]
    nodes = [{"id": "index", "parent": "", "name": {"vi": "Chỉ số TMĐT", "en": "E-business index"},
              "weight": 1, "direction": 0, "normalisation": "", "aggregation": "arithmetic"}]
    for pid, vi, en, w in PILLARS:
        nodes.append({"id": pid, "parent": "index", "name": {"vi": vi, "en": en}, "weight": w,
                      "direction": 0, "normalisation": "", "aggregation": "arithmetic"})
    for iid, pid, vi, en, d in INDICATORS:
        k = sum(1 for x in INDICATORS if x[1] == pid)
        nodes.append({"id": iid, "parent": pid, "name": {"vi": vi, "en": en}, "weight": round(1 / k, 4),
                      "direction": d, "normalisation": "minmax", "aggregation": ""})
    pts, gini = lorenz()
    share = [{"year": y, "value": v} for y, v in zip(YEARS, [71.5, 70.2, 68.0, 66.4, 64.9])]
    year = 2024 if n_units == 63 else 2025
    first = "79"
    targets = [
        {"plan": "qd645-2021-2025", "kpi": "b2c_share_outside_hn_hcm",
         "description": {"vi": "Tỷ trọng doanh số TMĐT B2C của các địa phương ngoài Hà Nội và TP.HCM",
                         "en": "Share of B2C value from localities other than Hà Nội and TP.HCM"},
         "unit": "percent", "province": "", "target_year": 2025, "target": 50, "baseline": 28.5,
         "actual": 35.1, "direction": 1, "status": "off_track"},
        {"plan": "qd645-2021-2025", "kpi": "einvoice_share",
         "description": {"vi": "Tỷ lệ giao dịch mua hàng trên website/ứng dụng TMĐT có hóa đơn điện tử",
                         "en": "Share of purchases on e-commerce websites/apps with e-invoices"},
         "unit": "percent", "province": "", "target_year": 2025, "target": 70, "baseline": None,
         "actual": 72.4, "direction": 1, "status": ""},
        {"plan": "qd645-2021-2025", "kpi": "delivery_cost_share",
         "description": {"vi": "Chi phí giao hàng chặng cuối so với giá trị sản phẩm",
                         "en": "Last-mile delivery cost as share of product price"},
         "unit": "percent", "province": "", "target_year": 2025, "target": 10, "baseline": None,
         "actual": None, "direction": -1, "status": ""},
        {"plan": "hcm-2024", "kpi": "ecom_share_retail",
         "description": {"vi": "Tỷ trọng TMĐT trong tổng mức bán lẻ của TP.HCM",
                         "en": "E-commerce share of HCMC retail sales"},
         "unit": "percent", "province": first, "target_year": 2025, "target": 12, "baseline": 8,
         "actual": 10.6, "direction": 1, "status": "on_track"},
    ]
    shifts = []
    for u in unit_rows_cache[n_units]:
        m = round(abs(rng.gauss(0, 2.5 if u["score"] < 60 else 0.6)), 2)
        shifts.append({"code": u["code"], "mean_abs": m, "max_abs": round(m * (1.8 + rng.random()), 1)})
    sobol = [{"factor": f, "label": {"vi": vi, "en": en}, "first": a, "total": b} for f, vi, en, a, b in [
        ("weights", "Trọng số", "Weights", 0.41, 0.52), ("normalisation", "Chuẩn hóa", "Normalisation", 0.22, 0.30),
        ("aggregation", "Cách tổng hợp", "Aggregation", 0.12, 0.19), ("imputation", "Xử lý dữ liệu thiếu", "Imputation", 0.05, 0.08),
        ("sampling", "Sai số mẫu", "Sampling error", 0.10, 0.14)]]
    return {
        "chiso_report_model": 1, "year": year, "units": n_units, "synthetic": True, "min_respondents": 60,
        "method": {"id": "ebi-2021", "name": {"vi": "Phương pháp EBI 2021", "en": "EBI 2021 method"},
                   "hash": "3f1c9a0d5be2e8a47f6b1c2d9e0a4b7c8d1e2f3a4b5c6d7e8f9a0b1c2d3e4f50",
                   "normalisation": "minmax", "aggregation": "arithmetic"},
        "nodes": nodes, "pillars": [p[0] for p in PILLARS], "indicators": [i[0] for i in INDICATORS],
        "years": YEARS, "provinces": unit_rows_cache[n_units],
        "divide": {"measures": [{"id": "gini", "value": gini}, {"id": "hnhcm_share", "value": 64.9},
                                {"id": "theil", "value": 0.612}],
                   "lorenz": pts, "hnhcm_share": share, "target": 50},
        "targets": targets, "sensitivity": {"rank_shift": shifts, "sobol": sobol},
        "provenance": {"imports": [
            {"file": "synthetic-survey-%d.csv" % year, "kind": "survey", "rows": 9450,
             "sha256": "9b2f0c1e7a6d5c4b3a29180f7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b"},
            {"file": "official-%d.csv" % year, "kind": "official", "rows": n_units,
             "sha256": "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"}],
            "seed": "20250101", "chiso_version": "0.1.0"},
    }


unit_rows_cache = {}
for n in (63, 34):
    rng.seed(20250101 + n)
    if n == 63:
        unit_rows_cache[n] = unit_rows([(r["code_2008"], LEADERS.get(r["code_2008"], 30 + rng.gauss(0, 6))) for r in rows])
    else:
        codes = sorted({r["code_2025"] for r in rows})
        unit_rows_cache[n] = unit_rows([(c, LEADERS.get(c, 33 + rng.gauss(0, 6))) for c in codes])
    # a small-sample unit to exercise the warning
    unit_rows_cache[n][-1]["respondents"] = 24
    with open("tests/data/report-model-%d.json" % n, "w", encoding="utf-8") as f:
        json.dump(model(n), f, ensure_ascii=False, indent=1)
        f.write("\n")
