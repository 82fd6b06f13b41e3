"""Cross-checks `soteria query` against DuckDB: the same SQL over the same Parquet files
must return the same rows. Run by .ci/run in the notebooks' virtual environment.
Usage: python tests/reference/sql_vs_duckdb.py SOTERIA_BIN DATASET_DIR"""
import csv
import io
import subprocess
import sys

import duckdb

QUERIES = [
    "SELECT offence_code, count(*) AS n, min(recorded_date) AS first FROM offences GROUP BY offence_code ORDER BY offence_code",
    "SELECT event_type, count(*) AS n FROM events WHERE event_date >= DATE '2024-01-01' GROUP BY event_type ORDER BY event_type",
    "SELECT o.outcome_type, count(DISTINCT o.crime_id) AS n FROM outcomes o JOIN offences f ON f.crime_id = o.crime_id "
    "WHERE f.offence_code LIKE '19%' GROUP BY 1 ORDER BY 1",
    "SELECT victim_sex, avg(victim_age) AS mean_age, count(*) AS n FROM offences WHERE domestic_abuse GROUP BY 1 ORDER BY 1",
    "SELECT s.suspect_sex, count(*) AS links FROM suspects s JOIN offences o ON o.crime_id = s.crime_id "
    "WHERE o.relationship = 'stranger' GROUP BY 1 ORDER BY 1",
    "SELECT role, count(*) AS n, count(end_date) AS left_unit FROM staff GROUP BY role ORDER BY role",
]

RAPE_CODES = "('19C', '19D', '19E', '19F', '19G', '19H')"

# Soteria's views (`crimes`, `flightdeck`) against the same numbers worked out in DuckDB
# from the raw tables, by the definitions of the extract standard and the flight deck.
VIEW_QUERIES = [
    ("SELECT offence_group, count(*) AS n FROM crimes GROUP BY offence_group ORDER BY offence_group",
     f"SELECT CASE WHEN offence_code IN {RAPE_CODES} THEN 'rape' ELSE 'other_sexual' END AS g, "
     "count(*) FROM offences GROUP BY 1 ORDER BY 1"),
    ("SELECT period, value FROM flightdeck WHERE indicator = 'recorded' AND offence_group = 'rape' "
     "AND area = 'All' AND value > 0 ORDER BY period",
     f"SELECT strftime(recorded_date, '%Y-%m') AS p, count(*) FROM offences WHERE offence_code IN {RAPE_CODES} "
     "GROUP BY 1 ORDER BY 1"),
    ("SELECT period, numerator FROM flightdeck WHERE indicator = 'charges' AND offence_group = 'all' "
     "AND area = 'All' AND numerator > 0 ORDER BY period",
     # The current outcome: the latest date, and of two on one date the later row.
     "WITH current AS (SELECT crime_id, arg_max(outcome_type, (outcome_date, file_row_number)) AS t, "
     "max(outcome_date) AS d FROM outcomes_in_file_order GROUP BY crime_id) "
     "SELECT strftime(d, '%Y-%m') AS p, count(*) FROM current WHERE t IN ('1', '1A') GROUP BY 1 ORDER BY 1"),
]


def same(a, b):
    if a == b:
        return True
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
    except ValueError:
        return False


def main(binary, data):
    con = duckdb.connect()
    for t in ["offences", "suspects", "outcomes", "events", "staff", "feedback", "population"]:
        con.execute(f"CREATE VIEW {t} AS SELECT * FROM '{data}/{t}.parquet'")
    con.execute("CREATE VIEW outcomes_in_file_order AS SELECT * FROM "
                f"read_parquet('{data}/outcomes.parquet', file_row_number = true)")
    failed = 0
    pairs = [(q, q) for q in QUERIES] + VIEW_QUERIES
    for q, reference in pairs:
        ours = subprocess.run([binary, "query", "--data", data, "--format", "csv", q],
                              capture_output=True, text=True, check=True).stdout
        ours = list(csv.reader(io.StringIO(ours)))[1:]
        theirs = [["" if v is None else str(v) for v in row]
                  for row in con.execute(reference).fetchall()]
        ok = len(ours) == len(theirs) and all(
            len(r) == len(s) and all(same(x, y) for x, y in zip(r, s)) for r, s in zip(ours, theirs))
        print(f"{'ok' if ok else 'DIFFERENT'}: {q[:70]}")
        failed += not ok
    print(f"{len(pairs) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
