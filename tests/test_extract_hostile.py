"""Bad and hostile files through the CLI: refused fast, exit 2, one line naming the file, no traceback."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from tests.helpers import ROOT, SAMPLES
from tests.test_guard import pdf_with_stream

SAMPLE_PDF = SAMPLES / "spanga-tensta-2020.pdf"


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hej")
    return buf.getvalue()


def _encrypted() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(SAMPLE_PDF))
    writer.encrypt(user_password="hemligt", owner_password="hemligt", algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _many_pages() -> bytes:
    writer = PdfWriter()
    for _ in range(500):
        writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _bomb() -> bytes:
    compressor = zlib.compressobj(9)
    chunk = b"0" * (1 << 20)
    data = b"".join(compressor.compress(chunk) for _ in range(400)) + compressor.flush()
    return pdf_with_stream(data, "/FlateDecode")


CASES = {
    "empty.pdf": lambda: b"",
    "truncated.pdf": lambda: SAMPLE_PDF.read_bytes()[: SAMPLE_PDF.stat().st_size // 2],
    "encrypted.pdf": _encrypted,
    "zip-renamed.pdf": _zip_bytes,
    "page.pdf": lambda: b"<!DOCTYPE html><html><body>Redovisning</body></html>",
    "word97.docx": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000,
    "bomb.pdf": _bomb,
    "500-pages.pdf": _many_pages,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_refuses_bad_input(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(CASES[name]())
    before = path.read_bytes()
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "formgen.cli", "extract", str(path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    elapsed = time.monotonic() - start
    assert run.returncode == 2, (run.stdout[-300:], run.stderr)
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and str(path) in lines[0], run.stderr
    assert "Traceback" not in run.stderr
    assert elapsed < 30
    assert path.read_bytes() == before  # inputs are never modified
