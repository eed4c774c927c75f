# Baige: `make run` starts the demo, `make test` runs the whole test suite.
# Both install what is missing first (system packages only when run as root).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# command:packages pairs; the packages (comma-separated) are installed only when the command is missing
# (or, for a name ending in .so.<n>, when the shared library is missing: Pango for WeasyPrint's PDFs).
APT_PACKAGES ?= ffmpeg:ffmpeg ffprobe:ffmpeg msgfmt:gettext node:nodejs npm:npm \
  soffice:libreoffice-impress,fonts-dejavu-core,fonts-crosextra-carlito,fonts-crosextra-caladea \
  pdftoppm:poppler-utils pdftotext:poppler-utils \
  libpangoft2-1.0.so.0:libpango-1.0-0,libpangoft2-1.0-0,fonts-dejavu-core
TEST_APT_PACKAGES ?= chromium:chromium docker-compose:docker-compose
# The test suite talks to the real services; override to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/baige
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# DEBUG is off here as in production, and Baige then refuses its public development key: unless one is
# given, every command below signs with a random key of this checkout's own, made once in var/secret_key.
ifeq ($(SECRET_KEY)$(SECRET_KEY_FILE),)
export SECRET_KEY := $(shell mkdir -p var && (test -s var/secret_key || (umask 077 && $(PYTHON) -c \
  'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key)) && cat var/secret_key)
endif

.PHONY: run test lint system-packages test-system-packages bench-system-packages services messages static bench clean stack-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-packages:
	@missing=""; \
	for pair in $(APT_PACKAGES); do \
	  name=$${pair%%:*}; \
	  case $$name in \
	    *.so.*) /sbin/ldconfig -p 2>/dev/null | grep -q "$$name" ;; \
	    *) command -v $$name >/dev/null 2>&1 ;; \
	  esac || missing="$$missing $$(echo $${pair#*:} | tr , ' ')"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing (run as root, or install them with apt-get)"; \
	  fi; \
	fi

test-system-packages:
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(APT_PACKAGES) $(TEST_APT_PACKAGES)"

bench-system-packages:
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(APT_PACKAGES) wrk:wrk"

messages: | $(BIN)/python
	cd $(CURDIR) && $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

static: | $(BIN)/python
	$(BIN)/python manage.py collectstatic --noinput -v 0

run: system-packages $(VENV)/.runtime node_modules/.installed messages static
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Baige is running at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@echo "Background tasks: a Celery worker with a broker in plain files (var/broker); no server needed."
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/celery -A config worker --beat --schedule var/celerybeat-schedule -Q default,media,office \
	  --concurrency 2 --loglevel WARNING & \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: test-system-packages $(VENV)/.dev node_modules/.installed messages services lint
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python manage.py makemigrations --check --dry-run -v 0
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_TASK_ALWAYS_EAGER=1 \
	  FAST_PASSWORD_HASHER=1 STATIC_PLAIN=1 BAIGE_DATA_DIR=$(CURDIR)/var/test \
	  $(BIN)/pytest $(PYTEST_ARGS)

# Speed benchmarks: each prints "BENCH <name> <value> <unit> ratio=<r> target=<t>".
bench: bench-system-packages $(VENV)/.dev messages
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_media.py
	$(BIN)/python benchmarks/bench_archive.py
	$(BIN)/python benchmarks/bench_assignment.py
	$(BIN)/python benchmarks/bench_reviews.py
	$(BIN)/python benchmarks/bench_statistics.py
	$(BIN)/python benchmarks/bench_ranking.py
	$(BIN)/python benchmarks/bench_certificates.py
	$(BIN)/python benchmarks/bench_entry_files_zip.py
	$(BIN)/python benchmarks/bench_load.py

# Two web servers and a worker per queue on real PostgreSQL, Redis and S3 (moto), pushed by 30 uploads and a
# media worker killed mid-transcode; STACK_REDIS_URL picks the Redis database it empties (default db 15).
stack-test: system-packages $(VENV)/.dev messages services
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python scripts/stack_test.py

clean:
	rm -rf var/ node_modules/ $(VENV)
