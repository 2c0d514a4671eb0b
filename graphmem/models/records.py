"""The stored records: Memory (a fact), Entity (a node), Relation (an edge), HistoryEvent.

These are what stores persist and return. Their `to_dict` methods produce the public
return shapes of SPEC §3, with one relation vocabulary: `source`, `relationship`, `target`.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graphmem.models.naming import name_keys
from graphmem.models.scope import Partition, Scope

HistoryEventType = Literal["ADD", "UPDATE", "DELETE", "INVALIDATE"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(instant: datetime) -> datetime:
    """`instant` in UTC; a naive one is taken to be UTC already."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def new_id() -> str:
    """A new time-ordered id (a version-7 UUID, RFC 9562): milliseconds since the epoch,
    then 74 random bits, but never an id below the last one plus one (the RFC's "monotonic
    random" method), so the ids one process makes sort in the order it made them.

    Ids made later sort later, so the stores' indexes on them grow at one end: a random
    (version-4) id lands on a random index page, and once an index outgrows the page
    cache every insert dirties a page of its own (an import slowed down as it grew). And
    what is ordered by id (answers of equal score) comes out in the order it was learned,
    the same in every run, not as the random bits of one millisecond fall.
    """
    return _uuid_text(_ID_CLOCK.tick(), version=7)


_COUNTER_BITS = 74  # a version-7 id's bits besides its milliseconds, version and variant


class _MonotonicClock:
    """Milliseconds and a counter for version-7 ids, never going back (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0  # milliseconds << 74 | counter, of the last id made

    def tick(self) -> int:
        """The next id's 128 bits, its version and variant bits still unset."""
        fresh = int.from_bytes(os.urandom(10), "big") >> 7  # 73 bits: room to count up
        with self._lock:
            now = time.time_ns() // 1_000_000 << _COUNTER_BITS | fresh
            self._last = max(now, self._last + 1)
            value = self._last
        milliseconds, counter = value >> _COUNTER_BITS, value & (1 << _COUNTER_BITS) - 1
        # The counter fills the 12 bits before the variant and the 62 after it.
        return milliseconds << 80 | (counter >> 62) << 64 | counter & (1 << 62) - 1


_ID_CLOCK = _MonotonicClock()
_FACT_NAMESPACE = uuid.UUID("6f1d3b8e-3c2a-4f57-9a41-2b7f0c9e5d10").bytes


def _name_id(name: str) -> str:
    """The version-5 UUID of `name` in graphmem's namespace (as `uuid.uuid5`, without
    building UUID objects): a stable id for the same name everywhere."""
    digest = hashlib.sha1(_FACT_NAMESPACE + name.encode("utf-8"), usedforsecurity=False)
    return _uuid_text(int.from_bytes(digest.digest()[:16], "big"), version=5)


def _uuid_text(bits: int, *, version: int) -> str:
    """128 bits as UUID text, with the version and the RFC 9562 variant set."""
    bits = bits & ~(0xF << 76 | 0x3 << 62) | version << 76 | 0x2 << 62
    hexed = f"{bits:032x}"
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def ended_relation_id(
    source_id: str, relation_type: str, target_id: str, invalidated_at: datetime
) -> str:
    """The id of a relation imported as ended: the same ended relation imported twice is
    one relation (current ones are found again by their ends and type)."""
    parts = [source_id, relation_type, target_id, invalidated_at.astimezone(UTC).isoformat()]
    return _name_id("\x1f".join(parts))


def fact_id(scope_ids: Mapping[str, str | None], hash_of_text: str) -> str:
    """The id a fact gets in a scope: the same text in the same scope gets the same id, so a
    repeated fact is found by one id lookup instead of a scan."""
    parts = [scope_ids.get(name) or "" for name in ("user_id", "agent_id", "run_id", "app_id")]
    return _name_id("\x1f".join([*parts, hash_of_text]))


