"""The Swedish word list Tesseract itself reads with, for checking OCR'd free text against.

The words come from the same trained data the OCR engine uses (``<tessdata>/swe.traineddata``):
``combine_tessdata -u`` unpacks its LSTM word graph and character set into a temporary directory and
``dawg2wordlist`` lists the graph's words (about 230 000, ≈0.5 s). Both tools ship with Debian's
``tesseract-ocr`` package. The word set is kept in memory once per process and on disk in the user's cache
directory (``$XDG_CACHE_HOME/formgen`` or ``~/.cache/formgen``), in a file named after the trained data's
size and modification time, written atomically; when that directory cannot be written the words are simply
not cached on disk. When the tools or the trained data are missing, or the tools fail or take too long,
``swedish_lexicon()`` returns None and the checks that need it are skipped (never an error).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors import ocr_engine as eng
from formgen.atomic import write_atomic

COMBINE_TOOL = "combine_tessdata"
LIST_TOOL = "dawg2wordlist"
TOOL_TIMEOUT = 30.0          # seconds per tool run (≈0.5 s expected)
CACHE_FORMAT = "formgen-lexicon 1"
MIN_WORDS = 1000             # fewer words than this is a broken list, not a lexicon


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A set of words (Tesseract's), and a few more (place names, the form's wording)."""

    words: frozenset[str]
    extra: frozenset[str] = frozenset()

    @classmethod
    def of(cls, words: frozenset[str] | set[str] | list[str]) -> Lexicon:
        """A lexicon of these words."""
        return cls(frozenset(w for w in words if w))

    def __contains__(self, word: object) -> bool:
        """Whether the word is known as written, in lower case, or capitalised (so "Ombuden" and "OMBUDEN" are
        "ombuden", "sundsvall" is "Sundsvall")."""
        if not isinstance(word, str) or not word:
            return False
        return any(form in self.words or form in self.extra
                   for form in (word, word.lower(), word[0].upper() + word[1:].lower()))

    def has_exactly(self, word: str) -> bool:
        """Whether the word is known exactly as written."""
        return word in self.words or word in self.extra

    def __repr__(self) -> str:
        return f"Lexicon({len(self)} words)"

    def __len__(self) -> int:
        return len(self.words) + len(self.extra - self.words)

    def extended(self, more: set[str] | frozenset[str]) -> Lexicon:
        """This lexicon with more words (place names, the form's own wording)."""
        return Lexicon(self.words, self.extra | frozenset(w for w in more if w))


def traineddata_path() -> Path | None:
    """The Swedish trained data the OCR engine uses, or None."""
    found = eng.tessdata_dir()
    return Path(found) / f"{eng.LANG}.traineddata" if found else None


def cache_dir() -> Path:
    """Where the word list is cached on disk: $XDG_CACHE_HOME/formgen, else ~/.cache/formgen."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "formgen"


def swedish_lexicon() -> Lexicon | None:
    """Tesseract's Swedish words (cached per process), or None when they cannot be had here."""
    data = traineddata_path()
    if data is None:
        return None
    try:
        stat = data.stat()
    except OSError:
        return None
    return _lexicon_for(str(data), stat.st_size, stat.st_mtime_ns, str(cache_dir()))


@lru_cache(maxsize=4)
def _lexicon_for(data: str, size: int, mtime_ns: int, cache: str) -> Lexicon | None:
    words = load_words(Path(data), Path(cache))
    return Lexicon.of(words) if words is not None else None


def cache_file(data: Path, cache: Path) -> Path:
    """The cache file of one trained-data file: named after its path, size and modification time."""
    stat = data.stat()
    where = hashlib.sha256(str(data.resolve()).encode()).hexdigest()[:12]
    return cache / f"{data.stem}-words-{stat.st_size}-{stat.st_mtime_ns}-{where}.txt"


def load_words(data: Path, cache: Path | None) -> frozenset[str] | None:
    """The words of a trained-data file: from the disk cache when it holds them, else unpacked with
    Tesseract's tools (and then cached when ``cache`` is writable). None when they cannot be had."""
    try:
        target = cache_file(data, cache) if cache is not None else None
    except OSError:
        return None
    if target is not None:
        cached = _read_cache(target)
        if cached is not None:
            return cached
    words = unpack_words(data)
    if words is not None and target is not None:
        with contextlib.suppress(OSError):  # a read-only or missing home: the words stay in memory only
            write_atomic(target, "\n".join([CACHE_FORMAT, *sorted(words)]) + "\n")
    return words


def _read_cache(path: Path) -> frozenset[str] | None:
    try:
        lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != CACHE_FORMAT:
        return None
    words = frozenset(lines[1:])  # written sorted, one word a line, no empty line
    return words if len(words) >= MIN_WORDS else None


def unpack_words(data: Path) -> frozenset[str] | None:
    """The LSTM word list of a trained-data file by ``combine_tessdata -u`` and ``dawg2wordlist`` in a
    temporary directory; None when a tool is missing, fails, or runs longer than TOOL_TIMEOUT."""
    combine, listing = shutil.which(COMBINE_TOOL), shutil.which(LIST_TOOL)
    if combine is None or listing is None or not data.is_file():
        return None
    with tempfile.TemporaryDirectory(prefix="formgen-lexicon-") as tmp:
        prefix = Path(tmp) / data.stem
        unicharset, dawg = Path(f"{prefix}.lstm-unicharset"), Path(f"{prefix}.lstm-word-dawg")
        out = Path(tmp) / "words.txt"
        try:
            for argv in ([combine, "-u", str(data), str(prefix)],
                         [listing, str(unicharset), str(dawg), str(out)]):
                subprocess.run(argv, cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=TOOL_TIMEOUT, check=True)
                if argv[0] == combine and not (unicharset.is_file() and dawg.is_file()):
                    return None
            words = frozenset(w.strip() for w in out.read_text(encoding="utf-8", errors="replace").splitlines())
        except (OSError, subprocess.SubprocessError):
            return None
    words = frozenset(w for w in words if w)
    return words if len(words) >= MIN_WORDS else None
