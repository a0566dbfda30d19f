# Idealoop: `make run` serves the demo site, `make test` runs every test against real services.
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
CLUSTER_TESTS ?= tests/cluster

.PHONY: run test cluster lint format venv test-deps node-deps system-deps migrate demo bench bench-http bench-email bench-api reindex clean messages messages-extract

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

# Tools the browser tests inject into pages (axe-core), pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: system-deps node_modules/.installed

## run: the demo site with embedded defaults (SQLite, in-memory channels, database search)
run: venv
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo --url http://$(HOST):$(PORT)/
	$(VENV)/bin/gunicorn community.asgi:application --bind $(HOST):$(PORT) --workers 1 \
		--worker-class community.core.gunicorn_worker.Worker --graceful-timeout 5 --no-control-socket

## test: start throwaway PostgreSQL, Redis and Elasticsearch, run pytest, stop them
test: venv system-deps node-deps
	$(PY) scripts/testenv.py -- $(PY) -m pytest $(PYTEST_ARGS)

## cluster: the same code as a cluster on loopback (two ASGI workers behind HAProxy,
## a two-node Elasticsearch cluster, PostgreSQL, Redis); runs the tests marked `cluster`
cluster: venv system-deps
	$(PY) scripts/testenv.py --cluster -- $(PY) -m pytest -m cluster $(PYTEST_ARGS) $(CLUSTER_TESTS)

## bench: 100,000 ideas and 1,000,000 votes in throwaway servers; time pages, search and HTTP
bench: venv system-deps
	mkdir -p var/static
	DEBUG=false $(PY) scripts/testenv.py -- sh -c '$(PY) manage.py migrate -v0 \
		&& $(PY) manage.py bench_search $(BENCH_ARGS) && $(PY) manage.py bench_ideas $(BENCH_ARGS) \
		&& $(PY) manage.py bench_listening $(BENCH_ARGS) \
		&& $(PY) manage.py bench_api $(BENCH_ARGS) \
		&& $(PY) manage.py bench_http $(BENCH_ARGS) $(HTTP_ARGS) \
		&& TASKS_BACKEND=database $(PY) manage.py bench_realtime $(REALTIME_ARGS) \
		&& TASKS_BACKEND=database $(PY) manage.py bench_realtime --ideas 2000 $(REALTIME_ARGS) \
		&& TASKS_BACKEND=database $(PY) manage.py bench_email $(EMAIL_ARGS) \
		&& TASKS_BACKEND=database $(PY) manage.py bench_webhooks $(WEBHOOK_ARGS)'

## bench-http: the site over HTTP with wrk on the production stack (2 workers, 16
## connections), every page beside a bare hello view; HTTP_ARGS="--compare" serves
## hello, the list and the idea page with uvicorn, granian and gunicorn in turn
## (BENCH_ARGS="--ideas 2000 --votes 20000 --members 500" for a quick run)
bench-http: venv system-deps
	mkdir -p var/static
	DEBUG=false $(PY) scripts/testenv.py -- sh -c '$(PY) manage.py migrate -v0 \
		&& $(PY) manage.py bench_http $(BENCH_ARGS) $(HTTP_ARGS)'

## bench-email: a status change on an idea with 10,000 followers: request time, and emails
## delivered through the real SMTP server by two db_worker processes
bench-email: venv system-deps
	mkdir -p var/static
	DEBUG=false TASKS_BACKEND=database $(PY) scripts/testenv.py -- sh -c \
		'$(PY) manage.py migrate -v0 && $(PY) manage.py bench_email $(EMAIL_ARGS)'

## bench-api: the API's idea list and detail at 100,000 ideas (BENCH_ARGS="--ideas 2000
## --votes 20000 --members 500" for a quick run), and webhook deliveries per second
## through two db_worker processes to a local receiver (WEBHOOK_ARGS="--deliveries 500")
bench-api: venv system-deps
	mkdir -p var/static
	DEBUG=false $(PY) scripts/testenv.py -- sh -c '$(PY) manage.py migrate -v0 \
		&& $(PY) manage.py bench_api $(BENCH_ARGS) \
		&& TASKS_BACKEND=database $(PY) manage.py bench_webhooks $(WEBHOOK_ARGS)'

## reindex: rebuild the idea search index (needs ELASTICSEARCH_URL)
reindex: venv
	$(PY) manage.py search_index rebuild

system-deps:
	bash scripts/system-deps.sh

# The site's strings: makemessages needs GNU gettext (scripts/system-deps.sh installs it).
MESSAGES_IGNORE := -i '.venv/*' -i 'node_modules/*' -i 'tests/*' -i 'var/*' -i 'test-artifacts/*' -i '*.min.js'
## messages-extract: update locale/de/LC_MESSAGES/*.po from the code and templates
messages-extract:
	$(PY) manage.py makemessages -v0 -l de -d django --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py makemessages -v0 -l de -d djangojs --no-obsolete $(MESSAGES_IGNORE)

## messages: extract, then compile the translated .po files into the committed .mo files
messages: messages-extract
	$(PY) manage.py compilemessages -v0 -l de

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/check_import_cycles.py
	DJANGO_SETTINGS_MODULE=community.settings.dev $(PY) manage.py makemigrations --check --dry-run -v0

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var test-artifacts .pytest_cache .ruff_cache
