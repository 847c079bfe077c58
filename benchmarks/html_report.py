"""Size and load time of the HTML report with many pairs, in headless Chromium.

The pairs are the real pairs of a scanned folder (their passages, edits and kinds), repeated
under new ids until there are ``--pairs`` of them, in clusters of two to five documents. The
page is written, then loaded from a file:// URL in Debian's headless Chromium (selenium, offline
flags) ``--loads`` times; the script reports the page's size, the time to write it, the time
until the page's script is ready (``performance.now()`` when it has drawn the first page of the
table, and the wall time of ``driver.get``), and the time to filter by kind and to open a pair.

    python benchmarks/html_report.py samples --pairs 10000 --out /tmp/report-10k.html
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import dupefind
from dupefind.cluster import clusters
from dupefind.models import Pair, Report
from dupefind.report.html import report_html_chunks


def many_pairs(seed: Report, count: int) -> Report:
    base = list(seed.pairs)
    if not base:
        sys.exit("the folder gives no pairs to repeat")
    pairs: list[Pair] = []
    group = 0
    while len(pairs) < count:
        size = 2 + group % 4  # clusters of 2..5 documents, each a star around its first member
        for member in range(1, size):
            if len(pairs) == count:
                break
            template = base[len(pairs) % len(base)]
            pairs.append(replace(template, a=f"site{group:05d}/original.txt",
                                 b=f"site{group:05d}/copy{member}-{Path(template.b).name}"))
        group += 1
    pairs.sort(key=lambda p: (-p.similarity, -p.containment, p.a, p.b))
    return Report(config=seed.config, documents=(), pairs=tuple(pairs),
                  clusters=clusters((p.a, p.b) for p in pairs), skipped=())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a folder whose pairs are repeated (e.g. samples)")
    parser.add_argument("--pairs", type=int, default=10000)
    parser.add_argument("--out", default="/tmp/dupefind-report-bench.html")
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--driver", default="/usr/bin/chromedriver")
    args = parser.parse_args()

    report = many_pairs(dupefind.scan([args.folder]), args.pairs)
    started = time.perf_counter()
    with open(args.out, "w", encoding="utf-8") as out:
        out.writelines(report_html_chunks(report))
    written = time.perf_counter() - started
    size = Path(args.out).stat().st_size
    print(f"pairs {len(report.pairs)}, clusters {len(report.clusters)}")
    print(f"html size {size / 1e6:.1f} MB ({size / len(report.pairs) / 1e3:.2f} KB a pair), written in {written:.2f} s")

    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                 "--disable-sync", "--disable-extensions", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND",
                 "--window-size=1280,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=args.driver))
    driver.set_page_load_timeout(300)
    try:
        ready, wall = [], []
        for _ in range(args.loads):
            driver.get("about:blank")
            started = time.perf_counter()
            driver.get(Path(args.out).resolve().as_uri())
            WebDriverWait(driver, 300).until(
                lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
            wall.append(time.perf_counter() - started)
            ready.append(float(driver.find_element(By.TAG_NAME, "body").get_attribute("data-ready-ms") or 0) / 1000)
        parsed = driver.execute_script("var t = performance.timing; return t.domContentLoadedEventEnd - t.navigationStart;")
        print(f"load: table drawn at {statistics.median(ready):.2f} s (performance.now, median of {args.loads}); "
              f"driver.get (page loaded) {statistics.median(wall):.2f} s; whole page parsed (last load) {parsed / 1000:.2f} s")
        started = time.perf_counter()
        Select(driver.find_element(By.ID, "kind-filter")).select_by_value("spun")
        info = driver.find_element(By.ID, "page-info").text
        print(f"filter by kind: {time.perf_counter() - started:.3f} s ({info})")
        started = time.perf_counter()
        driver.find_element(By.CSS_SELECTOR, "#pairs-table tbody tr").click()
        marks = len(driver.find_elements(By.CSS_SELECTOR, "#pair-view mark"))
        print(f"open a pair: {time.perf_counter() - started:.3f} s ({marks} marked changes)")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
