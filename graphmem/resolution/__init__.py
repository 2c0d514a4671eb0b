"""Entity resolution: one node per real thing within a scope.

Pure functions, no store access: `keys` normalises names and extracts identifiers,
`aliases` reads "X, also known as Y" from text, `people` tells one person's names from
two people's, `matching` decides which existing entity a candidate names (and on what
evidence, with the thresholds of `policy`), `clusters` applies that to a stream of
mentions. When a shared key is still two things (types, casing) is `models.identity`,
since the write path's key lookups and a record's own drafts apply it too.
"""

from graphmem.models.identity import casing_conflicts, may_be_one_thing, types_compatible
from graphmem.resolution.aliases import aliases_in_text, initials_match
from graphmem.resolution.clusters import Cluster, resolve_mentions
from graphmem.resolution.keys import identifier_signature, is_acronym, resolution_key
from graphmem.resolution.matching import Evidence, Match, NamedEntity, match_entity
from graphmem.resolution.people import given_names_conflict, person_names_compatible
from graphmem.resolution.policy import DEFAULT_POLICY, ResolutionPolicy

__all__ = [
    "DEFAULT_POLICY",
    "Cluster",
    "Evidence",
    "Match",
    "NamedEntity",
    "ResolutionPolicy",
    "aliases_in_text",
    "casing_conflicts",
    "given_names_conflict",
    "identifier_signature",
    "initials_match",
    "is_acronym",
    "match_entity",
    "may_be_one_thing",
    "person_names_compatible",
    "resolution_key",
    "resolve_mentions",
    "types_compatible",
]
