"""Concurrent adds on one Memory: the reconcile call runs outside the write lock.

Two writers overlap on the network (the second's reconcile request reaches the server
before the first's answer leaves it), and a decision made against memories that another
writer changed meanwhile is not applied: the add reconciles again against what is stored.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graphmem import Memory
from tests.fakes.fixtures import make_llm_config
from tests.fakes.openai_server import FakeOpenAIServer, Reply, reply_json

RECONCILE = "ReconcileAnswer"
SLOW = 1.0


def extraction(fact: str, target: str) -> dict[str, Any]:
    return {
        "facts": [fact],
        "entities": [
            {"name": "Sarah Chen", "type": "person"},
            {"name": target, "type": "organization"},
        ],
        "relations": [{"source": "Sarah Chen", "relationship": "works at", "target": target}],
    }


GOOGLE = extraction("Sarah Chen works at Google", "Google")
META = extraction("Sarah Chen works at Meta", "Meta")
ADD_AND_KEEP = {
    "facts": [{"fact": "f1", "event": "ADD"}],
    "relations": [{"relation": "r1", "decision": "KEEP"}],
}
DELETE_GOOGLE = {
    "facts": [{"fact": "f1", "event": "DELETE", "memory": "m1"}],
    "relations": [{"relation": "r1", "decision": "INVALIDATE"}],
}


@pytest.fixture
def memory(fake_openai_server: FakeOpenAIServer, tmp_path: Path) -> Iterator[Memory]:
    config = make_llm_config(fake_openai_server, tmp_path / "graphmem", embedder="hash")
    with Memory(config) as memory:
        yield memory


def seed_google(memory: Memory, server: FakeOpenAIServer, user_id: str) -> str:
    """Sarah Chen works at Google, for `user_id` (one call: nothing near it yet)."""
    server.reset()
    server.script_json(GOOGLE)
    return str(memory.add("(the conversation)", user_id=user_id)["results"][0]["id"])


def answer_meta(reconcile: Callable[[int], Reply]) -> Callable[[dict[str, Any]], Reply]:
    """Extraction calls get META; the n-th reconcile call (from 0) gets `reconcile(n)`."""
    calls = iter(range(1_000))

    def responder(body: dict[str, Any]) -> Reply:
        tool = (body.get("tool_choice") or {}).get("function", {}).get("name")
        return reconcile(next(calls)) if tool == RECONCILE else reply_json(META)

    return responder


def in_thread(target: Callable[[], dict[str, Any]]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(target()), daemon=True)
    thread.start()
    return thread, out


def reconcile_events(server: FakeOpenAIServer) -> list[str]:
    return [event.kind for event in server.chat_timeline if event.tool == RECONCILE]


def wait_for_reconcile_request(server: FakeOpenAIServer, count: int = 1) -> None:
    deadline = time.monotonic() + 10
    while reconcile_events(server).count("received") < count:
        assert time.monotonic() < deadline, "no reconcile request arrived"
        time.sleep(0.01)


def test_two_writers_wait_for_their_reconcile_calls_at_once(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    for user in ("alice", "bob"):
        seed_google(memory, fake_openai_server, user)
    fake_openai_server.reset()
    fake_openai_server.answer_by(answer_meta(lambda _: reply_json(ADD_AND_KEEP, delay=SLOW)))

    writers = [
        in_thread(lambda user=user: memory.add("(the conversation)", user_id=user))
        for user in ("alice", "bob")
    ]
    for thread, _ in writers:
        thread.join(timeout=30)

    assert reconcile_events(fake_openai_server) == ["received", "received", "answered", "answered"]
    for _, out in writers:
        assert [(r["event"], r["memory"]) for r in out[0]["results"]] == [
            ("ADD", "Sarah Chen works at Meta")
        ]


def test_a_decision_on_a_memory_deleted_meanwhile_is_made_again(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    old_id = seed_google(memory, fake_openai_server, "alice")
    fake_openai_server.reset()
    fake_openai_server.answer_by(
        answer_meta(lambda n: reply_json(DELETE_GOOGLE, delay=SLOW) if n == 0 else None)
    )
    thread, out = in_thread(lambda: memory.add("(the conversation)", user_id="alice"))
    wait_for_reconcile_request(fake_openai_server)
    memory.delete(old_id)
    deleted_while_waiting = "answered" not in reconcile_events(fake_openai_server)
    thread.join(timeout=30)

    assert deleted_while_waiting
    # asked again: the deleted memory took its relation along, nothing is left to decide
    assert reconcile_events(fake_openai_server) == ["received", "answered"]
    assert [(r["event"], r["memory"]) for r in out[0]["results"]] == [
        ("ADD", "Sarah Chen works at Meta")
    ]
    assert [e["event"] for e in memory.history(old_id)] == ["ADD", "DELETE"]
    assert [m["memory"] for m in memory.get_all(user_id="alice")["results"]] == [
        "Sarah Chen works at Meta"
    ]


def test_a_decision_on_a_memory_updated_meanwhile_is_made_again_on_its_new_text(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    old_id = seed_google(memory, fake_openai_server, "alice")
    fake_openai_server.reset()
    fake_openai_server.answer_by(
        answer_meta(
            lambda n: reply_json(DELETE_GOOGLE, delay=SLOW) if n == 0 else reply_json(ADD_AND_KEEP)
        )
    )

    thread, out = in_thread(lambda: memory.add("(the conversation)", user_id="alice"))
    wait_for_reconcile_request(fake_openai_server)
    memory.update(old_id, "Sarah Chen works at Google in Zurich")
    updated_while_waiting = "answered" not in reconcile_events(fake_openai_server)
    thread.join(timeout=30)

    assert updated_while_waiting
    calls = [r for r in fake_openai_server.chat_requests if "ReconcileAnswer" in json.dumps(r.body)]
    assert len(calls) == 2
    assert "works at Google in Zurich" in json.dumps(calls[1].body["messages"])
    assert [(r["event"], r["memory"]) for r in out[0]["results"]] == [
        ("ADD", "Sarah Chen works at Meta")
    ]
    assert [e["event"] for e in memory.history(old_id)] == ["ADD", "UPDATE"]
    assert sorted(m["memory"] for m in memory.get_all(user_id="alice")["results"]) == [
        "Sarah Chen works at Google in Zurich",
        "Sarah Chen works at Meta",
    ]


def test_an_add_whose_neighbours_keep_changing_reconciles_under_the_lock_at_last(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    old_id = seed_google(memory, fake_openai_server, "alice")
    fake_openai_server.reset()
    fake_openai_server.answer_by(
        answer_meta(lambda n: reply_json(ADD_AND_KEEP, delay=SLOW if n < 2 else 0.0))
    )

    thread, out = in_thread(lambda: memory.add("(the conversation)", user_id="alice"))
    for round_, city in enumerate(("Zurich", "Paris"), start=1):
        wait_for_reconcile_request(fake_openai_server, round_)
        memory.update(old_id, f"Sarah Chen works at Google in {city}")
    thread.join(timeout=30)

    assert reconcile_events(fake_openai_server).count("received") == 3
    assert out[0]["usage"]["llm_calls"] == 4  # the extraction and three reconcile calls
    assert [(r["event"], r["memory"]) for r in out[0]["results"]] == [
        ("ADD", "Sarah Chen works at Meta")
    ]
    assert [e["event"] for e in memory.history(old_id)] == ["ADD", "UPDATE", "UPDATE"]
