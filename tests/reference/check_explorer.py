"""Uses the flight deck explorer as a person would, in a real browser (Debian's Chromium
through chromedriver), and checks what the page shows against the engine's own output
(`soteria flightdeck`): choosing an indicator changes the chart's title and its number
of points to the flight deck's; choosing an area shows that area's values; filtering on
"concern" leaves exactly the summary rows whose variation is a concern; the CSV download
equals the flight deck rows of the view; the URL fragment round-trips; the page makes no
network request and logs no error. Screenshots of three views go to ARTEFACTS. A published
page holds none of the dataset's identifiers and no count from 1 to 4 in its embedded
data; the sample's page is under 3 MB and a three-force dataset's under 15 MB.

usage: check_explorer.py SOTERIA_BIN DATASET_DIR ARTEFACTS_DIR
"""
import base64
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import Select

MONTH, FROM = "2024-12", "2022-01"
NUMBERS = ["numerator", "denominator", "value", "ci_low", "ci_high", "mean", "lpl", "upl"]
IDENTIFIERS = {
    "offences.parquet": ["crime_id", "victim_id"],
    "suspects.parquet": ["suspect_id"],
    "staff.parquet": ["officer_id"],
    "feedback.parquet": ["response_id"],
}


def soteria(binary: str, *args: str) -> str:
    return subprocess.run([binary, *args], check=True, capture_output=True, text=True).stdout


def deck(binary: str, data: str, by: str) -> list[dict]:
    return json.loads(soteria(binary, "flightdeck", "--data", data, "--spc", "--from", FROM, "--to", MONTH, "--by", by, "--format", "json"))


def browser(downloads: Path) -> webdriver.Chrome:
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not fetch a driver
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1600"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


def load(driver, url: str) -> None:
    driver.get(url)
    for _ in range(100):
        if driver.execute_script("return document.body.getAttribute('data-ready')") == "1":
            return
        time.sleep(0.1)
    raise AssertionError("the page did not get ready")


def choose(driver, element_id: str, value: str) -> None:
    Select(driver.find_element("id", element_id)).select_by_value(value)


def same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def view_rows(rows: list[dict], area: str, group: str, indicator: str) -> list[dict]:
    out = [r for r in rows if r["area"] == area and r["offence_group"] == group and r["indicator"] == indicator]
    return sorted(out, key=lambda r: r["period"])


def check_page(binary: str, data: str, page: Path, artefacts: Path) -> None:
    by_area, by_team = deck(binary, data, "area"), deck(binary, data, "team")
    summary = json.loads(soteria(binary, "flightdeck", "--data", data, "--summary", "--month", MONTH, "--from", FROM, "--format", "json"))
    titles = {i["id"]: i["title"] for i in csv.DictReader(soteria(binary, "indicators", "--format", "csv").splitlines())}
    downloads = Path(tempfile.mkdtemp())
    driver = browser(downloads)
    try:
        url = page.as_uri()
        load(driver, url)
        ready = int(driver.execute_script("return document.body.getAttribute('data-ready-ms')"))
        assert ready < 2000, f"interactive after {ready} ms"
        # Another indicator: its title and the flight deck's number of points.
        for indicator, pillar in [("suspect_identified_rate", "1"), ("isva_referral_rate", "3"), ("open_investigations", "5")]:
            choose(driver, "pillar", pillar)
            choose(driver, "indicator", indicator)
            title = driver.find_element("id", "chart-title").text
            assert title == titles[indicator], (title, titles[indicator])
            expected = [r for r in view_rows(by_area, "All", "all", indicator) if r["value"] is not None]
            points = driver.find_elements("css selector", "#chart circle.point")
            assert len(points) == len(expected) > 20, (indicator, len(points), len(expected))
        driver.save_screenshot(str(artefacts / "explorer-chart.png"))
        # An area: that area's values, month by month, in the table behind the chart.
        areas = sorted({r["area"] for r in by_area if r["area"] != "All"})
        units = [o.text for o in Select(driver.find_element("id", "unit")).options]
        area_option = next(o for o in Select(driver.find_element("id", "unit")).options if o.text == f"Area: {areas[0]}")
        Select(driver.find_element("id", "unit")).select_by_value(area_option.get_attribute("value"))
        choose(driver, "pillar", "1")
        choose(driver, "indicator", "charges")
        driver.execute_script("document.getElementById('data-details').open = true")
        shown = [[c.text for c in tr.find_elements("css selector", "th, td")] for tr in driver.find_elements("css selector", "#data tbody tr")]
        expected = view_rows(by_area, areas[0], "all", "charges")
        assert len(shown) == len(expected), (len(shown), len(expected))
        for row, ref in zip(shown, expected):
            assert int(row[1].replace(",", "")) == int(ref["numerator"]), (row, ref)
        # The CSV download: the flight deck's rows of this view.
        driver.find_element("id", "download").click()
        for _ in range(50):
            files = list(downloads.glob("*.csv"))
            if files and not list(downloads.glob("*.crdownload")):
                break
            time.sleep(0.1)
        assert files, "no CSV was downloaded"
        with open(files[0], newline="") as f:
            got = list(csv.DictReader(f))
        assert len(got) == len(expected), (len(got), len(expected))
        for g, ref in zip(got, expected):
            for k, v in ref.items():
                if k in NUMBERS:
                    assert same_number(g[k] or None, v), (k, g[k], v)
                else:
                    assert g[k] == ("" if v is None else str(v)), (k, g[k], v)
        # Filtering on "concern" leaves exactly the engine's concerns (the force, all RASSO).
        Select(driver.find_element("id", "unit")).select_by_value("0")
        choose(driver, "group", "all")
        choose(driver, "variation-filter", "concern")
        shown = {tr.get_attribute("data-indicator") for tr in driver.find_elements("css selector", "#summary tbody tr")}
        concerns = {r["indicator"] for r in summary if r["offence_group"] == "all" and (r["variation"] or "").startswith("concern")}
        assert shown == concerns and concerns, (shown, concerns)
        driver.save_screenshot(str(artefacts / "explorer-concerns.png"))
        # The fragment: a link to a team's view of rape charges opens that view.
        teams = sorted({r["area"] for r in by_team if r["area"] != "All"})
        fragment = "#unit=" + "team:" + teams[-1].replace(" ", "%20") + "&group=rape&indicator=charges&rank=team"
        load(driver, url + fragment)
        unit_text = Select(driver.find_element("id", "unit")).first_selected_option.text
        assert unit_text == f"Team: {teams[-1]}", unit_text
        assert Select(driver.find_element("id", "group")).first_selected_option.get_attribute("value") == "rape"
        assert Select(driver.find_element("id", "indicator")).first_selected_option.get_attribute("value") == "charges"
        choose(driver, "indicator", "charge_rate_closed")
        again = driver.execute_script("return location.hash")
        load(driver, url.split("#")[0] + again)
        assert Select(driver.find_element("id", "indicator")).first_selected_option.get_attribute("value") == "charge_rate_closed"
        assert len(driver.find_elements("css selector", "#chart circle.point")) == len(
            [r for r in view_rows(by_team, teams[-1], "rape", "charge_rate_closed") if r["value"] is not None])
        driver.execute_script("document.getElementById('ranking-section').scrollIntoView()")
        driver.save_screenshot(str(artefacts / "explorer-ranking.png"))
        # Printing: the controls go, the chart and the summary stay, on A4.
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        hidden = driver.execute_script("return getComputedStyle(document.getElementById('controls')).display")
        chart = driver.execute_script("return getComputedStyle(document.getElementById('chart-section')).display")
        assert hidden == "none" and chart != "none", (hidden, chart)
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True})["data"])
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2, len(pdf)
        (artefacts / "explorer-print.pdf").write_bytes(pdf)
        # No request but for the page itself, and no error in the console.
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                request = message["params"]["request"]["url"]
                assert request.startswith(("file:", "data:", "blob:")), f"a network request: {request}"
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        print(f"check_explorer: {page.name}: interactive after {ready} ms; indicators, an area, the concern filter, the CSV, the fragment; no request, no console error; units {len(units)}")
    finally:
        driver.quit()


