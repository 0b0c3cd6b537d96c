#!/usr/bin/env bash
# Train only when the inputs changed since the last model; print the model's path.
set -euo pipefail
cd "$(dirname "$0")/.."
name="model-$(scripts/model-fingerprint.sh)"
if [ -f "models/$name.tar.gz" ]; then
  echo "Model is up to date: models/$name.tar.gz" >&2
else
  echo "Training models/$name.tar.gz (config, domain or data changed) ..." >&2
  rasa train --fixed-model-name "$name" --out models >&2
fi
echo "models/$name.tar.gz"
