"""Start the production profile on one host: PostgreSQL, Redis, the action server and several
Rasa instances sharing them (`make production`, the load tests and `make bench` use this).

Servers given by the environment (`TRACKER_DB_URL`, `DATABASE_URL`, `REDIS_HOST`) are used as
they are; whatever is missing is started here from Debian's packages, with its files under
the work folder. Each process is a child of this one and stops with it.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests
from sqlalchemy import create_engine, text

from bot import PROJECT_DIR

SCRIPTS = PROJECT_DIR / "scripts"
PRODUCTION_ENDPOINTS = PROJECT_DIR / "endpoints.production.yml"
READY_SECONDS = 300


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def venv_bin(name: str) -> str:
    """A command installed in this Python's environment (rasa, python)."""
    return str(Path(sys.executable).parent / name)


def stop_processes(processes: Iterable[subprocess.Popen], seconds: float = 30) -> None:
    """Ask every process to stop, then wait for each; kill one that takes too long."""
    stopping = list(processes)
    for process in stopping:
        process.terminate()
    for process in stopping:
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rasa_run(model: str, port: int, endpoints: Path, cors_origins: Sequence[str] = ()) -> list[str]:
    """`rasa run` for one instance: the channels of credentials.yml and no HTTP API (it has
    no token by default and could rewrite conversations); CORS only for the given origins."""
    return [
        venv_bin("rasa"),
        "run",
        "--model",
        model,
        "--port",
        str(port),
        "--credentials",
        str(PROJECT_DIR / "credentials.yml"),
        "--endpoints",
        str(endpoints),
        *(["--cors", *cors_origins] if cors_origins else []),
    ]


def actions_run(port: int, host: str = "127.0.0.1") -> list[str]:
    """The action server with the project's actions, listening on `host` only (rasa_sdk
    reads the address from SANIC_HOST; its default, 0.0.0.0, would let anyone who reaches
    the port run actions with a forged conversation)."""
    return [
        "env",
        f"SANIC_HOST={host}",
        venv_bin("rasa"),
        "run",
        "actions",
        "--port",
        str(port),
        "--actions",
        "actions",
    ]


def current_model() -> str:
    """The model for the current config, domain and data (trained first if stale)."""
    relative = subprocess.run(
        [str(SCRIPTS / "train-if-stale.sh")],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
    ).stdout.strip()
    return str(PROJECT_DIR / relative)


def embedded_endpoints(
    folder: Path, actions_port: int, cached_conversations: int | None = None
) -> Path:
    """endpoints.yml as `make run` uses it, with another action server port and the
    conversation database in `folder` (tests and benchmarks run beside a live `make run`);
    and another number of conversations cached in the process, if given."""
    text = (
        (PROJECT_DIR / "endpoints.yml")
        .read_text()
        .replace("127.0.0.1:5055", f"127.0.0.1:{actions_port}")
        .replace("db: var/tracker.db", f"db: {folder / 'tracker.db'}")
    )
    if cached_conversations is not None:
        text = re.sub(
            r"cached_conversations: \d+", f"cached_conversations: {cached_conversations}", text
        )
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(text)
    return endpoints


