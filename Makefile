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

extract: $(READY)
	$(BIN)/python -m pipeline extract data/raw --out $(OUT)

test: $(READY)
	$(BIN)/python -m pipeline rules check
	$(BIN)/python -m pytest -q

bench: $(READY)
	$(BIN)/python -m pipeline.bench

rules-check: $(READY)
	$(BIN)/python -m pipeline rules check

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis
