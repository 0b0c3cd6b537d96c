"""Multilingual welcome assistant for newcomers in Alpine municipalities."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
