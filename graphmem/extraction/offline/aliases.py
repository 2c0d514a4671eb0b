"""Aliases the text states ("X, also known as Y", "X (aka Y)", "Y, now called X").

The alias joins the named entity's aliases; a separate entity for the alias is folded into
it, and relations that name the alias are pointed at the entity, so "Bob" in a later
sentence is the same node as "Robert Smith, also known as Bob".
"""

from __future__ import annotations

from graphmem.models.extraction import EntityDraft, Extraction, RelationDraft
from graphmem.models.naming import entity_key
from graphmem.resolution.aliases import aliases_in_text


def with_stated_aliases(extraction: Extraction, texts: list[str]) -> Extraction:
    """`extraction` with the aliases `texts` state attached to their entities."""
    pairs = [pair for text in texts for pair in aliases_in_text(text)]
    if not pairs:
        return extraction
    canonical = {entity_key(alias): name for name, alias in pairs}
    entities: dict[str, EntityDraft] = {}
    for draft in extraction.entities:
        if draft.key in canonical:
            continue  # the alias's own entity folds into the named one
        entities[draft.key] = draft
    for name, alias in pairs:
        draft = entities.get(entity_key(name)) or EntityDraft(name=name)
        aliases = [*draft.aliases, *([alias] if alias not in draft.aliases else [])]
        entities[entity_key(name)] = draft.model_copy(update={"aliases": aliases})
    relations = [_renamed(relation, canonical) for relation in extraction.relations]
    return Extraction(
        facts=extraction.facts,
        entities=list(entities.values()),
        relations=relations,
        dropped=extraction.dropped,
    )


def _renamed(relation: RelationDraft, canonical: dict[str, str]) -> RelationDraft:
    return relation.model_copy(
        update={
            "source": canonical.get(entity_key(relation.source), relation.source),
            "target": canonical.get(entity_key(relation.target), relation.target),
        }
    )
