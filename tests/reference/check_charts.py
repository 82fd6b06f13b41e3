"""Checks a `soteria gallery` folder with readers from outside the project: every PNG
opens in Pillow at the size its millimetres and DPI give, with its resolution stored, and
is not blank; every SVG is well-formed XML with a title and a description, sized in mm.

usage: check_charts.py SOTERIA_BIN DATASET_DIR
"""
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image

SVG = "{http://www.w3.org/2000/svg}"
KINDS = ["spc", "trend", "outcomes", "funnel", "heatmap", "pyramid", "attrition", "bars", "multiples"]


def main(binary: str, data: str) -> None:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([binary, "gallery", "--data", data, "--dpi", "200", "--out", out], check=True)
        for kind in KINDS:
            svg = ET.parse(Path(out) / f"{kind}.svg").getroot()
            assert svg.tag == f"{SVG}svg", svg.tag
            width_mm = float(svg.get("width").removesuffix("mm"))
            height_mm = float(svg.get("height").removesuffix("mm"))
            assert width_mm == 170.0, (kind, width_mm)
            title = svg.find(f"{SVG}title").text
            desc = svg.find(f"{SVG}desc").text
            assert title and len(desc) > 60, (kind, title, desc)

            with Image.open(Path(out) / f"{kind}.png") as png:
                png.load()
                expected = (round(width_mm / 25.4 * 200), round(height_mm / 25.4 * 200))
                assert png.size == expected, (kind, png.size, expected)
                dpi = png.info["dpi"]
                assert abs(dpi[0] - 200) < 0.05 and abs(dpi[1] - 200) < 0.05, (kind, dpi)
                assert png.info.get("Title") == title, (kind, png.info.get("Title"), title)
                colours = png.convert("RGB").getcolors(maxcolors=1 << 20)
                assert colours and len(colours) > 8, f"{kind}: a blank image"
            alt = (Path(out) / f"{kind}.txt").read_text()
            assert alt.startswith(title), (kind, alt)
            print(f"{kind}: svg {width_mm}x{height_mm} mm, png {expected[0]}x{expected[1]} px, {len(colours)} colours")
    print("check_charts: every chart checked with Pillow and ElementTree")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
