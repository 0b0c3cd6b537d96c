"""The servers a benchmark talks to: the action server and Rasa as `make run` starts them."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

from bot import PROJECT_DIR
from bot.cluster import embedded_servers


@contextlib.contextmanager
def embedded_webhook(
    folder: Path, model: str, cached_conversations: int | None = None, **env: str
) -> Iterator[str]:
    """The sample knowledge synced into a database in `folder`, the action server and Rasa
    started with their files there and `env` on top of this process's environment (and
    another number of conversations cached, if given); yields the REST webhook's URL."""
    environment = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "DATABASE_URL": f"sqlite:///{folder / 'knowledge.db'}",
        **env,
    }
    subprocess.run(
        [sys.executable, "-m", "bot", "knowledge", "sync"],
        cwd=PROJECT_DIR,
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with embedded_servers(
        folder, model, environment, cached_conversations=cached_conversations
    ) as url:
        yield f"{url}/webhooks/rest/webhook"
