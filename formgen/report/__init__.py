"""The county and national report from the store (like Socialstyrelsen's lägesrapport): ``build_report`` computes
it as plain typed data (exact, or masked for publication), ``write_report`` writes DOCX, XLSX and Markdown.

One module per job: gather (the latest record per organisation and year, placed in its kommun and län), parts
(the scope and the form's parts the report reads), cells (sums), tables (each table's figures), mask
(publication), chart (matplotlib PNG), formatting (Swedish text of a cell), xlsx, docx, markdown (one writer per
format), write (the files, atomically), wording (report.sv.yaml), build (build_report).
"""

from __future__ import annotations

from formgen.report.build import NoSubmissions, build_report
from formgen.report.model import Cell, Chart, Column, Report, Row, Table
from formgen.report.write import FORMATS, write_report

__all__ = ["FORMATS", "Cell", "Chart", "Column", "NoSubmissions", "Report", "Row", "Table", "build_report",
           "write_report"]
