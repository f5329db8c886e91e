#!/usr/bin/env python3
"""Rank correlation of the SYNTHETIC index with the published EBI pattern.

For every data year with published ebi-2021 province totals
(data/published/ebi-headlines.csv), run the real pipeline:
  chiso synth (survey) + chiso synth --official -> chiso import +
  import-indicators -> chiso compute --db --year Y --method ebi-2021
and print Spearman's rho (average ranks for ties; Spearman 1904) between
the computed index and the published totals over the provinces that have
both. Usage: scripts/rank-check.py [CHISO] [RESPONDENTS] [SEEDS...]
Defaults: build/chiso, 12000 respondents (the demo's size), seed 1.
"""
import csv, importlib.util, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _spearman():
    """Spearman's rho of scripts/synth-check.py (one implementation)."""
    spec = importlib.util.spec_from_file_location("synth_check", os.path.join(ROOT, "scripts/synth-check.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.spearman


def published():
    out = {}
    with open(os.path.join(ROOT, "data/published/ebi-headlines.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["method"] == "ebi-2021" and row["measure"] == "total" and row["code_2008"]:
                out.setdefault(int(row["data_year"]), {}).setdefault(row["code_2008"], float(row["value"]))
    return out


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def computed(chiso, year, n, seed, work):
    db = os.path.join(work, f"s{seed}.db")
    s, o, idx = (os.path.join(work, f"{k}-{year}-{seed}.csv") for k in ("survey", "official", "index"))
    run(chiso, "synth", "--year", str(year), "--respondents", str(n), "--seed", str(seed), "--out", s)
    run(chiso, "synth", "--official", "--year", str(year), "--seed", str(seed), "--out", o)
    run(chiso, "import", "--db", db, "--method", "ebi-2021", "--year", str(year), s)
    run(chiso, "import-indicators", "--db", db, "--year", str(year), o)
    run(chiso, "compute", "--db", db, "--year", str(year), "--method", "ebi-2021",
        "--format", "csv", "--out", idx)
    with open(idx, encoding="utf-8") as f:
        return {r["code"]: float(r["ebi"]) for r in csv.DictReader(f) if r["ebi"]}


def main():
    chiso = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build/chiso")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 12000
    seeds = [int(s) for s in sys.argv[3:]] or [1]
    spearman = _spearman()
    pub = published()
    print(f"SYNTHETIC index vs published ebi-2021 totals ({n} respondents; seeds {seeds})")
    print("data_year  provinces  rho per seed         computed (published) by code")
    with tempfile.TemporaryDirectory() as work:
        for year in sorted(pub):
            rhos, detail = [], ""
            for seed in seeds:
                got = computed(chiso, year, n, seed, work)
                codes = sorted(c for c in pub[year] if c in got)
                rhos.append(spearman([got[c] for c in codes], [pub[year][c] for c in codes]))
                if seed == seeds[0]:
                    detail = " ".join(f"{c}:{got[c]:.1f}({pub[year][c]:g})" for c in codes)
            print(f"{year}       {len(codes):>3}        {' '.join(f'{r:5.2f}' for r in rhos):<20} {detail}")


if __name__ == "__main__":
    main()
