"""The HTML report in a real browser: Debian's headless Chromium driven by selenium, offline,
loading the page from a file:// URL. Skipped only when Chromium or its driver is not installed
(.ci/run installs both, so CI never skips)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLES, sample_files

import dupefind
from dupefind.models import Edit, Pair, Passage, Relation, Report
from dupefind.report.html import report_html

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(CHROMIUM is None or DRIVER is None, reason="chromium / chromedriver not installed")

PAYLOAD = ('<script>document.title = "pwned"; window.pwned = 1;</script>'
           '<img src="x" onerror="window.pwned = 2"><!-- comment')
ARTICLE = (SAMPLES / "040_night_trains_return.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                 "--disable-sync", "--disable-extensions", "--no-first-run", "--metrics-recording-only",
                 "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,2000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=str(DRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The samples (five planted pairs of several kinds) and a copy of an article carrying markup."""
    folder = tmp_path_factory.mktemp("corpus")
    for name in sample_files():
        shutil.copyfile(SAMPLES / name, folder / name)
    cut = ARTICLE.index(". ", len(ARTICLE) // 2) + 2
    (folder / "zz_payload_copy.txt").write_text(ARTICLE[:cut] + PAYLOAD + " " + ARTICLE[cut:], encoding="utf-8")
    return dupefind.scan([str(folder)], dupefind.Config(jobs=1))


def load(driver: webdriver.Chrome, report: Report, path: Path) -> None:
    path.write_text(report_html(report), encoding="utf-8")
    driver.get(path.as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")


def type_into(driver: webdriver.Chrome, element_id: str, text: str) -> None:
    """Replace a field's content by typing, as a user would (every keystroke fires its events)."""
    field = driver.find_element(By.ID, element_id)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.BACKSPACE)
    if text:
        field.send_keys(text)


def rows(driver: webdriver.Chrome) -> list[list[str]]:
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in driver.find_elements(By.CSS_SELECTOR, "#pairs-table tbody tr")]


def test_filter_sort_and_pair_view(browser: webdriver.Chrome, scanned: Report, tmp_path: Path) -> None:
    load(browser, scanned, tmp_path / "report.html")
    assert len(rows(browser)) == len(scanned.pairs) >= 6
    # Filter by kind: only the pairs of that kind remain.
    spun = [p for p in scanned.pairs if p.relation and "spun" in p.relation.kinds]
    Select(browser.find_element(By.ID, "kind-filter")).select_by_value("spun")
    shown = rows(browser)
    assert len(shown) == len(spun) >= 2
    assert all("spun" in row[3] for row in shown)
    Select(browser.find_element(By.ID, "kind-filter")).select_by_value("")
    # Filter by similarity and by id.
    type_into(browser, "min-similarity", "0.5")
    assert 0 < len(rows(browser)) == sum(p.similarity >= 0.5 for p in scanned.pairs) < len(scanned.pairs)
    type_into(browser, "min-similarity", "")
    type_into(browser, "id-search", "PAYLOAD")
    shown = rows(browser)
    assert len(shown) == sum("payload" in p.a + p.b for p in scanned.pairs) >= 1
    assert all("zz_payload_copy.txt" in row[1] + row[2] for row in shown)
    # Sort: the passages column, most first on the first click.
    type_into(browser, "id-search", "")
    assert len(rows(browser)) == len(scanned.pairs)
    browser.find_element(By.CSS_SELECTOR, '#pairs-table th[data-key="passages"]').click()
    assert int(rows(browser)[0][7]) == max(len(p.passages) for p in scanned.pairs)
    # Open a pair: its passages side by side, differences marked.
    spun_row = next(tr for tr in browser.find_elements(By.CSS_SELECTOR, "#pairs-table tbody tr")
                    if "spun" in tr.text and "000_" in tr.text)
    spun_row.click()
    view = browser.find_element(By.ID, "pair-view")
    assert view.is_displayed()
    assert "000_313ab52531fab2be.txt" in view.find_element(By.TAG_NAME, "h3").text
    marks = [m.text for m in view.find_elements(By.CSS_SELECTOR, "mark.del")]
    assert "individuals" in marks and len(marks) > 10
    assert view.find_elements(By.CSS_SELECTOR, "mark.ins")


