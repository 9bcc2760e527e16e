# Two commands for a fresh machine:
#   make run    install everything, then serve the assistant on http://127.0.0.1:8765
#   make test   install everything, then run the test suite (what CI runs)
.PHONY: install run test eval lint

install:
	./scripts/install.sh

run: install
	.venv/bin/assistant serve

test: install
	./scripts/install-browser.sh
	./scripts/install-postgres.sh
	.venv/bin/python -m pytest -q

eval: install
	.venv/bin/assistant eval
