"""Small typed graphs for query tests: (head, relation, tail) triples as import records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Triple = tuple[str, str, str]


def typed_records(
    user_id: str, triples: Sequence[Triple], types: Mapping[str, str], default: str = "Person"
) -> list[dict[str, Any]]:
    """One import record per triple, both ends typed by `types` (else `default`)."""
    return [
        {
            "user_id": user_id,
            "entities": [{"name": name, "type": types.get(name, default)} for name in (head, tail)],
            "relations": [{"source": head, "relationship": relation, "target": tail}],
        }
        for head, relation, tail in triples
    ]
