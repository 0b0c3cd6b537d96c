"""The image's entry point: the command each role stands for, and the health check."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import container


@pytest.fixture
def model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "model-abc.tar.gz"
    path.write_bytes(b"")
    monkeypatch.setattr(container, "model_path", lambda: str(path))
    return str(path)


def test_rasa_runs_the_built_model_with_the_production_endpoints(model: str) -> None:
    line = container.command(["rasa"], {"CORS_ORIGINS": "https://a.example, https://b.example"})
    assert line[:4] == ["rasa", "run", "--model", model]
    assert line[line.index("--port") + 1] == "5005"
    assert line[line.index("--endpoints") + 1].endswith("endpoints.production.yml")
    assert line[line.index("--cors") + 1 :] == ["https://a.example", "https://b.example"]
    assert container.command([], {}) == container.command(["rasa"], {}), "rasa is the default"


def test_ports_and_endpoints_come_from_the_environment(model: str) -> None:
    line = container.command(["rasa"], {"PORT": "5006", "ENDPOINTS": "/config/endpoints.yml"})
    assert line[line.index("--port") + 1] == "5006"
    assert line[line.index("--endpoints") + 1] == "/config/endpoints.yml"
    assert "--cors" not in line
    actions = container.command(["actions"], {})
    assert actions == ["rasa", "run", "actions", "--port", "5055", "--actions", "actions"]


def test_jobs() -> None:
    sync = container.command(["sync"], {"KNOWLEDGE_DIR": "/knowledge"})
    assert sync[1:] == ["-m", "bot", "knowledge", "sync", "/knowledge"]
    assert container.command(["sync", "/other"], {})[-1] == "/other"
    purge = container.command(["purge"], {"TRACKER_DB_URL": "postgresql://db/conversations"})
    assert purge[1:] == [
        "-m",
        "bot",
        "privacy",
        "purge",
        "--tracker-url",
        "postgresql://db/conversations",
    ]
    given = container.command(["purge", "--tracker-url", "x"], {"TRACKER_DB_URL": "y"})
    assert given.count("--tracker-url") == 1 and given[-1] == "x"
    assert container.command(["bash", "-c", "ls"], {}) == ["bash", "-c", "ls"]


def test_the_newest_model_is_taken(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="No trained model"):
        container.model_path(tmp_path)
    old, new = tmp_path / "model-old.tar.gz", tmp_path / "model-new.tar.gz"
    old.write_bytes(b""), new.write_bytes(b"")
    import os

    os.utime(old, (1, 1))
    assert container.model_path(tmp_path) == str(new)


def test_health_of_a_job_and_of_a_server_that_does_not_answer() -> None:
    assert container.healthy(None, {})
    assert container.healthy("sync", {})
    from bot.cluster import free_port

    assert not container.healthy("rasa", {"PORT": str(free_port())}, timeout=0.5)
