# The two commands of the README: `make demo` and `make test`. Both create .venv and install first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    := out
BENCH_ARGS ?=

.PHONY: install demo serve publish test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@mkdir -p $(OUT)
	$(BIN)/pfocr-rdf export examples -o $(OUT)/examples.ttl --rejects $(OUT)/examples-rejects.jsonl
	$(BIN)/python -m pfocr_rdf.demo $(OUT)

serve: $(STAMP)
	$(BIN)/pfocr-rdf serve --store $(OUT)/store

# Regenerate what is generated from the shipped files: the SIB twins of queries/*.rq, the vocabulary page.
publish: $(STAMP)
	$(BIN)/pfocr-rdf examples -o queries/examples
	$(BIN)/pfocr-rdf vocabulary -o docs/vocabulary.html

test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check pfocr_rdf tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
