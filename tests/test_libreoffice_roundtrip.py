"""Generated DOCX forms through LibreOffice, as a kommun handles them: export to PDF, save again as DOCX, save
as ODT and back to DOCX. Each result is read back by the project's readers and must give the record that was
written, line breaks kept (the PDF export compared with runs of white space collapsed, as every print is).

LibreOffice runs headless with a private profile directory and a timeout; the tests are skipped only when
``soffice`` is not installed (CI installs libreoffice-writer-nogui). Several files go through one soffice call.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from extractors.registry import extract
from formgen.generate import render_docx
from formgen.generate import typeset as ts
from formgen.generate.docx_xml import ANSWER_SHADE
from formgen.record import Record, blank_record, record_from_json
from tests.helpers import record_diffs, sample_record_json
from tests.varied_records import NAMES, varied_record

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TIMEOUT = 300  # seconds for one soffice call converting every file of the module

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def _records() -> dict[str, Record]:
    sample = record_from_json(sample_record_json()).replace({
        "kontakt.kontaktperson": "Áilu Ŋuorra-Čuđetić",
        "samhallsservice.brister": "1. Brist på läkare ≥ 3 månader.\n2. Bristande samordning → långa väntetider.\n"
                                   "3. Łukasz Świątek och Şükrü Yılmaz har tolkat.",
        "kontakt.ovriga_kommuner": ["Vallentuna kommun", "Danderyds kommun"],
        "utbildning.varfor_inte": None,
    })
    return {"sample": sample, "seed11": varied_record(11), "seed12": varied_record(12), "seed13": varied_record(13),
            "blank2021": blank_record(2021)}


RECORDS = _records()


def soffice(files: list[Path], target: str, outdir: Path, profile: Path) -> list[Path]:
    """Convert files with LibreOffice (private profile, timeout); the converted files, in order."""
    outdir.mkdir(parents=True, exist_ok=True)
    run = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                          "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                         capture_output=True, text=True, timeout=TIMEOUT)
    extension = target.split(":")[0]
    out = [outdir / f"{f.stem}.{extension}" for f in files]
    missing = [p.name for p in out if not p.exists()]
    assert run.returncode == 0 and not missing, (run.returncode, missing, run.stderr[-2000:])
    return out


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Every record's DOCX and what LibreOffice made of it: "pdf", "docx" (saved again), "odt", "odt-docx"."""
    root = tmp_path_factory.mktemp("libreoffice")
    profile = root / "profile"
    sources = []
    for name, record in RECORDS.items():
        path = root / "docx" / f"{name}.docx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(render_docx(record))
        sources.append(path)
    pdfs = soffice(sources, "pdf", root / "pdf", profile)
    resaved = soffice(sources, "docx:MS Word 2007 XML", root / "resaved", profile)
    odts = soffice(sources, "odt", root / "odt", profile)
    back = soffice(odts, "docx:MS Word 2007 XML", root / "odt-docx", profile)
    return {name: {"docx": src, "pdf": pdf, "resaved": again, "odt": odt, "odt-docx": docx}
            for name, src, pdf, again, odt, docx in zip(RECORDS, sources, pdfs, resaved, odts, back, strict=True)}


def _extract(path: Path) -> tuple[dict, str, list]:
    extraction = extract(path, sandbox=False)
    return extraction.record.to_json(), extraction.source.method, [p.to_json() for p in extraction.problems]


@pytest.mark.parametrize("name", RECORDS)
def test_docx_exported_to_pdf_reads_back(converted: dict[str, dict[str, Path]], name: str) -> None:
    record, method, problems = _extract(converted[name]["pdf"])
    assert method == "text" and problems == []
    assert record_diffs(RECORDS[name].to_json(), record) == []  # lines neither glued nor lost


@pytest.mark.parametrize("path", ["resaved", "odt-docx"])
@pytest.mark.parametrize("name", RECORDS)
def test_docx_saved_again_by_libreoffice_reads_back_exactly(converted: dict[str, dict[str, Path]], name: str,
                                                             path: str) -> None:
    record, _method, problems = _extract(converted[name][path])
    assert problems == []
    assert record == RECORDS[name].to_json()  # line breaks kept: one paragraph per line survives


