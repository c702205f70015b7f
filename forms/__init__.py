"""Form definitions as data: one folder per form year (``forms/2020/form.yaml``)."""

from pathlib import Path

FORMS_ROOT: Path = Path(__file__).resolve().parent
