"""Entity resolution: one node per real thing within a scope.

Pure functions, no store access: `keys` normalises names and extracts identifiers,
`aliases` reads "X, also known as Y" from text, `matching` decides which existing entity
a candidate names (and on what evidence), `clusters` applies that to a stream of mentions.
"""

from graphmem.resolution.aliases import aliases_in_text, initials_match
from graphmem.resolution.clusters import Cluster, resolve_mentions
from graphmem.resolution.keys import identifier_signature, is_acronym, resolution_key
from graphmem.resolution.matching import (
    DEFAULT_POLICY,
    Evidence,
    Match,
    NamedEntity,
    ResolutionPolicy,
    match_entity,
    types_compatible,
)

__all__ = [
    "DEFAULT_POLICY",
    "Cluster",
    "Evidence",
    "Match",
    "NamedEntity",
    "ResolutionPolicy",
    "aliases_in_text",
    "identifier_signature",
    "initials_match",
    "is_acronym",
    "match_entity",
    "resolution_key",
    "resolve_mentions",
    "types_compatible",
]
