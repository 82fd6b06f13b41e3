"""DuckDB reads `soteria flightdeck --format parquet --partition-by force` as it is
(hive partitioning) and finds the rows of the CSV flight deck, value for value.

usage: partitions_duckdb.py SOTERIA_BIN DATASET_DIR
"""
import csv
import io
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb


def main(binary: str, data: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "deck"
        subprocess.run([binary, "flightdeck", "--data", data, "--format", "parquet",
                        "--partition-by", "force", "--out", str(out)], check=True)
        text = subprocess.run([binary, "flightdeck", "--data", data, "--format", "csv"],
                              check=True, capture_output=True, text=True).stdout
        rows = list(csv.DictReader(io.StringIO(text)))
        con = duckdb.connect()
        got = con.execute(
            f"SELECT period, force, area, offence_group, indicator, value "
            f"FROM read_parquet('{out}/**/*.parquet', hive_partitioning = true)"
        ).fetchall()
        by_key = {(r[0], r[1], r[2], r[3], r[4]): r[5] for r in got}
        assert len(by_key) == len(rows), (len(by_key), len(rows))
        for r in rows:
            v = by_key[(r["period"], r["force"], r["area"], r["offence_group"], r["indicator"])]
            if r["value"] == "":
                assert v is None, r
            else:
                assert abs(v - float(r["value"])) <= 1e-12 * max(1.0, abs(v)), (r, v)
        print(f"partitions: DuckDB read {len(got)} rows from the hive folders, all equal to the CSV")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
