"""Reads a published `soteria report` with readers from outside the project: the Excel
workbook with openpyxl (sheets, frozen headers, filters, number formats, and no count
from 1 to 4 in any count column) and its sheets against the CSV files.

usage: check_report.py SOTERIA_BIN DATASET_DIR
"""
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

SHEETS = ["Summary", "Flight deck", "Profile", "Data quality", "Definitions"]


def small(v) -> bool:
    return isinstance(v, (int, float)) and 1 <= v < 5


def same_cell(sheet, text: str) -> bool:
    """A workbook cell against its CSV field: empty for empty, numbers by value."""
    if sheet is None:
        return text == ""
    if isinstance(sheet, bool):
        return str(sheet).lower() == text.lower()
    if isinstance(sheet, (int, float)):
        try:
            return abs(sheet - float(text)) <= 1e-9 * max(1.0, abs(sheet))
        except ValueError:
            return False
    return str(sheet) == text


def main(binary: str, data: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report"
        subprocess.run([binary, "report", "--data", data, "--month", "2024-12", "--publish", "--out", str(out)], check=True)
        wb = openpyxl.load_workbook(out / "kpis.xlsx")
        assert wb.sheetnames == SHEETS, wb.sheetnames
        for name in SHEETS:
            ws = wb[name]
            assert ws.freeze_panes == "A2", (name, ws.freeze_panes)
            assert ws.auto_filter.ref, name
            assert all(c.font.bold for c in ws[1]), name

        count_ids = {
            r["id"] for r in csv.DictReader(subprocess.run(
                [binary, "indicators", "--format", "csv"], check=True, capture_output=True, text=True).stdout.splitlines())
            if r["unit"] == "count"
        }
        assert "recorded" in count_ids, count_ids

        fd = wb["Flight deck"]
        header = [c.value for c in fd[1]]
        rows = list(fd.iter_rows(min_row=2, values_only=True))
        with open(out / "flightdeck.csv", newline="") as f:
            csv_rows = list(csv.reader(f))
        assert csv_rows[0] == header, (csv_rows[0], header)
        assert len(csv_rows) - 1 == len(rows), (len(csv_rows), len(rows))
        # Cell by cell: the sheet holds what the CSV says (numbers as numbers, to 1e-9).
        compared = 0
        for n, (sheet_row, csv_row) in enumerate(zip(rows, csv_rows[1:]), start=2):
            for h, v, text in zip(header, sheet_row, csv_row):
                assert same_cell(v, text), (n, h, v, text)
                compared += 1
        assert compared == len(rows) * len(header)
        col = {h: i for i, h in enumerate(header)}
        suppressed = 0
        value_format = {}
        for r, cells in zip(rows, fd.iter_rows(min_row=2)):
            for c in ("numerator", "denominator"):
                assert not small(r[col[c]]), (c, r)
            if r[col["indicator"]] in count_ids:
                assert not small(r[col["value"]]), r
            suppressed += sum(1 for v in r if v in ("<5", "[c]"))
            value = cells[col["value"]]
            if isinstance(value.value, (int, float)):
                value_format.setdefault(r[col["indicator"]], value.number_format)
        assert suppressed > 0
        assert value_format["charge_rate_closed"] == "0.0%", value_format["charge_rate_closed"]
        assert value_format["recorded"] == "#,##0", value_format["recorded"]

        pr = wb["Profile"]
        with open(out / "profile.csv", newline="") as f:
            profile_csv = list(csv.reader(f))
        profile_rows = list(pr.iter_rows(values_only=True))
        assert len(profile_rows) == len(profile_csv), (len(profile_rows), len(profile_csv))
        for n, (sheet_row, csv_row) in enumerate(zip(profile_rows, profile_csv), start=1):
            assert all(same_cell(v, t) for v, t in zip(sheet_row, csv_row)), (n, sheet_row, csv_row)
        header = [c.value for c in pr[1]]
        for r in pr.iter_rows(min_row=2, values_only=True):
            for c in ("count", "prev_count"):
                assert not small(r[header.index(c)]), r

        statuses = {r[col["status"]] for r in rows}
        assert {"[p]", "[u]"} <= statuses, statuses

        sm = wb["Summary"]
        # The Making Data Count icons are pictures in their cells, named in alt text.
        assert len(sm._images) > 50, len(sm._images)
        header = [c.value for c in sm[1]]
        for r in sm.iter_rows(min_row=2, values_only=True):
            if r[header.index("id")] in count_ids:
                for c in ("this_month", "last_month", "last_year"):
                    assert not small(r[header.index(c)]), (c, r)
        print(f"check_report: {len(rows)} flight-deck rows ({compared} cells equal to the CSV), {suppressed} suppressed cells, every sheet read by openpyxl")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
