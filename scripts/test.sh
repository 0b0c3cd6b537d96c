#!/usr/bin/env bash
# The whole test suite, in order: fast checks first, one training run, then the slow parts.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

step "Lint (ruff) and types (mypy)"
ruff check bot actions tests scripts benchmarks
mypy

step "Unit tests"
python -m pytest -m "not e2e and not deploy" -q

step "Knowledge files"
python -m bot knowledge validate

step "Rasa data validation"
rasa data validate --quiet

step "Training (once)"
model=$(scripts/train-if-stale.sh)

step "Conversation tests (rasa test --fail-on-prediction-errors)"
mkdir -p var/conversation-tests
rasa test core --model "$model" --stories tests/conversations \
  --fail-on-prediction-errors --out var/conversation-tests --endpoints endpoints.yml

step "End-to-end tests against the running servers"
MODEL_PATH="$model" python -m pytest -m e2e -q
