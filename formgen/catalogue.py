"""The form catalogue: every form version under a forms root (``<root>/<version>/form.yaml``), loaded once.

The root is a parameter everywhere (tests build versions in a temporary folder); ``forms.FORMS_ROOT`` is the
default, the versions shipped with formgen.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from formgen.errors import SpecError
from formgen.form_model import FormSpec
from formgen.spec_loader import load_form_dir
from forms import FORMS_ROOT


@dataclass(frozen=True)
class FormCatalogue:
    """The form versions under one root, oldest first."""

    root: Path
    versions: tuple[int, ...]

    def version(self, version: int) -> FormSpec:
        """One version exactly (SpecError code "no-such-version" when the root has no such folder)."""
        if version not in self.versions:
            raise SpecError(f"Blankettversion {version} finns inte i {self.root}", code="no-such-version")
        return _load_cached(str(self.root / str(version)))

    def for_year(self, year: int) -> FormSpec:
        """The version in force for a grant year: the newest version not newer than the year."""
        usable = [v for v in self.versions if v <= year]
        if not usable:
            raise SpecError(f"Det finns ingen blankett för år {year}", code="no-form-for-year")
        return self.version(usable[-1])

    def forms(self) -> tuple[FormSpec, ...]:
        """Every version, oldest first."""
        return tuple(self.version(v) for v in self.versions)

    def last_year_of(self, form: FormSpec) -> int | None:
        """The last grant year a version was in force (the year before the next version), None for the newest."""
        later = [v for v in self.versions if v > form.version]
        return self.version(later[0]).valid_from - 1 if later else None


def catalogue(root: Path | None = None) -> FormCatalogue:
    """The catalogue of a forms root (default: the versions shipped with formgen)."""
    root = Path(root) if root is not None else FORMS_ROOT
    if not root.is_dir():
        raise SpecError(f"Blankettmappen {root} finns inte", code="no-forms-root")
    return FormCatalogue(root, tuple(form_versions(root)))


def form_versions(root: Path | None = None) -> list[int]:
    """The form versions under a root, oldest first (folders named by year holding form.yaml)."""
    root = Path(root) if root is not None else FORMS_ROOT
    return sorted(int(p.name) for p in root.iterdir() if p.name.isdigit() and (p / "form.yaml").is_file())


def load_form(year: int, root: Path | None = None) -> FormSpec:
    """The form version in force for a grant year under a forms root."""
    return catalogue(root).for_year(year)


@lru_cache(maxsize=64)
def _load_cached(folder: str) -> FormSpec:
    return load_form_dir(Path(folder))
