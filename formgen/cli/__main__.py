"""``python -m formgen.cli`` runs the command line."""

from formgen.cli import main

main()
