# Akademi PPID — the two commands are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint format migrations-check worker messages check-deploy clean help

help:
	@echo "make demo              install, migrate, seed the demo and serve on http://$(HOST):$(PORT)"
	@echo "make test              run the whole test suite"
	@echo "make lint              ruff and the import contracts"
	@echo "make migrations-check  fail when a model change has no migration"
	@echo "make worker            Celery worker + beat (needs CELERY_BROKER_URL, e.g. Redis)"
	@echo "make messages          refresh and compile the translation catalogues"

# The virtualenv is rebuilt when a requirements file changes; a stamp file
# records what was installed so repeated runs cost nothing.
$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))" || { echo "Python 3.11 is required (found: $$($(PYTHON) --version 2>&1))."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

demo: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo
	@echo "Akademi PPID: http://$(HOST):$(PORT)/  (accounts and password: see README.md)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(VENV)/.runtime
	$(PY) manage.py makemigrations --check --dry-run

worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A lms worker --beat --loglevel=info --concurrency=2

messages: $(VENV)/.runtime
	$(PY) manage.py makemessages -l id --ignore=.venv --ignore=node_modules --ignore="tests/*" --ignore="bench/*" --no-obsolete
	$(PY) manage.py compilemessages -l id --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
