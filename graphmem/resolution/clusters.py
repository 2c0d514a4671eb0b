"""Cluster a stream of mentions into entities, the way the write path resolves one scope.

The first mention of a thing creates a cluster; each later mention joins the cluster
`match_entity` picks, or starts a new one. A cluster keeps every surface form it has
absorbed as an alias, so later mentions may match any of them, and takes a specific type
when it only had the generic `Entity`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graphmem.models.naming import DEFAULT_ENTITY_TYPE, clean_name
from graphmem.resolution.keys import resolution_key
from graphmem.resolution.matching import (
    DEFAULT_POLICY,
    Match,
    NameVectors,
    ResolutionPolicy,
    match_entity,
)


@dataclass
class Cluster:
    """One resolved entity: its first name, its type, and the other names it was given."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)

    def absorb(self, name: str, type_: str, aliases: Sequence[str] = ()) -> None:
        """Take in a matched mention: new surface forms become aliases."""
        known = {resolution_key(self.name), *map(resolution_key, self.aliases)}
        for alias in (name, *aliases):
            key = resolution_key(alias)
            if key and key not in known:
                self.aliases.append(alias)
                known.add(key)
        if self.type == DEFAULT_ENTITY_TYPE:
            self.type = type_


@dataclass(frozen=True)
class _Mention:
    name: str
    type: str
    aliases: tuple[str, ...] = ()


def resolve_mentions(
    mentions: Sequence[tuple[str, str]],
    *,
    name_vectors: NameVectors | None = None,
    policy: ResolutionPolicy = DEFAULT_POLICY,
) -> list[int]:
    """A cluster id per mention, in order: mentions with one id name one thing.

    Args:
        mentions: `(name, type)` pairs in reading order; types PascalCase, `Entity` for
            unknown.
        name_vectors: Optional vectors by name, enabling VECTOR evidence.
        policy: Thresholds and switches of `match_entity`.

    Returns:
        Cluster ids `0, 1, ...` in order of first appearance.

    Example:
        >>> resolve_mentions([("Acme Inc.", "Organization"), ("Bob", "Person"),
        ...                   ("ACME", "Organization")])
        [0, 1, 0]
    """
    clusters: list[Cluster] = []
    ids: list[int] = []
    for name, type_ in mentions:
        mention = _Mention(clean_name(name), type_ or DEFAULT_ENTITY_TYPE)
        match: Match[Cluster] | None = match_entity(
            mention, clusters, name_vectors=name_vectors, policy=policy
        )
        if match is None:
            clusters.append(Cluster(mention.name, mention.type))
            ids.append(len(clusters) - 1)
        else:
            match.entity.absorb(mention.name, mention.type)
            ids.append(match.index)
    return ids
