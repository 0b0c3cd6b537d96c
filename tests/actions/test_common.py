"""Settings of the action server are checked when it starts, not at the first answer."""

from __future__ import annotations

import os
import subprocess
import sys

from bot import PROJECT_DIR


def test_a_wrong_recheck_time_stops_the_action_server_at_start_naming_it() -> None:
    env = {**os.environ, "KNOWLEDGE_RECHECK_SECONDS": "soon"}
    started = subprocess.run(
        [sys.executable, "-c", "import actions.common"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert started.returncode != 0
    assert "KNOWLEDGE_RECHECK_SECONDS: a number of seconds, not 'soon'" in started.stderr
