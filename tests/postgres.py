"""A real PostgreSQL server for the tests that need one (scripts/postgres.sh starts it)."""

from __future__ import annotations

import itertools
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from bot import PROJECT_DIR
from bot.cluster import free_port

SCRIPT = PROJECT_DIR / "scripts" / "postgres.sh"
_numbers = itertools.count()


@contextmanager
def postgres_server() -> Iterator[str]:
    """`$TEST_POSTGRES_URL` if set, else a fresh server on a free port; yields its URL."""
    if os.environ.get("TEST_POSTGRES_URL"):
        yield os.environ["TEST_POSTGRES_URL"]
        return
    port = free_port()
    folder = tempfile.mkdtemp(prefix="kb-postgres-")
    started = subprocess.run(
        [str(SCRIPT), "start", folder, str(port)], capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        subprocess.run(["rm", "-rf", folder], check=False)
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr.strip()}")
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([str(SCRIPT), "stop", folder], check=False)
        subprocess.run(["rm", "-rf", folder], check=False)


def fresh_database(server_url: str) -> str:
    """Create an empty database on the server; return its URL."""
    name = f"kb_{os.getpid()}_{next(_numbers)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"
