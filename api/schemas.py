"""Request bodies of the REST API, validated by pydantic before the facade sees them.

Unknown fields are refused (a typo is a 422 naming it, not a silent no-op). Values are
checked further by the facade, which names the failing field the same way.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

ScopeId = Field(default=None, max_length=256, description="Scope id (1-256 characters).")


class Body(BaseModel):
    """A request body: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


class PartitionIds(Body):
    """`user_id`, `agent_id`, `app_id`: the graph partition a request reads."""

    user_id: str | None = ScopeId
    agent_id: str | None = ScopeId
    app_id: str | None = ScopeId

    def ids(self) -> dict[str, str | None]:
        """The ids as keyword arguments of the facade."""
        return {"user_id": self.user_id, "agent_id": self.agent_id, "app_id": self.app_id}


class ScopeIds(PartitionIds):
    """The four scope ids; at least one is required by the facade."""

    run_id: str | None = ScopeId

    def ids(self) -> dict[str, str | None]:
        return {**super().ids(), "run_id": self.run_id}


class MessageIn(Body):
    """One conversation turn."""

    role: Literal["user", "assistant", "system", "tool"] = "user"
    content: str
    name: str | None = Field(default=None, max_length=256)


class AddRequest(ScopeIds):
    """`POST /v1/memories`: what to remember, for whom."""

    messages: str | list[MessageIn] | None = Field(
        default=None, description="A string, or a list of {role, content[, name]} turns."
    )
    metadata: dict[str, Any] | None = None
    infer: bool = True
    prompt: str | None = None
    entities: list[dict[str, Any]] | None = Field(
        default=None, description="Pre-extracted entities: {name, type}; no LLM call."
    )
    relations: list[dict[str, Any]] | None = Field(
        default=None,
        description="Pre-extracted relations: {source, relationship, target[, valid_from]}.",
    )
    timestamp: StrictStr | StrictInt | StrictFloat | None = Field(
        default=None,
        description=(
            "When this was said or holds: ISO 8601 date or date-time (naive is UTC) or "
            "epoch seconds. Relations without valid_from hold from its day."
        ),
    )

    def messages_argument(self) -> str | list[dict[str, Any]] | None:
        """`messages` as the facade takes it."""
        if isinstance(self.messages, list):
            return [turn.model_dump(exclude_none=True) for turn in self.messages]
        return self.messages


class SearchRequest(ScopeIds):
    """`POST /v1/memories/search`."""

    query: str
    filters: dict[str, Any] | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    as_of: str | None = Field(default=None, description="ISO date: relations valid then.")
    include_history: bool = Field(default=False, description="Also ended relations.")
    channels: list[Literal["graph", "vector", "bm25"]] | None = None
    explain: bool = False


class QueryRequest(ScopeIds):
    """`POST /v1/query`: a relationship question."""

    question: str
    limit: int = Field(default=10, ge=1, le=1000)
    as_of: str | None = None
    include_history: bool = False


class UpdateRequest(Body):
    """`PUT /v1/memories/{id}`: new text and/or metadata."""

    text: str | None = None
    metadata: dict[str, Any] | None = None


class CypherRequest(Body):
    """`POST /v1/graph/cypher` (admin keys): read-only Cypher over the whole graph."""

    query: str = Field(description="Read-only Cypher; values as $parameters.")
    params: dict[str, Any] | None = Field(
        default=None,
        description="The query's parameters, $user_id too: nothing is filled in or confined.",
    )


class SavedQueryRequest(PartitionIds):
    """`POST /v1/graph/queries/{name}`: a saved query in the scope the key allows."""

    params: dict[str, Any] | None = Field(
        default=None,
        description=(
            "The saved query's own parameters (see GET /v1/graph/queries), scalar values; "
            "the scope comes from user_id / agent_id / app_id, never from params."
        ),
    )
