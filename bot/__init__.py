"""Multilingual welcome assistant for newcomers in Alpine municipalities."""

import os
from pathlib import Path

from bot.logging_privacy import install as _install_log_privacy

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

# Every process that loads our code (Rasa through credentials.yml's channels, endpoints.yml's
# NLG and tracker store; the action server through actions/) keeps users' words and
# locations out of its logs: bot/logging_privacy.py.
_install_log_privacy()

# Rasa sends usage events and crash reports to its makers unless told not to; every process
# our tools start (bot/cluster.py, benchmarks, tests) inherits this. `make` and the image
# set it for the processes they start themselves.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
