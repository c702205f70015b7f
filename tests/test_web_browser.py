"""The web site in a real browser (Debian's chromium + chromedriver through Selenium; nothing is downloaded):
uploads through the real file input, every page clicked through, what is shown asserted, axe-core on every
page (no serious or critical violation), keyboard use, no console errors, a screenshot of each page.

Screenshots go to a temporary folder; set FORMGEN_SCREENSHOTS=docs/screenshots to keep them for the README.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, SAMPLES

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
AXE = Path(__file__).parent / "fixtures" / "axe" / "axe.min.js"
PASSWORD = "delat lösen för länet"

pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
                                reason="chromium and chromium-driver are not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``formgen serve`` in a child process on a free loopback port."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.log = (folder / f"server-{self.port}.log").open("w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "formgen", "serve", "--store", str(folder / "lager.sqlite"), "--port",
             str(self.port), "--jobs", "1", *args], stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=folder)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise AssertionError(f"server did not start: {self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _browser(folder: Path) -> Any:
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={folder / 'profil'}", "--window-size=1280,1000",
                "--lang=sv-SE"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {"download.default_directory": str(folder / "hamtat"),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("webb")


@pytest.fixture(scope="module")
def shots(workdir: Path) -> Path:
    chosen = os.environ.get("FORMGEN_SCREENSHOTS")
    folder = (ROOT / chosen) if chosen else workdir / "bilder"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(workdir: Path) -> Iterator[Server]:
    site = workdir / "sajt"
    site.mkdir()
    running = Server(site)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def driver(workdir: Path) -> Iterator[Any]:
    browser = _browser(workdir)
    yield browser
    browser.quit()


def _wait(driver: Any, condition: Any, timeout: float = 60) -> Any:
    return WebDriverWait(driver, timeout).until(condition)


def check_page(driver: Any, shots: Path, name: str) -> None:
    """axe-core (WCAG 2.1 A/AA): no serious or critical violation; no console error; a screenshot."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    violations = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
        " 'best-practice']}}).then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))), e => done([{id: 'axe-failed',"
        " impact: 'critical', nodes: [String(e)]}]));")
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: accessibility violations {json.dumps(bad, ensure_ascii=False)}"
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, f"{name}: console errors {errors}"
    assert driver.execute_script("return document.documentElement.lang") == "sv"
    driver.save_screenshot(str(shots / f"{name}.png"))


def _error_pdf(folder: Path) -> Path:
    """A flattened print of another kommun's report whose age bands do not add up (one error)."""
    from formgen.generate import render_pdf
    from formgen.record import record_from_json

    record = record_from_json(json.loads((SAMPLES / "spanga-tensta-2020.json").read_text(encoding="utf-8")))
    bad = record.replace({"kontakt.kommun": "Umeå kommun", "klienter.totalt.alder_18_29.kvinnor": 999})
    path = folder / "umea-2020.pdf"
    path.write_bytes(render_pdf(bad, flatten=True))
    return path


def _hostile(folder: Path) -> list[Path]:
    files = {"webbsida.pdf": b"<!DOCTYPE html><html><body>Inte en PDF</body></html>",
             "tom.pdf": b"", "gammal.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
             "trasig.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog" + b"\xff" * 64}
    paths = []
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content)
        paths.append(path)
    return paths


UPLOADS = ["spanga-tensta-2020.pdf", "spanga-tensta-2020-grid.pdf", "spanga-tensta-2020.docx"]


def test_upload_through_the_file_input(server: Server, driver: Any, workdir: Path, shots: Path) -> None:
    inputs = workdir / "inskickat"
    inputs.mkdir()
    paths = [SAMPLES / name for name in UPLOADS] + [_error_pdf(inputs)] + _hostile(inputs)
    driver.get(server.url + "/ladda-upp")
    check_page(driver, shots, "ladda-upp")
    field = driver.find_element(By.ID, "filer")
    field.send_keys("\n".join(str(p) for p in paths))
    listed = driver.find_elements(By.CSS_SELECTOR, "#fillista li")
    assert [li.text for li in listed] == [p.name for p in paths]
    driver.save_screenshot(str(shots / "ladda-upp-valda-filer.png"))
    driver.find_element(By.CSS_SELECTOR, "#uppladdning button[type=submit]").click()
    _wait(driver, ec.url_contains("/jobb/"))
    _wait(driver, ec.text_to_be_present_in_element((By.ID, "jobb-sammanfattning"), "Klart"), timeout=180)
    rows = {r.find_element(By.CSS_SELECTOR, ".filnamn").text: r.find_element(By.CSS_SELECTOR, ".resultat").text
            for r in driver.find_elements(By.CSS_SELECTOR, ".jobbtabell tbody tr")}
    assert set(rows) == {p.name for p in paths}
    for name in UPLOADS:  # read (what the samples' findings are is the extractors' and rules' business)
        assert rows[name].split("\n")[0] in ("Godkänd", "Godkänd med varningar", "Fel"), rows[name]
    assert rows["umea-2020.pdf"].startswith("Fel")
    assert "webbsida (HTML)" in rows["webbsida.pdf"]
    assert "tom" in rows["tom.pdf"] and "Word 97" in rows["gammal.doc"]
    assert rows["trasig.pdf"].startswith("Oläslig")
    check_page(driver, shots, "inlasning")


