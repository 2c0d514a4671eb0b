"""Which relation types hold one value at a time, and on which end.

A person lives in one place and has one spouse (one target per source: a new home ends
the old one); a company has one CEO (one source per target: a new CEO ends the old one's
CEO_OF). Types come from config, normalised; the LLM may also mark a relation
`single_valued` (one target per source).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from graphmem.models.extraction import RelationDraft
from graphmem.models.naming import normalize_relation_type

End = Literal["out", "in"]
"""`out`: the source keeps one target; `in`: the target keeps one source."""


@dataclass(frozen=True)
class SingleValued:
    """Relation types with one value at a time per source, and per target.

    Example:
        >>> rules = SingleValued.of(per_source=["lives in"], per_target=["CEO_OF"])
        >>> rules.ends(RelationDraft(source="Tim", relationship="ceo of", target="Apple"))
        ['in']
    """

    per_source: frozenset[str] = frozenset()
    per_target: frozenset[str] = frozenset()

    @classmethod
    def of(cls, per_source: Iterable[str] = (), per_target: Iterable[str] = ()) -> SingleValued:
        return cls(
            frozenset(map(normalize_relation_type, per_source)),
            frozenset(map(normalize_relation_type, per_target)),
        )

    def ends(self, draft: RelationDraft) -> list[End]:
        """The ends whose other values a new relation like `draft` replaces."""
        found: list[End] = []
        if draft.single_valued or draft.relationship in self.per_source:
            found.append("out")
        if draft.relationship in self.per_target:
            found.append("in")
        return found


NO_SINGLE_VALUED = SingleValued()
"""No type is single-valued: every relation adds, none ends another by rule."""
