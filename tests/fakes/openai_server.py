"""A real OpenAI-compatible HTTP server on 127.0.0.1 with scripted chat replies.

Tests drive the real `openai` + `instructor` client against it (SPEC §13). Each chat
request takes the next scripted reply (JSON object, raw text, HTTP error, or a delay);
when the queue is empty the default reply answers. A responder (`answer_by`) may answer
by the request instead (e.g. by its tool, for concurrent adds whose calls interleave).
An answer may also be cut off (`reply_cut`: finish_reason "length", as a server says when
`max_tokens` ran out). Every request is recorded, and `chat_timeline` says in which order
chat requests arrived and were answered (to show that two calls overlapped without timing
them).

Example:
    >>> import openai
    >>> with FakeOpenAIServer() as server:
    ...     scripted = server.script_json({"facts": ["Sarah works at Google"]})
    ...     client = openai.OpenAI(base_url=server.base_url, api_key="test")
    ...     messages = [{"role": "user", "content": "Sarah works at Google."}]
    ...     answer = client.chat.completions.create(model="m", messages=messages)
    >>> json.loads(answer.choices[0].message.content)
    {'facts': ['Sarah works at Google']}
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import random
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

EMPTY_EXTRACTION: dict[str, Any] = {
    "facts": [],
    "entities": [],
    "relations": [],
    "nothing_to_remember": True,
}
"""An extraction that says, explicitly, that there is nothing to remember."""


@dataclass(frozen=True)
class Reply:
    """One scripted answer to a chat request.

    `kind` is "json" (assistant output is `payload` encoded as JSON), "text" (assistant
    output is `payload` verbatim, e.g. invalid JSON), or "status" (HTTP error `status`
    with `payload` as the message). `delay` seconds pass before answering. `cut` answers
    with finish_reason "length" instead of a normal stop.
    """

    kind: str
    payload: Any = None
    status: int = 200
    delay: float = 0.0
    cut: bool = False


def reply_json(obj: Any, *, delay: float = 0.0) -> Reply:
    """The assistant answers with `obj` as JSON (a tool call in TOOLS mode)."""
    return Reply("json", obj, delay=delay)


def reply_text(text: str, *, delay: float = 0.0) -> Reply:
    """The assistant answers with `text` verbatim (as tool arguments in TOOLS mode)."""
    return Reply("text", text, delay=delay)


def reply_cut(text: str) -> Reply:
    """The assistant's output is `text`, cut off: finish_reason "length" (max_tokens ran out)."""
    return Reply("text", text, cut=True)


def reply_status(status: int, message: str = "scripted error", *, delay: float = 0.0) -> Reply:
    """The server answers with an HTTP error and an OpenAI-style error body."""
    return Reply("status", message, status=status, delay=delay)


def reply_delay(seconds: float, then: Reply | None = None) -> Reply:
    """Wait `seconds` (to trigger client timeouts), then answer `then` (default: empty)."""
    base = then or reply_json(EMPTY_EXTRACTION)
    return Reply(base.kind, base.payload, status=base.status, delay=seconds, cut=base.cut)


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received: method, path and parsed JSON body (or None)."""

    method: str
    path: str
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


Responder = Callable[[dict[str, Any]], "Reply | None"]
"""Answers a chat request body with a Reply, or None to leave it to the script."""


@dataclass(frozen=True)
class ChatEvent:
    """A chat request arrived (`kind` "received") or its answer was sent ("answered");
    `tool` is the tool the request asked for (None without tools)."""

    kind: str
    tool: str | None


def fake_embedding(text: str, dims: int) -> list[float]:
    """A deterministic unit vector for `text`, seeded by its SHA-256."""
    seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    rng = random.Random(seed)
    vector = [rng.gauss(0.0, 1.0) for _ in range(dims)]
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]


def estimate_tokens(value: Any) -> int:
    """Deterministic token count: about four characters per token, at least one."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return max(1, len(text) // 4)


