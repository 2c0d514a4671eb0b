"""The tools' argument types: each becomes part of a tool's JSON input schema.

Descriptions are written for the model that calls the tools. The facade checks every
value again (and names the failing field), so these types describe, they do not decide.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr


class Turn(BaseModel):
    """One conversation turn."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant", "system", "tool"] = "user"
    content: str = Field(description="What was said.")
    name: str | None = Field(
        default=None, max_length=256, description="The speaker's name, so 'I' and 'my' resolve."
    )


class EntityIn(BaseModel):
    """An entity you extracted yourself."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="As written, e.g. 'Sarah Chen'.")
    type: str | None = Field(
        default=None, description="PascalCase, e.g. Person, Organization, Location."
    )
    aliases: list[str] | None = Field(default=None, description="Other names for it.")


class RelationIn(BaseModel):
    """A relation you extracted yourself: source -relationship-> target."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="Entity name, e.g. 'Sarah Chen'.")
    relationship: str = Field(description="e.g. 'works at' (stored as WORKS_AT).")
    target: str = Field(description="Entity name, e.g. 'Google'.")
    valid_from: str | None = Field(default=None, description="ISO date it started holding.")
    valid_to: str | None = Field(default=None, description="ISO date it stopped holding.")


Text = Annotated[
    str | None,
    Field(description="What to remember, as plain text. Give text or messages, not both."),
]
Messages = Annotated[
    list[Turn] | None,
    Field(description="Conversation turns to remember, instead of text."),
]
Metadata = Annotated[
    dict[str, Any] | None,
    Field(description='A JSON object stored with the memory, e.g. {"topic": "work"}.'),
]
Timestamp = Annotated[
    StrictStr | StrictInt | StrictFloat | None,
    Field(
        description="When it was said or holds: ISO 8601 date or date-time (naive is UTC), "
        "or epoch seconds."
    ),
]
Infer = Annotated[
    bool,
    Field(description="True extracts facts, entities and relations; false stores the text as is."),
]
Entities = Annotated[
    list[EntityIn] | None,
    Field(description="Entities you extracted (optional; skips graphmem's extraction)."),
]
Relations = Annotated[
    list[RelationIn] | None,
    Field(description="Relations you extracted (optional; skips graphmem's extraction)."),
]
Query = Annotated[str, Field(description="What to look for, in natural language.")]
Question = Annotated[
    str, Field(description="A relationship question, e.g. 'Who works at Google?'.")
]
Limit = Annotated[int, Field(ge=1, le=100, description="At most this many results.")]
Filters = Annotated[
    dict[str, Any] | None,
    Field(
        description='Filter on metadata or created_at / updated_at / timestamp: {"topic": "work"}, '
        '{"created_at": {"gte": "2026-01-01"}}; operators eq ne gt gte lt lte in nin contains '
        "icontains; AND / OR / NOT take lists."
    ),
]
AsOf = Annotated[
    str | None,
    Field(description="ISO date (YYYY-MM-DD): answer from what held on that day."),
]
IncludeHistory = Annotated[
    bool, Field(description="Also use relations that have ended (marked current: false).")
]
MemoryId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=256,
        description="A memory id, from add_memory, search_memories or list_memories.",
    ),
]
NewText = Annotated[str | None, Field(description="The memory's new text.")]
NewMetadata = Annotated[
    dict[str, Any] | None, Field(description="The memory's new metadata (replaces the old).")
]
Cursor = Annotated[
    str | None, Field(description="next_cursor of the previous page, for the next page.")
]
EntityName = Annotated[
    str, Field(min_length=1, description="An entity's name, alias or id, e.g. 'Sarah Chen'.")
]
Relationship = Annotated[
    str | None, Field(description="Only relations of this type, e.g. 'works at' or WORKS_AT.")
]
Direction = Annotated[
    Literal["out", "in", "both"],
    Field(description="out: relations from the entity; in: to it; both."),
]
Depth = Annotated[int, Field(ge=1, le=3, description="How many hops to walk (1-3).")]
