"""Per-address message limit: many made-up sender ids from one client still count as one.

ADDRESS_RATE_LIMIT_PER_MINUTE (default 120) messages per client address, counted over a
sliding window of ADDRESS_WINDOW_SECONDS (a sixth of them per 10 s), so an address cannot
spend a minute's allowance in one burst. Counted in Redis when REDIS_HOST is set, like the
per-sender limit (bot/channels/ratelimit.py). An IPv6 client counts by its /64 network,
which one subscriber usually holds whole.

The client's address is the connection's peer, unless the peer is one of TRUSTED_PROXIES
(comma-separated IPs or CIDR networks, default none): then it is the right-most address in
X-Forwarded-For that is not itself a trusted proxy. A client can write anything into that
header, but only to the left of what the trusted proxies append, and that part is never
read. Behind a reverse proxy, TRUSTED_PROXIES must name it, or every client counts as the
proxy's address.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import os
from typing import Any, Mapping, Optional, Tuple, Union

from sanic.request import Request

from bot.channels.ratelimit import RateLimiter

ADDRESS_KEY_PREFIX = "welcome:rate-address:"  # not under the senders' "welcome:rate:"
ADDRESS_WINDOW_SECONDS = 10.0
DEFAULT_PER_MINUTE = 120
MAX_ADDRESS_TEXT = 64  # longer than any address with port and brackets

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
Trusted = Tuple[Network, ...]


def parse_trusted(raw: str) -> Trusted:
    """TRUSTED_PROXIES' value as networks; a ValueError names an entry that is neither an
    address nor a network."""
    networks = []
    for entry in filter(None, (part.strip() for part in raw.split(","))):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            message = f"TRUSTED_PROXIES: {entry!r} is not an IP address or network"
            raise ValueError(message) from error
    return tuple(networks)


@functools.lru_cache(maxsize=1)
def trusted_from_environment() -> Trusted:
    """The TRUSTED_PROXIES of this process, read once."""
    return parse_trusted(os.environ.get("TRUSTED_PROXIES", ""))


def parse_ip(text: str) -> Optional[IPAddress]:
    """An address as proxies write it (1.2.3.4, 1.2.3.4:80, ::1, [::1], [::1]:80); an
    IPv4-mapped IPv6 address as IPv4; None for anything else."""
    value = text.strip()
    if len(value) > MAX_ADDRESS_TEXT:
        return None
    if value.startswith("["):
        end = value.find("]")
        value = value[1:end] if end > 0 else ""
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, trusted: Trusted) -> bool:
    return any(address in network for network in trusted)


def client_address(peer: str, forwarded_for: Optional[str], trusted: Trusted) -> str:
    """The client's address: `peer`, or, when the peer is a trusted proxy, the right-most
    X-Forwarded-For entry that is not a trusted proxy. Reading stops at an entry that is not
    an address (only a client writes such a thing); the last trusted hop is then the answer."""
    address = parse_ip(peer)
    if address is None:
        return peer.strip()[:MAX_ADDRESS_TEXT] or "unknown"
    if not forwarded_for or not _is_trusted(address, trusted):
        return str(address)
    for entry in reversed(forwarded_for.split(",")):
        hop = parse_ip(entry)
        if hop is None:
            break
        address = hop
        if not _is_trusted(hop, trusted):
            break
    return str(address)


def limit_key(address: str) -> str:
    """What the limit counts: the address, or an IPv6 address's /64 network."""
    parsed = parse_ip(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return address


def request_address(request: Request, trusted: Optional[Trusted] = None) -> str:
    """The client's address of a Sanic request."""
    peer = request.remote_addr or request.ip
    forwarded = ",".join(request.headers.getall("x-forwarded-for", [])) or None
    return client_address(peer, forwarded, _or_environment(trusted))


def socket_address(environ: Optional[Mapping[str, Any]], trusted: Optional[Trusted] = None) -> str:
    """The client's address of a socket.io connection, from `sio.get_environ(sid)`: in
    python-engineio's sanic mode the connecting request is `environ["sanic.request"]`
    (its REMOTE_ADDR is always 127.0.0.1); other modes give REMOTE_ADDR and the header."""
    if not environ:
        return "unknown"
    request = environ.get("sanic.request")
    if request is not None:
        return request_address(request, trusted)
    return client_address(
        str(environ.get("REMOTE_ADDR") or ""),
        environ.get("HTTP_X_FORWARDED_FOR"),
        _or_environment(trusted),
    )


def _or_environment(trusted: Optional[Trusted]) -> Trusted:
    return trusted_from_environment() if trusted is None else trusted


def per_window_from_environment(window: float = ADDRESS_WINDOW_SECONDS) -> int:
    """ADDRESS_RATE_LIMIT_PER_MINUTE's share of one window (at least 1)."""
    per_minute = int(os.environ.get("ADDRESS_RATE_LIMIT_PER_MINUTE") or DEFAULT_PER_MINUTE)
    return max(1, math.ceil(per_minute * window / 60.0))


class AddressLimit:
    """The per-address limit of one channel."""

    def __init__(
        self, limiter: Optional[RateLimiter] = None, trusted: Optional[Trusted] = None
    ) -> None:
        self.trusted = _or_environment(trusted)  # a wrong TRUSTED_PROXIES fails at start
        self.limiter = limiter or RateLimiter(
            per_window_from_environment(),
            window=ADDRESS_WINDOW_SECONDS,
            prefix=ADDRESS_KEY_PREFIX,
        )

    def allow(self, address: str) -> bool:
        """Count a message from `address` and say whether it may be processed."""
        return self.limiter.allow(limit_key(address))

    def allow_request(self, request: Request) -> bool:
        """The same for a Sanic request (REST)."""
        return self.allow(request_address(request, self.trusted))

    def exhausted_request(self, request: Request) -> bool:
        """Whether the request's address has used up its window (counts nothing)."""
        return self.limiter.exhausted(limit_key(request_address(request, self.trusted)))

    def allow_socket(self, environ: Optional[Mapping[str, Any]]) -> bool:
        """The same for a socket.io connection's environ (`sio.get_environ(sid)`)."""
        return self.allow(socket_address(environ, self.trusted))
