"""Gates and sandbox against hostile inputs; every hostile file is built here, in tmp_path."""

from __future__ import annotations

import io
import os
import shutil
import signal
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from pypdf import PdfWriter

from formgen.errors import InputError
from formgen.guard import Limits, check_file, check_pdf_streams, sniff_kind
from formgen.sandbox import run_inline, run_limited

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_PDF = SAMPLES / "spanga-tensta-2020.pdf"
MiB = 1024 * 1024
LIMITS = Limits()


def refused(path: Path, code: str, limits: Limits = LIMITS) -> InputError:
    """Assert check_file refuses ``path`` with ``code`` and names the file; return the error."""
    with pytest.raises(InputError) as info:
        check_file(path, limits)
    err = info.value
    assert err.code == code, err.one_line()
    assert str(path) in err.one_line()
    assert "\n" not in err.one_line()
    return err


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def pdf_with_stream(stream: bytes, filters: str, parms: str = "") -> bytes:
    """A one-page PDF whose content stream is ``stream`` with the given /Filter (and /DecodeParms)."""
    extra = f" /DecodeParms {parms}" if parms else ""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter %s%s >>\nstream\n" % (len(stream), filters.encode(), extra.encode())
        + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture(scope="module")
def zeros_300mb() -> bytes:
    """zlib stream (~300 KB) of 300 MB of b"0", compressed chunk by chunk."""
    comp = zlib.compressobj(6)
    chunk = b"0" * MiB
    return b"".join(comp.compress(chunk) for _ in range(300)) + comp.flush()


def docx_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("word/document.xml", b"<w:document/>")
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


# --- samples and limits ------------------------------------------------------------------------


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.suffix != ".md"))
def test_samples_pass(sample: str) -> None:
    assert check_file(SAMPLES / sample, LIMITS) == Path(sample).suffix[1:]


def test_kind_is_by_content_not_name(tmp_path: Path) -> None:
    renamed = tmp_path / "rapport.docx"
    shutil.copy(SAMPLE_PDF, renamed)
    assert sniff_kind(renamed) == "pdf"
    assert sniff_kind(write(tmp_path, "junk-then-pdf.bin", b"\r\n" * 100 + SAMPLE_PDF.read_bytes())) == "pdf"


def test_sample_gate_is_fast() -> None:
    check_file(SAMPLE_PDF, LIMITS)
    start = time.perf_counter()
    for _ in range(5):
        check_file(SAMPLE_PDF, LIMITS)
    assert (time.perf_counter() - start) / 5 < 0.1
    assert check_pdf_streams(SAMPLE_PDF, LIMITS) > 50_000


def test_limits() -> None:
    with pytest.raises(TypeError):
        Limits(max_bananas=3)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="max_bananas"):
        Limits.from_mapping({"max_pages": 5, "max_bananas": 3})
    assert Limits.from_mapping({"max_pages": 5}).max_pages == 5
    with pytest.raises(ValueError, match="timeout_seconds"):
        Limits(timeout_seconds=0)


# --- sniffing ------------------------------------------------------------------------------------


