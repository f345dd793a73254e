# Newsroom: `make run` serves the demo site, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV := DEBUG=1

# The tests that touch media storage, run again by `make test-s3` with media on a SeaweedFS bucket.
STORAGE_TESTS := tests/test_photos.py tests/test_renditions.py tests/test_public_pages.py \
	tests/test_photo_slots.py tests/test_operations.py tests/test_object_storage.py tests/test_cards.py \
	tests/test_archive.py tests/test_import_build.py tests/e2e/test_object_storage.py

.PHONY: install run test test-s3 lint format migrations bench bench-wagtail e2e clean

# Production needs requirements.txt only; development and tests add requirements-dev.txt.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py create_editor
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(VENV)/bin/pytest

# The storage tests with media on a real S3-compatible store (SeaweedFS, started by tests/conftest.py).
test-s3: install
	TEST_STORAGE=s3 $(VENV)/bin/pytest $(STORAGE_TESTS)

# The browser and HTML validity tests alone, failing rather than skipping without Chromium or Java.
e2e: install
	E2E_REQUIRED=1 $(VENV)/bin/pytest tests/e2e tests/test_html_validity.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations: install
	$(DEV) $(PY) manage.py makemigrations articles

bench: install
	$(PY) bench/serve_and_measure.py

# Side by side with a Wagtail 8 site on the same content; Wagtail goes in a virtualenv of its own, outside the repository.
bench-wagtail: install
	$(PY) bench/against_wagtail.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm db.sqlite3-changes media staticfiles
