"""The Swedish lexicon unpacked from Tesseract's trained data (extractors.ocr_lexicon): the real unpacking, the
disk cache (written once, read again, renewed when the trained data changes, skipped when not writable), and
what happens without the tools (None, never an error). CI installs tesseract-ocr (combine_tessdata,
dawg2wordlist) and tesseract-ocr-swe: without them the real-data tests fail, they do not skip."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from extractors import ocr_lexicon as lx
from extractors.ocr_lexicon import Lexicon


@pytest.fixture(scope="module")
def traineddata(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the Swedish trained data (so that its modification time can be changed)."""
    real = lx.traineddata_path()
    assert real is not None, "swe.traineddata saknas: installera tesseract-ocr-swe"
    copy = tmp_path_factory.mktemp("tessdata") / "swe.traineddata"
    shutil.copyfile(real, copy)
    return copy


def test_unpacks_the_word_list_tesseract_reads_with(traineddata: Path) -> None:
    words = lx.unpack_words(traineddata)
    assert words is not None, "combine_tessdata/dawg2wordlist saknas: installera tesseract-ocr"
    assert len(words) > 100_000
    assert {"psykiatrin", "ombud", "hjälp", "handledare", "Härnösand", "t.ex"} <= words
    assert not {"psykiätrin", "ornbud", "hiälp", "handledäre", "Hämösand"} & words


def test_disk_cache_is_written_once_and_read_back(traineddata: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first = lx.load_words(traineddata, cache)
    assert first is not None
    [written] = list(cache.iterdir())
    assert written == lx.cache_file(traineddata, cache)
    assert str(traineddata.stat().st_size) in written.name
    assert written.read_text(encoding="utf-8").startswith(lx.CACHE_FORMAT + "\n")

    def no_tools(_data: Path) -> None:
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(lx, "unpack_words", no_tools)
    assert lx.load_words(traineddata, cache) == first


def test_changed_trained_data_gets_a_new_cache_file(traineddata: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert lx.load_words(traineddata, cache) is not None
    before = lx.cache_file(traineddata, cache)
    stat = traineddata.stat()
    os.utime(traineddata, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    after = lx.cache_file(traineddata, cache)
    assert after != before
    assert lx.load_words(traineddata, cache) is not None
    assert {p.name for p in cache.iterdir()} == {before.name, after.name}


def test_a_broken_cache_file_is_rebuilt(traineddata: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    target = lx.cache_file(traineddata, cache)
    cache.mkdir()
    target.write_text("not a word list\nombud\n", encoding="utf-8")
    words = lx.load_words(traineddata, cache)
    assert words is not None and len(words) > 100_000
    assert target.read_text(encoding="utf-8").startswith(lx.CACHE_FORMAT)


def test_unwritable_cache_keeps_the_words_in_memory_only(traineddata: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x", encoding="utf-8")
    words = lx.load_words(traineddata, blocker / "formgen")  # its parent is a file: nothing can be written
    assert words is not None and "ombud" in words
    assert blocker.read_text(encoding="utf-8") == "x"


def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert lx.cache_dir() == tmp_path / "formgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert lx.cache_dir() == tmp_path / "home" / ".cache" / "formgen"


def test_lexicon_is_kept_per_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lx._lexicon_for.cache_clear()
    first = lx.swedish_lexicon()
    assert first is not None and "psykiatrin" in first
    assert lx.swedish_lexicon() is first
    assert list((tmp_path / "formgen").iterdir())
    lx._lexicon_for.cache_clear()


def test_missing_tools_give_no_lexicon(traineddata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lx.shutil, "which", lambda _name: None)
    assert lx.unpack_words(traineddata) is None
    assert lx.load_words(traineddata, tmp_path / "cache") is None
    assert not (tmp_path / "cache").exists()


def test_missing_trained_data_gives_no_lexicon(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(lx.eng, "tessdata_dir", lambda: None)
    assert lx.swedish_lexicon() is None
    assert lx.unpack_words(tmp_path / "missing.traineddata") is None


def _fake_tool(folder: Path, name: str, body: str) -> None:
    tool = folder / name
    tool.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    tool.chmod(0o755)


def test_failing_or_hanging_tools_give_no_lexicon(traineddata: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_tool(bin_dir, lx.COMBINE_TOOL, "exit 1")
    _fake_tool(bin_dir, lx.LIST_TOOL, "exit 0")
    monkeypatch.setenv("PATH", str(bin_dir))
    assert lx.unpack_words(traineddata) is None
    _fake_tool(bin_dir, lx.COMBINE_TOOL, "exec sleep 30")
    monkeypatch.setattr(lx, "TOOL_TIMEOUT", 0.3)
    assert lx.unpack_words(traineddata) is None
    _fake_tool(bin_dir, lx.COMBINE_TOOL, 'touch "$3.lstm-unicharset" "$3.lstm-word-dawg"')
    _fake_tool(bin_dir, lx.LIST_TOOL, 'printf "ett\\ntvå\\n" > "$3"')  # too few words: not a lexicon
    assert lx.unpack_words(traineddata) is None


def test_lexicon_lookup_by_case() -> None:
    words = Lexicon.of(["ombuden", "Sundsvall", "t.ex"]).extended({"Härnösand"})
    assert "Ombuden" in words and "OMBUDEN" in words and "ombuden" in words
    assert "sundsvall" in words and "Sundsvall" in words
    assert "härnösand" in words and "t.ex" in words
    assert "ombud" not in words and "" not in words and None not in words
    assert len(words) == 4


def test_repr_counts_words_instead_of_listing_them() -> None:
    assert repr(Lexicon.of(["ombud", "hjälp"]).extended({"Härnösand"})) == "Lexicon(3 words)"
