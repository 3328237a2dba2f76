# The two commands of the README: `make demo` and `make test`. Both create .venv and install first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    := out
BENCH_ARGS ?=

.PHONY: install demo test lint typecheck bench clean taxa

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

test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check pfocr_rdf tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache

# The NCBI Taxonomy name table (pfocr_rdf/data/ncbi-taxa.tsv.xz), from Debian's r-bioc-genomeinfodbdata
# (its specData.rda, read with PyPI's rdata; no R needed). Rebuild it when that package is updated.
TAXA_TMP := $(OUT)/taxa
taxa: $(STAMP)
	$(BIN)/python -m pip install -q 'rdata>=0.11'
	rm -rf $(TAXA_TMP) && mkdir -p $(TAXA_TMP)
	cd $(TAXA_TMP) && apt-get download r-bioc-genomeinfodbdata && dpkg-deb -x r-bioc-genomeinfodbdata_*.deb x
	$(BIN)/python -m pfocr_rdf.organisms $(TAXA_TMP)/x/usr/lib/R/site-library/GenomeInfoDbData/data/specData.rda \
		pfocr_rdf/data/ncbi-taxa.tsv.xz
