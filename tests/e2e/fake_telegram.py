"""A fake Telegram Bot API on loopback that records what the assistant sends."""

from __future__ import annotations

from typing import Any, ClassVar

from tests.e2e.fake_api import RecordingServer


class FakeBotApi(RecordingServer):
    """Records every Bot API call; `calls` gives them as (token, method, payload)."""

    reply: ClassVar[dict[str, Any]] = {"ok": True, "result": True}

    @property
    def calls(self) -> list[tuple[str, str, dict[str, Any]]]:
        found = []
        for path, _, payload in self.recorded():
            _, bot, method = path.split("/", 2)
            found.append((bot.removeprefix("bot"), method, payload))
        return found

    def sent(self, token: str, chat_id: int, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [
            payload
            for bot, name, payload in self.calls
            if bot == token and name == method and payload.get("chat_id", chat_id) == chat_id
        ]