def test_article_markup_stays_inert(browser: webdriver.Chrome, scanned: Report, tmp_path: Path) -> None:
    load(browser, scanned, tmp_path / "report.html")
    type_into(browser, "id-search", "payload")
    browser.find_element(By.CSS_SELECTOR, "#pairs-table tbody tr").click()
    view = browser.find_element(By.ID, "pair-view")
    assert "<script>document.title" in view.text  # shown as text
    assert view.find_elements(By.TAG_NAME, "script") == [] and view.find_elements(By.TAG_NAME, "img") == []
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.title.startswith("dupefind report: ") and "pwned" not in browser.title


def synthetic(count: int) -> Report:
    """``count`` pairs with one small passage each (for paging)."""
    pairs = []
    for n in range(count):
        text = f"words of pair {n} and more"
        passage = Passage(0, len(text), 0, len(text), 0.9, 6, 6, text, text, (Edit("equal", 0, 5, 0, 5),))
        sim = round(1 - n / (2 * count), 4)
        pairs.append(Pair(f"a{n:04d}", f"b{n:04d}", sim, sim, sim, sim, True, (passage,),
                          Relation(("verbatim",), 1.0, 0.0, 1.0, 1.0, 0.0)))
    return Report(config={"threshold": 0.2}, documents=(), pairs=tuple(pairs),
                  clusters=tuple((p.a, p.b) for p in pairs), skipped=())


def test_paging(browser: webdriver.Chrome, tmp_path: Path) -> None:
    load(browser, synthetic(120), tmp_path / "big.html")
    info = browser.find_element(By.ID, "page-info")
    assert info.text.startswith("1–50 of 120 pairs")
    browser.find_element(By.ID, "next-page").click()
    assert info.text.startswith("51–100 of 120 pairs")
    assert rows(browser)[0][1] == "a0050"
    browser.find_element(By.ID, "next-page").click()
    assert len(rows(browser)) == 20 and not browser.find_element(By.ID, "next-page").is_enabled()
    browser.find_element(By.ID, "id-search").send_keys("b0007")
    assert info.text.startswith("1–1 of 1 pairs (120 in all)")


