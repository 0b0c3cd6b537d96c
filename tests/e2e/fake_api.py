"""A fake messenger API on loopback that records every JSON POST and answers 200."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar


class RecordingServer:
    """Records (path, headers, payload) of every POST; `reply` is the JSON it answers."""

    reply: ClassVar[dict[str, Any]] = {"ok": True}

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self._lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                payload = json.loads(self.rfile.read(length) or b"{}")
                with recorder._lock:
                    recorder.requests.append((self.path, dict(self.headers), payload))
                body = json.dumps(recorder.reply).encode()
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

    def recorded(self) -> list[tuple[str, dict[str, str], dict[str, Any]]]:
        with self._lock:
            return list(self.requests)

    def close(self) -> None:
        self._server.shutdown()
