"""The container image's entry point: one image, the role chosen by the command.

    rasa      the Rasa server on :5005 (production endpoints: PostgreSQL, Redis)
    actions   the action server on :5055
    sync      load the knowledge files into the database (KNOWLEDGE_DIR)
    purge     forget conversations older than the retention period
    health    exit 0 when this container's server answers (the image's HEALTHCHECK)
    anything else is run as given (`python -m bot knowledge validate /knowledge`, `bash`)

Settings come from the environment only (docs/deploy.md); nothing here trains or
downloads: the model was trained when the image was built.
"""

from __future__ import annotations

import contextlib
import os
import sys
import urllib.request
from pathlib import Path
from typing import List, Mapping, Optional, Sequence

from bot import PROJECT_DIR

ROLE_FILE = Path("/tmp/welcome-role")
HEALTH_URLS = {
    "rasa": "http://127.0.0.1:{port}/",
    "actions": "http://127.0.0.1:{port}/health",
}
DEFAULT_PORTS = {"rasa": "5005", "actions": "5055"}


def model_path(models: Path = PROJECT_DIR / "models") -> str:
    """The model the image was built with (the newest, should there be several)."""
    found = sorted(models.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not found:
        raise SystemExit(f"No trained model in {models}: the image was built without one")
    return str(found[-1])


def _port(role: str, environ: Mapping[str, str]) -> str:
    return environ.get("PORT") or DEFAULT_PORTS[role]


def command(args: Sequence[str], environ: Mapping[str, str]) -> List[str]:
    """The command line a role stands for; other commands unchanged."""
    role, rest = (args[0], list(args[1:])) if args else ("rasa", [])
    if role == "rasa":
        endpoints = environ.get("ENDPOINTS") or str(PROJECT_DIR / "endpoints.production.yml")
        cors = [o.strip() for o in environ.get("CORS_ORIGINS", "").split(",") if o.strip()]
        return [
            "rasa",
            "run",
            "--model",
            environ.get("MODEL_PATH") or model_path(),
            "--port",
            _port(role, environ),
            "--credentials",
            str(PROJECT_DIR / "credentials.yml"),
            "--endpoints",
            endpoints,
            *(["--cors", *cors] if cors else []),
            *rest,
        ]
    if role == "actions":
        return [
            "rasa",
            "run",
            "actions",
            "--port",
            _port(role, environ),
            "--actions",
            "actions",
            *rest,
        ]
    if role == "sync":
        folder = environ.get("KNOWLEDGE_DIR") or str(PROJECT_DIR / "knowledge" / "municipalities")
        return [sys.executable, "-m", "bot", "knowledge", "sync", *(rest or [folder])]
    if role == "purge":
        tracker = environ.get("TRACKER_DB_URL")
        given = tracker and "--tracker-url" not in rest
        return [
            sys.executable,
            "-m",
            "bot",
            "privacy",
            "purge",
            *(["--tracker-url", tracker] if given and tracker else []),
            *rest,
        ]
    return list(args)


def healthy(role: Optional[str], environ: Mapping[str, str], timeout: float = 4.0) -> bool:
    """Whether this container's server answers; a job container is always healthy."""
    if role not in HEALTH_URLS:
        return True
    url = HEALTH_URLS[role].format(port=_port(role, environ))
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["health"]:
        role = ROLE_FILE.read_text().strip() if ROLE_FILE.exists() else None
        return 0 if healthy(role, os.environ) else 1
    role = args[0] if args else "rasa"
    environ = dict(os.environ)
    if role == "actions":
        # rasa_sdk reads its address from SANIC_HOST; in a container it must listen on the
        # pod's address for Rasa to reach it (never publish this port: docs/deploy.md)
        environ.setdefault("SANIC_HOST", "0.0.0.0")
    with contextlib.suppress(OSError):  # a read-only /tmp: the health check sees a job
        ROLE_FILE.write_text(role)
    line = command(args, environ)
    os.execvpe(line[0], line, environ)
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main())
