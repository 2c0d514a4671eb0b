"""The soak's generated world: people, the companies they work at and the cities they live
in, as pre-extracted adds and import records (no LLM, so a crash or a thread is all the
soak measures).

Every text carries a serial, so no two writes store the same fact and each memory can be
told by its text. Single-valued LIVES_IN ends the old city, so relations get invalidated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

PEOPLE = ["Ana Silva", "Ben Okafor", "Chen Wei", "Dara Novak", "Eli Brandt", "Fay Moreau"]
COMPANIES = ["Initech", "Globex", "Umbrella Labs", "Stark Foods", "Wayne Freight"]
CITIES = ["Lisbon", "Lagos", "Chengdu", "Prague", "Hamburg", "Lyon", "Quito"]
CRASH_SCOPES: tuple[dict[str, str], ...] = (
    {"user_id": "alice"},
    {"user_id": "alice", "run_id": "r1"},
    {"user_id": "bob", "agent_id": "helper"},
    {"app_id": "crm"},
)


@dataclass(frozen=True)
class Fact:
    """One fact of the world: its text and the triple it states."""

    text: str
    person: str
    relationship: str
    target: str
    target_type: str

    def add_arguments(self) -> dict[str, Any]:
        """Keyword arguments of `Memory.add` storing this fact pre-extracted (no LLM)."""
        return {
            "messages": self.text,
            "infer": False,
            "entities": [
                {"name": self.person, "type": "Person"},
                {"name": self.target, "type": self.target_type},
            ],
            "relations": [
                {"source": self.person, "relationship": self.relationship, "target": self.target}
            ],
        }

    def record(self, scope: dict[str, str]) -> dict[str, Any]:
        """This fact as an `import_records` record in `scope`."""
        arguments = self.add_arguments()
        return {
            "text": self.text,
            **scope,
            "entities": arguments["entities"],
            "relations": arguments["relations"],
        }


def fact(rng: random.Random, tag: str = "") -> Fact:
    """A new fact, numbered so its text is unique; a `tag` (a tenant's) ends every name and
    the text, so a reply that carries another tenant's data shows its tag."""
    suffix = f" {tag}" if tag else ""
    person, serial = rng.choice(PEOPLE) + suffix, rng.randrange(10**9)
    note = f"(note {serial}{suffix})"
    if rng.random() < 0.5:
        company = rng.choice(COMPANIES) + suffix
        text = f"{person} works at {company} {note}."
        return Fact(text, person, "works at", company, "Organization")
    city = rng.choice(CITIES) + suffix
    return Fact(f"{person} lives in {city} {note}.", person, "lives in", city, "Location")