def test_inbox_shows_filters_and_sorts(server: Server, driver: Any, shots: Path) -> None:
    driver.get(server.url + "/")
    table = driver.find_element(By.CSS_SELECTOR, "table.inkorg")
    files = [td.text for td in table.find_elements(By.CSS_SELECTOR, "td.filnamn")]
    # the three samples are one kommun's one year: only the last read is current
    assert "umea-2020.pdf" in files and "webbsida.pdf" in files and len(files) == 6
    counts = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".antal .siffra")]
    assert counts[0] == "6" and counts[4] == "4" and sum(map(int, counts[1:])) == 6
    umea = next(r for r in table.find_elements(By.CSS_SELECTOR, "tbody tr") if "umea-2020.pdf" in r.text)
    assert "Umeå kommun" in umea.text and "Åldersgrupperna" in umea.text and "PDF, utskrift" in umea.text
    check_page(driver, shots, "inkorg")
    Select(driver.find_element(By.ID, "filter-status")).select_by_visible_text("Oläslig")
    driver.find_element(By.ID, "filter-ersatta").click()
    driver.find_element(By.CSS_SELECTOR, "form.filter button").click()
    _wait(driver, ec.url_contains("status=unreadable"))
    shown = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "td.filnamn")]
    assert sorted(shown) == ["gammal.doc", "tom.pdf", "trasig.pdf", "webbsida.pdf"]
    driver.get(server.url + "/?ersatta=ja")
    assert len(driver.find_elements(By.CSS_SELECTOR, "td.filnamn")) == 8
    assert len(driver.find_elements(By.CSS_SELECTOR, "tr.ersatt")) == 2
    driver.find_element(By.PARTIAL_LINK_TEXT, "Kommun").click()
    _wait(driver, ec.url_contains("sortera=kommun"))
    kommuner = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "table.inkorg tbody td:nth-child(2)")]
    known = [k for k in kommuner if k != "–"]
    assert known == sorted(known, key=str.lower) and kommuner[-1] == "–"
    header = driver.find_element(By.CSS_SELECTOR, "th[aria-sort]")
    assert header.get_attribute("aria-sort") == "ascending" and "Kommun" in header.text
    check_page(driver, shots, "inkorg-sorterad")