def test_empty_and_unknown(tmp_path: Path) -> None:
    refused(write(tmp_path, "tom.pdf", b""), "empty-file")
    refused(write(tmp_path, "bild.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 100), "unknown-format")
    refused(write(tmp_path, "latin1.json", b'{"namn": "\xe5sa"}'), "unknown-format")
    assert check_file(write(tmp_path, "record.pdf", b' \n{"a": "\xc3\xa5"}'), LIMITS) == "json"


def test_too_large(tmp_path: Path) -> None:
    refused(SAMPLE_PDF, "file-too-large", Limits(max_file_bytes=1000))


def test_zip_renamed_pdf(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("faktura.txt", "hej")
    err = refused(write(tmp_path, "rapport.pdf", buf.getvalue()), "not-a-docx")
    assert "ZIP-fil men inte ett Word-dokument" in err.reason


def test_html_renamed_pdf(tmp_path: Path) -> None:
    refused(write(tmp_path, "rapport.pdf", b"\n<!DOCTYPE html><html><body>Logga in</body></html>"),
            "html-not-pdf")
    refused(write(tmp_path, "sida.pdf", b"<?xml version='1.0'?>\n<HTML><body/></HTML>"), "html-not-pdf")


def test_word97_renamed_docx(tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000
    err = refused(write(tmp_path, "rapport.docx", ole), "word97-doc")
    assert "97" in err.reason and ".docx" in err.reason
    locked = ole + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100
    refused(write(tmp_path, "lost.docx", locked), "encrypted")


# --- PDF gates -----------------------------------------------------------------------------------


def test_truncated_pdf(tmp_path: Path) -> None:
    data = SAMPLE_PDF.read_bytes()
    refused(write(tmp_path, "halv.pdf", data[: len(data) // 2]), "damaged-pdf")


def test_encrypted_with_user_password_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=SAMPLE_PDF)
    writer.encrypt(user_password="hemligt", owner_password="ägare", algorithm="AES-256")
    path = tmp_path / "lost.pdf"
    writer.write(path)
    refused(path, "encrypted")


def test_owner_password_only_aes256_passes(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=SAMPLE_PDF)
    writer.encrypt(user_password="", owner_password="ägare", algorithm="AES-256")
    path = tmp_path / "skyddad.pdf"
    writer.write(path)
    assert check_file(path, LIMITS) == "pdf"
    assert check_pdf_streams(path, LIMITS) > 50_000  # streams were decrypted, then inflated


def test_too_many_pages(tmp_path: Path) -> None:
    writer = PdfWriter()
    for _ in range(500):
        writer.add_blank_page(595, 842)
    path = tmp_path / "lang.pdf"
    writer.write(path)
    err = refused(path, "too-many-pages")
    assert "500" in err.reason and "100" in err.reason


def test_flate_bomb_is_refused_fast_with_bounded_memory(tmp_path: Path, zeros_300mb: bytes) -> None:
    path = write(tmp_path, "bomb.pdf", pdf_with_stream(zeros_300mb, "/FlateDecode"))
    assert path.stat().st_size < 400_000
    tracemalloc.start()
    start = time.perf_counter()
    try:
        refused(path, "inflate-limit")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 5
    assert peak < 16 * MiB


def test_chained_flate_bomb(tmp_path: Path, zeros_300mb: bytes) -> None:
    twice = zlib.compress(zeros_300mb, 9)
    assert len(twice) < 5000
    refused(write(tmp_path, "dubbel.pdf", pdf_with_stream(twice, "[/FlateDecode /FlateDecode]")), "inflate-limit")
    hexed = twice.hex().encode() + b">"
    refused(write(tmp_path, "hex.pdf", pdf_with_stream(hexed, "[/ASCIIHexDecode /FlateDecode /FlateDecode]")),
            "inflate-limit")


def test_chained_bomb_behind_a_predictor(tmp_path: Path, zeros_300mb: bytes) -> None:
    rows = b"".join(b"\0" + zeros_300mb[i : i + 100].ljust(100, b"\0") for i in range(0, len(zeros_300mb), 100))
    data = pdf_with_stream(zlib.compress(rows, 9), "[/FlateDecode /FlateDecode]",
                           "[<< /Predictor 12 /Columns 100 >> null]")
    refused(write(tmp_path, "prediktor.pdf", data), "inflate-limit")


def test_harmless_chained_filters_pass(tmp_path: Path) -> None:
    content = b"BT /F1 12 Tf 72 720 Td (Hej) Tj ET\n" * 100
    path = write(tmp_path, "kedja.pdf", pdf_with_stream(zlib.compress(zlib.compress(content)),
                                                         "[/FlateDecode /FlateDecode]"))
    assert check_file(path, LIMITS) == "pdf"
    assert check_pdf_streams(path, LIMITS) == len(content) + len(zlib.compress(content))


# --- DOCX gates ----------------------------------------------------------------------------------


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size that the central directory declares for member ``name``."""
    buf = bytearray(data)
    pos = buf.index(b"PK\x01\x02")
    while buf[pos + 46 : pos + 46 + struct.unpack_from("<H", buf, pos + 28)[0]] != name.encode():
        pos = buf.index(b"PK\x01\x02", pos + 46)
    struct.pack_into("<I", buf, pos + 24, size)
    return bytes(buf)


def test_docx_member_declaring_2gb(tmp_path: Path) -> None:
    data = declare_size(docx_bytes({"word/media/image1.png": b"x" * 1000}), "word/media/image1.png", 2 * 10**9)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("word/media/image1.png").file_size == 2 * 10**9
    err = refused(write(tmp_path, "bomb.docx", data), "zip-bomb")
    assert "1907 MB" in err.reason


def test_docx_high_ratio_member(tmp_path: Path) -> None:
    refused(write(tmp_path, "kvot.docx", docx_bytes({"word/media/a.bin": b"\0" * (20 * MiB)})), "zip-bomb")


def test_docx_member_count_and_total(tmp_path: Path) -> None:
    many = docx_bytes({f"word/media/{i}.txt": b"x" for i in range(11)})
    refused(write(tmp_path, "manga.docx", many), "zip-bomb", Limits(max_zip_members=10))
    big = docx_bytes({f"word/media/{i}.bin": os.urandom(MiB) for i in range(5)})
    refused(write(tmp_path, "stor.docx", big), "zip-bomb", Limits(max_zip_total_bytes=4 * MiB))


def test_damaged_docx(tmp_path: Path) -> None:
    data = (SAMPLES / "spanga-tensta-2020.docx").read_bytes()
    refused(write(tmp_path, "trasig.docx", data[: len(data) // 2]), "damaged-docx")


# --- sandbox -------------------------------------------------------------------------------------

QUICK = Limits(timeout_seconds=1.0)


def crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def swell_then_abort() -> None:
    """Like PDFium when malloc fails under RLIMIT_AS: a big heap, then abort()."""
    held = bytes(600 * MiB)  # calloc: address space without touching pages
    time.sleep(0.2)
    os.abort()
    del held


def refuse_elsewhere() -> None:
    raise InputError("/någon/annan.pdf", "Egen orsak.", code="own-code")


def sandboxed(func: object, *args: object, limits: Limits = QUICK, runner: object = run_limited) -> InputError:
    path = "/inkorg/bilaga.pdf"
    with pytest.raises(InputError) as info:
        runner(func, *args, limits=limits, path=path)  # type: ignore[operator]
    assert path in info.value.one_line() or info.value.code == "own-code"
    assert "Traceback" not in info.value.reason
    return info.value


def test_sandbox_returns_result_and_reraises_gate_errors(tmp_path: Path, zeros_300mb: bytes) -> None:
    assert run_limited(check_file, SAMPLE_PDF, LIMITS, limits=QUICK, path=str(SAMPLE_PDF)) == "pdf"
    bomb = write(tmp_path, "bomb.pdf", pdf_with_stream(zeros_300mb, "/FlateDecode"))
    with pytest.raises(InputError) as info:  # the child's own InputError, path and all
        run_limited(check_file, bomb, LIMITS, limits=Limits(memory_bytes=256 * MiB), path="annan")
    assert info.value.code == "inflate-limit" and str(bomb) in info.value.one_line()


def test_sandbox_timeout() -> None:
    start = time.monotonic()
    err = sandboxed(time.sleep, 3600)
    assert err.code == "timeout" and "1 sekund" in err.reason
    assert 0.9 < time.monotonic() - start < 3


def test_sandbox_memory() -> None:
    assert sandboxed(bytearray, 4 * 1024**3).code == "too-much-memory"
    assert sandboxed(signal.raise_signal, signal.SIGKILL).code == "too-much-memory"  # as the OOM killer
    assert sandboxed(swell_then_abort, limits=Limits(memory_bytes=1024 * MiB)).code == "too-much-memory"
    assert sandboxed(os.abort).code == "parser-crashed"  # a small process that aborts just crashed


def test_sandbox_crash() -> None:
    err = sandboxed(crash)
    assert err.code == "parser-crashed" and "SIGSEGV" in err.reason


@pytest.mark.parametrize("runner", [run_limited, run_inline])
def test_error_mapping(runner: object) -> None:
    err = sandboxed(refuse_elsewhere, runner=runner)
    assert (err.path, err.reason, err.code) == ("/någon/annan.pdf", "Egen orsak.", "own-code")
    err = sandboxed(int, "inte ett tal", runner=runner)
    assert err.code == "damaged-file" and "ValueError" in err.reason
    assert runner(len, "abc", limits=QUICK, path="x") == 3  # type: ignore[operator]


def test_inline_memory_error() -> None:
    def exhausted() -> None:
        raise MemoryError

    assert sandboxed(exhausted, runner=run_inline).code == "too-much-memory"
