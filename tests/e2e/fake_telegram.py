"""A fake Telegram Bot API on loopback that records what the assistant sends."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeBotApi:
    """Records every Bot API call as (token, method, payload)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                _, bot, method = self.path.split("/", 2)
                length = int(self.headers.get("Content-Length", "0"))
                payload = json.loads(self.rfile.read(length) or b"{}")
                with recorder._lock:
                    recorder.calls.append((bot.removeprefix("bot"), method, payload))
                body = json.dumps({"ok": True, "result": True}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def sent(self, token: str, chat_id: int, method: str = "sendMessage") -> list[dict[str, Any]]:
        with self._lock:
            return [
                payload
                for bot, name, payload in self.calls
                if bot == token and name == method and payload.get("chat_id", chat_id) == chat_id
            ]

    def close(self) -> None:
        self._server.shutdown()
