"""The container image under podman (`make deploy-test` builds it and sets WELCOME_IMAGE):
a test PostgreSQL and Redis that containers reach, and podman itself."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from bot import PROJECT_DIR
from bot.cluster import free_port

SAMPLES = PROJECT_DIR / "knowledge" / "municipalities"
# podman's networks: "podman" (10.88.0.0/16) for `podman run`, and the one `kube play`
# makes (10.89.0.0/24)
CONTAINER_NETWORK = "10.88.0.0/15"
HOST_FROM_PODS = "host.containers.internal"


def podman(
    *args: str, check: bool = True, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """A podman command; its output is kept for the assertion message."""
    done = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"podman {' '.join(args[:3])} ...: {done.stderr[-2000:]}")
    return done


@pytest.fixture(scope="session")
def image() -> str:
    name = os.environ.get("WELCOME_IMAGE")
    if not name:
        pytest.fail("WELCOME_IMAGE is not set: run the deploy tests through `make deploy-test`")
    return name


@dataclass(frozen=True)
class Backing:
    """The test PostgreSQL (databases knowledge and conversations) and Redis."""

    postgres_port: int
    redis_port: int
    redis_password: str

    def database(self, name: str, host: str = "127.0.0.1") -> str:
        return f"postgresql://postgres@{host}:{self.postgres_port}/{name}"

    def environment(self, host: str = "127.0.0.1") -> dict[str, str]:
        """What a container needs to reach them, seen from `host`."""
        return {
            "DATABASE_URL": self.database("knowledge", host),
            "TRACKER_DB_URL": self.database("conversations", host),
            "REDIS_HOST": host,
            "REDIS_PORT": str(self.redis_port),
            "REDIS_PASSWORD": self.redis_password,
            "REDIS_DB": "1",
        }


@pytest.fixture(scope="session")
def backing() -> Iterator[Backing]:
    """PostgreSQL and Redis on this host, listening where podman's containers reach them
    (trust only from loopback and the containers' network; Redis only with a password)."""
    work = Path(tempfile.mkdtemp(prefix="deploy-test-"))
    work.chmod(0o755)  # PostgreSQL's user must reach it
    scripts = PROJECT_DIR / "scripts"
    postgres, redis = free_port(), free_port()
    password = secrets.token_hex(16)

    def start(script: str, folder: str, port: int, **settings: str) -> None:
        command = [scripts / script, "start", work / folder, str(port)]
        subprocess.run(command, env={**os.environ, **settings}, check=True, capture_output=True)

    start(
        "postgres.sh", "pg", postgres, POSTGRES_LISTEN="0.0.0.0", POSTGRES_TRUST=CONTAINER_NETWORK
    )
    create = ["psql", "-h", "127.0.0.1", "-p", str(postgres), "-U", "postgres"]
    subprocess.run(
        [*create, "-c", "CREATE DATABASE conversations"], check=True, capture_output=True
    )
    start("redis.sh", "redis", redis, REDIS_BIND="0.0.0.0", REDIS_PASSWORD=password)
    yield Backing(postgres, redis, password)
    subprocess.run([scripts / "redis.sh", "stop", work / "redis"], check=False)
    subprocess.run([scripts / "postgres.sh", "stop", work / "pg"], check=False)
    shutil.rmtree(work, ignore_errors=True)


def env_flags(env: dict[str, str]) -> list[str]:
    """`-e NAME=value` for each variable, for `podman run`."""
    return [item for name, value in env.items() for item in ("-e", f"{name}={value}")]


def say(url: str, sender: str, text: str, municipality: str | None = None) -> list[dict[str, Any]]:
    metadata = {"municipality": municipality} if municipality else {}
    answer = requests.post(
        f"{url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text, "metadata": metadata},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    replies: list[dict[str, Any]] = answer.json()
    return replies


def first_answer_after(url: str, started: float, seconds: float = 120) -> float:
    """Seconds from `started` until the server at `url` answers a message."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if say(url, f"probe-{secrets.token_hex(4)}", "Hallo", "dornbirn"):
                return time.monotonic() - started
        except (requests.RequestException, AssertionError):
            pass
        time.sleep(0.25)
    raise AssertionError(f"{url} did not answer within {seconds:.0f} s")


def logs(name: str) -> str:
    done = podman("logs", name, check=False)
    return (done.stdout + done.stderr)[-3000:]


def inspect(name: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = json.loads(podman("inspect", name).stdout)
    return found[0]
