#!/usr/bin/env bash
# A short hash of everything training depends on: config, domain, training data and the
# custom NLU components' code. Same inputs, same model name.
set -euo pipefail
cd "$(dirname "$0")/.."
find config.yml domain.yml data bot/dialogue bot/language bot/nlu bot/text.py bot/tfidf.py bot/locales/languages.yml -type f \( -name '*.yml' -o -name '*.py' \) -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12
