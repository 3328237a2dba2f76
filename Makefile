# The two commands of the README: `make demo` and `make test`. Both create .venv and install first.
#
# Installs are locked: .venv gets exactly the versions (and hashes) of requirements/lock.txt, so a new
# release of a dependency never changes what we test. `make lock` regenerates the lock from pyproject.toml
# (on purpose, when we choose to move); `make test-latest` runs the suite in .venv-latest against the newest
# releases that pyproject.toml allows, to see a breaking release before our users do.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LOCK   := requirements/lock.txt
# the extras the test venv gets (runtime dependencies always); `taxa` is a build step with a lock of its own
LOCK_EXTRAS := test
TAXA_LOCK := requirements/taxa.txt
LATEST := .venv-latest
TOOLS  := .venv-tools
# The lock tool itself is pinned too, so `make lock` resolves the same way on every machine.
UV_VERSION := 0.13.9
OUT    := out
BENCH_ARGS ?=
TEST_CMD = python -m pytest -q -p no:cacheprovider

.PHONY: install demo serve publish test test-latest lock lint typecheck bench clean taxa

$(STAMP): pyproject.toml $(LOCK)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
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
	$(BIN)/$(TEST_CMD)
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check pfocr_rdf tests benchmarks

# Not in CI by default: it downloads whatever is newest today, which is the point.
test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(LATEST)/bin/python -m pip install -q --disable-pip-version-check --upgrade --upgrade-strategy eager -e '.[test]'
	$(LATEST)/bin/python -m pip freeze --exclude-editable > $(LATEST)/versions.txt
	@echo "newest releases under test:"; cat $(LATEST)/versions.txt
	PFOCR_RDF_UNLOCKED=1 $(LATEST)/bin/$(TEST_CMD)
	$(LATEST)/bin/python -m mypy
	$(LATEST)/bin/python -m ruff check pfocr_rdf tests benchmarks

# The runtime dependencies, LOCK_EXTRAS and the build tools, for every Python pyproject.toml admits, with
# the hashes of every file; and apart, the taxa build's own.
lock:
	test -x $(TOOLS)/bin/uv || ($(PYTHON) -m venv $(TOOLS) && $(TOOLS)/bin/python -m pip install -q uv==$(UV_VERSION))
	$(TOOLS)/bin/uv pip compile pyproject.toml requirements/build.in $(foreach e,$(LOCK_EXTRAS),--extra $(e)) \
	    --universal --python-version 3.10 --generate-hashes -o $(LOCK)
	$(TOOLS)/bin/uv pip compile pyproject.toml requirements/build.in --extra taxa \
	    --universal --python-version 3.10 --generate-hashes -o $(TAXA_LOCK)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache

# The NCBI Taxonomy name table (pfocr_rdf/data/ncbi-taxa.tsv.xz), from Debian's r-bioc-genomeinfodbdata
# (its specData.rda, read with PyPI's rdata; no R needed). Rebuild it when that package is updated.
TAXA_TMP := $(OUT)/taxa
TAXA_VENV := .venv-taxa
taxa: $(TAXA_LOCK)
	rm -rf $(TAXA_VENV) && $(PYTHON) -m venv $(TAXA_VENV)
	$(TAXA_VENV)/bin/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r $(TAXA_LOCK)
	$(TAXA_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -rf $(TAXA_TMP) && mkdir -p $(TAXA_TMP)
	cd $(TAXA_TMP) && apt-get download r-bioc-genomeinfodbdata && dpkg-deb -x r-bioc-genomeinfodbdata_*.deb x
	$(TAXA_VENV)/bin/python -m pfocr_rdf.organisms \
	    $(TAXA_TMP)/x/usr/lib/R/site-library/GenomeInfoDbData/data/specData.rda pfocr_rdf/data/ncbi-taxa.tsv.xz
