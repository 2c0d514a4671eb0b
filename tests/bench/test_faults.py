"""The soak's own checks can fail: a leak, a lost write and a half-landed write are seen."""

from __future__ import annotations

from pathlib import Path

from bench.faults.invariants import check_data_dir
from bench.faults.ledger import Ledger, Operation
from bench.faults.tenants import Cell, leaks
from graphmem import GraphMemConfig, Memory
from graphmem.models.scope import Scope

ALICE = Cell({"user_id": "alice"})
ALICE_BOT = Cell({"user_id": "alice", "agent_id": "bot"})
BOB = Cell({"user_id": "bob"})
CELLS = (ALICE, ALICE_BOT, BOB)


def test_a_reply_with_another_tenants_tag_is_a_leak() -> None:
    reply = {"results": [], "relations": [{"fact": f"Ana works at Initech {BOB.tag}"}]}
    assert leaks(reply, {"user_id": "alice"}, CELLS) == [BOB.tag]


def test_a_narrower_cell_of_the_same_tenant_is_not_a_leak() -> None:
    reply = {"answers": [{"entity": f"Ana {ALICE_BOT.tag}"}, {"entity": f"Ben {ALICE.tag}"}]}
    assert leaks(reply, {"user_id": "alice"}, CELLS) == []


def test_a_memory_row_outside_the_scope_is_a_leak() -> None:
    row = {"id": "m1", "memory": "no tag here", "user_id": "alice", "agent_id": "other"}
    assert leaks({"results": [row]}, {"user_id": "alice", "agent_id": "bot"}, CELLS) == [
        "memory row m1"
    ]


def test_a_missing_acknowledged_write_is_lost_and_an_unknown_memory_is_corruption(
    tmp_path: Path,
) -> None:
    config = GraphMemConfig(data_dir=tmp_path / "graphmem", embedder="hash", extractor="offline")
    with Memory(config) as memory:
        memory.add("Ana works at Initech.", user_id="alice", infer=False)
        ledger = Ledger()
        ledger.begin(Operation("add", ("Ben lives in Lyon.",)))
        ledger.done(["m-never-stored"])
        findings = check_data_dir(memory, ledger, [Scope.of(user_id="alice")])
    assert findings.lost == ["acknowledged memory 'Ben lives in Lyon.' is missing"]
    assert any("was never written" in problem for problem in findings.corrupt)


def test_a_write_in_flight_may_have_landed_whole_or_not_at_all() -> None:
    ledger = Ledger()
    ledger.begin(Operation("import", ("a", "b")))
    assert ledger.settle({"a": "id-a", "b": "id-b"}) is True
    assert ledger.live == {"a": "id-a", "b": "id-b"}
    ledger.begin(Operation("delete", (), "id-a", "a"))
    assert ledger.settle({"a": "id-a"}) is False
    assert "a" in ledger.live