def check_published(page: Path, data: str) -> None:
    text = page.read_text()
    for file, columns in IDENTIFIERS.items():
        p = Path(data) / file
        if p.exists():
            for c in columns:
                for ident in pl.read_parquet(p, columns=[c])[c].drop_nulls().unique().to_list():
                    assert ident not in text, f"identifier {ident} in the published explorer"
    payload = json.loads(re.search(r'<script type="application/json" id="data-json">(.*?)</script>', text, re.S).group(1).replace("<\\/", "</"))
    units = {i["id"]: i["unit"] for i in payload["indicators"]}
    checked = 0

    def column(c):
        return c if isinstance(c, list) else [None if k is None else c["values"][k] for k in c["codes"]]

    for unit in payload["units"]:
        for table in ["rows", "summary"]:
            t = {k: column(v) for k, v in unit[table].items()}
            for i in range(len(t["indicator"])):
                counts = [t["numerator"][i], t["denominator"][i]]
                if units[t["indicator"][i]] == "count":
                    counts.append(t["value"][i])
                for v in counts:
                    checked += 1
                    if isinstance(v, (int, float)):
                        assert not 1 <= v <= 4, f"count {v} embedded in the published explorer ({unit['name']}, {t['indicator'][i]})"
    assert checked > 10000, checked
    assert '"<5"' in text
    print(f"check_explorer: published: no identifier, {checked} embedded counts and none from 1 to 4")


def main(binary: str, data: str, artefacts: str) -> None:
    art = Path(artefacts)
    art.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        page = tmp / "explore.html"
        soteria(binary, "explore", "--data", data, "--month", MONTH, "--out", str(page))
        again = tmp / "again.html"
        soteria(binary, "explore", "--data", data, "--month", MONTH, "--out", str(again))
        assert page.read_bytes() == again.read_bytes(), "the same input gave different bytes"
        assert page.stat().st_size < 3_000_000, page.stat().st_size
        check_page(binary, data, page, art)
        published = tmp / "published.html"
        soteria(binary, "explore", "--data", data, "--month", MONTH, "--publish", "--out", str(published))
        check_published(published, data)
        three = tmp / "three"
        soteria(binary, "generate", "--forces", "Cleveland,Durham,Cumbria", "--start", "2022-01", "--months", "36", "--seed", "3", "--out", str(three))
        for force in ["Cleveland", "Durham", "Cumbria"]:
            out = tmp / f"{force}.html"
            soteria(binary, "explore", "--data", str(three), "--force", force, "--month", MONTH, "--out", str(out))
            assert out.stat().st_size < 15_000_000, (force, out.stat().st_size)
        sizes = ", ".join(f"{f}: {(tmp / f'{f}.html').stat().st_size // 1024} KB" for f in ["Cleveland", "Durham", "Cumbria"])
        print(f"check_explorer: sample {page.stat().st_size // 1024} KB; three forces {sizes}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
