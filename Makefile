# The two commands that matter: `make run` (the whole portal, embedded) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Python 3.12: on PATH, or the pyenv build when the shim does not expose it.
PYTHON312 := $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	"$$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null && echo "$$p" && break; done)

.PHONY: run test lint venv messages

venv: $(VENV)/.installed

# Installed from the hashed lock that scripts/lock-dependencies writes from
# requirements*.txt: every package pinned, every file checked against its hash, and
# pip refuses a dependency the lock does not pin. A changed lock installs again.
$(VENV)/.installed: requirements-dev.lock
	@test -n "$(PYTHON312)" || { echo "Python 3.12 is required and was not found" >&2; exit 1; }
	@test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

# The shipped catalogues (locale/*/LC_MESSAGES/*.po) are compiled at install.
MESSAGES := $(PY) manage.py compilemessages --ignore=.venv --ignore=var \
	--ignore=staticfiles --ignore=node_modules --verbosity 0

# Extract the portal's marked words into every shipped catalogue (docs/languages.md);
# the MOSIP sandbox is another system and keeps its own words.
NOT_THE_PORTAL := var staticfiles node_modules tests bench docs scripts apps/mosip_sandbox

messages: venv
	codes=$$($(PY) -c 'import re; print(" ".join("-l " + c for c in re.findall(r"\(\"([a-z-]+)\",", open("crvs_portal/settings.py").read().split("LANGUAGES = ", 1)[1].split("\n", 1)[0]) if c != "en"))'); \
	for domain in django djangojs; do \
	  $(PY) manage.py makemessages -d $$domain --no-obsolete $$codes \
	    $(addprefix --ignore=,$(NOT_THE_PORTAL)); \
	done

run: venv
	@mkdir -p var
	$(PY) scripts/write_env.py
	$(MESSAGES)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	exec $(PY) manage.py run_embedded

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=crvs_portal.settings_test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=crvs_portal.settings_test $(MESSAGES)
	DJANGO_READ_ENV_FILE=false DEBUG=false SECURE_DEPLOYMENT=true \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  FIELD_ENCRYPTION_KEY="$$($(PY) -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')" \
	  ALLOWED_HOSTS=registry.example.org DATABASE_URL=sqlite:///var/deploy-check.sqlite3 \
	  CELERY_BROKER_URL=redis://127.0.0.1:6379/0 CACHE_URL=rediscache://127.0.0.1:6379/1 \
	  $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) -m pytest; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc
