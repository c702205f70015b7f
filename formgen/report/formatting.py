"""Cells as Swedish text for the DOCX and Markdown reports: "12 345 600 kr", "1,50", "+1", "<4", "ca 4 120"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from formgen.report.model import Cell, Column, Report

NBSP = "\u00a0"  # groups digits without letting a line break split a number
MINUS = "\u2212"


def group(value: int) -> str:
    """Whole number with digit groups of three separated by a no-break space: 12 345 600."""
    digits = f"{abs(value):,}".replace(",", NBSP)
    return (MINUS if value < 0 else "") + digits


def decimal_sv(value: Decimal, places: int = 2) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    text = group(int(whole)) + ("," + frac if frac else "")
    return (MINUS if rounded < 0 else "") + text


def cell_text(cell: Cell, column: Column, report: Report) -> str:
    """A cell as printed in the DOCX and Markdown reports."""
    symbols = report.symbols
    if cell.masked:
        return symbols["masked"]
    value = cell.value
    if value is None:
        return "" if column.kind == "text" else symbols["missing"]
    if column.kind == "text" or isinstance(value, str):
        return str(value)
    if cell.approx:
        return f"{symbols['approx']} {group(int(value))}"
    if column.kind == "kr":
        return f"{group(int(value))}{NBSP}{report.units['kr']}"
    if column.kind == "fte":
        return decimal_sv(Decimal(value))
    if column.kind == "percent":
        return f"{decimal_sv(Decimal(value) * 100, 0)}{NBSP}{report.units['percent']}"
    if column.kind == "change":
        number = int(value)
        return ("+" if number > 0 else "") + group(number)
    return group(int(value))
