"""Rasa reports usage and crashes to its makers unless told not to (and turns that on at its
first run on a machine): nothing leaves the machine from any process we start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot import PROJECT_DIR

ASK_RASA = (
    "import bot, os, rasa.telemetry as t; "
    "print(os.environ['RASA_TELEMETRY_ENABLED'], t.is_telemetry_enabled())"
)


def test_our_processes_tell_rasa_not_to_report(tmp_path: Path) -> None:
    # a machine where Rasa's first run switched reporting on
    (tmp_path / ".config" / "rasa").mkdir(parents=True)
    (tmp_path / ".config" / "rasa" / "global.yml").write_text(
        "metrics:\n  enabled: true\n  rasa_user_id: 0123\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "RASA_TELEMETRY_ENABLED"}
    env["HOME"] = str(tmp_path)
    shown = subprocess.run(
        [sys.executable, "-c", ASK_RASA], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )
    assert shown.stdout.split() == ["false", "False"], shown.stderr[-2000:]


def test_make_and_the_image_switch_it_off_before_rasa_starts() -> None:
    assert "export RASA_TELEMETRY_ENABLED := false" in (PROJECT_DIR / "Makefile").read_text()
    assert "RASA_TELEMETRY_ENABLED=false" in (PROJECT_DIR / "Containerfile").read_text()
