# Doudi: two commands on a fresh machine — `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
DOUDI  := $(VENV)/bin/doudi
HTMX   := doudi/static/vendor/htmx.min.js
ECHARTS := doudi/static/vendor/echarts.min.js
STAMP  := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
PORT   ?= 8000
# Packages are installed by uv (pinned in requirements.lock like the rest), with pip as the fallback where uv
# cannot run: uv resolves and installs the same pinned set about four times faster (application packages on an
# empty cache: 16 s against 68 s with pip on this machine), which is most of what makes `make demo` serve within two
# minutes of a fresh clone. Set-up prints errors, not notices (-q; pip: its version check, running as root, an
# index the machine's pip configuration names but does not have).
PIP_QUIET := --disable-pip-version-check --no-input -qq
export PIP_ROOT_USER_ACTION := ignore
UV     := $(VENV)/bin/uv
# install PACKAGES...: uv when it is there, else pip (same constraints file)
INSTALL = if [ -x $(UV) ]; then $(UV) pip install -q --python $(PY) -c requirements.lock $(1); \
          else $(PIP) install $(PIP_QUIET) -c requirements.lock $(1); fi

.PHONY: demo test install install-run assets serve bench load messages clean chromium java libreoffice lint

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(UV): | $(VENV)/bin/python
	$(PIP) install $(PIP_QUIET) -c requirements.lock uv || echo "uv is not available here: installing with pip"

# What the application needs (enough for `make demo`), then what the tests and linters need besides.
# (a venv that already has the test extras, up to date, has the application too)
$(RUN_STAMP): pyproject.toml requirements.lock | $(UV)
	test $(STAMP) -nt pyproject.toml -a $(STAMP) -nt requirements.lock || { $(call INSTALL,-e .); }
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml requirements.lock | $(UV)
	$(call INSTALL,-e '.[test]')
	touch $(STAMP) $(RUN_STAMP)

install: $(STAMP) assets
install-run: $(RUN_STAMP) assets

# Front-end assets come from the npm registry (pinned in package.json / package-lock.json), never a CDN.
$(HTMX): package.json
	npm install --no-audit --no-fund --loglevel=error
	mkdir -p doudi/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $(HTMX)

# ECharts (Apache-2.0) draws the statistics dashboards; the same npm install brings it
$(ECHARTS): package.json
	npm install --no-audit --no-fund --loglevel=error
	mkdir -p doudi/static/vendor
	cp node_modules/echarts/dist/echarts.min.js $(ECHARTS)

assets: $(HTMX) $(ECHARTS)

demo: install-run
	$(DOUDI) migrate --noinput -v 0
	$(DOUDI) demo
	@echo ""
	@echo "Doudi: open http://127.0.0.1:$(PORT) and log in with one of the accounts above."
	$(DOUDI) serve --host 127.0.0.1 --port $(PORT)

serve: install-run
	$(DOUDI) serve

# Browser tests need Debian's chromium; installed here when missing (CI runs as root).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: run 'sudo apt-get install chromium' for the browser tests"; fi; }

# The Spark engine's test (tests/matching/test_spark.py) needs a Java runtime: Debian's, installed here when missing.
java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "java missing: run 'sudo apt-get install default-jre-headless' for the Spark test"; fi; }

# The annual work summary's test opens the .docx in LibreOffice (Debian's, without a GUI); installed the same way,
# with a Chinese font: the summary asks for 宋体 (SimSun, on every bureau PC), which fontconfig maps to Noto Serif
# CJK SC here; without any Chinese font LibreOffice draws every character with one fallback glyph.
libreoffice:
	@{ command -v soffice >/dev/null 2>&1 && fc-list :lang=zh | grep -q . ; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui fonts-noto-cjk >/dev/null; \
	  else echo "LibreOffice or a Chinese font missing: run 'sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk' for the work summary test"; fi; }

# The suite runs in one process per core (pytest-xdist; at most 4), whole test files to a process so a module's
# fixtures are built once; each process has its own test database and data folder (doudi/settings/test.py).
# TEST_WORKERS=0 runs it in this one process. .ci/run runs the PostgreSQL suite with the same flags.
TEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(TEST_WORKERS) --maxprocesses=4 --dist loadfile

test: install chromium java libreoffice lint
	$(PY) -m pytest $(PYTEST_PARALLEL)

# One-way import layers (pyproject.toml [tool.importlinter]) and the style rules ([tool.ruff]).
lint: install
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check doudi tests benchmarks scripts
	$(VENV)/bin/ruff format --check doudi tests benchmarks scripts

# Scale benchmarks on a throwaway PostgreSQL (figures recorded in docs/benchmarks.md).
bench: install load
	scripts/with-postgres.sh $(PY) -m benchmarks.run
	$(PY) -m benchmarks.matching

# 50 staff doing a day's work for 5 minutes against PostgreSQL (Locust, headless): 0 errors, p95 recorded.
load: install
	$(call INSTALL,-e '.[bench]')
	scripts/with-postgres.sh $(PY) -m benchmarks.load

# Re-extract interface strings and refill the English catalogue from scripts/translations_en.py.
messages: install
	$(call INSTALL,polib)
	cd doudi && ../$(DOUDI) makemessages -l en --no-obsolete --no-location
	$(PY) scripts/translations_en.py

clean:
	rm -rf $(VENV) node_modules doudi/static/vendor db.sqlite3 var
