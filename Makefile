# Two commands: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt constraints.txt | sha256sum | cut -c1-12)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Rasa reports usage and crashes to its makers unless told not to: nothing of a newcomer's
# conversation leaves the machine (docs/operations.md "Privacy").
export RASA_TELEMETRY_ENABLED := false

.PHONY: setup knowledge model run production test deploy-test fuzz lint unit bench soak lock clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	@test -x $(PY) || { py=$$(scripts/find-python.sh) && echo "Creating $(VENV) with $$py" && "$$py" -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	@rm -f $(VENV)/.installed-* && touch $@

knowledge: setup  ## validate and load knowledge/ into the database
	$(PY) -m bot knowledge validate
	$(PY) -m bot knowledge sync

model: setup  ## train only when config.yml, domain.yml or data/ changed
	scripts/train-if-stale.sh

run: knowledge model  ## start the action server (:5055) and Rasa (:5005)
	scripts/run.sh

production: setup  ## PostgreSQL + Redis + action server + 2 Rasa instances (:5005, :5006)
	$(PY) -m bot knowledge validate
	$(PY) -m bot production --instances $${RASA_INSTANCES:-2}

lint: setup
	ruff check bot actions tests scripts benchmarks
	mypy

unit: setup
	$(PY) -m pytest -m "not e2e and not deploy"

test: setup  ## lint, unit tests, data validation, one training run, conversation and e2e tests
	scripts/test.sh

deploy-test: setup  ## the container image built from Containerfile on a local base, run with podman, the Kubernetes manifests with `podman kube play` (about 11 minutes the first time, 2 with the build cached)
	scripts/deploy-test.sh

fuzz: setup  ## the fuzz suite (tests/e2e/test_fuzz.py) for FUZZ_MINUTES (default 30); FUZZ_SEED=n repeats a run
	MODEL_PATH=$$(scripts/train-if-stale.sh) FUZZ_MINUTES=$${FUZZ_MINUTES:-30} \
	  $(PY) -m pytest -m e2e tests/e2e/test_fuzz.py -q

bench: setup  ## intents (chosen vs Rasa default), realistic messages end to end, language ID, knowledge at scale, service and event lookups, FAQ choice, REST load, a burst of made-up senders, the staff page with 100,000 questions
	$(PY) -m benchmarks.nlu
	$(PY) -m benchmarks.realistic --model $$(scripts/train-if-stale.sh)
	$(PY) -m benchmarks.language --model $$(scripts/train-if-stale.sh)
	$(PY) -m benchmarks.knowledge
	$(PY) -m benchmarks.services
	$(PY) -m benchmarks.events
	$(PY) -m benchmarks.faq
	$(PY) -m benchmarks.rest
	$(PY) -m benchmarks.burst
	$(PY) -m benchmarks.staff
	$(PY) -m benchmarks.soak --senders 2000 --messages 8000

soak: setup  ## months of running: 100,000 newcomers, 500,000 messages at 20/s (about 7 hours); memory of every process and p95 over time
	$(PY) -m benchmarks.soak

lock:  ## refresh constraints.txt from the current environment
	$(PY) -m pip freeze --exclude-editable > constraints.txt

clean:
	rm -rf models var .pytest_cache .mypy_cache .ruff_cache
