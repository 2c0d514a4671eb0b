"""Response bodies of the REST API: what each route returns, as `/openapi.json` describes it.

They mirror the facade's dicts (SPEC §3) key for key. The library's records are not used
here because they are not what the facade returns: `to_dict` renames and drops fields
(`Relation.type` is `relationship`, `Entity.key` is left out) and writes times as the ISO
8601 text of `datetime.isoformat()`, which pydantic would re-render differently.

Unknown keys are refused, so a dict that drifts from its model fails the route (a 500 the
API tests see) instead of leaving the schema wrong. Keys the facade leaves out when they
have nothing to say (`previous_memory`, `explain`) are left out here too, never sent null.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from graphmem.config import Channel
from graphmem.models.reconcile import FactEvent
from graphmem.models.records import HistoryEventType

DateTimeText = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
DateText = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]


def _is_none(value: object) -> bool:
    return value is None


def optional_key(description: str) -> Any:
    """A key sent only when it has a value (absent, not null, otherwise)."""
    return Field(default=None, exclude_if=_is_none, description=description)


class Reply(BaseModel):
    """A response body: exactly the keys its model names."""

    model_config = ConfigDict(extra="forbid")


# -- graph items ------------------------------------------------------------------------


class EntityNode(Reply):
    """An entity (a node) of one partition."""

    id: str
    name: str
    type: str = Field(description="PascalCase entity type, e.g. Person.")
    aliases: list[str]
    user_id: str | None
    agent_id: str | None
    app_id: str | None
    created_at: DateTimeText
    updated_at: DateTimeText
    mentions: int


class RelationEdge(Reply):
    """A relation (an edge) `source -[relationship]-> target`, with its time and provenance."""

    id: str
    source: str = Field(description="The source entity's name.")
    relationship: str = Field(description="UPPER_SNAKE_CASE relation type, e.g. WORKS_AT.")
    target: str = Field(description="The target entity's name.")
    source_id: str
    target_id: str
    fact: str
    valid_from: DateText | None
    valid_to: DateText | None
    created_at: DateTimeText
    invalidated_at: DateTimeText | None
    current: bool
    memory_ids: list[str]


class ScoredRelation(RelationEdge):
    """A relation found by a search, with the score of the best graph path through it."""

    score: float


class Subgraph(Reply):
    """Nodes and the edges between them."""

    nodes: list[EntityNode]
    edges: list[RelationEdge]


class EntityNeighbourhood(Reply):
    """One entity and the nodes and edges around it."""

    entity: EntityNode
    nodes: list[EntityNode]
    edges: list[RelationEdge]


class CypherRows(Reply):
    """Rows of a read-only Cypher query, as plain JSON values."""

    rows: list[dict[str, Any]]


class SavedQuery(Reply):
    """A saved query a scoped key may run: its name, what it shows, its own parameters."""

    name: str
    description: str
    params: list[str]


class SavedQueries(Reply):
    queries: list[SavedQuery]


# -- memories ---------------------------------------------------------------------------


class StoredMemory(Reply):
    """A memory (a fact) with its scope, times and the graph items it mentions."""

    id: str
    memory: str
    hash: str
    metadata: dict[str, Any]
    user_id: str | None
    agent_id: str | None
    run_id: str | None
    app_id: str | None
    timestamp: DateTimeText | None = Field(description="When it was said or holds, if given.")
    created_at: DateTimeText
    updated_at: DateTimeText
    entity_ids: list[str]
    relation_ids: list[str]


class MemoryEvent(Reply):
    """What a write did to one memory."""

    id: str
    memory: str
    event: FactEvent
    previous_memory: str | None = optional_key("The text before an UPDATE.")


class RelationChanges(Reply):
    """Relations an add wrote and relations it ended."""

    added: list[RelationEdge]
    invalidated: list[RelationEdge]


class LLMUsageReport(Reply):
    """LLM calls and tokens one add spent: every completion, extraction and reconcile,
    re-asks included; all zeros when no LLM was called."""

    llm_calls: int = Field(ge=0, description="HTTP completions made (re-asks count).")
    prompt_tokens: int = Field(ge=0)
    completion_tokens: int = Field(ge=0)
    total_tokens: int = Field(ge=0, description="prompt_tokens + completion_tokens.")


class AddResults(Reply):
    """`POST /v1/memories`: one event per fact, the relations written or ended, and the
    LLM usage of the add."""

    results: list[MemoryEvent]
    relations: RelationChanges
    usage: LLMUsageReport


class MemoryPage(Reply):
    """A page of memories; `next_cursor` (None on the last page) asks for the next."""

    results: list[StoredMemory]
    next_cursor: str | None


class ScopeDeletion(Reply):
    """How many memories were deleted, and the scope ids the request named."""

    deleted: int
    user_id: str | None = optional_key("As requested.")
    agent_id: str | None = optional_key("As requested.")
    run_id: str | None = optional_key("As requested.")
    app_id: str | None = optional_key("As requested.")


class HistoryEntry(Reply):
    """One line of the append-only history of a memory or relation."""

    id: str
    memory_id: str
    event: HistoryEventType
    old_memory: str | None
    new_memory: str | None
    actor: str | None
    target: Literal["memory", "relation"]
    created_at: DateTimeText


# -- search and query -------------------------------------------------------------------


class ChannelScores(Reply):
    """Each channel's raw score for a hit; None where the channel did not find it."""

    graph: float | None
    vector: float | None
    bm25: float | None


