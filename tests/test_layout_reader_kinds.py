"""The layout reader dispatches on block kind through one closed table: every kind has a locator and a reader."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from extractors import layout_reader
from extractors.docx_model import build_model
from extractors.docx_reader import load_document_xml
from extractors.docx_words import docx_words
from extractors.labels import Stream
from extractors.layout_reader import BLOCK_LOCATORS, BLOCK_READERS, read_layout
from formgen.spec import BLOCK_KINDS, load_form
from tests.helpers import SAMPLES


@dataclass(frozen=True)
class _UnknownBlock:
    kind: str = "signature_pad"


def _sample_words() -> list:
    return list(docx_words(build_model(load_document_xml(SAMPLES / "spanga-tensta-2020.docx"))).words)


def test_every_block_kind_has_one_locator_and_one_reader() -> None:
    assert set(BLOCK_LOCATORS) == set(BLOCK_KINDS)
    assert set(BLOCK_READERS) == set(BLOCK_KINDS)
    assert all(callable(f) for f in [*BLOCK_LOCATORS.values(), *BLOCK_READERS.values()])


def test_a_kind_without_a_reader_is_an_error_not_a_skipped_block() -> None:
    reader = layout_reader._Reader(Stream([]), load_form(2020), 2020)
    with pytest.raises(TypeError, match="signature_pad"):
        reader._read_block(_UnknownBlock())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="signature_pad"):
        reader._locate_block(_UnknownBlock(), 0, 0)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", BLOCK_KINDS)
def test_reading_a_form_fails_when_one_kind_loses_its_reader(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    words = _sample_words()
    form = load_form(2020)
    assert read_layout(words, form, 2020).readings  # the sample reads with the whole table
    monkeypatch.setattr(layout_reader, "BLOCK_READERS", {k: f for k, f in BLOCK_READERS.items() if k != kind})
    with pytest.raises(TypeError, match=kind):
        read_layout(words, form, 2020)
