"""Executes every notebook in this folder top to bottom (as CI does); exits non-zero on
the first cell that fails. Usage: python notebooks/run_all.py (from the venv of
notebooks/requirements.txt; SOTERIA_BIN may point at a built soteria binary)."""
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

here = Path(__file__).resolve().parent
failed = 0
for path in sorted(here.glob("*.ipynb")):
    nb = nbformat.read(path, as_version=4)
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(here)}}).execute()
        print(f"notebook {path.name}: ok")
    except Exception as error:  # report every notebook, then fail
        failed += 1
        print(f"notebook {path.name}: FAILED\n{error}", file=sys.stderr)
print(f"{len(list(here.glob('*.ipynb'))) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
