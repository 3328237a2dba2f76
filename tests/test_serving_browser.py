"""The home page of ``pfocr-rdf serve`` in a real headless Chromium (Debian's, driven by Selenium).

A person picks each example query from the list, runs it, and sees its rows: the number of rows shown
must be the number the embedded store gives, and the cells the same values. Then they open a figure's
IRI from the results and follow its links. Skips, saying how to install, when Chromium, chromedriver or
Selenium are missing. With ``PFOCR_RDF_SCREENSHOT=FILE`` the page is saved as a PNG (docs/serve.png).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import Store
from servers.pfocr import running_server

from pfocr_rdf.querying import bind_params, load_query, query_store, shipped_query_names
from pfocr_rdf.store import load

CORPUS = Path(__file__).resolve().parent / "queries" / "corpus.ttl"
FEDERATED = {name for name in shipped_query_names() if "SERVICE" in load_query(name).text.upper()}
EXECUTABLE = [name for name in shipped_query_names() if name not in FEDERATED]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
INSTALL = "apt-get install -y chromium chromium-driver, and pip install selenium"

webdriver = pytest.importorskip("selenium.webdriver", reason=f"Selenium is missing: {INSTALL}")
if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip(f"Chromium or chromedriver is missing: {INSTALL}", allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browsed") / "store"
    load([CORPUS], folder)
    with running_server(folder, "--timeout", "20") as root:
        yield root


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="pfocr-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1400", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _run(browser: Any, name: str) -> str:
    """Pick ``name`` in the page's list, press Run, wait for the answer; return the final state."""
    Select(browser.find_element(By.ID, "query-select")).select_by_value(name)
    browser.find_element(By.ID, "run").click()
    results = browser.find_element(By.ID, "results")
    WebDriverWait(browser, 60).until(lambda _: results.get_attribute("data-state") in ("done", "error"))
    return str(results.get_attribute("data-state"))


def test_home_page_lists_every_query(browser: Any, server: str) -> None:
    browser.get(server)
    options = [o.get_attribute("value") for o in Select(browser.find_element(By.ID, "query-select")).options]
    assert set(shipped_query_names()) <= set(options)
    listing = browser.find_element(By.ID, "query-list").text
    for name in shipped_query_names():
        assert load_query(name).title in listing


@pytest.mark.parametrize("name", EXECUTABLE)
def test_pick_and_run_every_query(name: str, browser: Any, server: str, corpus: Store) -> None:
    query = load_query(name)
    expected = query_store(corpus, query, bind_params(query, {}))
    if browser.current_url != server:
        browser.get(server)
    state = _run(browser, name)
    assert state == "done", browser.find_element(By.ID, "error").text
    # the parameters appear with their defaults
    fields = browser.find_elements(By.CSS_SELECTOR, ".param")
    shown = {field.get_attribute("name"): field.get_attribute("value") for field in fields}
    assert shown == {p.name: p.default for p in query.params}
    if expected.boolean is not None:
        assert browser.find_element(By.ID, "result-table").text == str(expected.boolean).lower()
        return
    rows = browser.find_elements(By.CSS_SELECTOR, "#result-table tr.result-row")
    assert len(rows) == len(expected.rows)
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#result-table thead th")]
    assert headers == list(expected.variables)
    status = browser.find_element(By.ID, "status").text
    assert status.startswith(f"{len(expected.rows)} row")


def test_changed_parameter_changes_the_rows(browser: Any, server: str, corpus: Store) -> None:
    name = next(n for n in EXECUTABLE if any(p.type == "iri" for p in load_query(n).params))
    query = load_query(name)
    spec = next(p for p in query.params if p.type == "iri")
    browser.get(server)
    Select(browser.find_element(By.ID, "query-select")).select_by_value(name)
    field = browser.find_element(By.CSS_SELECTOR, f'.param[name="{spec.name}"]')
    field.clear()
    field.send_keys("ncbigene:999999999")
    browser.find_element(By.ID, "run").click()
    results = browser.find_element(By.ID, "results")
    WebDriverWait(browser, 60).until(lambda _: results.get_attribute("data-state") in ("done", "error"))
    expected = query_store(corpus, query, bind_params(query, {spec.name: "ncbigene:999999999"}))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#result-table tr.result-row")) == len(expected.rows)
    field.clear()
    field.send_keys("not an IRI")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 60).until(lambda _: results.get_attribute("data-state") in ("done", "error"))
    assert results.get_attribute("data-state") == "error"
    assert spec.name in browser.find_element(By.ID, "error").text


def test_open_a_figure_and_follow_its_links(browser: Any, server: str) -> None:
    browser.get(server)
    name = next(n for n in EXECUTABLE if "?figure" in load_query(n).text and not load_query(n).params)
    assert _run(browser, name) == "done"
    figure_links = [a for a in browser.find_elements(By.CSS_SELECTOR, "#result-table a")
                    if "/figures/" in (a.get_attribute("href") or "")]
    assert figure_links, "the answer links to figures"
    href = figure_links[0].get_attribute("href")
    assert href.startswith(server)  # the figure's IRI, stood in for by this server
    figure_links[0].click()
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.ID, "properties"))
    assert browser.current_url == href
    # on to an annotation of the figure, and from there to the gene it found
    annotation = next(a for a in browser.find_elements(By.CSS_SELECTOR, "#incoming a")
                      if "/mentions/" in (a.get_attribute("href") or ""))
    annotation.click()
    WebDriverWait(browser, 30).until(lambda b: "/mentions/" in b.current_url and b.find_elements(By.ID, "properties"))
    body = next(a for a in browser.find_elements(By.CSS_SELECTOR, "#properties a")
                if "describe?iri=" in (a.get_attribute("href") or ""))
    body.click()
    WebDriverWait(browser, 30).until(
        lambda b: "describe?iri=" in b.current_url and b.find_elements(By.ID, "properties"))
    assert browser.find_elements(By.CSS_SELECTOR, "#properties tr")


def test_screenshot(browser: Any, server: str, tmp_path: Path) -> None:
    """Save the home page after a run (docs/serve.png is made with PFOCR_RDF_SCREENSHOT=docs/serve.png)."""
    browser.get(server)
    name = next(n for n in EXECUTABLE if load_query(n).params)
    assert _run(browser, name) == "done"
    target = Path(os.environ.get("PFOCR_RDF_SCREENSHOT") or tmp_path / "serve.png")
    assert browser.save_screenshot(str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
