"""HistoryLog: the append-only SQLite log of every ADD / UPDATE / DELETE / INVALIDATE, the
journal of writes in progress, and the ledger of LLM usage.

One row per `HistoryEvent`; rows are never edited or removed. A write across the stores
first records how to undo it (`begin_write`), and its history events are appended in the
same transaction that settles it: so a write is committed exactly when its history is, and
a write a crash cut short is still pending at the next open, to be undone
(`memory/write/writer.py`).

The usage ledger has one row per add that called an LLM (its scope, calls and tokens,
whether or not the add was stored: the tokens were spent either way), so `Memory.stats`
sums what a data dir, or one scope of it, has cost since it was made or last reset.
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
from graphmem.models.scope import SCOPE_FIELDS, Scope
from graphmem.models.usage import LLMUsage

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
CREATE TABLE IF NOT EXISTS pending_writes (
    id TEXT PRIMARY KEY,
    undo TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS llm_usage (
    created_at TEXT NOT NULL,
    user_id TEXT,
    agent_id TEXT,
    run_id TEXT,
    app_id TEXT,
    calls INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL
);
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

_INSERT_USAGE = (
    "INSERT INTO llm_usage (created_at, user_id, agent_id, run_id, app_id, calls, "
    "prompt_tokens, completion_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_SUM_USAGE = (
    "SELECT COALESCE(SUM(calls), 0), COALESCE(SUM(prompt_tokens), 0), "
    "COALESCE(SUM(completion_tokens), 0) FROM llm_usage"
)

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
        >>> import tempfile
        >>> log = HistoryLog(Path(tempfile.mkdtemp()) / "history.db")
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

    def begin_write(self, write_id: str, undo: str) -> None:
        """Record, durably, a write about to touch the stores and how to undo it."""
        with self._transaction("journal a write in") as conn:
            conn.execute("INSERT INTO pending_writes (id, undo) VALUES (?, ?)", (write_id, undo))

    def append(self, events: Sequence[HistoryEvent], *, settles: str | None = None) -> None:
        """Append `events` in one transaction: all of them are written, or none; the
        pending write `settles` (if given) is settled in the same transaction."""
        stamps: dict[datetime, str] = {}  # one write's events share their time
        rows = [_to_row(event, stamps) for event in events]
        with self._transaction("append to") as conn:
            conn.executemany(_INSERT, rows)
            if settles is not None:
                conn.execute("DELETE FROM pending_writes WHERE id = ?", (settles,))

    def settle(self, write_id: str) -> None:
        """Forget a pending write that was undone."""
        with self._transaction("settle a write in") as conn:
            conn.execute("DELETE FROM pending_writes WHERE id = ?", (write_id,))

    def pending_writes(self) -> list[tuple[str, str]]:
        """`(write_id, undo)` of writes begun and neither committed nor undone, oldest first."""
        with self._transaction("read") as conn:
            rows: list[tuple[str, str]] = conn.execute(
                "SELECT id, undo FROM pending_writes ORDER BY rowid"
            ).fetchall()
        return rows

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

    def record_usage(self, scope: Scope, usage: LLMUsage) -> None:
        """Add one add's LLM calls and tokens to the ledger, under its scope."""
        row = (
            _utc_iso(datetime.now(UTC)),
            *(getattr(scope, name) for name in SCOPE_FIELDS),
            usage.calls,
            usage.prompt_tokens,
            usage.completion_tokens,
        )
        with self._transaction("record LLM usage in") as conn:
            conn.execute(_INSERT_USAGE, row)

    def usage(self, scope: Scope | None) -> LLMUsage:
        """The LLM usage recorded under `scope` (each id it sets matches, as in reads), or
        all of it (None)."""
        ids = scope.ids() if scope is not None else {}
        # the column names come from SCOPE_FIELDS, never from the caller; values are params
        where = " AND ".join(f"{name} = ?" for name in ids)
        query = f"{_SUM_USAGE} WHERE {where}" if where else _SUM_USAGE
        with self._transaction("read") as conn:
            calls, prompt, completion = conn.execute(query, tuple(ids.values())).fetchone()
        return LLMUsage(int(calls), int(prompt), int(completion))

    def reset(self) -> None:
        """Delete every event and the LLM usage ledger (used by `Memory.reset`)."""
        with self._transaction("reset") as conn:
            conn.execute("DELETE FROM history")
            conn.execute("DELETE FROM pending_writes")
            conn.execute("DELETE FROM llm_usage")

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


def _to_row(event: HistoryEvent, stamps: dict[datetime, str]) -> Row:
    """The event's row; `stamps` holds the texts of times already written out."""
    stamp = stamps.get(event.created_at)
    if stamp is None:
        stamp = stamps[event.created_at] = _utc_iso(event.created_at)
    return (
        event.id,
        event.memory_id,
        event.event,
        event.old_memory,
        event.new_memory,
        event.actor,
        event.target,
        stamp,
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
