"""Reads `soteria paper` with programs from outside the project: python-docx (its
headings, tables and pictures, and the alternative text of every picture) and LibreOffice
(headless conversion to PDF; the first pages as PNG, kept in ARTEFACTS for a person to
look at). The same input must give the same bytes. A published paper must hold none of
the dataset's identifiers (crimes, victims, suspects, officers, survey responses) and no
count from 1 to 4 in any count column.

usage: check_paper.py SOTERIA_BIN DATASET_DIR [ARTEFACTS_DIR]
"""
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import docx
import polars as pl

COUNT_HEADERS = {
    "Numerator",
    "Denominator",
    "Rest: numerator",
    "Rest: denominator",
    "Active investigators",
    "Trained",
    "Not yet trained",
}
IDENTIFIERS = {
    "offences.parquet": ["crime_id", "victim_id"],
    "suspects.parquet": ["suspect_id"],
    "events.parquet": ["suspect_id"],
    "staff.parquet": ["officer_id"],
    "feedback.parquet": ["response_id"],
}
ACTIONS = """recommendation,action,owner,due_date,status,closure_level
3,Word-on-word training for every RASSO investigator,DCI A. Person,2025-01-31,In progress,
7,"Breach tracker in the custody system, reviewed weekly",DI B. Person,2024-11-30,Complete,Closed - met
"""


def paper(binary: str, data: str, out: Path, *extra: str) -> bytes:
    subprocess.run(
        [binary, "paper", "--data", data, "--month", "2024-12", "--out", str(out), *extra],
        check=True,
    )
    return out.read_bytes()


def check_structure(path: Path) -> None:
    d = docx.Document(str(path))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    for needed in ["Headline findings", "Inspection recommendations", "Definitions and methods"]:
        assert needed in headings, f"no heading {needed!r} in {headings}"
    for rec in ["3", "5", "7", "9", "11"]:
        assert any(h.startswith(f"Recommendation {rec} ") for h in headings), rec
    assert any(h.startswith("Scrutiny theme: Domestic abuse") for h in headings), headings
    assert len(d.tables) >= 12, f"{len(d.tables)} tables"
    overview = d.tables[0]
    assert overview.rows[0].cells[0].text == "Rec.", overview.rows[0].cells[0].text
    assert [r.cells[0].text for r in overview.rows[1:]] == ["3", "5", "7", "9", "11"]
    verdicts = {r.cells[3].text for r in overview.rows[1:]}
    assert verdicts <= {"Evidenced", "Not yet evidenced", "Data not available"}, verdicts
    # Every picture, in the text and in table cells, has alternative text and its own id.
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
        pngs = [n for n in z.namelist() if n.startswith("word/media/")]
    ids = re.findall(r'<wp:docPr id="(\d+)" name="[^"]*" descr="([^"]*)"', xml)
    assert len(ids) == xml.count("<wp:docPr"), "a picture without alternative text"
    assert all(descr.strip() for _, descr in ids), "empty alternative text"
    assert len({i for i, _ in ids}) == len(ids), "two pictures share a drawing id"
    charts = [d for _, d in ids if len(d) > 60]
    assert len(charts) >= 4, f"{len(charts)} charts"
    assert len(d.inline_shapes) == len(ids), (len(d.inline_shapes), len(ids))
    for shape in d.inline_shapes:
        if shape.width.mm > 100:
            assert abs(shape.width.mm - 170) < 0.5, shape.width.mm
    # Charts at 300 dpi: 170 mm is 2008 pixels.
    from PIL import Image
    import io

    with zipfile.ZipFile(path) as z:
        widths = [Image.open(io.BytesIO(z.read(n))).size[0] for n in pngs]
    assert max(widths) == 2008, widths
    print(f"check_paper: {path.name}: {len(d.tables)} tables, {len(ids)} pictures with alternative text, {len(headings)} headings")


def text_of(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(
            z.read(n).decode() for n in z.namelist() if n.endswith(".xml") or n.endswith(".rels")
        )


def check_published(path: Path, data: str) -> None:
    text = text_of(path)
    for file, columns in IDENTIFIERS.items():
        p = Path(data) / file
        if not p.exists():
            continue
        frame = pl.read_parquet(p, columns=columns)
        for c in columns:
            for ident in frame[c].drop_nulls().unique().to_list():
                assert ident not in text, f"identifier {ident} ({file}.{c}) in the published paper"
    assert "DCI A. Person" not in text, "an action owner in the published paper"
    d = docx.Document(str(path))
    checked = 0
    for t in d.tables:
        header = [c.text for c in t.rows[0].cells]
        for j, h in enumerate(header):
            if h not in COUNT_HEADERS:
                continue
            for row in t.rows[1:]:
                v = row.cells[j].text.replace(",", "")
                checked += 1
                if re.fullmatch(r"\d+", v):
                    assert not 1 <= int(v) <= 4, f"count {v} in column {h!r} of a published table"
    assert checked > 50, checked
    assert "&lt;5" in text, "nothing suppressed: is disclosure control applied?"
    print(f"check_paper: published: no identifier, {checked} count cells and none from 1 to 4")


def libreoffice(path: Path, artefacts: Path | None) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, "LibreOffice is needed (.ci/run installs libreoffice-writer-nogui)"
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run(
            [office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(path)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = Path(tmp) / (path.stem + ".pdf")
        assert pdf.exists(), "LibreOffice wrote no PDF"
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
        w, h = float(size.group(1)), float(size.group(2))
        assert abs(w - 595.3) < 2 and abs(h - 841.9) < 2, f"not A4: {w} x {h} pt"
        assert pages >= 8, f"{pages} pages"
        if artefacts:
            artefacts.mkdir(parents=True, exist_ok=True)
            shutil.copy(pdf, artefacts / pdf.name)
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "6", str(pdf), str(artefacts / path.stem)],
                check=True,
            )
        print(f"check_paper: LibreOffice converted {path.name} to a PDF of {pages} A4 pages")


def main(binary: str, data: str, artefacts: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        actions = tmp / "actions.csv"
        actions.write_text(ACTIONS)
        internal = tmp / "paper.docx"
        first = paper(binary, data, internal, "--actions", str(actions))
        again = paper(binary, data, tmp / "again.docx", "--actions", str(actions))
        assert first == again, "the same input gave different bytes"
        check_structure(internal)
        assert "DCI A. Person" in text_of(internal), "the internal paper shows action owners"
        published = tmp / "paper-published.docx"
        paper(binary, data, published, "--publish", "--actions", str(actions))
        check_structure(published)
        check_published(published, data)
        art = Path(artefacts) if artefacts else None
        libreoffice(internal, art)
        libreoffice(published, art)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
