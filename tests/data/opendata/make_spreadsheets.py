"""Writes title-case.xlsx (openpyxl) and title-case.ods (odfpy) from title-case.csv, laid
out as the Home Office publishes its tables: a notes sheet first, title rows above the
header, numbers as numbers where they are numbers, a blank row and a note under the table.

usage: python make_spreadsheets.py   (needs openpyxl and odfpy)
"""
import csv
from pathlib import Path

import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

here = Path(__file__).parent
with open(here / "title-case.csv", newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))


def value(v):
    t = v.strip()
    return int(t) if t.isdigit() else v


titles = [["Police recorded crime and outcomes open data tables"], ["Outcomes, 2018/19"], []]
footer = [[], ["Source: hand-made test file in the Home Office layout"]]
table = titles + [rows[0]] + [[value(v) for v in r] for r in rows[1:]] + footer

wb = openpyxl.Workbook()
notes = wb.active
notes.title = "Notes"
notes.append(["This workbook holds outcomes open data."])
ws = wb.create_sheet("Outcomes_open_data_2018-19")
for r in table:
    ws.append(r)
wb.save(here / "title-case.xlsx")

doc = OpenDocumentSpreadsheet()
for name, content in (("Notes", [["This workbook holds outcomes open data."]]), ("Outcomes_open_data_2018-19", table)):
    t = Table(name=name)
    for r in content:
        tr = TableRow()
        for v in r:
            if isinstance(v, int):
                tc = TableCell(valuetype="float", value=v)
            else:
                tc = TableCell(valuetype="string")
            tc.addElement(P(text=str(v)))
            tr.addElement(tc)
        t.addElement(tr)
    doc.spreadsheet.addElement(t)
doc.save(str(here / "title-case.ods"))
