VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo serve test lint bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

DEMO := out/demo

# The main job on the bundled samples: an inbox of one real submission in every shape a Länsstyrelse
# receives it, read into a store with per-file reports and a county summary.
demo: $(STAMP)
	rm -rf $(DEMO) && mkdir -p $(DEMO)/inbox
	cp samples/*.pdf samples/*.docx samples/*.json $(DEMO)/inbox/
	$(VENV)/bin/formgen inbox $(DEMO)/inbox --out $(DEMO)/report --store $(DEMO)/store.sqlite
	@echo
	$(VENV)/bin/formgen validate samples/spanga-tensta-2020.pdf
	@echo
	@echo "Records, reports and summary.csv/summary.xlsx are in $(DEMO)/report"

SERVE := out/serve

# The web site on the bundled samples: http://127.0.0.1:8000/ (Ctrl+C stops it)
serve: $(STAMP)
	rm -rf $(SERVE) && mkdir -p $(SERVE)/inbox
	cp samples/*.pdf samples/*.docx $(SERVE)/inbox/
	$(VENV)/bin/formgen serve --store $(SERVE)/store.sqlite --load $(SERVE)/inbox

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) out
