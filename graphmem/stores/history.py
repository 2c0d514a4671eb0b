"""HistoryLog: the append-only SQLite log of every ADD / UPDATE / DELETE / INVALIDATE.

One row per `HistoryEvent`. Rows are never edited; `remove` exists only so a write that
failed half-way can take back the events it appended (see its docstring).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from graphmem.errors import StoreUnavailable
from graphmem.models.records import HistoryEvent

_SCHEMA = """
CREATE TABLE IF NOT EXISTS history (
    id TEXT PRIMARY KEY,
    memory_id TEXT NOT NULL,
    event TEXT NOT NULL,
    old_memory TEXT,
    new_memory TEXT,
    actor TEXT,
    target TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS history_memory_id ON history (memory_id);
"""
_COLUMNS = "id, memory_id, event, old_memory, new_memory, actor, target, created_at"
_INSERT = f"INSERT INTO history ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
_SELECT_FOR_MEMORY = (
    f"SELECT {_COLUMNS} FROM history WHERE memory_id = ? ORDER BY created_at, rowid"
)
_SELECT_LAST = "SELECT rowid, id FROM history ORDER BY rowid DESC LIMIT 1"
_SELECT_AT = "SELECT id FROM history WHERE rowid = ?"
_SELECT_MEMORY_IDS_AFTER = (
    "SELECT DISTINCT memory_id FROM history WHERE rowid > ? AND target = 'memory'"
)
# Keeps each DELETE statement well under SQLite's bound-parameter limit.
_DELETE_BATCH = 500

Row = tuple[str, str, str, str | None, str | None, str | None, str, str]


@dataclass(frozen=True)
class HistoryMark:
    """A position in the log: the newest event's rowid and id (`0, None` for an empty log).

    The event id tells this log from one that was reset or replaced and has since grown
    past the same rowid.
    """

    rowid: int
    event_id: str | None


EMPTY_MARK = HistoryMark(0, None)


class HistoryLog:
    """Append-only history of memories and relations in one SQLite file (WAL mode).

    Safe to share between threads: one connection, guarded by a lock.

    Args:
        path: The SQLite file; its folder is created if missing.

    Raises:
        StoreUnavailable: The file cannot be opened (locked, unwritable, not a database).

    Example:
        >>> log = HistoryLog(Path("/tmp/gm/history.db"))
        >>> log.append([HistoryEvent(memory_id="m1", event="ADD", new_memory="Sarah")])
        >>> [e.event for e in log.for_memory("m1")]
        ['ADD']
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailable(f"history log {path} cannot be opened: {exc}") from exc

    def append(self, events: Sequence[HistoryEvent]) -> None:
        """Append `events` in one transaction: all of them are written, or none."""
        if not events:
            return
        rows = [_to_row(event) for event in events]
        with self._transaction("append to") as conn:
            conn.executemany(_INSERT, rows)

    def for_memory(self, memory_id: str) -> list[HistoryEvent]:
        """Events of one memory (or relation) id, oldest first, in insertion order on ties."""
        with self._transaction("read") as conn:
            rows: list[Row] = conn.execute(_SELECT_FOR_MEMORY, (memory_id,)).fetchall()
        return [_from_row(row) for row in rows]

    def watermark(self) -> HistoryMark:
        """Where the log ends now, to ask `memory_ids_since` later what was written after."""
        with self._transaction("read") as conn:
            row: tuple[int, str] | None = conn.execute(_SELECT_LAST).fetchone()
        return HistoryMark(*row) if row is not None else EMPTY_MARK

    def memory_ids_since(self, mark: HistoryMark) -> set[str] | None:
        """Ids of the memories with an event after `mark`; None if the log no longer holds
        `mark` (it was reset or replaced since), so that "after" means nothing.

        Relation events (target "relation": a relation's ADD, DELETE or INVALIDATE) are
        left out: their `memory_id` names a relation, not a memory.
        """
        with self._transaction("read") as conn:
            if mark.rowid > 0:
                row: tuple[str] | None = conn.execute(_SELECT_AT, (mark.rowid,)).fetchone()
                if row is None or row[0] != mark.event_id:
                    return None
            rows: list[tuple[str]] = conn.execute(
                _SELECT_MEMORY_IDS_AFTER, (mark.rowid,)
            ).fetchall()
        return {memory_id for (memory_id,) in rows}

    def remove(self, event_ids: Sequence[str]) -> None:
        """Delete events by id, ONLY to compensate a write that failed after appending them.

        History is otherwise never edited: a delete of a memory is itself a DELETE event.
        """
        ids = list(event_ids)
        with self._transaction("remove from") as conn:
            for start in range(0, len(ids), _DELETE_BATCH):
                batch = ids[start : start + _DELETE_BATCH]
                marks = ", ".join("?" * len(batch))
                conn.execute(f"DELETE FROM history WHERE id IN ({marks})", batch)

    def reset(self) -> None:
        """Delete every event (used by `Memory.reset`)."""
        with self._transaction("reset") as conn:
            conn.execute("DELETE FROM history")

    def close(self) -> None:
        """Close the connection; the log cannot be used afterwards."""
        with self._lock:
            try:
                self._conn.close()
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"history log {self._path} failed to close: {exc}") from exc

    @contextmanager
    def _transaction(self, action: str) -> Iterator[sqlite3.Connection]:
        """Run the body in one transaction under the lock; sqlite errors → StoreUnavailable."""
        with self._lock:
            try:
                self._conn.execute("BEGIN")
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                with suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreUnavailable(
                        f"history log {self._path}: failed to {action} it: {exc}"
                    ) from exc
                raise


def _to_row(event: HistoryEvent) -> Row:
    return (
        event.id,
        event.memory_id,
        event.event,
        event.old_memory,
        event.new_memory,
        event.actor,
        event.target,
        _utc_iso(event.created_at),
    )


def _utc_iso(moment: datetime) -> str:
    """Fixed-width UTC ISO text, so SQLite's text order is time order."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds")


def _from_row(row: Row) -> HistoryEvent:
    event_id, memory_id, event, old, new, actor, target, created_at = row
    return HistoryEvent.model_validate(
        {
            "id": event_id,
            "memory_id": memory_id,
            "event": event,
            "old_memory": old,
            "new_memory": new,
            "actor": actor,
            "target": target,
            "created_at": datetime.fromisoformat(created_at),
        }
    )