def test_multi_line_answers_stay_paragraphs_in_libreoffice(converted: dict[str, dict[str, Path]]) -> None:
    """The lines of an answer are paragraphs after every path: no line breaks moved in front of the text."""
    lines = RECORDS["sample"].get("samhallsservice.brister").split("\n")
    for path in ("resaved", "odt-docx"):
        with zipfile.ZipFile(converted["sample"][path]) as package:
            root = etree.fromstring(package.read("word/document.xml"))
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        texts = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p")]
        start = texts.index(lines[0])
        assert texts[start:start + len(lines)] == lines, path


def test_unicode_names_print_from_libreoffice(converted: dict[str, dict[str, Path]]) -> None:
    text = subprocess.run(["pdftotext", str(converted["sample"]["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    for value in ("Áilu Ŋuorra-Čuđetić", "Łukasz Świątek och Şükrü Yılmaz", "≥ 3 månader", "→ långa"):
        assert value in text
    seeded = subprocess.run(["pdftotext", str(converted["seed11"]["pdf"]), "-"], capture_output=True, text=True,
                            check=True).stdout
    assert NAMES[11 % len(NAMES)] in seeded


def test_libreoffice_sees_a_swedish_document(converted: dict[str, dict[str, Path]]) -> None:
    with zipfile.ZipFile(converted["sample"]["odt"]) as package:
        styles = package.read("styles.xml").decode()
    default = re.search(r'<style:default-style style:family="paragraph">.*?</style:default-style>', styles, re.S)
    assert default and 'fo:language="sv"' in default.group(0) and 'fo:country="SE"' in default.group(0)


def test_empty_answers_have_a_bordered_box_in_libreoffice(converted: dict[str, dict[str, Path]]) -> None:
    """In the blank form as LibreOffice holds it, the paragraph under a free-text label has a border."""
    with zipfile.ZipFile(converted["blank2021"]["odt"]) as package:
        content = etree.fromstring(package.read("content.xml"))
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
          "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
          "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"}
    bordered = set()
    for style in content.iterfind(".//style:style", ns):
        props = style.find("style:paragraph-properties", ns)
        if props is not None and any(props.get(f"{{{ns['fo']}}}{edge}", "none") != "none"
                                     for edge in ("border", "border-left", "border-top")):
            bordered.add(style.get(f"{{{ns['style']}}}name"))
    paragraphs = list(content.iterfind(".//text:p", ns))
    labels = ("Om nej, ange varför.", "Om ja, ange vilken/vilka utbildningar.")
    found = 0
    for i, p in enumerate(paragraphs[:-1]):
        if "".join(p.itertext()).strip() in labels:
            answer = paragraphs[i + 1]
            assert answer.get(f"{{{ns['text']}}}style-name") in bordered and not "".join(answer.itertext()).strip()
            found += 1
    assert found >= 3
    # an answer on its label's line ("Ange antal tjänster med 2 decimaler: ") keeps its tint and border
    tinted = {style.get(f"{{{ns['style']}}}name") for style in content.iterfind(".//style:style", ns)
              if (props := style.find("style:text-properties", ns)) is not None
              and props.get(f"{{{ns['fo']}}}background-color", "").lower() == f"#{ANSWER_SHADE.lower()}"
              and any(k.endswith("}border") and v != "none" for k, v in props.items())}  # fo: or loext:border
    spans = [span for span in content.iterfind(".//text:span", ns)
             if span.get(f"{{{ns['text']}}}style-name") in tinted]
    assert spans and all(not "".join(span.itertext()).strip() for span in spans)


def test_headings_keep_with_what_follows_in_libreoffice(converted: dict[str, dict[str, Path]]) -> None:
    """No section title is the last line of a page in LibreOffice's PDF of any of the forms."""
    for name, paths in converted.items():
        record = RECORDS[name]
        titles = set(ts.section_titles(record.form, record.year).values())
        text = subprocess.run(["pdftotext", "-layout", str(paths["pdf"]), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages = text.split("\f")
        for page in pages[:-1]:
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            body = [line for line in lines if not re.fullmatch(r"Sida \d+ av \d+", line)]
            if body:
                assert body[-1] not in titles, (name, body[-1])
