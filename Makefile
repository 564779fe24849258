# The two commands of the README: `make demo` and `make test`. Everything else supports them.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
UV := python3 -m uv
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/pilar
SCALE_URL ?= postgres://postgres@127.0.0.1:5432/pilar_scale
# Never let uv download a Python: the machine's 3.13 (pyenv, .python-version) is used.
export UV_PYTHON_DOWNLOADS := never
# The machine sets PYTHONDONTWRITEBYTECODE; compiling once at install keeps start-up fast.
export UV_COMPILE_BYTECODE := 1

.PHONY: install system-packages demo test lint typecheck test-sqlite test-postgres bench bench-scale messages screenshots

$(VENV)/.installed: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

install: $(VENV)/.installed

demo: install
	-scripts/ensure-debian-packages
	PILAR_DEMO=true $(BIN)/pilar demo

test: install system-packages lint typecheck test-sqlite test-postgres

# Debian packages beside Python: chromium (browser tests), Pango and fonts (PDF), gettext.
system-packages:
	scripts/ensure-debian-packages

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest -q -n 2

test-postgres: install
	scripts/ensure-postgres
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -q -n 2

messages: install
	PILAR_DEBUG=true $(BIN)/pilar makemessages -l id --no-obsolete --add-location file -i ".venv/*" -i "tests/*" -i "bench/*"
	PILAR_DEBUG=true $(BIN)/pilar compilemessages --ignore ".venv/*"

bench: install
	$(BIN)/python bench/load_regions.py
	$(BIN)/python bench/import_workers.py
	$(BIN)/python bench/import_people.py

# 10,000,000 people on a scratch PostgreSQL database (kept between runs; ~25 minutes to fill).
bench-scale: install
	DATABASE_URL=$(SCALE_URL) $(BIN)/python bench/ppks_scale.py

# The README's screenshots (docs/screenshots/), from a scratch demo in the system's chromium.
screenshots: install system-packages
	$(BIN)/python scripts/screenshots.py
