"""Scope: who a memory belongs to (`user_id`, `agent_id`, `run_id`, `app_id`).

A scope used for reading *matches* a stored item when every id it sets equals the item's.
Entities live in a partition, which is the scope without `run_id` (runs do not split
entities), so "Google" said by Alice in two runs is one node.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from graphmem.errors import InvalidInput
from graphmem.models.validation import describe_validation_error

SCOPE_FIELDS: tuple[str, ...] = ("user_id", "agent_id", "run_id", "app_id")
PARTITION_FIELDS: tuple[str, ...] = ("user_id", "agent_id", "app_id")
_SCOPE_ID = re.compile(r"^[^\x00-\x1f\x7f]{1,256}$")


class Partition(NamedTuple):
    """The graph partition an entity lives in: a scope without its run."""

    user_id: str | None
    agent_id: str | None
    app_id: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {"user_id": self.user_id, "agent_id": self.agent_id, "app_id": self.app_id}


class Scope(BaseModel):
    """The ids a memory is filed under; at least one is required.

    Example:
        >>> Scope.of(user_id="alice").partition()
        Partition(user_id='alice', agent_id=None, app_id=None)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    user_id: str | None = None
    agent_id: str | None = None
    run_id: str | None = None
    app_id: str | None = None

    @field_validator("user_id", "agent_id", "run_id", "app_id", mode="before")
    @classmethod
    def _check_id(cls, value: object) -> object:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("scope ids must be strings")
        value = value.strip()
        if not _SCOPE_ID.match(value):
            raise ValueError("scope ids must be 1-256 printable characters")
        return value

    @model_validator(mode="after")
    def _require_one(self) -> Scope:
        if not any(getattr(self, name) for name in SCOPE_FIELDS):
            raise ValueError("at least one of user_id, agent_id, run_id, app_id is required")
        return self

    @classmethod
    def of(
        cls,
        *,
        user_id: object = None,
        agent_id: object = None,
        run_id: object = None,
        app_id: object = None,
    ) -> Scope:
        """Build a scope from caller input, raising InvalidInput naming the bad field."""
        try:
            return cls(user_id=user_id, agent_id=agent_id, run_id=run_id, app_id=app_id)
        except ValueError as exc:
            raise InvalidInput(
                f"invalid scope: {describe_validation_error(exc)}", field="scope"
            ) from exc

    def ids(self) -> dict[str, str]:
        """The ids this scope sets, e.g. {"user_id": "alice"}."""
        return {name: getattr(self, name) for name in SCOPE_FIELDS if getattr(self, name)}

    def partition(self) -> Partition:
        return Partition(self.user_id, self.agent_id, self.app_id)

    def without_run(self) -> Scope:
        """This scope as a reader of its whole partition: a graph fact holds in every run."""
        ids = self.partition().as_dict()
        return Scope.of(**ids) if any(ids.values()) else self

    def matches(self, item: dict[str, Any]) -> bool:
        """Whether a stored item's scope fields satisfy this (reading) scope."""
        return all(item.get(name) == value for name, value in self.ids().items())

    def matches_partition(self, partition: Partition) -> bool:
        """Whether entities of `partition` are visible to this scope."""
        return all(
            getattr(partition, name) == getattr(self, name)
            for name in PARTITION_FIELDS
            if getattr(self, name)
        )
