"""The invariants of a data dir after a crash: what the soak checks on every reopen.

- every acknowledged write is there (a missing one is a **lost write**);
- nothing is half-written (**corruption**): no write left pending; no memory nobody wrote;
  the write a kill cut short is there whole or not at all; every memory's entities and
  relations exist, every relation's memories exist; the vectors, BM25 and history agree
  on which memories exist; each memory's history starts with ADD and has an UPDATE for
  every acknowledged update, a deleted memory's ends with DELETE.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.faults.ledger import Ledger
from graphmem import Memory
from graphmem.models.records import MemoryRecord
from graphmem.models.scope import Scope
from graphmem.stores.history import EMPTY_MARK
from graphmem.stores.vector.base import memory_pages


@dataclass
class Findings:
    """What a check found: acknowledged writes missing, and everything else that is wrong."""

    lost: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.lost and not self.corrupt

    def first(self, count: int = 5) -> list[str]:
        return (self.lost + self.corrupt)[:count]


def check_data_dir(memory: Memory, ledger: Ledger, partitions: list[Scope]) -> Findings:
    """Every problem of an opened data dir against what `ledger` says was acknowledged;
    `partitions` are the scopes whose entities and relations are walked."""
    stored = all_memories(memory)
    findings = Findings()
    if memory.backends.history.pending_writes():
        findings.corrupt.append("writes still pending after open")
    _check_writes(stored, ledger, findings)
    _check_graph(memory, stored, partitions, findings)
    _check_history(memory, stored, ledger, findings)
    memory.search("works", user_id="soak-check", channels=["bm25"])  # loads BM25
    if len(memory.backends.bm25) != len(stored):
        findings.corrupt.append(
            f"BM25 holds {len(memory.backends.bm25)} documents, the vectors {len(stored)}"
        )
    return findings


def all_memories(memory: Memory) -> dict[str, MemoryRecord]:
    """Every stored memory of every scope, by id."""
    pages = memory_pages(memory.backends.vectors, None)
    return {record.id: record for page in pages for record in page}


def _check_writes(stored: dict[str, MemoryRecord], ledger: Ledger, found: Findings) -> None:
    by_text = {record.memory: record for record in stored.values()}
    flight = ledger.in_flight
    maybe_gone = {flight.old_text} if flight and flight.kind in {"update", "delete"} else set()
    maybe_new = set(flight.texts) if flight else set()
    for text in ledger.live:
        if text not in by_text and text not in maybe_gone:
            found.lost.append(f"acknowledged memory {text!r} is missing")
    for text, record in by_text.items():
        if text not in ledger.live and text not in maybe_new:
            found.corrupt.append(f"memory {record.id} {text!r} was never written")
    if flight is not None and flight.kind == "import":
        landed = sum(text in by_text for text in flight.texts)
        if landed not in (0, len(flight.texts)):
            found.corrupt.append(f"{landed} of {len(flight.texts)} records of one import landed")
    both = flight is not None and flight.kind == "update" and flight.old_text in by_text
    if both and flight is not None and flight.texts[0] in by_text:
        found.corrupt.append(f"memory {flight.memory_id} has both its old and new text")
    found.lost += [f"deleted memory {m} is back" for m in ledger.deleted if m in stored]
    for record in stored.values():
        ledger.known_id(record.memory, record.id)


def _check_graph(
    memory: Memory, stored: dict[str, MemoryRecord], partitions: list[Scope], found: Findings
) -> None:
    graph = memory.backends.graph
    relation_ids = {r for record in stored.values() for r in record.relation_ids}
    entity_ids = {e for record in stored.values() for e in record.entity_ids}
    relations = {relation.id for relation in graph.get_relations(sorted(relation_ids))}
    entities = {entity.id for entity in graph.get_entities(sorted(entity_ids))}
    found.corrupt += [f"relation {r} of a memory is missing" for r in relation_ids - relations]
    found.corrupt += [f"entity {e} of a memory is missing" for e in entity_ids - entities]
    for scope in partitions:
        ids = [entity.id for entity in graph.list_entities(scope, limit=100_000)]
        for relation in graph.relations_of(scope, ids, include_history=True):
            found.corrupt += [
                f"relation {relation.id} cites missing memory {m}"
                for m in relation.memory_ids
                if m not in stored
            ]


def _check_history(
    memory: Memory, stored: dict[str, MemoryRecord], ledger: Ledger, found: Findings
) -> None:
    history = memory.backends.history
    logged = history.memory_ids_since(EMPTY_MARK) or set()
    flight = ledger.in_flight
    for memory_id in logged | set(stored):
        events = [event.event for event in history.for_memory(memory_id)]
        alive = memory_id in stored
        if alive and events[:1] != ["ADD"]:
            found.corrupt.append(f"memory {memory_id} has history {events}, not ADD first")
        if alive and events[-1:] == ["DELETE"]:
            found.corrupt.append(f"memory {memory_id} is stored but its history ends in DELETE")
        if not alive and events[-1:] != ["DELETE"]:
            found.lost.append(f"memory {memory_id} has history {events} but is not stored")
        if memory_id in ledger.deleted and events[-1:] != ["DELETE"]:
            found.corrupt.append(f"deleted memory {memory_id} has history {events}")
        updates = events.count("UPDATE")
        acked = ledger.updates[memory_id]
        in_flight = flight is not None and flight.kind == "update" and flight.memory_id == memory_id
        if alive and not (updates == acked or (in_flight and updates == acked + 1)):
            found.corrupt.append(f"memory {memory_id}: {updates} UPDATEs logged, {acked} acked")
