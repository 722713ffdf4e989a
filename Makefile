# catalogus — bouwen, starten en testen (GNU make). `make help` toont deze lijst.
#
#   make run      maakt .venv, controleert de inhoud, bouwt de zoekindex en start de site op http://127.0.0.1:8000
#                 (ander adres of andere poort: make run HOST=0.0.0.0 PORT=8080)
#   make demo     één demo-account per rol met een eenmalig getoond wachtwoord (alleen om lokaal te proberen)
#   make check    controleert de inhoud (catalogus check)
#   make test     installeert wat de tests nodig hebben (ook Debian chromium en postgresql), start een
#                 tijdelijke PostgreSQL en draait alle tests (extra pytest-opties: make test PYTEST_ARGS='-k zoeken -x')
#   make venv     maakt .venv (Python 3.11 of nieuwer) en installeert catalogus daarin (pip install -e .)
#   make bench    draait elke bench/*.py met de Python van .venv
#   make vendor   npm ci en kopieert de vastgezette front-end-bestanden naar static/vendor en tests/vendor
#   make clean    verwijdert caches, bouwresultaten, node_modules en .tmp (stopt de testdatabase)
#   make distclean  clean en verwijdert ook .venv

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# First interpreter on PATH that is Python >= 3.11 (override: make venv PYTHON=python3.12).
PYTHON ?= $(firstword $(foreach p,python3 python3.13 python3.12 python3.11,\
  $(shell command -v $(p) >/dev/null 2>&1 && $(p) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $(p))))

VENV       := .venv
VPY        := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.stamp-install
TEST_STAMP := $(VENV)/.stamp-install-test
PIP        := $(VPY) -m pip --disable-pip-version-check

HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
export PYTEST_ARGS

.PHONY: help venv test-deps run check demo test bench vendor clean distclean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

# ---------------------------------------------------------------- venv
venv: $(VENV_STAMP)

$(VPY):
	@if [ -z "$(PYTHON)" ]; then echo "fout: geen python3 van versie 3.11 of nieuwer gevonden (zet PYTHON=...)" >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)

# Re-installs whenever pyproject.toml is newer than the stamp.
$(VENV_STAMP): pyproject.toml | $(VPY)
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	@touch $@

test-deps: $(TEST_STAMP)

$(TEST_STAMP): $(VENV_STAMP) pyproject.toml
	$(PIP) install -e '.[test]'
	@touch $@

# ---------------------------------------------------------------- app
run: venv
	$(VENV)/bin/catalogus check
	$(VENV)/bin/catalogus index
	$(VENV)/bin/catalogus serve --host $(HOST) --port $(PORT)

check: venv
	$(VENV)/bin/catalogus check

demo: venv
	$(VENV)/bin/catalogus demo

# ---------------------------------------------------------------- tests
# Times the whole target (installing included) and says so at the end, also when tests fail.
test:
	@started=$$(date +%s); rc=0; \
	$(MAKE) --no-print-directory test-deps && scripts/test.sh || rc=$$?; \
	seconds=$$(( $$(date +%s) - started )); \
	echo "make test duurde $$((seconds / 60)) min $$((seconds % 60)) s" >&2; \
	exit $$rc

bench: venv
	@shopt -s nullglob; files=(bench/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "bench: geen bench/*.py"; exit 0; fi; \
	for f in "$${files[@]}"; do echo "== $$f"; $(VPY) "$$f"; done

# ---------------------------------------------------------------- static assets
# Pinned in package.json / package-lock.json; the copied files are committed.
NPM_MODULES := node_modules

vendor:
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	mkdir -p static/vendor/htmx static/vendor/utrecht tests/vendor
	cp $(NPM_MODULES)/htmx.org/dist/htmx.min.js                       static/vendor/htmx/htmx.min.js
	cp $(NPM_MODULES)/htmx.org/LICENSE                                static/vendor/htmx/LICENSE
	cp $(NPM_MODULES)/@utrecht/component-library-css/dist/index.css   static/vendor/utrecht/component-library.css
	cp $(NPM_MODULES)/@utrecht/component-library-css/LICENSE.md       static/vendor/utrecht/component-library-css.LICENSE.md
	cp $(NPM_MODULES)/axe-core/axe.min.js                             tests/vendor/axe.min.js
	cp $(NPM_MODULES)/axe-core/LICENSE                                tests/vendor/axe-core.LICENSE
	cp $(NPM_MODULES)/axe-core/LICENSE-3RD-PARTY.txt                  tests/vendor/axe-core.LICENSE-3RD-PARTY.txt
	@for p in htmx.org @utrecht/component-library-css axe-core; do \
	  printf '%-34s %s\n' "$$p" "$$(node -p "require('./$(NPM_MODULES)/$$p/package.json').version")"; done

# ---------------------------------------------------------------- housekeeping
clean:
	-@[ -x scripts/pg-test-server.sh ] && scripts/pg-test-server.sh stop || true
	rm -rf .tmp build dist *.egg-info .pytest_cache .hypothesis $(NPM_MODULES)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
