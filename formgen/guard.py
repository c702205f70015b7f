"""Cheap gates run on a submitted file before any parser touches it: size, kind by content, bombs.

Every refusal is an :class:`~formgen.errors.InputError` with a stable English ``code`` and a one-line
Swedish ``reason``.  The gates never trust the file name and never decode a stream without a budget:
PDF streams are inflated incrementally against ``Limits.max_inflated_bytes`` (output is counted and
dropped, so memory stays around one MiB); DOCX members are judged by their central-directory entries
only.  The gates use pypdf, itself a parser, so a caller that wants a hard time and memory bound on
the gate too can run ``check_file`` through :func:`formgen.sandbox.run_limited`.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import LimitReachedError
from pypdf.filters import ASCII85Decode, ASCIIHexDecode, FlateDecode, LZWDecode, RunLengthDecode
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from formgen.errors import InputError

MiB = 1024 * 1024

_HEAD = 1024
_CHUNK_IN = 64 * 1024
_CHUNK_OUT = MiB
_RATIO_FLOOR = MiB  # the ratio test only applies to members bigger than this
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_FLATE = {"/FlateDecode", "/Fl"}
_WHOLE = {  # decoded in one go by pypdf (its own output caps apply); their input is already bounded
    name: codec.decode
    for codec, names in ((ASCIIHexDecode, ("/ASCIIHexDecode", "/AHx")), (ASCII85Decode, ("/ASCII85Decode", "/A85")),
                         (RunLengthDecode, ("/RunLengthDecode", "/RL")), (LZWDecode, ("/LZWDecode", "/LZW")))
    for name in names
}


@dataclass(frozen=True)
class Limits:
    """Resource limits for one input file (gates and sandboxed parsing)."""

    max_file_bytes: int = 50 * MiB
    max_pages: int = 100
    max_inflated_bytes: int = 200 * MiB
    max_zip_member_bytes: int = 50 * MiB
    max_zip_total_bytes: int = 200 * MiB
    max_zip_ratio: float = 200
    max_zip_members: int = 2000
    timeout_seconds: float = 20.0
    memory_bytes: int = 3 * 512 * MiB

    def __post_init__(self) -> None:
        bad = [f.name for f in fields(self) if not getattr(self, f.name) > 0]
        if bad:
            raise ValueError(f"limits must be positive: {', '.join(bad)}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Limits:
        """Build limits from a config mapping; unknown names raise ValueError naming them."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown limit(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**values)


def _mb(n: float) -> str:
    return f"{n / MiB:.0f}" if n >= 10 * MiB else f"{n / MiB:.1f}".replace(".", ",")


def sniff_kind(path: Path, limits: Limits | None = None) -> str:
    """Return "pdf", "docx" or "json" judged by the file's content, or raise InputError."""
    return _sniff(Path(path), limits or Limits())[0]


def _unreadable(path: Path) -> InputError:
    return InputError(str(path), "Filen kan inte läsas (saknas eller saknar behörighet).", code="unreadable")


def _sniff(path: Path, limits: Limits) -> tuple[str, list[zipfile.ZipInfo]]:
    try:
        head = _read_at_most(path, _HEAD)
    except OSError as exc:
        raise _unreadable(path) from exc
    if not head:
        raise InputError(str(path), "Filen är tom (0 byte).", code="empty-file")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        infos = _zip_infos(path, limits)
        if not any(i.filename == "word/document.xml" for i in infos):
            raise InputError(str(path), "ZIP-fil men inte ett Word-dokument (.docx).", code="not-a-docx")
        return "docx", infos
    if head.startswith(_OLE):
        if _ENCRYPTED_PACKAGE in _read_at_most(path, limits.max_file_bytes):
            raise InputError(str(path), "Word-dokumentet är lösenordsskyddat; skicka en version utan lösenord.",
                             code="encrypted")
        raise InputError(str(path), "Gammalt Word 97–2003-dokument (.doc); spara det som .docx eller PDF "
                         "och skicka igen.", code="word97-doc")
    if b"%PDF-" in head:
        return "pdf", []
    stripped = head.lstrip(b" \t\r\n")
    if stripped.startswith(b"{"):
        try:
            _read_at_most(path, limits.max_file_bytes).decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "json", []
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<!doctype") or b"<html" in lowered:
        raise InputError(str(path), "Filen är en webbsida (HTML), inte en PDF; spara själva dokumentet och "
                         "skicka det igen.", code="html-not-pdf")
    raise InputError(str(path), "Okänt filformat: varken PDF, Word-dokument (.docx) eller JSON.",
                     code="unknown-format")


def _read_at_most(path: Path, size: int) -> bytes:
    with path.open("rb") as fh:
        return fh.read(size)


def _zip_infos(path: Path, limits: Limits) -> list[zipfile.ZipInfo]:
    """Central-directory entries, refusing a huge member count before building them."""
    end_record = getattr(zipfile, "_EndRecData", None)  # private but stable; reads only the end record
    try:
        with path.open("rb") as fh:
            end = end_record(fh) if end_record else [0] * 5
        if end is None:
            raise zipfile.BadZipFile("no end of central directory")
        declared = end[4]  # _ECD_ENTRIES_TOTAL (ZIP64-aware)
        if declared > limits.max_zip_members:
            raise _zip_bomb(path, f"har {declared} delar (högst {limits.max_zip_members})")
        with zipfile.ZipFile(path) as zf:
            return zf.infolist()
    except InputError:
        raise
    except Exception as exc:
        raise InputError(str(path), "Word-filen är trasig och kan inte läsas.", code="damaged-docx") from exc


def _zip_bomb(path: Path, what: str) -> InputError:
    return InputError(str(path), f"Word-filen {what}; den avvisas som misstänkt (zip-bomb).", code="zip-bomb")


def check_docx(path: Path, limits: Limits, infos: list[zipfile.ZipInfo] | None = None) -> None:
    """Refuse a DOCX whose central directory declares too many, too big or too compressed members."""
    path = Path(path)
    infos = _zip_infos(path, limits) if infos is None else infos
    if len(infos) > limits.max_zip_members:
        raise _zip_bomb(path, f"har {len(infos)} delar (högst {limits.max_zip_members})")
    total = 0
    for info in infos:
        if info.file_size > limits.max_zip_member_bytes:
            raise _zip_bomb(path, f"innehåller en del på {_mb(info.file_size)} MB uppackad "
                            f"(högst {_mb(limits.max_zip_member_bytes)} MB)")
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and (
            info.compress_size <= 0 or info.file_size / info.compress_size > limits.max_zip_ratio
        ):
            raise _zip_bomb(path, f"innehåller en del som packas upp {info.file_size // max(info.compress_size, 1)}"
                            f" gånger (högst {limits.max_zip_ratio:g})")
    if total > limits.max_zip_total_bytes:
        raise _zip_bomb(path, f"packas upp till {_mb(total)} MB (högst {_mb(limits.max_zip_total_bytes)} MB)")


def _damaged_pdf(path: Path, detail: str = "är trasig eller ofullständig och kan inte läsas") -> InputError:
    return InputError(str(path), f"PDF-filen {detail}.", code="damaged-pdf")


def open_pdf(path: Path) -> PdfReader:
    """Open a PDF leniently, decrypting with the empty password; refuse damaged or password-locked files."""
    path = Path(path)
    try:
        reader = PdfReader(path, strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise _damaged_pdf(path) from exc
    if encrypted:
        try:
            opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception:  # unsupported security handler or broken /Encrypt
            opened = False
        if not opened:
            raise InputError(str(path), "PDF-filen är lösenordsskyddad eller krypterad så att den inte kan läsas; "
                             "skicka en version utan lösenord.", code="encrypted")
    return reader


def check_pdf(path: Path, limits: Limits, reader: PdfReader | None = None) -> int:
    """Refuse a damaged, locked, bomb-carrying or too long PDF; return its page count."""
    path = Path(path)
    reader = open_pdf(path) if reader is None else reader
    check_pdf_streams(path, limits, reader)
    try:
        pages = len(reader.pages)
    except Exception as exc:
        raise _damaged_pdf(path) from exc
    if pages == 0:
        raise _damaged_pdf(path, "har inga sidor")
    if pages > limits.max_pages:
        raise InputError(str(path), f"PDF-filen har {pages} sidor; högst {limits.max_pages} sidor tillåts.",
                         code="too-many-pages")
    return pages


class _Meter:
    """Running count of decoded bytes; raises once the budget is spent."""

    def __init__(self, path: Path, budget: int) -> None:
        self.path, self.budget, self.used = path, budget, 0

    def add(self, n: int, one_stream: bool = False) -> None:
        self.used += n
        if self.used > self.budget or one_stream:
            what = "har en ström som packas upp till mer än 75 MB" if one_stream else (
                f"packas upp till mer än {_mb(self.budget)} MB")
            raise InputError(str(self.path), f"PDF-filen {what}; den avvisas som misstänkt (komprimeringsbomb).",
                             code="inflate-limit")


def _inflate(chunks: Iterable[bytes], meter: _Meter) -> Iterator[bytes]:
    """Inflate a zlib stream chunk by chunk, counting output; stops quietly at corrupt data."""
    d = zlib.decompressobj()
    for chunk in chunks:
        data: bytes | memoryview = chunk
        while True:
            try:
                out = d.decompress(data, _CHUNK_OUT)
            except zlib.error:
                return
            meter.add(len(out))
            if out:
                yield out
            if d.eof:
                return
            data = d.unconsumed_tail
            if not data and len(out) < _CHUNK_OUT:
                break


def _whole(decode: Any, parms: Any, chunks: Iterable[bytes], meter: _Meter) -> Iterator[bytes]:
    data = b"".join(chunks)
    try:
        out = decode(data, parms)
    except LimitReachedError:  # past pypdf's own per-stream cap: no form needs that
        meter.add(0, one_stream=True)
    except Exception:
        return
    meter.add(len(out))
    yield out


def _predicted_flate(parms: Any, chunks: Iterable[bytes], meter: _Meter) -> Iterator[bytes]:
    """A Flate stage with a predictor that feeds another filter: count first, then let pypdf decode it."""
    data = b"".join(chunks)
    probe = _Meter(meter.path, meter.budget)
    probe.used = meter.used
    for _ in _inflate([data], probe):
        pass
    yield from _whole(FlateDecode.decode, parms, [data], meter)


def _as_list(value: Any) -> list[Any]:
    value = value.get_object() if isinstance(value, IndirectObject) else value
    if isinstance(value, ArrayObject):
        return [v.get_object() if isinstance(v, IndirectObject) else v for v in value]
    return [] if value is None else [value]


def _count_stream(stream: StreamObject, meter: _Meter) -> None:
    filters = [str(f) for f in _as_list(stream.get("/Filter"))]
    if not filters:
        return
    parms = _as_list(stream.get("/DecodeParms"))
    parms += [None] * (len(filters) - len(parms))
    raw = memoryview(getattr(stream, "_data", b"") or b"")
    chunks: Iterable[bytes] = (raw[i : i + _CHUNK_IN] for i in range(0, len(raw), _CHUNK_IN))
    for index, (name, parm) in enumerate(zip(filters, parms, strict=False)):
        predictor = isinstance(parm, DictionaryObject) and int(parm.get("/Predictor", 1) or 1) > 1
        if name in _FLATE:
            last = index == len(filters) - 1
            chunks = _inflate(chunks, meter) if last or not predictor else _predicted_flate(parm, chunks, meter)
        elif name in _WHOLE:
            chunks = _whole(_WHOLE[name], parm, chunks, meter)
        else:  # image codecs, /Crypt, unknown: not decoded here
            break
    for _ in chunks:
        pass


def check_pdf_streams(path: Path, limits: Limits, reader: PdfReader | None = None) -> int:
    """Inflate every stream incrementally (output discarded); refuse past max_inflated_bytes; return the total."""
    path = Path(path)
    reader = open_pdf(path) if reader is None else reader
    meter = _Meter(path, limits.max_inflated_bytes)
    seen: set[int] = set()
    for generation, table in list(reader.xref.items()):
        for number, offset in list(table.items()):
            if offset in seen:  # many xref entries aimed at one stream must not multiply the work
                continue
            seen.add(offset)
            try:
                obj = reader.get_object(IndirectObject(number, generation, reader))
            except Exception:  # an unreadable object is the parser's problem, not a bomb
                continue
            if isinstance(obj, StreamObject):
                try:
                    _count_stream(obj, meter)
                except InputError:
                    raise
                except Exception:  # malformed /Filter or /DecodeParms: pdfium and pypdf fail on it too
                    continue
    return meter.used


def check_file(path: Path, limits: Limits) -> str:
    """Run the size, kind and structure gates on one submitted file; return its kind."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _unreadable(path) from exc
    if size > limits.max_file_bytes:
        raise InputError(str(path), f"Filen är för stor: {_mb(size)} MB (högst {_mb(limits.max_file_bytes)} "
                         "MB tillåts).", code="file-too-large")
    kind, infos = _sniff(path, limits)
    if kind == "pdf":
        check_pdf(path, limits)
    elif kind == "docx":
        check_docx(path, limits, infos)
    return kind


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks (the identity of a submission)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# PDFium's load error codes (FPDF_ERR_*) and what they mean for the user; its own messages are English.
_PDFIUM_LOAD_ERRORS: dict[int, tuple[str, str]] = {
    2: ("damaged-pdf", "PDF-filen kan inte öppnas (filen saknas eller kan inte läsas)."),
    3: ("damaged-pdf", "PDF-filen är trasig eller ofullständig och kan inte läsas."),
    4: ("encrypted", "PDF-filen är lösenordsskyddad och kan inte läsas; skicka en version utan lösenord."),
    5: ("encrypted", "PDF-filen är krypterad med ett skydd som inte stöds; skicka en version utan lösenord."),
    6: ("damaged-pdf", "PDF-filen har en sida som är trasig och inte kan läsas."),
}


def pdfium_load_error(path: Path | str, exc: BaseException) -> InputError:
    """PDFium's failure to open a PDF as a Swedish InputError: its English messages ("Incorrect password
    error", "Data format error") never reach a user. Known by the error code, else by the message."""
    code = getattr(exc, "err_code", None)
    text = str(exc).lower()
    if code not in _PDFIUM_LOAD_ERRORS:
        code = 4 if "password" in text else 5 if "security" in text else 2 if "file access" in text else 3
    kind, reason = _PDFIUM_LOAD_ERRORS[code]
    return InputError(str(path), reason, code=kind)
