"""Generating the form: blank, pre-filled for the next year, or a record rendered as PDF or DOCX.

``render_pdf(record, flatten=...)`` and ``render_docx(record)`` turn a record into file bytes;
``blank_record(year)`` gives the blank form's record; ``next_year_record(record, year)`` pre-fills.
"""

from formgen.generate.docx import render_docx
from formgen.generate.naming import output_stem
from formgen.generate.pdf import render_pdf
from formgen.generate.prefill import PrefillSummary, next_year_record
from formgen.record import blank_record

__all__ = [
    "PrefillSummary", "blank_record", "next_year_record", "output_stem", "render_docx", "render_pdf",
]
