"""Writes a small dataset that follows the extract standard to the letter, with a program
other than Soteria (Python's csv module and pyarrow), to prove that foreign files load
with zero quarantined rows. Output: tests/data/foreign/csv/*.csv and
tests/data/foreign/parquet/*.parquet (dates as date32, ints as int32/int64, booleans).

Regenerate: /tmp/ref/bin/pip install pyarrow && /tmp/ref/bin/python tests/data/make_foreign.py
"""
import csv
import datetime as dt
import os
import random

import pyarrow as pa
import pyarrow.parquet as pq

random.seed(20240917)
ROOT = os.path.join(os.path.dirname(__file__), "foreign")
D = dt.date

codes = ["19C", "19D", "20A", "17A", "88E", "22B"]
offences, suspects, outcomes, events, staff, feedback, population = [], [], [], [], [], [], []
for i in range(1, 41):
    rep = D(2023, 1, 1) + dt.timedelta(days=random.randint(0, 360))
    rec = rep + dt.timedelta(days=random.choice([0, 0, 1, 2]))
    code = codes[i % len(codes)]
    age = {"19D": 14, "22B": 15}.get(code, random.randint(16, 60))
    offences.append(dict(
        crime_id=f"X{i:04d}", force="Durham", area=random.choice(["North", "South", None]),
        team="RASSO 1", officer_id=f"OF{i % 5}", offence_code=code, reported_date=rep,
        recorded_date=rec, offence_date=rep - dt.timedelta(days=random.randint(0, 30)) if i % 7 else None,
        offence_hour=random.randint(0, 23) if i % 5 else None, victim_id=f"V{i % 33}",
        victim_sex="F" if code[:3] in ("19C", "19D", "20A") else "M", victim_age=age,
        victim_ethnicity=random.choice(["white", "asian", "not_stated", None]),
        relationship=random.choice(["partner", "stranger", "unknown"]),
        location_type=random.choice(["dwelling", "online", "other"]),
        domestic_abuse=i % 3 == 0, online_facilitated=i % 4 == 0, alcohol_involved=False,
        drugs_involved=i % 9 == 0, victim_vulnerable=i % 2 == 0, word_on_word=True,
        lsoa_code=f"E0100{i:04d}" if i % 6 else None))
    if i % 4:
        suspects.append(dict(crime_id=f"X{i:04d}", suspect_id=f"S{i % 17}", suspect_sex="M",
                             suspect_age=random.randint(18, 70) if i % 8 else None,
                             linked_date=rec + dt.timedelta(days=3)))
        events.append(dict(crime_id=f"X{i:04d}", suspect_id=f"S{i % 17}", event_type="suspect_arrested",
                           event_date=rec + dt.timedelta(days=5), detail=None))
    events.append(dict(crime_id=f"X{i:04d}", suspect_id=None, event_type="device_seized",
                       event_date=rec + dt.timedelta(days=1), detail="victim"))
    if i % 3:
        outcomes.append(dict(crime_id=f"X{i:04d}", outcome_type=random.choice(["1", "1A", "15", "16"]),
                             outcome_date=rec + dt.timedelta(days=random.randint(10, 200))))
    if i % 10 == 0:
        feedback.append(dict(response_id=f"R{i}", crime_id=f"X{i:04d}", force="Durham",
                             survey_date=rec + dt.timedelta(days=220), treated_fairly=4,
                             kept_informed=None, confidence_to_report=5, overall_satisfaction=3))
for k in range(5):
    staff.append(dict(officer_id=f"OF{k}", force="Durham", team="RASSO 1",
                      role=["detective", "trainee", "supervisor", "staff_investigator", "other"][k],
                      start_date=D(2020, 1 + k, 1), end_date=None if k else D(2023, 6, 30),
                      rasso_training_date=D(2021, 1, 1) if k % 2 else None, wow_training_date=None,
                      last_wellbeing_review=D(2023, 3, 1)))
population += [dict(force="Durham", area=None, year=2023, population=650000),
               dict(force="Durham", area="North", year=2023, population=300000)]

types = {
    "offences": {"offence_hour": pa.int32(), "victim_age": pa.int32()},
    "suspects": {"suspect_age": pa.int64()},
    "feedback": {k: pa.int8() for k in ("treated_fairly", "kept_informed", "confidence_to_report", "overall_satisfaction")},
    "population": {"year": pa.int32(), "population": pa.int64()},
}
tables = dict(offences=offences, suspects=suspects, outcomes=outcomes, events=events,
              staff=staff, feedback=feedback, population=population)
for fmt in ("csv", "parquet"):
    os.makedirs(os.path.join(ROOT, fmt), exist_ok=True)
for name, rows in tables.items():
    cols = list(rows[0].keys())
    with open(os.path.join(ROOT, "csv", f"{name}.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow(["" if r[c] is None else ("true" if r[c] is True else "false" if r[c] is False else r[c]) for c in cols])
    arrays = {}
    for c in cols:
        values = [r[c] for r in rows]
        t = types.get(name, {}).get(c)
        if t is None:
            sample = next((v for v in values if v is not None), "")
            t = pa.date32() if isinstance(sample, dt.date) else pa.bool_() if isinstance(sample, bool) else pa.string()
        arrays[c] = pa.array(values, type=t)
    pq.write_table(pa.table(arrays), os.path.join(ROOT, "parquet", f"{name}.parquet"))