def wait_ready(
    url: str,
    processes: Mapping[str, subprocess.Popen],
    logs: Mapping[str, Path],
    seconds: float = READY_SECONDS,
) -> None:
    """Wait until `url` answers; fail at once, with the log's end, if a process exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                log = logs[name].read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name} exited early:\n{log}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not ready after {seconds:.0f} s")


@contextlib.contextmanager
def embedded_servers(
    folder: Path,
    model: str,
    env: Mapping[str, str],
    ports: tuple[int, int] | None = None,
    extra_args: Sequence[str] = (),
    cached_conversations: int | None = None,
) -> Iterator[str]:
    """The action server and one `rasa run` as `make run` starts them, on `ports` (Rasa,
    actions; free ones by default), with their logs (`rasa.log`, `actions.log`) and the
    conversation database in `folder`; yields Rasa's URL once both answer, stops both after.
    `extra_args` go to both commands (e.g. `--debug`)."""
    rasa_port, actions_port = ports or (free_port(), free_port())
    endpoints = embedded_endpoints(folder, actions_port, cached_conversations)
    commands = {
        "actions": [*actions_run(actions_port), *extra_args],
        "rasa": [
            *rasa_run(model, rasa_port, endpoints),
            *extra_args,
        ],
    }
    logs = {name: folder / f"{name}.log" for name in commands}
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name, command in commands.items():
            with logs[name].open("w") as log:  # the child keeps its own handle
                processes[name] = subprocess.Popen(
                    command, cwd=PROJECT_DIR, env=dict(env), stdout=log, stderr=subprocess.STDOUT
                )
        wait_ready(f"http://127.0.0.1:{actions_port}/health", processes, logs)
        wait_ready(f"http://127.0.0.1:{rasa_port}/", processes, logs)
        yield f"http://127.0.0.1:{rasa_port}"
    finally:
        stop_processes(processes.values())


def _create_database(server_url: str, name: str) -> str:
    """Create database `name` on the server unless it exists; return its URL."""
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT", future=True)
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@dataclass
class Cluster:
    """The processes of one deployment. `start()` brings them up, `stop()` takes them down."""

    work: Path
    model: str
    rasa_ports: list[int]
    actions_port: int = field(default_factory=free_port)
    action_workers: int = 2
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    # local services this cluster started: name (its folder under `work`) -> (script, port)
    _services: dict[str, tuple[str, int]] = field(default_factory=dict)

    # -- backing services ------------------------------------------------------------------

    def _start_service(self, script: str, name: str) -> str:
        """Start (or start again, on the same port) a local service; return its URL."""
        port = self._services[name][1] if name in self._services else free_port()
        started = subprocess.run(
            [str(SCRIPTS / script), "start", str(self.work / name), str(port)],
            capture_output=True,
            text=True,
            check=False,
        )
        if started.returncode != 0:
            raise RuntimeError(f"{name} did not start: {started.stderr.strip()[-2000:]}")
        self._services[name] = (script, port)
        return started.stdout.strip().splitlines()[-1]

    def stop_service(self, name: str) -> None:
        """Stop the local PostgreSQL ("postgres") or Redis ("redis"), as an outage would."""
        script, _ = self._services[name]
        subprocess.run([str(SCRIPTS / script), "stop", str(self.work / name)], check=True)

    def start_service(self, name: str) -> None:
        """Start a stopped local service again, on its port, with its data."""
        self._start_service(self._services[name][0], name)

    def _backing_services(self) -> None:
        """Fill the environment with the databases and Redis, starting local ones if unset."""
        given = {**os.environ, **self.env}
        if not (given.get("TRACKER_DB_URL") and given.get("DATABASE_URL")):
            server = self._start_service("postgres.sh", "postgres")
            self.env.setdefault("TRACKER_DB_URL", _create_database(server, "tracker"))
            self.env.setdefault("DATABASE_URL", _create_database(server, "knowledge"))
        if not given.get("REDIS_HOST"):
            address = urlsplit(self._start_service("redis.sh", "redis"))
            self.env.update(REDIS_HOST=address.hostname or "", REDIS_PORT=str(address.port))
        for name, default in (("REDIS_PORT", "6379"), ("REDIS_PASSWORD", ""), ("REDIS_DB", "1")):
            self.env.setdefault(name, given.get(name, default))

    # -- processes -------------------------------------------------------------------------

    @property
    def actions_host(self) -> str:
        """The private address the action server listens on (ACTION_SERVER_HOST)."""
        return {**os.environ, **self.env}.get("ACTION_SERVER_HOST") or "127.0.0.1"

    @property
    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "WELCOME_PROFILE": "production",
            "ACTION_SERVER_URL": f"http://{self.actions_host}:{self.actions_port}/webhook",
            "ACTION_SERVER_SANIC_WORKERS": str(self.action_workers),
            **self.env,
        }

    def _spawn(self, name: str, command: list[str]) -> None:
        with (self.work / f"{name}.log").open("a") as log:  # the child keeps its own handle
            self.processes[name] = subprocess.Popen(
                command,
                cwd=PROJECT_DIR,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def rasa_command(self, port: int) -> list[str]:
        """One instance with the production endpoints and `CORS_ORIGINS` (comma-separated)."""
        raw = self.environment.get("CORS_ORIGINS", "").split(",")
        return rasa_run(
            self.model, port, PRODUCTION_ENDPOINTS, [o.strip() for o in raw if o.strip()]
        )

    def start_rasa(self, port: int) -> None:
        self._spawn(f"rasa-{port}", self.rasa_command(port))
        self.wait_ready(f"http://127.0.0.1:{port}/")

    def stop_rasa(self, port: int, kill: bool = False) -> None:
        """Stop one instance (SIGKILL with `kill`, as a crash would)."""
        process = self.processes.pop(f"rasa-{port}")
        process.kill() if kill else process.terminate()
        process.wait(timeout=30)

    def wait_ready(self, url: str) -> None:
        logs = {name: self.work / f"{name}.log" for name in self.processes}
        wait_ready(url, self.processes, logs)

    def start(self, knowledge: list[Path] | None = None) -> None:
        """Backing services, knowledge sync, the action server, then every Rasa instance
        (started side by side: each loads the model on its own)."""
        self.work.mkdir(parents=True, exist_ok=True)
        self.work.chmod(0o711)  # PostgreSQL runs as its own user and must reach its folder
        try:
            self._backing_services()
            sync = [
                venv_bin("python"),
                "-m",
                "bot",
                "knowledge",
                "sync",
                *map(str, knowledge or ()),
            ]
            subprocess.run(sync, cwd=PROJECT_DIR, env=self.environment, check=True)
            self._spawn("actions", actions_run(self.actions_port, self.actions_host))
            for port in self.rasa_ports:
                self._spawn(f"rasa-{port}", self.rasa_command(port))
            self.wait_ready(f"http://{self.actions_host}:{self.actions_port}/health")
            for port in self.rasa_ports:
                self.wait_ready(f"http://127.0.0.1:{port}/")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        stop_processes(self.processes.values())
        self.processes.clear()
        for name, (script, _) in reversed(self._services.items()):
            subprocess.run([str(SCRIPTS / script), "stop", str(self.work / name)], check=False)
        self._services.clear()

    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    def pids(self) -> dict[str, int]:
        """Every process of the deployment, the local PostgreSQL and Redis included."""
        pids = {name: process.pid for name, process in self.processes.items()}
        pid_files = {"postgres.sh": "data/postmaster.pid", "redis.sh": "redis.pid"}
        for name, (script, _) in self._services.items():
            pid_file = self.work / name / pid_files[script]
            if pid_file.exists():
                pids[name] = int(pid_file.read_text().split()[0])
        return pids
