"""formgen: read, validate and generate the personligt ombud grant report (Redovisning)."""

__version__ = "0.1.0"
