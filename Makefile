# Two commands: `make run` and `make test`. Everything else here is what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test

run: $(VENV)/.installed portal/translations/.compiled
	$(BIN)/flask db upgrade
	$(BIN)/flask calendar sync
	$(BIN)/flask seed-demo
	@echo "Serving on http://127.0.0.1:5000, mail and reminders run beside it (Ctrl+C stops both)"
	$(BIN)/flask jobs run & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed portal/translations/.compiled
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every package, transitive ones included, comes pinned with its hashes from requirements.lock
# (regenerate it after changing pyproject.toml: see README, "Dependencies").
$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Python 3.11 or newer is needed (set PYTHON=python3.11)"; exit 1)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

portal/translations/.compiled: $(VENV)/.installed $(wildcard portal/translations/*/LC_MESSAGES/messages.po)
	$(BIN)/pybabel compile --use-fuzzy -d portal/translations
	touch $@
