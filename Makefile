# Dangjian: the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
DJ := $(VENV)/bin/dangjian
HOST ?= 127.0.0.1
PORT ?= 8000
# runserver is one process: under 50 people paging at once its p95 passed 5 s (bench/load_server.py)
WORKERS ?= 3
VENDOR := src/dangjian/core/static/vendor

.PHONY: install run test check bench fmt messages clean debian-deps ldap-headers

install: $(VENV)/.installed $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: $(UV) uv.lock pyproject.toml | ldap-headers
	$(UV) sync --frozen --quiet
	touch $@

# python-ldap (directory sign-in, accounts.directory) has no wheel on PyPI: it compiles against OpenLDAP's and
# Cyrus SASL's headers. On Linux they are installed with apt-get when missing (needs root), before `uv sync` builds
# it; elsewhere the system's own packages provide them.
ldap-headers:
	@if [ "$$(uname -s)" = Linux ] && { [ ! -f /usr/include/ldap.h ] || [ ! -f /usr/include/sasl/sasl.h ]; }; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing libldap2-dev and libsasl2-dev (headers for python-ldap)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      libldap2-dev libsasl2-dev; \
	  else \
	    echo "python-ldap needs the OpenLDAP and SASL headers: install libldap2-dev and libsasl2-dev" \
	      "(Debian/Ubuntu, as root: apt-get install libldap2-dev libsasl2-dev; Fedora: openldap-devel" \
	      "cyrus-sasl-devel), then run make install again" >&2; \
	    exit 1; \
	  fi; \
	fi

# Front-end assets come from the npm registry at install time and are served locally.
$(VENDOR)/htmx.min.js: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	touch $@

# ECharts for the dashboards: its HTML tooltips set inline styles, which the strict CSP blocks; the dashboards use
# its rich-text tooltips (dangjian.dashboard).
$(VENDOR)/echarts.min.js: $(VENDOR)/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	touch $@

run: install
	$(DJ) migrate --noinput
	$(DJ) demo --scale institute --if-empty
	$(DJ) dashboard-warm
	$(DJ) logins --url http://$(HOST):$(PORT)/
	@# One background-job worker beside the server; Ctrl-C (or the server ending) stops both.
	@$(DJ) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(VENV)/bin/gunicorn dangjian.wsgi --workers $(WORKERS) --threads 8 --keep-alive 30 --timeout 120 --bind $(HOST):$(PORT)

test: install
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

check: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(DJ) makemigrations --check --dry-run >/dev/null
	$(DJ) check --fail-level WARNING
	@# types: the files and their strictness are in pyproject.toml [tool.mypy]
	$(VENV)/bin/mypy

fmt: install
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench

# The English catalogue: extract every msgid (``N_`` marks those of the pure rule modules, core.lazytext) into
# locale/en/LC_MESSAGES/django.po; translate the new entries there, then `dangjian compilemessages`.
messages: install
	cd src/dangjian && ../../$(DJ) makemessages -l en --ignore 'tests/*' --ignore 'testing/*' \
	  --no-location --no-obsolete -d django

bench: install
	@ls bench/*.py

# Debian packages for the browser and document tests (needs root): Chromium, CJK fonts, Liberation (the metrics of
# Times New Roman, the Latin face of the documents), LibreOffice without a display to convert the generated .docx
# and .xlsx to PDF, and poppler's pdfinfo/pdftoppm to read the PDF; slapd and ldap-utils for the directory sign-in
# tests, which start a throwaway OpenLDAP server.
debian-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	fc-list 2>/dev/null | grep -qi "Liberation Serif" || missing="$$missing fonts-liberation"; \
	dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	command -v pdfinfo >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -x /usr/sbin/slapd ] || missing="$$missing slapd"; \
	command -v ldapadd >/dev/null 2>&1 || missing="$$missing ldap-utils"; \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

clean:
	rm -rf $(VENV) .tools node_modules $(VENDOR)
