# Voicebox: `make run` to try it, `make test` to check it. Both create the virtualenv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test lint install migrate demo clean messages language

# Installs again whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Voicebox needs Python 3.11: run make PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing Voicebox and its dependencies into $(VENV)/ (the first time takes a few minutes)..."
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Demo stories and a local admin: both only add what is missing, so every `make run` can do it.
demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_local_admin

# Web and workers together on the embedded default (SQLite, local files, database queue). Ctrl-C stops them all.
# Links in emails go to the port served on, also from the workers (honcho gives each process a PORT of its own).
run: demo
	@echo "Voicebox is starting on http://localhost:$(PORT)/ (admin: http://localhost:$(PORT)/admin/)"
	SITE_URL="$${SITE_URL:-http://localhost:$(PORT)}" PORT=$(PORT) $(BIN)/honcho start --procfile Procfile.dev

# The whole suite, then the production parts again on PostgreSQL and Redis/RQ (tests/run_suite.py).
test: install
	$(BIN)/python tests/run_suite.py

# The JavaScript linter comes from the npm registry, pinned by package-lock.json; installed again when the lock changes.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Python (ruff), templates (djlint, rules in pyproject.toml) and the site's scripts (eslint, eslint.config.mjs).
# No dependency audit: pip-audit needs an advisory database, and none can be installed from the registries this project
# reaches (PyPI and npm ship only downloaders; the OSV and PyPI advisory services are not reachable), so `make lint`
# would need the network. See README, "Development".
lint: install node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates $(wildcard */templates) --lint
	npx --no-install eslint .

# Interface languages (README, "Interface languages"); both need GNU gettext (Debian's package gettext).
# `make messages` gathers every translatable string into each language's file, then compiles them: run it after
# changing the interface's words, then translate what is new (the compiled .mo files are committed, so `make run`
# needs no gettext). `make language CODE=fr` starts a new language's file: translate it, then `make messages`.
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench --ignore=docs --ignore=static_collected
messages: install
	$(BIN)/python manage.py makemessages --all --no-obsolete --no-wrap $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

language: install
	@test -n "$(CODE)" || { echo "Which language? For example: make language CODE=fr"; exit 1; }
	$(BIN)/python manage.py makemessages --locale=$(CODE) --no-wrap $(MESSAGES_IGNORE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules
