# The two commands of the README, and what they need. Every target installs what it uses, so a
# fresh machine (and CI) needs nothing but Python 3.11+, and root for Debian's Chromium.
VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: site test check serve lint browser gate-tools clean

# Build the bundled courses into site/, with each course printed to PDF by Debian's Chromium
# (--print). With -P, Python imports nothing from the current folder before Sabaq starts (a course
# project may be a stranger's).
site: $(STAMP) browser
	$(PYTHON) -P -m builder build --print

# Run every test: lint, types, unit, MkDocs builds, browser tests in Debian's Chromium, and the
# quality gates (HTML validity, accessibility, links, escaping; tests/gates). One worker per core
# (pytest-xdist), each test module kept whole on one worker so that its shared builds run once,
# the longest module first (tests/conftest.py); then what measures speed (Lighthouse), alone on
# the machine, since other tests' load would slow the pages it times.
test: $(STAMP) browser gate-tools
	$(VENV)/bin/ruff check builder tests
	$(VENV)/bin/mypy
	$(PYTHON) -m pytest -q -n auto --dist loadscope --no-loadscope-reorder -m "not alone"
	$(PYTHON) -m pytest -q -m alone

check: $(STAMP)
	$(PYTHON) -P -m builder check

serve: $(STAMP)
	$(PYTHON) -P -m builder serve

$(STAMP): pyproject.toml
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[test,print]'
	touch $(STAMP)

# The PDFs and the browser tests use Debian's Chromium, never a browser download. A missing
# browser is a failure.
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium, which prints the PDFs and runs the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "error: cannot install chromium (run as root, or: apt-get install chromium)" >&2; exit 1; }; }

# The quality gates run the W3C Nu HTML Checker (npm vnu-jar, on Debian's Java), axe-core and
# Lighthouse (npm, Lighthouse on the machine's Node.js and Debian's Chromium),
# installed into ./node_modules from package-lock.json. Install scripts are not run: vnu-jar's
# would download a Java runtime, and the jar it needs is in the package. A missing tool is a failure.
gate-tools: $(NODE_STAMP)
	@command -v java >/dev/null || { \
	  echo "Installing Debian's default-jre-headless for the HTML checker"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null) \
	  || { echo "error: cannot install java (run as root, or: apt-get install default-jre-headless)" >&2; exit 1; }; }

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { \
	  echo "Installing Debian's npm for the quality gates"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) \
	  || { echo "error: cannot install npm (run as root, or: apt-get install npm)" >&2; exit 1; }; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

clean:
	rm -rf site $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
