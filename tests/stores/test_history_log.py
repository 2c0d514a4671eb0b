"""HistoryLog: the append-only SQLite log of memory and relation changes."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from graphmem.errors import StoreUnavailable
from graphmem.models.records import HistoryEvent
from graphmem.models.scope import Scope
from graphmem.models.usage import LLMUsage
from graphmem.stores.history import EMPTY_MARK, HistoryLog

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def log(tmp_path: Path) -> Iterator[HistoryLog]:
    history = HistoryLog(tmp_path / "history.db")
    yield history
    history.close()


def _event(memory_id: str = "m1", **fields: object) -> HistoryEvent:
    return HistoryEvent.model_validate({"memory_id": memory_id, "event": "ADD", **fields})


def test_appended_events_read_back_with_every_field(log: HistoryLog) -> None:
    event = _event(
        event="UPDATE",
        old_memory="Sarah works at Google",
        new_memory="Sarah works at Microsoft",
        actor="agent-7",
        target="relation",
        created_at=T0,
    )

    log.append([event])

    assert log.for_memory("m1") == [event]


def test_events_come_back_oldest_first(log: HistoryLog) -> None:
    later = _event(event="DELETE", created_at=T0 + timedelta(seconds=1))
    earlier = _event(event="ADD", created_at=T0)

    log.append([later])
    log.append([earlier])

    assert [e.event for e in log.for_memory("m1")] == ["ADD", "DELETE"]


def test_events_with_equal_times_keep_insertion_order(log: HistoryLog) -> None:
    events = [_event(event=kind, created_at=T0) for kind in ("ADD", "UPDATE", "DELETE")]

    log.append(events)

    assert [e.id for e in log.for_memory("m1")] == [e.id for e in events]


def test_times_in_other_zones_are_ordered_as_instants(log: HistoryLog) -> None:
    plus_two = timezone(timedelta(hours=2))
    earlier = _event(event="ADD", created_at=datetime(2025, 1, 1, 13, 30, tzinfo=plus_two))
    later = _event(event="UPDATE", created_at=T0)  # 12:00 UTC, after 11:30 UTC

    log.append([later, earlier])

    assert [e.event for e in log.for_memory("m1")] == ["ADD", "UPDATE"]


def test_only_the_requested_memorys_events_are_returned(log: HistoryLog) -> None:
    log.append([_event("m1"), _event("m2"), _event("m1")])

    assert {e.memory_id for e in log.for_memory("m1")} == {"m1"}
    assert len(log.for_memory("m1")) == 2
    assert log.for_memory("unknown") == []


def test_a_failing_append_writes_none_of_its_events(log: HistoryLog) -> None:
    first = _event()
    log.append([first])

    with pytest.raises(StoreUnavailable):
        log.append([_event(), first])  # the duplicate id fails the whole batch

    assert [e.id for e in log.for_memory("m1")] == [first.id]


def test_a_pending_write_is_settled_with_its_history_in_one_transaction(
    log: HistoryLog,
) -> None:
    log.begin_write("w1", '{"undo": 1}')
    log.begin_write("w2", '{"undo": 2}')
    assert log.pending_writes() == [("w1", '{"undo": 1}'), ("w2", '{"undo": 2}')]
    event = _event()
    log.append([event], settles="w1")
    assert log.pending_writes() == [("w2", '{"undo": 2}')]
    assert log.for_memory("m1") == [event]


def test_a_failing_append_leaves_its_write_pending(log: HistoryLog) -> None:
    first = _event()
    log.append([first])
    log.begin_write("w1", "{}")
    with pytest.raises(StoreUnavailable):
        log.append([first], settles="w1")  # a duplicate id fails the transaction
    assert log.pending_writes() == [("w1", "{}")]
    log.settle("w1")
    assert log.pending_writes() == []


def test_pending_writes_survive_reopening_the_file(tmp_path: Path) -> None:
    log = HistoryLog(tmp_path / "history.sqlite")
    log.begin_write("w1", "{}")
    log.close()
    assert HistoryLog(tmp_path / "history.sqlite").pending_writes() == [("w1", "{}")]


def test_reset_deletes_every_event(log: HistoryLog) -> None:
    log.append([_event("m1"), _event("m2")])

    log.reset()

    assert log.for_memory("m1") == log.for_memory("m2") == []


def test_an_empty_logs_watermark_is_the_empty_mark(log: HistoryLog) -> None:
    assert log.watermark() == EMPTY_MARK


def test_the_watermark_names_the_newest_event(log: HistoryLog) -> None:
    log.append([_event("m1"), newest := _event("m2")])

    assert log.watermark().event_id == newest.id


def test_memory_ids_since_names_only_memories_written_after_the_mark(log: HistoryLog) -> None:
    log.append([_event("m1"), _event("m2")])
    mark = log.watermark()

    log.append([_event("m2", event="UPDATE"), _event("m3"), _event("m3", event="DELETE")])

    assert log.memory_ids_since(mark) == {"m2", "m3"}
    assert log.memory_ids_since(log.watermark()) == set()


def test_memory_ids_since_the_empty_mark_names_every_memory(log: HistoryLog) -> None:
    log.append([_event("m1"), _event("m2")])

    assert log.memory_ids_since(EMPTY_MARK) == {"m1", "m2"}


def test_memory_ids_since_leaves_relation_events_out(log: HistoryLog) -> None:
    mark = log.watermark()

    log.append(
        [
            _event("m1"),
            _event("r1", target="relation"),
            _event("r2", event="INVALIDATE", target="relation"),
        ]
    )

    assert log.memory_ids_since(mark) == {"m1"}


def test_after_a_reset_the_old_mark_is_no_longer_held(log: HistoryLog) -> None:
    log.append([_event("m1"), _event("m2")])
    mark = log.watermark()

    log.reset()
    log.append([_event("m3"), _event("m4"), _event("m5")])  # past the old rowid again

    assert log.memory_ids_since(mark) is None


def test_a_mark_of_another_log_is_not_held(log: HistoryLog, tmp_path: Path) -> None:
    other = HistoryLog(tmp_path / "other.db")
    other.append([_event("x1")])
    log.append([_event("m1")])

    assert log.memory_ids_since(other.watermark()) is None
    other.close()


def test_events_survive_reopening_the_file(tmp_path: Path) -> None:
    event = _event(created_at=T0)
    first = HistoryLog(tmp_path / "h.db")
    first.append([event])
    first.close()

    second = HistoryLog(tmp_path / "h.db")

    assert second.for_memory("m1") == [event]
    second.close()


def test_log_uses_write_ahead_logging(tmp_path: Path) -> None:
    HistoryLog(tmp_path / "h.db").close()

    with sqlite3.connect(tmp_path / "h.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_file_that_is_not_a_database_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    path.write_bytes(b"this is not sqlite" * 100)

    with pytest.raises(StoreUnavailable, match="cannot be opened"):
        HistoryLog(path)


def test_using_a_closed_log_is_unavailable(tmp_path: Path) -> None:
    history = HistoryLog(tmp_path / "h.db")
    history.close()

    with pytest.raises(StoreUnavailable):
        history.append([_event()])


def test_concurrent_appends_from_threads_all_land(log: HistoryLog) -> None:
    def write() -> None:
        for _ in range(50):
            log.append([_event()])

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(log.for_memory("m1")) == 200


def test_recorded_llm_usage_is_summed_per_scope_and_survives_reopening(tmp_path: Path) -> None:
    log = HistoryLog(tmp_path / "h.db")
    log.record_usage(Scope.of(user_id="alice", run_id="r1"), LLMUsage(2, 300, 40))
    log.record_usage(Scope.of(user_id="alice"), LLMUsage(1, 100, 10))
    log.record_usage(Scope.of(user_id="bob"), LLMUsage(1, 50, 5))
    log.close()
    reopened = HistoryLog(tmp_path / "h.db")
    assert reopened.usage(None) == LLMUsage(4, 450, 55)
    assert reopened.usage(Scope.of(user_id="alice")) == LLMUsage(3, 400, 50)
    assert reopened.usage(Scope.of(user_id="alice", run_id="r1")) == LLMUsage(2, 300, 40)
    assert reopened.usage(Scope.of(agent_id="nobody")) == LLMUsage()
    reopened.close()


def test_reset_forgets_the_llm_usage(log: HistoryLog) -> None:
    log.record_usage(Scope.of(user_id="alice"), LLMUsage(1, 100, 10))
    log.reset()
    assert log.usage(None) == LLMUsage()
