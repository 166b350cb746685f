# Voicebox: `make run` to try it, `make test` to check it. Both create the virtualenv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test lint install migrate demo worker clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_local_admin

# Web and worker together, on the embedded default (SQLite, local files, database queue).
run: demo
	@echo "Voicebox is starting on http://localhost:$(PORT)/ (admin: http://localhost:$(PORT)/admin/)"
	PORT=$(PORT) $(BIN)/honcho start --procfile Procfile.dev

test: install
	$(BIN)/python tests/run_suite.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