class ChannelRank(Reply):
    """Where one channel ranked a hit (from 1) and its raw score there."""

    rank: int
    score: float


class Explanation(Reply):
    """`explain=true`: the channels that found a hit, and the graph paths through it."""

    channels: dict[Channel, ChannelRank]
    paths: list[list[RelationEdge]]


class MemoryHit(StoredMemory):
    """A search hit: the memory, its fused score in [0, 1] and each channel's score."""

    score: float
    scores: ChannelScores
    explain: Explanation | None = optional_key("Sent when the search asked to explain.")


class SearchResults(Reply):
    """`POST /v1/memories/search`: memories, best first, and the relations found."""

    results: list[MemoryHit]
    relations: list[ScoredRelation]


class Answer(Reply):
    """An entity that answers a question, with the relation paths that lead to it."""

    entity: str = Field(description="The answer entity's name.")
    id: str
    type: str
    score: float
    support: int = Field(description="How many paths lead to it.")
    paths: list[list[RelationEdge]]


class QueryAnswers(Reply):
    """`POST /v1/query`: ranked answers, their relations and the memories behind them."""

    answers: list[Answer]
    relations: list[RelationEdge]
    memories: list[StoredMemory]


# -- errors ---------------------------------------------------------------------------


class FieldError(Reply):
    """One invalid part of a request."""

    field: str | None
    detail: str


class Problem(Reply):
    """An RFC 9457 problem (`application/problem+json`): the body of every error response."""

    type: str = Field(description="A URI naming the kind of problem.")
    title: str
    status: int
    detail: str
    field: str | None = Field(description="The request field at fault, when one is.")
    errors: list[FieldError] | None = optional_key("Every invalid field (request validation).")


# -- import and operations --------------------------------------------------------------


class LineError(Reply):
    """A record an import refused, by line number (from 1)."""

    line: int
    field: str | None
    detail: str


class ImportReport(Reply):
    """`POST /v1/import`: what was written, and the records refused."""

    records: int
    memories: int
    entities: int
    relations: int
    seconds: float
    errors: list[LineError]
    records_per_second: float


class Health(Reply):
    """The process serves requests."""

    status: Literal["ok"]


class StoreStatus(Reply):
    """Whether one store answered a trivial read."""

    status: Literal["up", "down"]
    error: str | None = optional_key("Why the store is down.")


class Readiness(Reply):
    """Every store's status; `ready` only when all are up."""

    status: Literal["ready", "unavailable"]
    stores: dict[str, StoreStatus]
