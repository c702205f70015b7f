"""The web site through Flask's test client: headers, anti-forgery tokens, limits, login, hostile uploads,
the Inkorg's filters and sorting, downloads."""

from __future__ import annotations

import io
import logging
import re
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from formgen.cli import main
from formgen.store import SQLiteStore
from formgen.web import WebConfig, create_app
from formgen.web.blobs import blob_dir, clean_name
from formgen.web.security import is_loopback, password_matches
from tests.helpers import SAMPLES
from tests.web_helpers import add_rows, token, upload, wait_for_job

PASSWORD = "rätt-hemligt-lösen 42"


def _app(tmp_path: Path, **options):
    config = WebConfig(store_path=tmp_path / "lager.sqlite", files_dir=tmp_path / "filer", jobs=1, **options)
    app = create_app(config)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def app(tmp_path: Path):
    app = _app(tmp_path)
    yield app
    app.extensions["formgen_jobs"].stop()


@pytest.fixture
def client(app):
    return app.test_client()


def _stored(app) -> list:
    with SQLiteStore(app.config["FORMGEN"].store_path) as store:
        return store.list(include_superseded=True)


# -- headers --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/ladda-upp", "/nasta-ar", "/finns-inte", "/static/style.css"])
def test_every_response_has_the_security_headers(client, path: str) -> None:
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert script_src.strip() == "'self'" and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_are_swedish_and_have_no_inline_script(client) -> None:
    titles = {"/": "Inkorg – formgen", "/ladda-upp": "Ladda upp – formgen", "/nasta-ar": "Nästa års blankett – formgen"}
    for path, title in titles.items():
        html = client.get(path).get_data(as_text=True)
        assert '<html lang="sv">' in html
        assert re.search(r"<title>(.*?)</title>", html, re.S).group(1) == title  # a plain title, no markup in it
        assert html.count('id="rubrik-nedladdning"') <= 1  # every id once
        assert re.search(r"<script(?![^>]*\bsrc=)", html) is None, f"inline script on {path}"
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"
        assert 'style="' not in html


def test_without_login_only_loopback_host_names_are_answered(client) -> None:
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8000"}).status_code == 200
    refused = client.get("/", headers={"Host": "angripare.example:8000"})
    assert refused.status_code == 400 and "Felaktig begäran" in refused.get_data(as_text=True)


def test_not_found_is_a_swedish_page(client) -> None:
    response = client.get("/inlamning/" + "0" * 64)
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)


# -- anti-forgery -------------------------------------------------------------------------------------

def test_every_post_form_has_a_hidden_csrf_field(client) -> None:
    html = client.get("/ladda-upp").get_data(as_text=True)
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S)
    assert forms
    for form in forms:
        assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]{20,}">', form)


@pytest.mark.parametrize("csrf", ["", "fel-token"])
def test_a_post_without_the_right_token_is_refused_and_changes_nothing(app, client, csrf: str) -> None:
    token(client)  # the session has a token; the form sends none or another
    response = upload(client, [((SAMPLES / "spanga-tensta-2020.pdf").read_bytes(), "a.pdf")], csrf=csrf)
    assert response.status_code == 403
    assert "Ingenting har ändrats" in response.get_data(as_text=True)
    assert _stored(app) == []
    folder = blob_dir(app.config["FORMGEN"].files_dir)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_token_from_another_session_is_refused(app) -> None:
    first, second = app.test_client(), app.test_client()
    stolen = token(first)
    token(second)
    response = upload(second, [(b"%PDF-1.4\n", "a.pdf")], csrf=stolen)
    assert response.status_code == 403
    assert _stored(app) == []


# -- uploads ----------------------------------------------------------------------------------------

