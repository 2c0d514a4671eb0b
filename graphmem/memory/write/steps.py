"""The two LLM-facing steps of `Memory.add`: what to remember, and what it changes.

`extract_for_add` turns an add's input into an `Extraction` (pre-extracted items, the text
as given, or one extractor call); `reconcile_add` asks the LLM about what the stores found
near it that the answer could change (memories stating what it may repeat or contradict
about an entity it names, near-duplicates, relations the new ones may end), and only when
they found something (SPEC §4: at most two calls per add). Both count the LLM calls they
make into the add's `usage` meter.

Both run outside the write lock (`pipeline.py`); `reconcile_add` returns the neighbours its
decisions were made against, so the writer can check under the lock that they are still
what `find_neighbours` finds, and reconcile again when another writer changed them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from graphmem.config import GraphMemConfig
from graphmem.memory.arguments import check_text, pre_extracted
from graphmem.memory.backends import Backends
from graphmem.memory.write.neighbours import NeighbourFinder
from graphmem.models.extraction import Extraction
from graphmem.models.messages import Message, messages_text, normalize_messages
from graphmem.models.reconcile import Neighbours, Reconciliation
from graphmem.models.scope import Scope
from graphmem.models.usage import LLMUsage


def extract_for_add(
    config: GraphMemConfig,
    backends: Backends,
    messages: object,
    scope: Scope,
    *,
    infer: bool,
    prompt: str | None,
    entities: object,
    relations: object,
    usage: LLMUsage,
    said_at: datetime | None = None,
) -> Extraction:
    """What an add remembers: given items, the text as given (`infer=False`), or what the
    extractor reads in it, restricted to the configured schema."""
    if entities is not None or relations is not None:
        has_text = messages is not None and messages != ""
        text = messages_text(normalize_messages(messages)) if has_text else None
        return pre_extracted(text, entities, relations)
    turns = normalize_messages(messages)
    if not infer:
        return Extraction(facts=[messages_text(turns)])
    # the extractor adds the configured custom instructions itself; `prompt` adds to them
    instructions = check_text(prompt, "prompt") if prompt is not None else None
    extraction = backends.extractor.extract(
        turns,
        speaker=_speaker(turns, scope),
        instructions=instructions,
        usage=usage,
        said_at=said_at,
    )
    return extraction.restrict_to(config.entity_types, config.relation_types)


@dataclass(frozen=True)
class Reconciled:
    """The LLM's decisions on an add (None: no call was needed) and the neighbours, as
    stored then, that they were made against."""

    neighbours: Neighbours
    decisions: Reconciliation | None


def find_neighbours(
    config: GraphMemConfig, backends: Backends, extraction: Extraction, scope: Scope
) -> Neighbours:
    """What the stores hold that the reconcile call could change (`NeighbourFinder` says
    which count: a memory merely worded like a new fact, about other entities or another
    relation of the same one, does not)."""
    return NeighbourFinder(
        backends.graph,
        backends.vectors,
        backends.embedder,
        min_similarity=config.reconcile_min_similarity,
        duplicate_similarity=config.reconcile_duplicate_similarity,
        per_fact=config.reconcile_neighbours,
        single_valued=config.single_valued(),
    ).find(extraction, scope)


def reconcile_add(
    config: GraphMemConfig,
    backends: Backends,
    extraction: Extraction,
    scope: Scope,
    usage: LLMUsage,
) -> Reconciled:
    """The LLM's decisions on what the stores found near this add, with what they found;
    no call without a reconciler or without neighbours."""
    neighbours = find_neighbours(config, backends, extraction, scope)
    if backends.reconciler is None or neighbours.is_empty():
        return Reconciled(neighbours, None)
    decisions = backends.reconciler.reconcile(extraction.facts, neighbours, usage=usage)
    return Reconciled(neighbours, decisions)


def _speaker(turns: list[Message], scope: Scope) -> str | None:
    """Who "I" is: the name on the user's turns, else the user id."""
    names = [turn.name for turn in turns if turn.role == "user" and turn.name]
    return names[0] if names else scope.user_id
