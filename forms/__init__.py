"""The form versions shipped with formgen, as data: one folder per version (``forms/2020/form.yaml``, ``rules.yaml``,
``messages.sv.yaml``). ``formgen.catalogue`` loads every version under a forms root; this one is the default."""

from pathlib import Path

FORMS_ROOT: Path = Path(__file__).resolve().parent