def _hostile_files() -> list[tuple[bytes, str]]:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hej.txt", "hej")
    return [
        (b"<!DOCTYPE html><html><body>inte en pdf</body></html>", "webbsida.pdf"),
        (b"", "tom.pdf"),
        (zipped.getvalue(), "arkiv.docx"),
        (b"%PDF-1.7\n1 0 obj <<\n" + b"\x00" * 50, "trasig.pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "gammal.doc"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "../../etc/passwd"),
    ]


def test_hostile_files_become_inkorg_rows_with_a_swedish_reason(app, client) -> None:
    response = upload(client, _hostile_files())
    assert response.status_code == 303
    state = wait_for_job(client, response.headers["Location"])
    assert [f["status"] for f in state["files"]] == ["unreadable"] * 6
    reasons = {f["name"]: f["reason"] for f in state["files"]}
    assert "webbsida (HTML)" in reasons["webbsida.pdf"]
    assert "tom" in reasons["tom.pdf"]
    assert "Word 97" in reasons["gammal.doc"]
    assert "passwd" in reasons and "/" not in "".join(reasons)  # the path part of a name is dropped
    inbox = client.get("/?status=unreadable").get_data(as_text=True)
    for name, reason in reasons.items():
        assert name in inbox and reason.replace("”", "&#8221;")[:20] in inbox.replace("&#34;", '"')
    assert "Oläslig" in inbox
    page = client.get(f"/inlamning/{state['files'][0]['sha256']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "webbsida.pdf" in text and "Oläslig" in text and "webbsida (HTML)" in text


def test_an_upload_is_kept_by_content_hash_and_served_back_by_its_content(app, client) -> None:
    html_bytes = b"<html><script>alert(1)</script></html>"
    state = wait_for_job(client, upload(client, [(html_bytes, "rapport.pdf")]).headers["Location"])
    sha = state["files"][0]["sha256"]
    kept = blob_dir(app.config["FORMGEN"].files_dir) / sha
    assert kept.read_bytes() == html_bytes
    response = client.get(f"/inlamning/{sha}/original")
    assert response.status_code == 200
    assert response.mimetype == "application/octet-stream"  # never text/html, never application/pdf by name
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_too_many_files_are_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    app = _app(tmp_path, max_files=2)
    client = app.test_client()
    response = upload(client, [(b"%PDF-1.4", f"{i}.pdf") for i in range(3)])
    assert response.status_code == 400
    assert "högst 2 filer" in response.get_data(as_text=True)
    assert _stored(app) == []
    assert not blob_dir(tmp_path / "filer").exists()


def test_a_request_over_the_size_limit_gets_a_swedish_413(tmp_path: Path) -> None:
    app = _app(tmp_path, max_request_bytes=64 * 1024)
    client = app.test_client()
    response = upload(client, [(b"%PDF-1.4\n" + b"0" * 100_000, "stor.pdf")])
    assert response.status_code == 413
    assert "för stor" in response.get_data(as_text=True)
    assert _stored(app) == []


def test_a_file_over_the_per_file_limit_becomes_an_unreadable_row(tmp_path: Path) -> None:
    app = _app(tmp_path, max_file_bytes=10_000)
    client = app.test_client()
    state = wait_for_job(client, upload(client, [(b"%PDF-1.4\n" + b"0" * 50_000, "stor.pdf")]).headers["Location"])
    [row] = state["files"]
    assert row["status"] == "unreadable" and "stor" in row["reason"].lower()
    kept = blob_dir(tmp_path / "filer") / row["sha256"]
    assert kept.stat().st_size == 10_001  # never more than the limit and one byte is kept
    app.extensions["formgen_jobs"].stop()


def test_a_sample_upload_reaches_the_store_and_its_page(app, client) -> None:
    pdf = (SAMPLES / "spanga-tensta-2020.pdf").read_bytes()
    state = wait_for_job(client, upload(client, [(pdf, "Spånga-Tensta 2020.pdf")]).headers["Location"])
    [row] = state["files"]
    assert row["status"] in ("ok", "warnings", "errors") and row["stored"]
    page = client.get(f"/inlamning/{row['sha256']}").get_data(as_text=True)
    assert "Spånga-Tensta 2020.pdf" in page and "Kontakt med verksamheten" in page
    # the sample's reasons for contact exceed its new clients: a warning on that value's box
    assert re.search(r'class="ruta ton-(varning|fel)" id="ruta-kontaktorsaker--ekonomi--kvinnor"', page)
    css = client.get(f"/inlamning/{row['sha256']}/rutor.css").get_data(as_text=True)
    assert re.search(r"#ruta-kontaktorsaker--ekonomi--kvinnor\{left:[\d.]+%;top:[\d.]+%", css)
    image = client.get(f"/inlamning/{row['sha256']}/sida-1.png")
    assert image.mimetype == "image/png" and image.data[:8] == b"\x89PNG\r\n\x1a\n"
    annotated = client.get(f"/inlamning/{row['sha256']}/annoterad.pdf")
    assert annotated.mimetype == "application/pdf" and annotated.data.startswith(b"%PDF")
    record = client.get(f"/inlamning/{row['sha256']}/post.json").get_json()
    assert record["record"]["ar"] == 2020 and record["sha256"] == row["sha256"]
    # the county report of the year, and a Swedish page when the län has nothing
    report = client.get("/lansrapport?ar=2020&format=xlsx&lan=Stockholm")
    assert report.status_code == 200 and report.data[:2] == b"PK"
    assert "attachment" in report.headers["Content-Disposition"]
    docx = client.get("/lansrapport?ar=2020&format=docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    empty = client.get("/lansrapport?ar=2020&format=xlsx&lan=Gotland")
    assert empty.status_code == 404 and "Ingen länsrapport" in empty.get_data(as_text=True)
    # next year's form for the kommun
    kommun = record["record"]["kontakt"]["kommun"]
    form = client.get("/nasta-ar/blankett", query_string={"kommun": kommun, "format": "pdf"})
    assert form.status_code == 200 and form.data.startswith(b"%PDF") and "2021" in form.headers["Content-Disposition"]
    assert client.get("/nasta-ar/blankett", query_string={"kommun": "Finns inte"}).status_code == 404
    # the same content again is not read again: same row
    again = wait_for_job(client, upload(client, [(pdf, "kopia.pdf")]).headers["Location"])
    assert again["files"][0]["sha256"] == row["sha256"]
    assert len(_stored(app)) == 1


# -- login ------------------------------------------------------------------------------------------

@pytest.fixture
def guarded(tmp_path: Path):
    app = _app(tmp_path, password=PASSWORD)
    yield app
    app.extensions["formgen_jobs"].stop()


def test_every_page_but_login_needs_a_session(guarded) -> None:
    client = guarded.test_client()
    for path in ("/", "/ladda-upp", "/nasta-ar", "/sammanstallning.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/logga-in" in response.headers["Location"]
    assert client.get("/logga-in").status_code == 200
    assert client.get("/static/style.css").status_code == 200


def test_login_with_the_wrong_password_is_refused(guarded) -> None:
    client = guarded.test_client()
    response = client.post("/logga-in", data={"csrf_token": token(client, "/logga-in"), "losenord": "fel"})
    assert response.status_code == 401
    assert "Fel lösenord" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_without_token_is_refused(guarded) -> None:
    client = guarded.test_client()
    token(client, "/logga-in")
    assert client.post("/logga-in", data={"losenord": PASSWORD}).status_code == 403


def test_login_sets_a_signed_httponly_samesite_cookie_and_never_logs_the_password(guarded, caplog) -> None:
    client = guarded.test_client()
    caplog.set_level(logging.DEBUG)
    response = client.post("/logga-in", data={"csrf_token": token(client, "/logga-in"), "losenord": PASSWORD,
                                              "nasta": "/nasta-ar"})
    assert response.status_code == 303 and response.headers["Location"] == "/nasta-ar"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert PASSWORD not in cookie and PASSWORD not in caplog.text
    assert client.get("/").status_code == 200
    # a forged cookie is not a session
    other = guarded.test_client()
    other.set_cookie("formgen_session", cookie.split(";")[0].split("=", 1)[1][:-3] + "xyz")
    assert other.get("/").status_code == 302
    # logging out ends the session
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    assert client.get("/").status_code == 302


def test_login_never_redirects_to_another_site(guarded) -> None:
    client = guarded.test_client()
    response = client.post("/logga-in", data={"csrf_token": token(client, "/logga-in"), "losenord": PASSWORD,
                                              "nasta": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_password_compare_and_loopback() -> None:
    assert password_matches("å", "å") and not password_matches("å", "a") and not password_matches("", "x")
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.3.4.5")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.se")


def test_serve_refuses_a_non_loopback_host_without_password_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "s.sqlite"), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "vägrar att lyssna på 0.0.0.0 utan inloggning" in result.output
    assert "Traceback" not in result.output
    empty = tmp_path / "tomt.txt"
    empty.write_text("\n")
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "s.sqlite"), "--host", "0.0.0.0",
                                       "--password-file", str(empty)])
    assert result.exit_code == 2 and "första rad är tom" in result.output
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "s.sqlite"), "--host", "0.0.0.0",
                                       "--password-file", str(tmp_path / "saknas.txt")])
    assert result.exit_code == 2 and "kan inte läsas" in result.output


