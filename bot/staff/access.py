"""Who may see which municipality on the staff page.

Tokens come only from the environment: `STAFF_TOKEN_<ID>` for one municipality (the id in
capitals, `-` as `_`: STAFF_TOKEN_KRANJ, STAFF_TOKEN_SANKT_JOHANN) and `STAFF_ADMIN_TOKEN`
for all of them. A token shorter than MIN_TOKEN_LENGTH characters is ignored with an error in
the log, so a guessable one never opens the page. With no token set, the page is closed.

Wrong tokens are counted per client address: after FAILURES_ALLOWED in FAILURE_WINDOW
seconds, the address gets 429 for every staff request until the window has passed, so a
token cannot be guessed by trying.
"""

from __future__ import annotations

import hmac
import logging
import os
from dataclasses import dataclass
from typing import Mapping, Optional

from sanic.request import Request

from bot.channels.address import AddressLimit
from bot.channels.ratelimit import RateLimiter

logger = logging.getLogger(__name__)

MIN_TOKEN_LENGTH = 16
ADMIN_VARIABLE = "STAFF_ADMIN_TOKEN"
PREFIX = "STAFF_TOKEN_"
FAILURES_ALLOWED = 10
FAILURE_WINDOW = 600.0


@dataclass(frozen=True)
class Access:
    """What a token opens: every municipality (admin) or one."""

    admin: bool
    municipality: Optional[str] = None

    def may_see(self, municipality_id: str) -> bool:
        return self.admin or self.municipality == municipality_id


def variable_for(municipality_id: str) -> str:
    """STAFF_TOKEN_SANKT_JOHANN for sankt-johann."""
    return PREFIX + municipality_id.upper().replace("-", "_")


def _usable(name: str, value: str) -> bool:
    if len(value) >= MIN_TOKEN_LENGTH:
        return True
    logger.error(
        "%s is shorter than %d characters and is ignored; generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(24))'`",
        name,
        MIN_TOKEN_LENGTH,
    )
    return False


class Tokens:
    """The configured tokens, read once from the environment."""

    def __init__(self, environ: Optional[Mapping[str, str]] = None) -> None:
        environ = os.environ if environ is None else environ
        self._tokens: list[tuple[str, Access]] = []
        for name, value in sorted(environ.items()):
            if name == ADMIN_VARIABLE and _usable(name, value):
                self._tokens.append((value, Access(admin=True)))
            elif name.startswith(PREFIX) and _usable(name, value):
                municipality = name[len(PREFIX) :].lower().replace("_", "-")
                self._tokens.append((value, Access(admin=False, municipality=municipality)))

    @property
    def configured(self) -> bool:
        return bool(self._tokens)

    def access(self, given: Optional[str]) -> Optional[Access]:
        """What the token opens, or None. Every configured token is compared, in constant
        time, so the time taken does not tell which was close."""
        if not given:
            return None
        found = None
        presented = given.encode("utf-8", "replace")
        for token, access in self._tokens:
            if hmac.compare_digest(presented, token.encode("utf-8")):
                found = access
        return found


class Failures:
    """Wrong tokens per client address."""

    def __init__(self) -> None:
        self._limit = AddressLimit(
            RateLimiter(
                FAILURES_ALLOWED, window=FAILURE_WINDOW, prefix="welcome:staff-fail:", shared=False
            )
        )

    def blocked(self, request: Request) -> bool:
        """Whether the address has used up its wrong tries (does not count one)."""
        return self._limit.exhausted_request(request)

    def count(self, request: Request) -> bool:
        """Count a wrong token; False once the address has used up its tries."""
        return self._limit.allow_request(request)
