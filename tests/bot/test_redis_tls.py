"""Redis over TLS (bot/redis_tls.py) against a real Redis server that accepts TLS only, with
a certificate authority made for the test: the lock store and the shared client connect,
check the certificate and its name, and a wrong setting stops with the variable's name."""

from __future__ import annotations

import datetime
import ipaddress
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from rasa.utils.endpoints import EndpointConfig

from bot import PROJECT_DIR
from bot.channels.ratelimit import redis_from_environment
from bot.lock_store import AtomicRedisLockStore
from bot.redis_tls import client_options

SERVER_NAME = "redis.test"  # with 127.0.0.1; not "localhost", to show the name is checked


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    signer: ec.EllipticCurvePrivateKey,
    ca: bool,
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        names = [x509.DNSName(SERVER_NAME), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(signer, hashes.SHA256())


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _authority(folder: Path) -> None:
    """ca.pem, and server.pem / server.key signed by it, in `folder`."""
    ca_key, server_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "welcome test CA")])
    ca = _certificate("welcome test CA", ca_key, ca_name, ca_key, ca=True)
    server = _certificate(SERVER_NAME, server_key, ca_name, ca_key, ca=False)
    (folder / "ca.pem").write_bytes(_pem(ca))
    (folder / "server.pem").write_bytes(_pem(server))
    (folder / "server.key").write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )


@pytest.fixture(scope="module")
def tls_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """(port, CA file) of a Redis that accepts TLS only (scripts/redis.sh)."""
    from bot.cluster import free_port

    folder, certificates = tmp_path_factory.mktemp("redis-tls"), tmp_path_factory.mktemp("ca")
    _authority(certificates)
    port = free_port()
    script = str(PROJECT_DIR / "scripts" / "redis.sh")
    environment = {**os.environ, "REDIS_TLS_DIR": str(certificates)}
    started = subprocess.run(
        [script, "start", str(folder), str(port)], env=environment, capture_output=True, text=True
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == f"rediss://127.0.0.1:{port}"
    yield port, certificates / "ca.pem"
    subprocess.run([script, "stop", str(folder)], check=False)


@pytest.fixture
def tls_environment(
    tls_redis: tuple[int, Path], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, Path]:
    port, ca = tls_redis
    monkeypatch.setenv("REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("REDIS_PORT", str(port))
    monkeypatch.setenv("REDIS_TLS", "true")
    monkeypatch.setenv("REDIS_CA_CERT", str(ca))
    return port, ca


def _store(host: str, port: int) -> AtomicRedisLockStore:
    config = EndpointConfig(url=host, port=port, db=1, key_prefix="tls")
    return AtomicRedisLockStore(endpoint_config=config)


def test_the_lock_store_works_over_tls(tls_environment: tuple[int, Path]) -> None:
    store = _store("127.0.0.1", tls_environment[0])
    ticket = store.issue_ticket("over-tls", lock_lifetime=60)
    lock = store.get_lock("over-tls")
    assert lock is not None and [t.number for t in lock.tickets] == [ticket]
    store.cleanup("over-tls", ticket)
    assert store.get_lock("over-tls") is None


def test_the_shared_client_works_over_tls(tls_environment: tuple[int, Path]) -> None:
    client = redis_from_environment()
    assert client is not None and client.ping()
    client.set("tls-check", "1", ex=10)
    assert client.get("tls-check") == b"1"


def test_without_tls_the_server_is_not_reached(
    tls_environment: tuple[int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tests above do go through TLS: the same server refuses a plain connection."""
    monkeypatch.setenv("REDIS_TLS", "false")
    client = redis_from_environment()
    assert client is not None
    with pytest.raises(redis.ConnectionError):
        client.ping()
    with pytest.raises(redis.ConnectionError):
        _store("127.0.0.1", tls_environment[0]).get_lock("plain")


def test_a_certificate_for_another_name_is_refused(tls_environment: tuple[int, Path]) -> None:
    """The certificate names redis.test and 127.0.0.1, not localhost: same server, same
    authority, but the name does not match, as with a server in the middle."""
    port = tls_environment[0]
    with pytest.raises(redis.ConnectionError, match=r"match|hostname"):
        _store("localhost", port).get_lock("elsewhere")
    client = redis.Redis(host="localhost", port=port, socket_timeout=2, **client_options())
    with pytest.raises(redis.ConnectionError, match=r"match|hostname"):
        client.ping()


def test_a_certificate_of_an_unknown_authority_is_refused(
    tls_environment: tuple[int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REDIS_CA_CERT")  # the system's authorities do not know the test's
    client = redis_from_environment()
    assert client is not None
    with pytest.raises(redis.ConnectionError, match="certificate verify failed"):
        client.ping()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("REDIS_TLS", "ture", "REDIS_TLS must be true or false, not 'ture'"),
        ("REDIS_CA_CERT", "/nowhere/ca.pem", "REDIS_CA_CERT: no such file /nowhere/ca.pem"),
    ],
)
def test_a_wrong_setting_stops_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv("REDIS_TLS", "true")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=message):
        client_options()
    with pytest.raises(ValueError, match=message):
        _store("127.0.0.1", 6379)


def test_no_tls_options_when_tls_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_TLS", raising=False)
    assert client_options() == {}
    monkeypatch.setenv("REDIS_TLS", "No")
    assert client_options() == {}
