"""What a writer was told it wrote: the acknowledged memories (by their unique texts), the
updates and deletes, and the one write in flight when the writer was killed.

The crash soak's writer reports `begin` before each write and `done` after it returned;
`Ledger.take` reads those lines, so after a kill the ledger says what must be there (every
acknowledged write), what must not (deleted memories), and what may or may not be (the
write in flight: all of it or none of it).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Operation:
    """One write: `kind` add | import | update | delete, the texts it stores, and for an
    update or delete the memory and its text before."""

    kind: str
    texts: tuple[str, ...] = ()
    memory_id: str | None = None
    old_text: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {"kind": self.kind, "texts": self.texts, "id": self.memory_id, "old": self.old_text}
        )

    @classmethod
    def from_json(cls, line: str) -> Operation:
        data = json.loads(line)
        return cls(data["kind"], tuple(data["texts"]), data["id"], data["old"])


@dataclass
class Ledger:
    """Acknowledged state: live text -> memory id (None for an import: not returned)."""

    live: dict[str, str | None] = field(default_factory=dict)
    updates: Counter[str] = field(default_factory=Counter)
    deleted: set[str] = field(default_factory=set)
    in_flight: Operation | None = None
    acknowledged: int = 0

    def begin(self, operation: Operation) -> None:
        self.in_flight = operation

    def done(self, ids: list[str]) -> None:
        """The write in flight returned, storing memories `ids` (adds; imports: unknown)."""
        self._apply(ids)
        self.acknowledged += 1

    def settle(self, present: dict[str, str]) -> bool:
        """After a reopen, decide the write a kill cut short by what is stored (`present`:
        text -> id of its texts, and of the old text of an update or delete); True if it
        landed (the kill came after it committed, before the writer said so)."""
        operation = self.in_flight
        if operation is None:
            return False
        if operation.kind in {"add", "import"}:
            landed = all(text in present for text in operation.texts)
        elif operation.kind == "update":
            landed = operation.texts[0] in present
        else:
            landed = operation.old_text not in present
        if landed:
            self._apply([present[text] for text in operation.texts if text in present])
        self.in_flight = None
        return landed

    def _apply(self, ids: list[str]) -> None:
        operation = self.in_flight
        if operation is None:
            raise RuntimeError("`done` without `begin`")
        self.in_flight = None
        if operation.kind in {"add", "import"}:
            known: list[str | None] = [*ids] if len(ids) == len(operation.texts) else []
            known = known or [None] * len(operation.texts)
            self.live.update(zip(operation.texts, known, strict=True))
        elif operation.kind == "update":
            assert operation.old_text is not None and operation.memory_id is not None
            self.live.pop(operation.old_text, None)
            self.live[operation.texts[0]] = operation.memory_id
            self.updates[operation.memory_id] += 1
        elif operation.kind == "delete":
            assert operation.old_text is not None and operation.memory_id is not None
            self.live.pop(operation.old_text, None)
            self.deleted.add(operation.memory_id)

    def take(self, line: str) -> None:
        """Apply one line of the writer's report: `begin <operation>` or `done <ids>`."""
        verb, _, rest = line.partition(" ")
        if verb == "begin":
            self.begin(Operation.from_json(rest))
        elif verb == "done":
            self.done(json.loads(rest))

    def known_id(self, text: str, memory_id: str) -> None:
        """Learn the id of an imported memory (from a listing), for later updates."""
        if text in self.live and self.live[text] is None:
            self.live[text] = memory_id

    def summary(self) -> dict[str, Any]:
        return {"live": len(self.live), "deleted": len(self.deleted), "acks": self.acknowledged}


def merge_ledgers(ledgers: Sequence[Ledger]) -> Ledger:
    """One ledger of writers that each changed only what they wrote (nothing in flight)."""
    merged = Ledger()
    for ledger in ledgers:
        merged.live.update(ledger.live)
        merged.updates.update(ledger.updates)
        merged.deleted |= ledger.deleted
        merged.acknowledged += ledger.acknowledged
    return merged


Page = Callable[[str | None], dict[str, Any]]
"""One page of a scope's memories, `{"results", "next_cursor"}`, from a cursor."""


def listed_texts(page: Page) -> set[str]:
    """The texts of every memory a paged listing returns."""
    texts: set[str] = set()
    cursor = None
    while True:
        listed = page(cursor)
        texts |= {row["memory"] for row in listed["results"]}
        cursor = listed["next_cursor"]
        if cursor is None:
            return texts


def final_counts(
    ledgers: Mapping[str, Sequence[Ledger]], pages: Mapping[str, Page]
) -> dict[str, Any]:
    """Each tenant's stored memories (`pages[tenant]`) against the texts its writers left:
    `wrong_counts` is how many texts are on one side only (0 when exact)."""
    wrong = 0
    counts: dict[str, Any] = {}
    for tenant, written in ledgers.items():
        expected = {text for ledger in written for text in ledger.live}
        stored = listed_texts(pages[tenant])
        wrong += len(expected ^ stored)
        counts[tenant] = {"expected": len(expected), "stored": len(stored)}
    return {"wrong_counts": wrong, **counts}