class FakeOpenAIServer:
    """OpenAI-compatible server with a scripted reply queue, for tests.

    Serves `POST /v1/chat/completions`, `POST /v1/embeddings` and `GET /v1/models`.
    Use as a context manager or call `close()`.

    Args:
        default_reply: the answer when the queue is empty (an empty extraction).
        embedding_dims: vector size of embeddings when the request names none.
        model: the model id listed by `/v1/models`.
    """

    def __init__(
        self,
        *,
        default_reply: Reply | None = None,
        embedding_dims: int = 384,
        embedding_status: int = 200,
        model: str = "fake-model",
    ) -> None:
        self.default_reply = default_reply or reply_json(EMPTY_EXTRACTION)
        self.embedding_dims = embedding_dims
        self.embedding_status = embedding_status
        self.model = model
        self._replies: deque[Reply] = deque()
        self._requests: list[RecordedRequest] = []
        self._usages: list[dict[str, int]] = []
        self._timeline: list[ChatEvent] = []
        self._responder: Responder | None = None
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._counter = 0
        self._generation = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/v1`, for `openai.OpenAI(base_url=...)`."""
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Reply) -> FakeOpenAIServer:
        """Queue replies for the next chat requests, in order."""
        with self._lock:
            self._replies.extend(replies)
        return self

    def answer_by(self, responder: Responder) -> FakeOpenAIServer:
        """Let `responder` answer each chat request first (until `reset`)."""
        with self._lock:
            self._responder = responder
        return self

    def script_json(self, *objects: Any) -> FakeOpenAIServer:
        return self.script(*(reply_json(obj) for obj in objects))

    def script_text(self, *texts: str) -> FakeOpenAIServer:
        return self.script(*(reply_text(text) for text in texts))

    def script_status(self, status: int, message: str = "scripted error") -> FakeOpenAIServer:
        return self.script(reply_status(status, message))

    def script_delay(self, seconds: float, then: Reply | None = None) -> FakeOpenAIServer:
        return self.script(reply_delay(seconds, then))

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The chat completion requests received so far."""
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    @property
    def chat_timeline(self) -> list[ChatEvent]:
        """Chat requests arriving and answers sent, in the order they happened."""
        with self._lock:
            return list(self._timeline)

    @property
    def completion_usages(self) -> list[dict[str, int]]:
        """The `usage` objects of the completions sent so far."""
        with self._lock:
            return list(self._usages)

    @property
    def pending(self) -> int:
        """Scripted replies not used yet."""
        with self._lock:
            return len(self._replies)

    def reset(self) -> None:
        """Forget scripted replies and recorded requests (keeps the default reply)."""
        with self._lock:
            self._generation += 1
            self._replies.clear()
            self._requests.clear()
            self._usages.clear()
            self._timeline.clear()
            self._responder = None

    def close(self) -> None:
        """Stop serving; sleeping delayed replies wake up and give up at once."""
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # The handler calls these; they hold the lock only briefly.

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _next_reply(self, body: dict[str, Any]) -> tuple[Reply, int]:
        with self._lock:
            self._timeline.append(ChatEvent("received", _tool_name(body)))
            responder, generation = self._responder, self._generation
        reply = responder(body) if responder is not None else None
        with self._lock:
            if reply is None:
                reply = self._replies.popleft() if self._replies else self.default_reply
            return reply, generation

    def _answered(self, body: dict[str, Any], generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self._timeline.append(ChatEvent("answered", _tool_name(body)))

    def _wait(self, seconds: float, generation: int) -> bool:
        """Sleep up to `seconds`; False when the server closed or was reset meanwhile.

        A reply delayed past a `reset()` belongs to an earlier test: it is dropped so it
        cannot show up in the next test's usage records.
        """
        if seconds > 0 and self._closing.wait(seconds):
            return False
        with self._lock:
            return generation == self._generation

    def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        with self._lock:
            self._counter += 1
            number = self._counter
        output = json.dumps(reply.payload) if reply.kind == "json" else str(reply.payload)
        usage = {
            "prompt_tokens": estimate_tokens(body.get("messages", [])),
            "completion_tokens": estimate_tokens(output),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        with self._lock:
            self._usages.append(dict(usage))
        return {
            "id": f"chatcmpl-fake-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model),
            "choices": [_choice(body, output, number, cut=reply.cut)],
            "usage": usage,
        }

    def _embeddings(self, body: dict[str, Any]) -> dict[str, Any]:
        inputs = body.get("input", [])
        texts = [inputs] if isinstance(inputs, str) else [str(item) for item in inputs]
        dims = int(body.get("dimensions") or self.embedding_dims)
        data = []
        for index, text in enumerate(texts):
            vector = fake_embedding(text, dims)
            encoded: Any = vector
            if body.get("encoding_format") == "base64":
                encoded = base64.b64encode(struct.pack(f"<{dims}f", *vector)).decode("ascii")
            data.append({"object": "embedding", "index": index, "embedding": encoded})
        tokens = sum(estimate_tokens(text) for text in texts)
        return {
            "object": "list",
            "data": data,
            "model": body.get("model", self.model),
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }

    def _models(self) -> dict[str, Any]:
        entry = {"id": self.model, "object": "model", "created": 0, "owned_by": "graphmem-tests"}
        return {"object": "list", "data": [entry]}


def _tool_name(body: dict[str, Any]) -> str | None:
    tools = body.get("tools") or []
    if not tools:
        return None
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and choice.get("function", {}).get("name"):
        return str(choice["function"]["name"])
    return str(tools[0].get("function", {}).get("name", "tool"))


def _choice(body: dict[str, Any], output: str, number: int, *, cut: bool) -> dict[str, Any]:
    tool = _tool_name(body)
    if tool is None:
        message: dict[str, Any] = {"role": "assistant", "content": output}
        return {"index": 0, "message": message, "finish_reason": "length" if cut else "stop"}
    call = {
        "id": f"call_fake_{number}",
        "type": "function",
        "function": {"name": tool, "arguments": output},
    }
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    return {"index": 0, "message": message, "finish_reason": "length" if cut else "tool_calls"}


def _error_body(message: str, status: int) -> dict[str, Any]:
    kind = "server_error" if status >= 500 else "invalid_request_error"
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def _make_handler(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes; without this, Nagle holds the body until
        # the client acks the headers (a delayed ack: ~10-40 ms a request).
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

        def do_GET(self) -> None:
            server._record(RecordedRequest("GET", self.path, None, dict(self.headers)))
            if self.path.rstrip("/").endswith("/models"):
                self._send(200, server._models())
            else:
                self._send(404, _error_body(f"no route {self.path}", 404))

        def do_POST(self) -> None:
            body = self._read_json()
            server._record(RecordedRequest("POST", self.path, body, dict(self.headers)))
            if not isinstance(body, dict):
                self._send(400, _error_body("body is not a JSON object", 400))
            elif self.path.endswith("/chat/completions"):
                self._answer_chat(body)
            elif self.path.endswith("/embeddings") and server.embedding_status != 200:
                status = server.embedding_status
                self._send(status, _error_body("scripted embeddings error", status))
            elif self.path.endswith("/embeddings"):
                self._send(200, server._embeddings(body))
            else:
                self._send(404, _error_body(f"no route {self.path}", 404))

        def _answer_chat(self, body: dict[str, Any]) -> None:
            reply, generation = server._next_reply(body)
            if not server._wait(reply.delay, generation):
                self.close_connection = True
                return
            if reply.kind == "status":
                self._send(reply.status, _error_body(str(reply.payload), reply.status))
            else:
                self._send(200, server._completion(body, reply))
            server._answered(body, generation)

        def _read_json(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                return json.loads(raw or b"null")
            except ValueError:
                return None

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                # The client gave up (e.g. its timeout fired); nothing left to do.
                self.close_connection = True

    return Handler
