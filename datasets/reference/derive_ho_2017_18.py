"""Derive the compact reference tables that `soteria generate` embeds from the Home Office
outcomes open data for 2017/18 (see datasets/README.md for provenance).

Run from the repository root:  python3 datasets/reference/derive_ho_2017_18.py ../shared/data/ho-outcomes-2017-18-sexual-offences.csv
Writes datasets/reference/ho-2017-18-recorded-by-force-code.csv and
datasets/reference/ho-2017-18-closed-outcome-mix.csv. Standard library only.
"""
import collections
import csv
import sys

FORCE_ALIASES = {"London, City of": "City of London"}


def count(cell):
    cell = cell.strip().replace(",", "").replace(" ", "")
    return 0 if cell in ("", "NA") else int(cell)


def main(path):
    recorded = collections.Counter()
    closed = collections.Counter()
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            force = FORCE_ALIASES.get(row["force_name"], row["force_name"])
            code = row["offence_code"]
            group = "rape" if code.startswith("19") else "other_sexual"
            recorded[(force, code)] += count(row["offences"])
            closed[(group, row["outcome_type"])] += count(row["force_outcomes_recorded_in_quarter"])
    with open("datasets/reference/ho-2017-18-recorded-by-force-code.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["force", "offence_code", "recorded"])
        for (force, code), n in sorted(recorded.items()):
            if n > 0:
                w.writerow([force, code, n])
    with open("datasets/reference/ho-2017-18-closed-outcome-mix.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["offence_group", "outcome_type", "outcomes"])
        for (group, outcome), n in sorted(closed.items()):
            if n > 0 and outcome != "0":
                w.writerow([group, outcome, n])


if __name__ == "__main__":
    main(sys.argv[1])
