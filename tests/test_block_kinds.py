"""The block kinds of forms/ are a closed set: every writer and the loader handle each one."""

from __future__ import annotations

import typing

from formgen.generate.blocks import BlockWriter
from formgen.generate.docx import DocxWriter
from formgen.spec import BLOCK_KINDS, Block, load_form
from formgen.spec_loader import FormBuilder


def test_every_block_class_is_a_listed_kind() -> None:
    kinds = {cls.kind for cls in typing.get_args(Block)}  # type: ignore[attr-defined]
    assert kinds == set(BLOCK_KINDS)


def test_every_writer_and_the_loader_handle_every_kind() -> None:
    for owner in (BlockWriter, DocxWriter, FormBuilder):
        missing = [k for k in BLOCK_KINDS if not callable(getattr(owner, f"block_{k}", None))]
        assert missing == [], f"{owner.__name__} has no handler for {missing}"


def test_the_2020_form_uses_every_kind() -> None:
    form = load_form(2020)
    used = {block.kind for section in form.sections for block in section.blocks}
    assert used == set(BLOCK_KINDS)
