"""The image: what it holds and does not, and the Rasa server, action server and jobs it
runs with podman against a test PostgreSQL and Redis."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest

from bot.cluster import free_port
from tests.deploy.conftest import (
    SAMPLES,
    Backing,
    env_flags,
    first_answer_after,
    inspect,
    logs,
    podman,
    say,
)

pytestmark = pytest.mark.deploy

ORIGIN = "https://www.example-town.org"


def test_the_image_runs_as_non_root_without_compiler_tests_or_secrets(image: str) -> None:
    details = json.loads(podman("image", "inspect", image).stdout)[0]
    config = details["Config"]
    print(f"\n  image {image}: {details['Size'] / 1e6:.0f} MB")
    assert config["User"] == "10001:10001"
    assert details["Healthcheck"]["Test"][-1] == "health", "HEALTHCHECK kept"
    for variable in config["Env"]:
        name, _, value = variable.partition("=")
        if any(word in name for word in ("TOKEN", "SECRET", "PASSWORD", "DB_URL", "DATABASE")):
            assert not value, f"{name} is set in the image"
    look = (
        "id -u; ls /app; "
        "for c in gcc cc c++ g++ clang x86_64-linux-gnu-gcc; do command -v $c; done; "
        "ls /app/models; find / -xdev -name '*.env' -o -xdev -name 'secrets*' 2>/dev/null | head"
    )
    seen = podman("run", "--rm", "--entrypoint", "sh", image, "-c", look).stdout.split()
    assert seen[0] == "10001"
    for absent in ("tests", "benchmarks", "knowledge", "docs", ".git", ".venv", "gcc", "cc"):
        assert absent not in seen, f"{absent} in the image"
    assert any(entry.endswith(".tar.gz") for entry in seen), "a trained model"


@pytest.fixture(scope="module")
def stack(image: str, backing: Backing) -> Iterator[dict[str, str]]:
    """The knowledge synced by the image's `sync`, then its action server and Rasa server,
    on the host's network; yields the Rasa URL, the names and the start-to-answer time."""
    tag = uuid.uuid4().hex[:6]
    env = backing.environment()
    flags = env_flags(env)
    synced = podman(
        "run",
        "--rm",
        "--network",
        "host",
        *flags,
        "-v",
        f"{SAMPLES}:/knowledge:ro,Z",
        image,
        "sync",
    )
    assert "Synced" in synced.stdout, synced.stdout + synced.stderr
    actions_port, rasa_port = free_port(), free_port()
    actions, rasa = f"welcome-actions-{tag}", f"welcome-rasa-{tag}"
    podman(
        "run",
        "-d",
        "--name",
        actions,
        "--network",
        "host",
        *flags,
        "-e",
        f"PORT={actions_port}",
        "-e",
        "SANIC_HOST=127.0.0.1",
        image,
        "actions",
    )
    started = time.monotonic()
    podman(
        "run",
        "-d",
        "--name",
        rasa,
        "--network",
        "host",
        *flags,
        "-e",
        f"PORT={rasa_port}",
        "-e",
        f"ACTION_SERVER_URL=http://127.0.0.1:{actions_port}/webhook",
        "-e",
        f"WIDGET_ALLOWED_ORIGINS={ORIGIN}",
        "-e",
        "TRUSTED_PROXIES=127.0.0.1",
        image,
        "rasa",
    )
    url = f"http://127.0.0.1:{rasa_port}"
    try:
        seconds = first_answer_after(url, started)
    except AssertionError:
        print(logs(rasa), logs(actions))
        raise
    yield {"url": url, "rasa": rasa, "actions": actions, "first_answer": f"{seconds:.1f}"}
    podman("rm", "-f", "-t", "5", rasa, actions, check=False)


def test_a_started_container_answers_within_20_seconds(stack: dict[str, str]) -> None:
    seconds = float(stack["first_answer"])
    print(f"\n  podman run to the first answer: {seconds:.1f} s (model loaded, nothing trained)")
    assert seconds <= 20


def test_a_conversation_in_two_languages_through_the_containers(stack: dict[str, str]) -> None:
    sender = f"deploy-{uuid.uuid4().hex[:8]}"
    german = say(stack["url"], sender, "Wie finde ich eine Wohnung?", "dornbirn")
    assert german and all(reply["language"] == "de" for reply in german)
    assert any("willhaben.at" in reply.get("text", "") for reply in german), german
    arabic = say(stack["url"], f"{sender}-ar", "كيف أجد شقة للإيجار؟", "dornbirn")
    assert arabic and all(reply["language"] == "ar" for reply in arabic)
    assert any("willhaben.at" in reply.get("text", "") for reply in arabic), arabic


def test_the_health_check_passes(stack: dict[str, str]) -> None:
    for name in (stack["rasa"], stack["actions"]):
        assert podman("healthcheck", "run", name, check=False).returncode == 0, logs(name)
        assert inspect(name)["Config"]["User"] == "10001:10001"


def test_the_purge_job_runs(image: str, backing: Backing, stack: dict[str, str]) -> None:
    env = backing.environment()
    flags = env_flags(env)
    purged = podman(
        "run", "--rm", "--network", "host", *flags, image, "purge", "--older-than", "30d"
    )
    assert "Deleted" in purged.stdout, purged.stdout + purged.stderr
