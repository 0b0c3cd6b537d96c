"""Which web pages may open the widget's socket.

- `WIDGET_ALLOWED_ORIGINS` (comma-separated, e.g. `https://www.kranj.si,https://kranj.si`):
  those origins, plus the bot's own pages (the demo page it serves).
- Unset: only pages on this machine (`localhost`, `127.0.0.1`, `[::1]`, any port), which is
  what `make run` needs. The production profile (`WELCOME_PROFILE=production`, set by
  `python -m bot production`) refuses to start without the variable instead.
- The origin `null` (sandboxed frames, local files, some redirects) is never allowed, even
  with `*`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Tuple
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

VARIABLE = "WIDGET_ALLOWED_ORIGINS"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
HOW_TO_SET = (
    f"Set {VARIABLE} to the web sites that embed the widget, comma-separated, e.g. "
    f"{VARIABLE}=https://www.kranj.si,https://www.bolzano.it (docs/channels.md)."
)


class OriginsNotConfiguredError(RuntimeError):
    """The production profile was started without WIDGET_ALLOWED_ORIGINS."""


def is_production(environ: Mapping[str, str]) -> bool:
    return environ.get("WELCOME_PROFILE", "").strip().lower() == "production"


def configured_origins(environ: Mapping[str, str]) -> Tuple[str, ...]:
    """The origins named in WIDGET_ALLOWED_ORIGINS, without trailing slashes and `null`."""
    raw = [o.strip().rstrip("/") for o in environ.get(VARIABLE, "").split(",")]
    return tuple(o for o in raw if o and o.lower() != "null")


def require_origins(environ: Mapping[str, str]) -> None:
    """Raise with what to do when the production profile has no widget origins."""
    if not configured_origins(environ):
        raise OriginsNotConfiguredError(
            f"The production profile needs {VARIABLE}: without it no web site could open "
            f"the widget (or, before, any could). {HOW_TO_SET}"
        )


@dataclass(frozen=True)
class OriginPolicy:
    """Decides for one `Origin` header (engineio calls `allows(origin, environ)`)."""

    origins: Tuple[str, ...] = ()

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> OriginPolicy:
        if is_production(environ):
            require_origins(environ)
        origins = configured_origins(environ)
        if "*" in origins:
            logger.warning("%s=*: any web site may open the widget", VARIABLE)
        return cls(origins)

    def allows(self, origin: Optional[str], environ: Optional[Mapping[str, Any]] = None) -> bool:
        if not origin or origin.strip().lower() == "null":
            return False
        origin = origin.strip().rstrip("/")
        if "*" in self.origins or origin in self.origins:
            return True
        try:
            parts = urlsplit(origin)
            host = parts.hostname
            netloc = parts.netloc.lower()
        except ValueError:
            return False
        if parts.scheme not in ("http", "https"):
            return False
        own_host = str((environ or {}).get("HTTP_HOST", "")).lower()
        if own_host and netloc == own_host:  # the bot's own demo page
            return True
        return not self.origins and host in LOCAL_HOSTS
