# The two commands of the README, and what they need. Every target installs what it uses, so a
# fresh machine (and CI) needs nothing but Python 3.11+, and root for Debian's Chromium.
VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test check serve lint browser clean

# Build the bundled courses into site/.
site: $(STAMP)
	$(PYTHON) -m builder build

# Run every test: lint, types, unit, MkDocs builds, and browser tests in Debian's Chromium.
test: $(STAMP) browser
	$(VENV)/bin/ruff check builder tests
	$(VENV)/bin/mypy
	$(PYTHON) -m pytest -q

check: $(STAMP)
	$(PYTHON) -m builder check

serve: $(STAMP)
	$(PYTHON) -m builder serve

$(STAMP): pyproject.toml
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Browser tests use Debian's Chromium, never a browser download. A missing browser is a failure.
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "error: cannot install chromium (run as root, or: apt-get install chromium)" >&2; exit 1; }; }

clean:
	rm -rf site $(VENV) .pytest_cache .mypy_cache .ruff_cache
