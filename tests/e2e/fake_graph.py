"""A fake WhatsApp Cloud (Graph) API on loopback that records what the assistant sends."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from tests.e2e.fake_api import RecordingServer


class FakeGraphApi(RecordingServer):
    """Records every message sent; `sent(to)` gives those to one person, with the sending
    number's id and the bearer token."""

    reply: ClassVar[dict[str, Any]] = {
        "messaging_product": "whatsapp",
        "messages": [{"id": "wamid.fake"}],
    }

    def messages(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(phone number id, bearer token, message) of every message sent."""
        found = []
        for path, headers, payload in self.recorded():
            *_, number, endpoint = path.split("/")
            if endpoint == "messages":
                token = headers.get("Authorization", "").removeprefix("Bearer ")
                found.append((number, token, payload))
        return found

    def sent(self, to: str) -> list[dict[str, Any]]:
        return [message for _, _, message in self.messages() if message.get("to") == to]

    def wait(self, to: str, count: int = 1, seconds: float = 15) -> list[dict[str, Any]]:
        """The messages to `to` once there are `count` of them (or the time is up)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(self.sent(to)) < count:
            time.sleep(0.1)
        return self.sent(to)
