"""The form as data, the public face: the form model (formgen.form_model) and the form catalogue
(formgen.catalogue: every version under a forms root, the version in force for a year)."""

from __future__ import annotations

from formgen.catalogue import FormCatalogue, catalogue, form_versions, load_form
from formgen.form_model import (
    BLOCK_KINDS,
    CHOICE_TYPES,
    FIELD_TYPES,
    FORMATS,
    MONTHS_SV,
    Block,
    CellsBlock,
    Choice,
    ChoiceGridBlock,
    ChoiceListBlock,
    ChoiceRow,
    CountGridBlock,
    Detect,
    FieldSpec,
    FlagListBlock,
    FlagRow,
    Footnote,
    FormSpec,
    GridRow,
    Identity,
    NoteBlock,
    Section,
    TextBlock,
    blocks_of,
    key_is_valid,
)

__all__ = [
    "BLOCK_KINDS", "CHOICE_TYPES", "FIELD_TYPES", "FORMATS", "MONTHS_SV", "Block", "CellsBlock", "Choice",
    "ChoiceGridBlock", "ChoiceListBlock", "ChoiceRow", "CountGridBlock", "Detect", "FieldSpec", "FlagListBlock",
    "FlagRow", "Footnote", "FormCatalogue", "FormSpec", "GridRow", "Identity", "NoteBlock", "Section", "TextBlock",
    "blocks_of", "catalogue", "form_versions", "key_is_valid", "load_form",
]
