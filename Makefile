# Two commands do all the set-up themselves: `make extract` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed
OUT := data/out

.PHONY: setup extract test bench rules-check clean

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(READY)

setup: $(READY)

# The sample page prints no date; ../shared/corpus/README.md dates it to
# November 2024, which resolves its 今年 and 目前.
SAMPLE_DATE ?= 2024-11-01

extract: $(READY)
	$(BIN)/python -m pipeline extract data/raw --out $(OUT) --date $(SAMPLE_DATE)

test: $(READY)
	$(BIN)/python -m pipeline rules check
	$(BIN)/python -m pytest -q

bench: $(READY)
	$(BIN)/python -m pipeline.bench

rules-check: $(READY)
	$(BIN)/python -m pipeline rules check

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis
