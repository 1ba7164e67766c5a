# Everyday commands. CI (.ci/run) calls these targets rather than copies of their commands.
#   make run        set up, migrate, load the demo data, serve http://127.0.0.1:8000 + task worker
#   make test       the whole test suite, browser tests included (PYTEST_ARGS="-k goal -x")
#   make test-fast  the suite without the browser tests
#   make lint       ruff check + format --check, the layers, mypy   make format   fix what ruff can
#   make check      Django's system checks, missing migrations, deployment checks
#   make browser    make sure a Chromium is available for the browser tests
#   make messages   compile the translations (make messages-check: is the Spanish complete?)
#   make clean      remove generated files (keeps .venv and db.sqlite3)
#   make bench      seed the state-wide world into PostgreSQL (mentoring_bench), time the key pages
#   make cluster-check  two web nodes and a task worker on PostgreSQL and Redis (bin/cluster_check.py)

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
# Management commands run against the local development settings.
MANAGE := DJANGO_DEBUG=true $(PYTHON) manage.py
PYTEST_ARGS ?=
# Test processes run side by side (pytest-xdist); the machines have two cores.
TEST_WORKERS ?= 2
# The interpreter to build .venv with; empty means the first Python >= 3.12 found.
VENV_PYTHON ?=

# Production-like environment for `check --deploy`; the keys are placeholders, never used.
DEPLOY_ENV := DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY=check-deploy-placeholder-Zq8rT3vLx9Wm2Kp7Ny4Bc6Hd1Fg5Js0Qa \
	DJANGO_FIELD_ENCRYPTION_KEY=Y2hlY2stZGVwbG95LXBsYWNlaG9sZGVyLWtleS1vbnk= \
	DJANGO_ALLOWED_HOSTS=example.org \
	DJANGO_SITE_URL=https://example.org \
	DJANGO_DEFAULT_FROM_EMAIL=mentoring@example.org \
	DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend

HEADLESS_SHELL := /usr/lib/chromium/chromium-headless-shell
SYSTEM_CHROMIUMS := /usr/lib/chromium/chromium /usr/bin/chromium

.PHONY: help venv run test test-fast lint format check browser clean bench cluster-check \
	messages messages-check gettext pdf-libs

help:
	@sed -n '2,11s/^#//p' Makefile

# A fresh clone works: the virtualenv, then the compiled translations (never committed).
venv: $(VENV)/.installed messages

# Re-installs only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@set -e; \
	if ! [ -x $(PYTHON) ] || ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		found=""; \
		candidates="$(VENV_PYTHON) python3.13 python3.12 python3"; \
		if command -v pyenv >/dev/null 2>&1; then \
			candidates="$$candidates $$(ls -d "$$(pyenv root)"/versions/3.* 2>/dev/null | sort -rV | sed 's|$$|/bin/python3|')"; \
		fi; \
		for candidate in $$candidates; do \
			if command -v $$candidate >/dev/null 2>&1 \
				&& $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
				found=$$candidate; break; \
			fi; \
		done; \
		if [ -z "$$found" ]; then \
			echo "error: this project needs Python 3.12 or newer (Django 6)." >&2; \
			echo "       Tried: $$candidates" >&2; \
			echo "       Install one, or name it: make venv VENV_PYTHON=/path/to/python3.13" >&2; \
			exit 1; \
		fi; \
		echo "Creating $(VENV) with $$found ($$($$found --version))"; \
		rm -rf $(VENV); \
		$$found -m venv $(VENV); \
	fi
	$(BIN)/pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	@$(MAKE) --no-print-directory pdf-libs
	touch $@

# The translations (docs/translation.md): each catalogue compiled when it changes. The .mo files
# are built, never committed.
LOCALE_MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

messages: $(LOCALE_MO)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | gettext $(VENV)/.installed
	$(MANAGE) compilemessages -l $* -i .venv -i node_modules -i "wt-*" --verbosity 0

# Fails when makemessages would add or drop a string, or a string has no Spanish or is fuzzy.
messages-check: venv
	$(PYTHON) bin/messages_check.py

# GNU gettext (makemessages, compilemessages): Debian's package when we may (root with apt-get).
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's gettext package..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
		else echo "error: GNU gettext is needed (apt-get install gettext, brew install gettext)." >&2; exit 1; fi; }

# The PDF reports (WeasyPrint) need Pango and a font from the system. Installed with Debian's
# packages when they are missing and we may (root with apt-get); otherwise a clear message.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-libs:
	@if ! $(PYTHON) -c 'import weasyprint' >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Pango and fonts for the PDF reports..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES); \
		else \
			echo "error: the PDF reports need Pango: apt-get install $(PDF_PACKAGES)" >&2; exit 1; \
		fi; \
	fi

# The task worker runs beside the web server and stops with it (Ctrl+C stops both).
run: venv
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) outbox_requeue_stale
	$(MANAGE) collectstatic --noinput --verbosity 0
	@set -e; \
	$(MANAGE) db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

test: venv browser
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test-fast: venv
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal -m "not e2e" $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_DEBUG=true $(BIN)/mypy

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: venv
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PYTHON) manage.py check --deploy --fail-level WARNING

# Order: $CHROMIUM_PATH, Debian's headless shell (the browser tests run a quarter faster in it),
# installed when we may (root with apt-get), Debian's chromium, a browser from `playwright
# install`. With CI=true a missing browser is an error; elsewhere the browser tests skip
# themselves with a message.
browser: venv
	@set -e; \
	if [ -n "$${CHROMIUM_PATH:-}" ]; then \
		if [ -x "$$CHROMIUM_PATH" ]; then echo "Chromium: $$CHROMIUM_PATH"; exit 0; fi; \
		echo "error: CHROMIUM_PATH=$$CHROMIUM_PATH is not an executable file." >&2; exit 1; \
	fi; \
	if [ -x $(HEADLESS_SHELL) ]; then echo "Chromium: $(HEADLESS_SHELL)"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium-headless-shell package..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell; \
		exit 0; \
	fi; \
	for candidate in $(SYSTEM_CHROMIUMS); do \
		if [ -x "$$candidate" ]; then echo "Chromium: $$candidate"; exit 0; fi; \
	done; \
	if $(PYTHON) -c 'import os, sys; from playwright.sync_api import sync_playwright; p = sync_playwright().start(); ok = os.path.exists(p.chromium.executable_path); p.stop(); sys.exit(not ok)' 2>/dev/null; then \
		echo "Chromium: installed by Playwright"; exit 0; \
	fi; \
	echo "No Chromium found. Install your system's chromium-headless-shell or chromium package," >&2; \
	echo "set CHROMIUM_PATH, or run: $(BIN)/playwright install chromium" >&2; \
	case "$${CI:-}" in 1|true|TRUE|True|yes) exit 1;; esac; \
	echo "(The browser tests will be skipped.)" >&2

clean:
	rm -rf staticfiles test-output .pytest_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

# The benchmark has its own database, apart from everyone's `mentoring`: `seed_scale` adds
# about 2 million rows. BENCH_SCALE=0.02 for a quick try; BENCH_ARGS="--quick" for a short run.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentoring_bench
BENCH_SCALE ?= 1.0
# The bench program's relationships and bench-mentor's caseload: each page is timed at two sizes.
BENCH_PROGRAM_SIZE ?= 2000
BENCH_CASELOAD ?= 80
BENCH_ARGS ?=

bench: venv
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
		else echo "error: wrk is needed (apt-get install wrk)." >&2; exit 1; fi; }
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_SCALE=$(BENCH_SCALE) \
		BENCH_PROGRAM_SIZE=$(BENCH_PROGRAM_SIZE) BENCH_CASELOAD=$(BENCH_CASELOAD) \
		$(PYTHON) bench/run.py $(BENCH_ARGS)

# Two gunicorn nodes and a task worker on one PostgreSQL and one Redis, production settings:
# a session made on one node holds on the other, a task queued through a node is run, a worker
# killed in the middle of a send is recovered without sending twice, a stopped node leaves the
# other serving. Its own database (CLUSTER_DATABASE_URL, default mentoring_cluster, made anew
# and dropped) and Redis database (CLUSTER_REDIS_URL, default redis://127.0.0.1:6379/5, flushed).
cluster-check: venv
	$(PYTHON) bin/cluster_check.py
