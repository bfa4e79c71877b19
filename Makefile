# Two commands do all the set-up themselves: `make extract` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed
OUT := data/out

.PHONY: setup extract test browser bench bench-adversarial rules-check snapshot clean

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

# tests/test_report.py drives Debian's Chromium through chromedriver (never a browser
# a test tool downloads); install both when either is missing, with sudo when not root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || ! command -v sudo >/dev/null || echo sudo)

# A CJK font too, so the report screenshot (data/out/report.png) shows the text, not boxes.
browser:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list :lang=zh | grep -q . || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei)

test: $(READY) browser
	$(BIN)/ruff check pipeline tests
	$(BIN)/python -m pipeline rules check
	$(BIN)/python -m pytest -q

bench: $(READY)
	$(BIN)/python -m pipeline.bench

bench-adversarial: $(READY)
	$(BIN)/python -m pipeline.bench_adversarial

rules-check: $(READY)
	$(BIN)/python -m pipeline rules check

# The reference sets as text, one line per fact (tests/snapshots/, committed):
# run after a rule change and commit the files with it.
snapshot: $(READY)
	$(BIN)/python -m pipeline snapshot

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis
