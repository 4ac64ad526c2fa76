# The few commands people type. `make run` for a local demo, `make test` for everything CI runs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# Production-like settings for `check --deploy`: what a real installation must set.
# Recursively expanded, so the throwaway key is only made when the check runs.
DEPLOY_ENV = DEBUG=false ALLOWED_HOSTS=mentoring.example.nl \
	SECRET_KEY=$(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')

.PHONY: run test lint system-check messages clean

system-check:
	@bash scripts/check-system.sh "$(PYTHON)"

$(VENV)/.runtime: requirements.txt | system-check
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

messages: $(VENV)/.runtime
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv -v0

.env:
	@echo "Writing .env with DEBUG=true for local development (see .env.example)."
	@printf '# Local development only. See .env.example for every setting.\nDEBUG=true\n' > .env

run: $(VENV)/.runtime messages .env
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000 (embedded default: SQLite, jobs in-process, mail to this console)"
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: lint messages
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	DEBUG=true $(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache .ruff_cache
	find . -name '*.mo' -path './locale/*' -delete