def test_submission_page_boxes_findings_and_highlight(server: Server, driver: Any, shots: Path) -> None:
    driver.get(server.url + "/")
    driver.find_element(By.LINK_TEXT, "umea-2020.pdf").click()
    _wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, ".sidyta img")))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Umeå kommun, 2020"
    images = driver.find_elements(By.CSS_SELECTOR, ".sidyta img")
    assert len(images) >= 4 and all(driver.execute_script("return arguments[0].naturalWidth", i) > 500
                                    for i in images)
    boxes = driver.find_elements(By.CSS_SELECTOR, "a.ruta")
    assert len(boxes) > 50
    red = driver.find_elements(By.CSS_SELECTOR, "a.ruta.ton-fel")
    assert {b.get_attribute("id") for b in red} >= {"ruta-klienter--totalt--alder_18_29--kvinnor"}
    colour = driver.execute_script("return getComputedStyle(arguments[0]).borderTopColor", red[0])
    assert colour == "rgb(179, 18, 31)"
    box = red[0]
    rect = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", box)
    assert rect["width"] > 5 and rect["height"] > 5  # placed by the boxes' style sheet
    # findings grouped by section, each a link to its value
    section = driver.find_element(By.XPATH, "//section[@class='fynd']/h3[contains(., 'Klienter')]")
    assert section.is_displayed()
    link = driver.find_element(By.CSS_SELECTOR, ".fynd-error a.fyndlank")
    assert "Åldersgrupperna" in link.text
    link.click()
    target = driver.find_element(By.ID, "ruta-klienter--totalt--kvinnor")
    _wait(driver, lambda d: "markerad" in target.get_attribute("class"))
    assert driver.execute_script("return document.activeElement.id") == "ruta-klienter--totalt--kvinnor"
    _wait(driver, lambda d: d.execute_script(  # scrolled into view (smoothly)
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight", target),
        timeout=10)
    assert driver.find_element(By.ID, "falt-klienter--totalt--kvinnor").get_attribute("class").count("markerad")
    # provenance on focus
    tip = target.find_element(By.CSS_SELECTOR, ".tips")
    assert tip.is_displayed() and "läst text" in tip.text and "Sida" in tip.text
    driver.save_screenshot(str(shots / "inlamning-markerad.png"))
    # the record as a readable form
    post = driver.find_element(By.CSS_SELECTOR, "section.post")
    assert "Kontaktuppgifter" in post.text and "Kvinnor: 999" in post.text.replace("\n", " ")
    driver.execute_script("window.scrollTo(0, 0)")
    check_page(driver, shots, "inlamning")


def test_word_submission_has_its_record_and_provenance(server: Server, driver: Any, shots: Path) -> None:
    driver.get(server.url + "/?ersatta=ja")  # the samples supersede each other: the DOCX may be an older one
    driver.find_element(By.LINK_TEXT, "spanga-tensta-2020.docx").click()
    _wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, "section.post")))
    assert "inga sidbilder" in driver.find_element(By.CSS_SELECTOR, "p.sidor").text
    assert not driver.find_elements(By.CSS_SELECTOR, "a.ruta")
    value = driver.find_element(By.CSS_SELECTOR, "#falt-kontakt--kommun .kalla")
    assert value.text.startswith("Spånga-Tensta")
    driver.execute_script("arguments[0].focus()", value)
    tip = driver.find_element(By.CSS_SELECTOR, "#falt-kontakt--kommun .tips")
    assert tip.is_displayed() and "läst text" in tip.text
    history = driver.find_element(By.CSS_SELECTOR, "details.historik")
    history.find_element(By.TAG_NAME, "summary").click()
    versions = history.find_elements(By.TAG_NAME, "li")
    assert len(versions) == 3 and sum("den gällande" in v.text for v in versions) == 1
    year = driver.find_element(By.CSS_SELECTOR, "#falt-ar").text
    assert year.strip() == "2020"  # a year is not written with a thousands space
    check_page(driver, shots, "inlamning-word")


def test_submission_downloads(server: Server, driver: Any, workdir: Path) -> None:
    import urllib.request

    driver.get(server.url + "/")
    driver.find_element(By.LINK_TEXT, "umea-2020.pdf").click()
    hrefs = {a.text: a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".nedladdningslista a")}
    with urllib.request.urlopen(hrefs["Posten som JSON"]) as response:
        data = json.loads(response.read())
        assert response.headers["Content-Type"].startswith("application/json")
    assert data["record"]["kontakt"]["kommun"] == "Umeå kommun"
    with urllib.request.urlopen(hrefs["Annoterad PDF"]) as response:
        assert response.read(5) == b"%PDF-" and response.headers["Content-Type"] == "application/pdf"


def _downloaded(folder: Path, suffix: str, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0] if folder.exists() else []
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"nothing downloaded to {folder}")


def test_next_year_form_downloads_and_reads_back(server: Server, driver: Any, workdir: Path, shots: Path) -> None:
    from extractors.registry import extract

    driver.get(server.url + "/")
    driver.find_element(By.LINK_TEXT, "Nästa års blankett").click()
    check_page(driver, shots, "nasta-ar-val")
    Select(driver.find_element(By.ID, "val-kommun")).select_by_value("Umeå kommun")
    driver.find_element(By.CSS_SELECTOR, "form.filter button").click()
    _wait(driver, ec.text_to_be_present_in_element((By.ID, "rubrik-hamta"), "2021"))
    summary = driver.find_element(By.CSS_SELECTOR, ".sammanfattning").text
    assert "Överfört" in summary and "Tömt" in summary
    check_page(driver, shots, "nasta-ar")
    folder = workdir / "hamtat"
    driver.find_element(By.PARTIAL_LINK_TEXT, "PDF (ifyllbar)").click()
    pdf = _downloaded(folder, ".pdf")
    reading = extract(pdf, sandbox=False)
    assert reading.source.method == "acroform"
    assert reading.record.year == 2021 and reading.record.kommun == "Umeå kommun"
    assert reading.record.get("klienter.totalt.kvinnor") is None  # counts cleared
    driver.find_element(By.PARTIAL_LINK_TEXT, "Word (DOCX)").click()
    docx = _downloaded(folder, ".docx")
    assert extract(docx, sandbox=False).record.kommun == "Umeå kommun"