# -- the Inkorg -------------------------------------------------------------------------------------

def _rows() -> list[dict]:
    error = {"code": "sum-mismatch", "severity": "error", "fields": ["klienter.totalt"],
             "message": "Summan stämmer inte."}
    warning = {"code": "w", "severity": "warning", "fields": [], "message": "Kontrollera."}
    return [
        {"kommun": "Umeå", "year": 2020, "status": "errors", "findings": [error, warning], "path": "umea.pdf"},
        {"kommun": "Åre", "year": 2020, "status": "ok", "path": "are.pdf"},
        {"kommun": "Ale", "year": 2019, "status": "warnings", "findings": [warning], "path": "ale.pdf"},
        {"kommun": None, "year": None, "status": "unreadable", "path": "trasig.pdf",
         "findings": [{"code": "damaged-file", "severity": "error", "fields": [], "message": "Filen är trasig."}]},
    ]


def _table_files(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td class="filnamn">(?:<a [^>]*>)?([^<]+)', body)


def test_inbox_counts_filters_and_sorts(app, client) -> None:
    add_rows(app.config["FORMGEN"].store_path, _rows())
    html = client.get("/").get_data(as_text=True)
    assert sorted(_table_files(html)) == ["ale.pdf", "are.pdf", "trasig.pdf", "umea.pdf"]
    assert re.findall(r'<span class="siffra">(\d+)</span>', html) == ["4", "1", "1", "1", "1"]
    assert _table_files(client.get("/?status=errors").get_data(as_text=True)) == ["umea.pdf"]
    assert sorted(_table_files(client.get("/?ar=2020").get_data(as_text=True))) == ["are.pdf", "umea.pdf"]
    by_year = client.get("/?ar=2020").get_data(as_text=True)
    assert re.findall(r'<span class="siffra">(\d+)</span>', by_year) == ["2", "1", "0", "1", "0"]
    assert _table_files(client.get("/?sortera=kommun&ordning=stigande").get_data(as_text=True)) == [
        "ale.pdf", "umea.pdf", "are.pdf", "trasig.pdf"]  # unknown kommun last
    by_errors = _table_files(client.get("/?sortera=fel&ordning=fallande").get_data(as_text=True))
    assert by_errors[0] == "umea.pdf"
    page = client.get("/?sortera=status&ordning=stigande").get_data(as_text=True)
    assert 'aria-sort="ascending"' in page and "Summan stämmer inte." in page


def test_inbox_ignores_bad_query_values(app, client) -> None:
    add_rows(app.config["FORMGEN"].store_path, _rows())
    response = client.get("/?status=<script>&ar=tjugo&sortera=drop&ordning=x")
    assert response.status_code == 200 and "<script>" not in response.get_data(as_text=True)


def test_summary_downloads(app, client) -> None:
    add_rows(app.config["FORMGEN"].store_path, _rows())
    csv = client.get("/sammanstallning.csv?ar=2020")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    text = csv.data.decode("utf-8-sig")
    assert "Umeå" in text and "Åre" in text and "Ale" not in text
    xlsx = client.get("/sammanstallning.xlsx")
    assert xlsx.data[:2] == b"PK"
    assert client.get("/sammanstallning.exe").status_code == 404


def test_clean_names() -> None:
    assert clean_name("C:\\Users\\x\\Spånga.pdf") == "Spånga.pdf"
    assert clean_name("../../.hidden\x00.pdf") == "hidden_.pdf"
    assert clean_name("") == "namnlös fil"
    assert len(clean_name("a" * 500 + ".pdf")) <= 120 and clean_name("a" * 500 + ".pdf").endswith(".pdf")


def test_load_folder_reads_a_folder_like_an_upload(app, client, tmp_path: Path) -> None:
    from formgen.web.loading import load_folder

    folder = tmp_path / "inkorg"
    folder.mkdir()
    (folder / "spanga.pdf").write_bytes((SAMPLES / "spanga-tensta-2020.pdf").read_bytes())
    (folder / "anteckning.txt").write_text("inte en redovisning", encoding="utf-8")
    assert load_folder(app, folder) == 2
    deadline = time.monotonic() + 120
    while app.extensions["formgen_jobs"].busy() and time.monotonic() < deadline:
        time.sleep(0.1)
    rows = {s.path: s.status for s in _stored(app)}
    assert rows["anteckning.txt"] == "unreadable" and rows["spanga.pdf"] != "unreadable"
    assert (blob_dir(app.config["FORMGEN"].files_dir) / _stored(app)[0].sha256).exists()


def test_a_file_that_times_out_is_shown_though_the_store_does_not_keep_it(tmp_path: Path) -> None:
    app = _app(tmp_path, timeout_seconds=0.01)
    client = app.test_client()
    pdf = (SAMPLES / "spanga-tensta-2020.pdf").read_bytes()
    state = wait_for_job(client, upload(client, [(pdf, "långsam.pdf")]).headers["Location"])
    [row] = state["files"]
    assert row["status"] == "unreadable" and not row["stored"] and "avbröts" in row["reason"]
    assert _stored(app) == []  # a timeout may be the machine's fault: the next upload tries again
    inbox = client.get("/").get_data(as_text=True)
    assert "långsam.pdf" in inbox and "avbröts" in inbox
    app.extensions["formgen_jobs"].stop()