def test_bidirectional_controls_are_shown_not_obeyed(browser: webdriver.Chrome, tmp_path: Path) -> None:
    """An id or a passage holding U+202E (right-to-left override) would show its text reversed
    ("invoice\u202etxt.exe" reads as "invoiceexe.txt"): the page shows the control as an escape."""
    text = "pay the invoice\u202etxt.exe now\u2066 and the rest"
    passage = Passage(0, len(text), 0, len(text), 1.0, 8, 8, text, text, (Edit("equal", 0, 3, 0, 3),))
    pair = Pair("invoice\u202etxt.exe", "other\u2067id", 1.0, 1.0, 1.0, 1.0, True, (passage,),
                Relation(("verbatim",), 1.0, 0.0, 1.0, 1.0, 0.0))
    report = Report(config={"threshold": 0.2}, documents=(), pairs=(pair,), clusters=((pair.a, pair.b),), skipped=())
    load(browser, report, tmp_path / "bidi.html")
    assert "invoice\\u202etxt.exe" in rows(browser)[0][1] and "other\\u2067id" in rows(browser)[0][2]
    browser.find_element(By.CSS_SELECTOR, "#pairs-table tbody tr").click()
    view = browser.find_element(By.ID, "pair-view")
    assert "invoice\\u202etxt.exe now\\u2066 and" in view.text
    page = browser.find_element(By.TAG_NAME, "body").text
    assert not any(c in page for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def at_width(driver: webdriver.Chrome, width: int) -> None:
    """Lay the page out as a window ``width`` CSS pixels wide (headless windows have a least width)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})


def test_narrow_windows_keep_ids_readable(browser: webdriver.Chrome, scanned: Report, tmp_path: Path) -> None:
    """Below ~900 px the id columns shrank to ~20 px (an id read downwards, a character a line):
    the figures now take only what they need, the shared folder is said once in the caption, and
    below 48em each pair is a block of its own."""
    folder = scanned.documents[0].path.rsplit("/", 1)[0] + "/"
    try:
        for width in (800, 360):
            at_width(browser, width)
            load(browser, scanned, tmp_path / "narrow.html")
            table = browser.find_element(By.ID, "pairs-table")
            assert table.find_element(By.TAG_NAME, "caption").text == f"ids under {folder}"
            first = table.find_elements(By.CSS_SELECTOR, "tbody tr:first-child td.id")
            assert [td.get_attribute("title") for td in first] == [scanned.pairs[0].a, scanned.pairs[0].b]
            assert [td.text.removeprefix(f"{label} ") for td, label in zip(first, "AB")] == [
                scanned.pairs[0].a.removeprefix(folder), scanned.pairs[0].b.removeprefix(folder)]
            for td in table.find_elements(By.CSS_SELECTOR, "tbody td.id"):
                assert td.size["width"] >= 120 and td.size["height"] <= 130, (width, td.text, td.size)
            # Laid out in blocks or not, the table is still a table to a screen reader.
            assert [first[0].aria_role, table.find_element(By.CSS_SELECTOR, "tbody tr").aria_role,
                    table.find_element(By.TAG_NAME, "th").aria_role, table.aria_role] == [
                        "cell", "row", "columnheader", "table"]
            # Nothing wider than the window: no sideways scrolling of the table or of the page.
            assert browser.execute_script(
                "var s = document.querySelector('.table-scroll');"
                "return s.scrollWidth <= s.clientWidth && document.documentElement.scrollWidth <= innerWidth")
        # The id search still matches the full ids, the folder the cells leave out included.
        type_into(browser, "id-search", folder.rstrip("/").rsplit("/", 1)[1])
        assert len(rows(browser)) == len(scanned.pairs)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_keyboard_sorts_reaches_and_opens_pairs(browser: webdriver.Chrome, scanned: Report, tmp_path: Path) -> None:
    """The heads took focus but ignored Enter and Space, no row could be reached with Tab, and an
    opened pair did not take focus (a screen reader was not told it appeared)."""
    load(browser, scanned, tmp_path / "keys.html")
    head = browser.find_element(By.CSS_SELECTOR, '#pairs-table th[data-key="passages"]')
    button = head.find_element(By.TAG_NAME, "button")
    button.send_keys(Keys.ENTER)
    assert head.get_attribute("aria-sort") == "descending"
    assert int(rows(browser)[0][7]) == max(len(p.passages) for p in scanned.pairs)
    button.send_keys(Keys.SPACE)
    assert head.get_attribute("aria-sort") == "ascending"
    assert int(rows(browser)[0][7]) == min(len(p.passages) for p in scanned.pairs)
    assert browser.find_elements(By.CSS_SELECTOR, "#pairs-table th[aria-sort]") == [head]
    # From the id search, Tab passes the page size and the eight heads and reaches the first row.
    browser.find_element(By.ID, "id-search").click()
    focused = []
    for _ in range(12):
        webdriver.ActionChains(browser).send_keys(Keys.TAB).perform()
        focused.append(browser.switch_to.active_element)
        if focused[-1].tag_name == "a":
            break
    assert [f.get_attribute("data-key") or f.tag_name for f in focused[:2]] == ["select", "button"]
    link = focused[-1]
    first = rows(browser)[0]
    assert link.tag_name == "a" and link.text == first[0] and link.get_attribute("href").endswith(f"#pair-{first[0]}")
    link.send_keys(Keys.ENTER)
    view = browser.find_element(By.ID, "pair-view")
    assert view.is_displayed()
    heading = browser.switch_to.active_element
    assert heading.tag_name == "h3" and heading.get_attribute("id") == f"pair-{first[0]}"
    pair = scanned.pairs[int(first[0]) - 1]
    assert pair.a in heading.text and pair.b in heading.text
    assert browser.current_url.endswith(f"#pair-{first[0]}")