def text_hash(text: str) -> str:
    """Stable hash of a memory's text, used to spot the same fact stored twice."""
    return hashlib.md5(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()


class ScopedRecord(BaseModel):
    """Fields every scoped record carries."""

    model_config = ConfigDict(extra="forbid")

    user_id: str | None = None
    agent_id: str | None = None
    run_id: str | None = None
    app_id: str | None = None

    def scope_ids(self) -> dict[str, str | None]:
        return {
            "user_id": self.user_id,
            "agent_id": self.agent_id,
            "run_id": self.run_id,
            "app_id": self.app_id,
        }

    def partition(self) -> Partition:
        return Partition(self.user_id, self.agent_id, self.app_id)


class MemoryRecord(ScopedRecord):
    """A fact in natural language, with the graph items it mentions.

    `timestamp` is when the fact was said or holds, as the caller gave it (`add(...,
    timestamp=...)`), in UTC; None when not given (graphmem never invents one).
    `created_at` is always when graphmem stored it.
    """

    id: str = Field(default_factory=new_id)
    memory: str
    hash: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    timestamp: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    entity_ids: list[str] = Field(default_factory=list)
    relation_ids: list[str] = Field(default_factory=list)

    @field_validator("timestamp", mode="after")
    @classmethod
    def _timestamp_in_utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None

    @classmethod
    def create(
        cls,
        text: str,
        scope: Scope,
        metadata: dict[str, Any],
        timestamp: datetime | None = None,
        *,
        now: datetime | None = None,
    ) -> MemoryRecord:
        """A new memory whose id is `id_of` its text and scope, stored `now` (default: now)."""
        digest = text_hash(text)
        stored = now or utc_now()
        return cls(
            id=fact_id(scope.ids(), digest),
            memory=text,
            hash=digest,
            metadata=metadata,
            timestamp=timestamp,
            created_at=stored,
            updated_at=stored,
            **scope.ids(),
        )

    @staticmethod
    def id_of(text: str, scope: Scope) -> str:
        """The id `create` gives a memory of `text` in `scope`, without making one."""
        return fact_id(scope.ids(), text_hash(text))

    def to_dict(self) -> dict[str, Any]:
        """The public memory dict of `get` and `get_all` (SPEC §3)."""
        return {
            "id": self.id,
            "memory": self.memory,
            "hash": self.hash,
            "metadata": self.metadata,
            **self.scope_ids(),
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "entity_ids": list(self.entity_ids),
            "relation_ids": list(self.relation_ids),
        }


class Entity(BaseModel):
    """A node: one real thing within one partition."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=new_id)
    name: str
    key: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    user_id: str | None = None
    agent_id: str | None = None
    app_id: str | None = None
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    mentions: int = 0

    def partition(self) -> Partition:
        return Partition(self.user_id, self.agent_id, self.app_id)

    def all_keys(self) -> tuple[str, ...]:
        """Its key, then its aliases' keys: the names it is found again by."""
        return name_keys(self.key, self.aliases)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "user_id": self.user_id,
            "agent_id": self.agent_id,
            "app_id": self.app_id,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "mentions": self.mentions,
        }


class Relation(ScopedRecord):
    """An edge `source -[type]-> target`, with its provenance and its time in the world."""

    id: str = Field(default_factory=new_id)
    source_id: str
    target_id: str
    type: str
    fact: str = ""
    memory_ids: list[str] = Field(default_factory=list)
    valid_from: date | None = None
    valid_to: date | None = None
    created_at: datetime = Field(default_factory=utc_now)
    invalidated_at: datetime | None = None

    @property
    def current(self) -> bool:
        return self.invalidated_at is None and (
            self.valid_to is None or self.valid_to >= utc_now().date()
        )

    def holds_on(self, day: date) -> bool:
        """Whether the relation held on `day`: from `valid_from` (else when graphmem learned
        it) until `valid_to` (else until it was invalidated, else still)."""
        start = self.valid_from or self.created_at.date()
        end = self.valid_to or (self.invalidated_at.date() if self.invalidated_at else None)
        return start <= day and (end is None or day < end)

    def to_dict(self, names: dict[str, str]) -> dict[str, Any]:
        """The public relation dict; `names` maps entity ids to display names."""
        return {
            "id": self.id,
            "source": names.get(self.source_id, self.source_id),
            "relationship": self.type,
            "target": names.get(self.target_id, self.target_id),
            "source_id": self.source_id,
            "target_id": self.target_id,
            "fact": self.fact,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "created_at": self.created_at.isoformat(),
            "invalidated_at": self.invalidated_at.isoformat() if self.invalidated_at else None,
            "current": self.current,
            "memory_ids": list(self.memory_ids),
        }


class HistoryEvent(BaseModel):
    """One line of the append-only history log."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=new_id)
    memory_id: str
    event: HistoryEventType
    old_memory: str | None = None
    new_memory: str | None = None
    actor: str | None = None
    target: Literal["memory", "relation"] = "memory"
    created_at: datetime = Field(default_factory=utc_now)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "memory_id": self.memory_id,
            "event": self.event,
            "old_memory": self.old_memory,
            "new_memory": self.new_memory,
            "actor": self.actor,
            "target": self.target,
            "created_at": self.created_at.isoformat(),
        }
