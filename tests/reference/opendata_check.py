"""An independent computation of `soteria opendata outcomes` from the same file, with
Python's csv module only: both count bases, every force, England and Wales, rape, other
sexual offences and all, by year and by quarter. Exits non-zero on any difference.

usage: opendata_check.py SOTERIA_BIN OUTCOMES_CSV
"""
import csv
import gzip
import subprocess
import sys
from collections import defaultdict

RAPE = {"19C", "19D", "19E", "19F", "19G", "19H"}
INDICATORS = {
    "charge_rate": {"1", "1A"},
    "outcome14_share": {"14"},
    "outcome15_share": {"15"},
    "outcome16_share": {"16"},
    "outcome18_share": {"18"},
    "victim_withdrawal_rate": {"14", "16"},
}


def count(v):
    v = (v or "").replace(" ", "").replace(",", "")
    return 0.0 if v in ("", "NA", "-") else float(v)


def expected(path, by):
    sums = defaultdict(lambda: [0.0, 0.0])
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if r["offence_group"] != "Sexual offences":
                continue
            force = "City of London" if r["force_name"] == "London, City of" else r["force_name"]
            period = r["financial_year"] if by == "year" else f'{r["financial_year"]} Q{r["financial_quarter"]}'
            group = "rape" if r["offence_code"] in RAPE else "other_sexual"
            for fo in (force, "England and Wales"):
                for g in (group, "all"):
                    s = sums[(fo, period, g, r["outcome_type"])]
                    s[0] += count(r["offences"])
                    s[1] += count(r["force_outcomes_recorded_in_quarter"])
    out = {}
    keys = {(f, p, g) for (f, p, g, _) in sums}
    for f, p, g in keys:
        for basis, i in (("recorded", 0), ("closed", 1)):
            n = sum(v[i] for (ff, pp, gg, _), v in sums.items() if (ff, pp, gg) == (f, p, g))
            if basis == "recorded":
                out[(f, p, g, basis, "recorded")] = (n, None)
            for name, types in INDICATORS.items():
                x = sum(v[i] for (ff, pp, gg, t), v in sums.items() if (ff, pp, gg) == (f, p, g) and t in types)
                out[(f, p, g, basis, name)] = (x, n)
    return out


def main(binary, path):
    checked = 0
    for by in ("year", "quarter"):
        want = expected(path, by)
        text = subprocess.run(
            [binary, "opendata", "outcomes", "--input", path, "--by", by, "--format", "csv"],
            check=True, capture_output=True, text=True,
        ).stdout
        got = {}
        for r in csv.DictReader(text.splitlines()):
            if r["indicator"] == "recorded_per_1000":
                continue
            key = (r["force"], r["period"], r["offence_group"], r["basis"], r["indicator"])
            got[key] = (float(r["numerator"]), float(r["denominator"]) if r["denominator"] else None)
            value = float(r["value"]) if r["value"] else None
            x, n = got[key]
            if n:
                assert abs(value - x / n) < 1e-12, (key, value, x / n)
        assert set(got) == set(want), sorted(set(got) ^ set(want))[:5]
        for key, (x, n) in want.items():
            gx, gn = got[key]
            assert gx == x and gn == n, (key, got[key], (x, n))
            checked += 1
    print(f"opendata_check: {checked} numerators and denominators agree with an independent computation")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
