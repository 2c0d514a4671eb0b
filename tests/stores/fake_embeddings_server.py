"""A tiny OpenAI-compatible `/embeddings` server on 127.0.0.1, for embedder tests."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


class FakeEmbeddingsServer:
    """Answers POST /v1/embeddings with vectors of `dims` floats, or with `status`.

    Each text's vector is [len(text), 1, 0, ...], so results are easy to predict.
    """

    def __init__(self, dims: int = 384, status: int = 200) -> None:
        self.dims = dims
        self.status = status
        self.requests: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> FakeEmbeddingsServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                if fake.status != 200:
                    self._reply(fake.status, {"error": {"message": "boom", "type": "server"}})
                    return
                data = [
                    {"object": "embedding", "index": i, "embedding": fake.vector(text)}
                    for i, text in enumerate(body["input"])
                ]
                data.reverse()  # clients must order by `index`, not by position
                usage = {"prompt_tokens": 1, "total_tokens": 1}
                self._reply(200, {"object": "list", "data": data, "model": "m", "usage": usage})

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def vector(self, text: str) -> list[float]:
        return [float(len(text)), 1.0] + [0.0] * (self.dims - 2)
