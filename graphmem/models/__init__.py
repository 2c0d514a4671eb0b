"""Data model of graphmem: scopes, records, extraction drafts, filters (SPEC §2)."""

from graphmem.models.extraction import EntityDraft, Extraction, RelationDraft
from graphmem.models.messages import Message, messages_text, normalize_messages
from graphmem.models.records import Entity, HistoryEvent, MemoryRecord, Relation
from graphmem.models.scope import Partition, Scope
from graphmem.models.usage import LLMUsage

__all__ = [
    "Entity",
    "EntityDraft",
    "Extraction",
    "HistoryEvent",
    "LLMUsage",
    "MemoryRecord",
    "Message",
    "Partition",
    "Relation",
    "RelationDraft",
    "Scope",
    "messages_text",
    "normalize_messages",
]