def test_keyboard_only(server: Server, driver: Any, shots: Path) -> None:
    driver.get(server.url + "/")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.text == "Hoppa till innehållet"
    shadow = driver.execute_script("return getComputedStyle(document.activeElement).boxShadow")
    outline = driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none" or shadow != "none"
    driver.save_screenshot(str(shots / "tangentbord-hoppa.png"))
    active.send_keys(Keys.ENTER)
    assert driver.execute_script("return document.activeElement.id") == "innehall"
    # Tab from the top to "Ladda upp" and open it with Enter
    driver.get(server.url + "/")
    for _ in range(8):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if driver.switch_to.active_element.text == "Ladda upp":
            break
    focused = driver.switch_to.active_element
    assert focused.text == "Ladda upp"
    assert driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", focused) == "solid"
    focused.send_keys(Keys.ENTER)
    _wait(driver, ec.url_contains("/ladda-upp"))
    # the file field is reachable by keyboard
    for _ in range(10):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if driver.switch_to.active_element.get_attribute("id") == "filer":
            break
    assert driver.switch_to.active_element.get_attribute("id") == "filer"
    # a value's box shows its provenance when reached by Tab
    driver.get(server.url + "/")
    driver.find_element(By.LINK_TEXT, "umea-2020.pdf").send_keys(Keys.ENTER)
    _wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, "a.ruta")))
    first_box = driver.find_element(By.CSS_SELECTOR, "a.ruta")
    driver.execute_script("arguments[0].focus()", first_box)
    assert first_box.find_element(By.CSS_SELECTOR, ".tips").is_displayed()
    # a finding's link followed with Enter moves the focus to its value's box
    driver.find_element(By.CSS_SELECTOR, ".fynd-error a.fyndlank").send_keys(Keys.ENTER)
    _wait(driver, lambda d: d.execute_script("return document.activeElement.id") == "ruta-klienter--totalt--kvinnor")
    # and the box leads on to the value in the form
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    _wait(driver, lambda d: d.execute_script("return location.hash") == "#falt-klienter--totalt--kvinnor")


def test_login_in_the_browser(workdir: Path, shots: Path) -> None:
    site = workdir / "lasat"
    site.mkdir()
    secret = site / "losenord.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    guarded = Server(site, "--password-file", str(secret))
    browser = _browser(site)
    try:
        browser.get(guarded.url + "/nasta-ar")
        assert "/logga-in" in browser.current_url
        check_page(browser, shots, "logga-in")
        browser.find_element(By.ID, "losenord").send_keys("fel lösen" + Keys.ENTER)
        alert = _wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
        assert "Fel lösenord" in alert.text
        browser.get_log("browser")  # the 401 of a wrong password is logged by Chromium as a failed load
        browser.find_element(By.ID, "losenord").send_keys(PASSWORD + Keys.ENTER)
        _wait(browser, ec.url_contains("/nasta-ar"))
        assert browser.find_element(By.TAG_NAME, "h1").text == "Nästa års blankett"
        cookie = browser.get_cookie("formgen_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        browser.find_element(By.CSS_SELECTOR, ".logga-ut button").click()
        _wait(browser, ec.url_contains("/logga-in"))
    finally:
        browser.quit()
        guarded.stop()
    assert PASSWORD not in guarded.output()


def test_serve_refuses_another_address_without_password(workdir: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "formgen", "serve", "--store", str(workdir / "x.sqlite"),
                             "--host", "0.0.0.0", "--port", str(_free_port())],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("formgen: vägrar att lyssna på 0.0.0.0 utan inloggning")
    assert "Traceback" not in result.stderr


def test_no_timeouts_left(server: Server) -> None:
    """The server stayed up through the whole session and logged no internal error."""
    assert server.proc.poll() is None
    assert "Traceback" not in server.output(), server.output()[-3000:]


_ = TimeoutException
