"""An independent computation of `soteria profile` counts, with Python's csv module only,
on a dataset written by another program (tests/data/foreign/csv, made by
tests/data/make_foreign.py): victims, context, time, place, suspects' age and sex, and
attrition, for a window and the window before it. Exits non-zero on any difference.

usage: profile_check.py SOTERIA_BIN DATASET_DIR FROM TO
"""
import csv
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def read(d, table):
    p = Path(d) / f"{table}.csv"
    if not p.exists():
        return []
    with open(p, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def day(s):
    return date.fromisoformat(s) if s else None


def age_band(a):
    if a in (None, ""):
        return "unknown"
    a = int(a)
    for hi, band in ((12, "0-12"), (15, "13-15"), (17, "16-17"), (24, "18-24"), (34, "25-34"), (44, "35-44"), (54, "45-54")):
        if a <= hi:
            return band
    return "55+"


def delay_band(d):
    if d is None:
        return "unknown"
    if d == 0:
        return "same_day"
    for lo, hi, band in ((1, 6, "1-6_days"), (7, 30, "7-30_days"), (31, 365, "31-365_days"), (366, 1826, "1-5_years")):
        if lo <= d <= hi:
            return band
    return "over_5_years" if d > 1826 else "unknown"


def flag(v):
    return {"true": "true", "false": "false"}.get((v or "").lower(), "unknown")


def month_first(m):
    y, mm = map(int, m.split("-"))
    return date(y, mm, 1)


def month_last(m):
    y, mm = map(int, m.split("-"))
    return date(y + (mm == 12), mm % 12 + 1, 1).fromordinal(date(y + (mm == 12), mm % 12 + 1, 1).toordinal() - 1)


def expected(d, frm, to):
    offences, outcomes, events, suspects = (read(d, t) for t in ("offences", "outcomes", "events", "suspects"))
    as_at = max(
        [day(r["recorded_date"]) for r in offences]
        + [day(r["outcome_date"]) for r in outcomes if r["outcome_date"]]
        + [day(r["event_date"]) for r in events if r["event_date"]]
    )
    cur_lo, hi = month_first(frm), month_last(to)
    months = (hi.year - cur_lo.year) * 12 + hi.month - cur_lo.month + 1
    y, m = cur_lo.year, cur_lo.month - months
    while m < 1:
        m += 12
        y -= 1
    lo = date(y, m, 1)

    linked = defaultdict(list)
    for s in suspects:
        if day(s["linked_date"]) <= as_at:
            linked[s["crime_id"]].append(s)
    ev = defaultdict(set)
    for e in events:
        if e["event_date"] and day(e["event_date"]) <= as_at:
            ev[e["crime_id"]].add(e["event_type"])
    current = {}
    for i, o in enumerate(outcomes):
        od = day(o["outcome_date"])
        if od <= as_at:
            key = (od, i)
            if o["crime_id"] not in current or key >= current[o["crime_id"]][0]:
                current[o["crime_id"]] = (key, o["outcome_type"])

    counts = defaultdict(Counter)  # (section, dimension) -> Counter[(window, category)]
    window_suspects = {True: set(), False: set()}
    for r in offences:
        rec = day(r["recorded_date"])
        if rec > as_at or not (lo <= rec <= hi):
            continue
        cur = rec >= cur_lo
        od = day(r["offence_date"])
        wd = WEEKDAYS[od.weekday()] if od else None
        hour = f'{int(r["offence_hour"]):02d}' if r["offence_hour"] else None
        rep = day(r["reported_date"])
        cats = {
            ("victims", "age_band"): age_band(r["victim_age"]),
            ("victims", "sex"): r["victim_sex"] or "unknown",
            ("victims", "ethnicity"): r["victim_ethnicity"] or "unknown",
            ("victims", "vulnerable"): flag(r["victim_vulnerable"]),
            ("victims", "sex_age_band"): f'{r["victim_sex"] or "unknown"} {age_band(r["victim_age"])}',
            ("context", "relationship"): r["relationship"] or "unknown",
            ("context", "location_type"): r["location_type"] or "unknown",
            ("time", "month"): r["recorded_date"][:7],
            ("time", "weekday"): wd or "unknown",
            ("time", "hour"): hour or "unknown",
            ("time", "weekday_hour"): f"{wd} {hour}" if wd and hour else "unknown",
            ("time", "report_delay"): delay_band((rep - od).days if rep and od else None),
            ("place", "area"): r["area"] or "unknown",
        }
        for f in ("domestic_abuse", "online_facilitated", "alcohol_involved", "drugs_involved", "word_on_word"):
            cats[("context", f)] = flag(r[f])
        for k, c in cats.items():
            counts[k][(cur, c)] += 1
        links = linked.get(r["crime_id"], [])
        has_suspect = bool(links)
        arrested = has_suspect and bool(ev[r["crime_id"]] & {"suspect_arrested", "suspect_interviewed"})
        stages = {
            "recorded": True,
            "suspect_identified": has_suspect,
            "arrested_or_interviewed": arrested,
            "cps_file": "cps_file_submitted" in ev[r["crime_id"]],
            "charged": current.get(r["crime_id"], (None, None))[1] in ("1", "1A"),
        }
        for s, v in stages.items():
            if v:
                counts[("attrition", "stage")][(cur, s)] += 1
        for s in links:
            window_suspects[cur].add(s["suspect_id"])
    # Suspects' age and sex from their latest link on or before the as-at date.
    latest = {}
    for s in sorted((s for s in suspects if day(s["linked_date"]) <= as_at), key=lambda s: s["linked_date"]):
        latest[s["suspect_id"]] = s
    for cur, ids in window_suspects.items():
        for sid in ids:
            s = latest[sid]
            counts[("suspects", "age_band")][(cur, age_band(s["suspect_age"]))] += 1
            counts[("suspects", "sex")][(cur, s["suspect_sex"] or "unknown")] += 1
    return counts


def main(binary, data, frm, to):
    want = expected(data, frm, to)
    out = subprocess.run(
        [binary, "profile", "--data", data, "--from", frm, "--to", to, "--format", "csv"],
        check=True, capture_output=True, text=True,
    ).stdout
    got = defaultdict(dict)
    for r in csv.DictReader(out.splitlines()):
        if r["category"] == "_all":
            continue
        got[(r["section"], r["dimension"])][r["category"]] = (
            float(r["count"]),
            float(r["prev_count"]) if r["prev_count"] else None,
            float(r["share"]) if r["share"] else None,
        )
    checked = 0
    for key, counter in want.items():
        cats = {c for (_, c) in counter}
        assert set(got[key]) >= cats, (key, sorted(cats - set(got[key])))
        total = sum(n for (cur, _), n in counter.items() if cur)
        for c in cats:
            n, prev, share = got[key][c]
            assert n == counter[(True, c)], (key, c, n, counter[(True, c)])
            if prev is not None:
                assert prev == counter[(False, c)], (key, c, prev, counter[(False, c)])
            if key != ("attrition", "stage") and share is not None and total:
                assert abs(share - counter[(True, c)] / total) < 1e-12, (key, c, share)
            checked += 1
        # Categories soteria reports that the independent count has not seen are zeros.
        for c in set(got[key]) - cats:
            assert got[key][c][0] == 0 and (got[key][c][1] or 0) == 0, (key, c, got[key][c])
    print(f"profile_check: {checked} categories of {len(want)} dimensions agree with an independent computation")


if __name__ == "__main__":
    main(*sys.argv[1:5])
