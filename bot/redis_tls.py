"""TLS to Redis, from the environment, for every Redis client of the bot (the lock store, the
shared rate limits and the retried-delivery ids). A managed Redis often accepts only TLS.

- `REDIS_TLS`: `true` connects with TLS; `false` or unset, without (a Redis on the private
  network).
- `REDIS_CA_CERT`: a PEM file of the authority that signed the server's certificate (a
  self-run Redis); unset, the system's authorities (a managed Redis).

With TLS the server's certificate must be valid and name the host connected to
(`REDIS_HOST`): redis-py does not check the name unless told, and without that check any
certificate of the same authority would do.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

_YES = ("true", "yes", "1", "on")
_NO = ("false", "no", "0", "off", "")


def tls_wanted() -> bool:
    """Whether REDIS_TLS asks for TLS; a value that is neither yes nor no is an error
    naming the variable (a typo must not quietly turn encryption off)."""
    value = os.environ.get("REDIS_TLS", "").strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"REDIS_TLS must be true or false, not {value!r}")


def authority() -> str | None:
    """REDIS_CA_CERT, checked to be a file; None for the system's authorities."""
    path = os.environ.get("REDIS_CA_CERT") or None
    if path is not None and not Path(path).is_file():
        raise ValueError(f"REDIS_CA_CERT: no such file {path}")
    return path


def client_options() -> dict[str, Any]:
    """Keyword arguments for redis.Redis: none without TLS."""
    if not tls_wanted():
        return {}
    return {
        "ssl": True,
        "ssl_cert_reqs": "required",
        "ssl_ca_certs": authority(),
        "ssl_check_hostname": True,
    }
