"""How a LangGraph namespace names a graphmem scope, and which runs hold an item's memories.

A store is given fixed scope ids (every item it writes is filed under them, e.g.
`{"app_id": "travel-agent"}`) and scope labels: namespace positions whose label *is* a scope
id (`{"user_id": 0}`: in `("alice", "memories")`, "alice" is the user). The scope of an item
is the fixed ids plus its namespace's scope labels; every other label, and the key, is
kept in the memory's metadata. `run_id` belongs to the store: each item is a run of its
own (its value's memory), with a second run for the facts extracted from it.

A read by prefix must name every scope label (a prefix shorter than the scope labels, or a
wildcard on one, would span users): it is refused with `ScopeViolation`, never widened.

Example:
    >>> layout = NamespaceLayout.of({"app_id": "bot"}, {"user_id": 0})
    >>> layout.item_scope(("alice", "memories")).ids()
    {'user_id': 'alice', 'app_id': 'bot'}
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from langgraph.store.base import InvalidNamespaceError

from graphmem.errors import ConfigError, InvalidInput, ScopeViolation
from graphmem.models.scope import Scope

LAYOUT_FIELDS: tuple[str, ...] = ("user_id", "agent_id", "app_id")
"""The scope fields a namespace may name; `run_id` is the store's own."""

RUN_PREFIX = "langgraph:"
FACTS_SUFFIX = ":facts"
WILDCARD = "*"
_RUN_NAMESPACE = uuid.UUID("9b0c62de-5d1f-4a3e-8f7b-3c41a6e2d915")


@dataclass(frozen=True)
class ItemRuns:
    """The two runs of one item: its value's memory, and the facts extracted from it."""

    item: str
    facts: str


def item_runs(scope: Scope, namespace: Sequence[str], key: str) -> ItemRuns:
    """The runs of the item at (`namespace`, `key`) in `scope`: a stable function of all three,
    so stores configured with other scopes never share a run."""
    identity = json.dumps([sorted(scope.ids().items()), list(namespace), key])
    run = f"{RUN_PREFIX}{uuid.uuid5(_RUN_NAMESPACE, identity)}"
    return ItemRuns(item=run, facts=run + FACTS_SUFFIX)


def check_labels(labels: Sequence[object]) -> tuple[str, ...]:
    """`labels` as a namespace tuple, or InvalidNamespaceError as LangGraph raises it: each
    label a non-empty string without a period or a NUL byte. (`*` is a label like any
    other, except in `list_namespaces`, where it is the wildcard, and as a scope id.)"""
    for label in labels:
        if not isinstance(label, str) or not label:
            raise InvalidNamespaceError(f"namespace labels must be non-empty strings: {labels}")
        if "." in label or "\x00" in label:
            raise InvalidNamespaceError(
                f"namespace label {label!r} may not contain a period or a NUL byte"
            )
    return tuple(str(label) for label in labels)


@dataclass(frozen=True)
class NamespaceLayout:
    """Fixed scope ids plus the namespace positions that carry scope ids (see the module)."""

    fixed: Mapping[str, str]
    labels: Mapping[str, int]

    @classmethod
    def of(
        cls, scope: Mapping[str, str] | None, namespace_scope: Mapping[str, int] | None
    ) -> NamespaceLayout:
        """Validate a store's scope settings.

        Raises:
            ConfigError: neither is given, a field is not one of user_id / agent_id /
                app_id, a field is both fixed and a label, positions repeat or are not
                non-negative integers, or a fixed id is not a valid scope id.
        """
        fixed = dict(scope or {})
        labels = dict(namespace_scope or {})
        if not fixed and not labels:
            raise ConfigError(
                "give the store a scope (e.g. scope={'user_id': 'alice'}) and/or the namespace "
                "labels that name one (e.g. namespace_scope={'user_id': 0})",
                field="scope",
            )
        for name in [*fixed, *labels]:
            if name not in LAYOUT_FIELDS:
                raise ConfigError(
                    f"{name!r} is not a scope field a namespace may name; use one of "
                    f"{list(LAYOUT_FIELDS)} (run_id is the store's: one run per item)",
                    field="scope",
                )
        if set(fixed) & set(labels):
            raise ConfigError("a scope field is either fixed or a namespace label", field="scope")
        positions = list(labels.values())
        if any(isinstance(p, bool) or not isinstance(p, int) or p < 0 for p in positions):
            raise ConfigError("namespace_scope positions are integers >= 0", field="scope")
        if len(set(positions)) != len(positions):
            raise ConfigError("two scope fields cannot share a namespace label", field="scope")
        if fixed:
            try:
                checked = Scope.of(**fixed).ids()
            except InvalidInput as exc:
                raise ConfigError(exc.message, field="scope") from exc
            if checked != fixed:
                raise ConfigError("fixed scope ids must not have outer spaces", field="scope")
        return cls(fixed=fixed, labels=labels)

    @property
    def depth(self) -> int:
        """How many leading labels a namespace needs before it names its scope."""
        return max(self.labels.values(), default=-1) + 1

    def item_scope(self, namespace: Sequence[str]) -> Scope:
        """The scope of an item in `namespace` (for get, put and delete).

        Raises:
            InvalidInput: the namespace is too short to name its scope labels, or a label
                in a scope position is not a valid scope id (or is `*`).
        """
        if len(namespace) < self.depth:
            raise InvalidInput(
                f"namespace {tuple(namespace)} does not name its scope: {self._describe()}",
                field="namespace",
            )
        if any(namespace[position] == WILDCARD for position in self.labels.values()):
            raise InvalidInput(
                f"{WILDCARD!r} cannot be a scope id (it is list_namespaces' wildcard)",
                field="namespace",
            )
        return self._scope(namespace)

    def prefix_scope(self, prefix: Sequence[str]) -> Scope:
        """The one scope a read by `prefix` may see (search, list_namespaces).

        Raises:
            ScopeViolation: the prefix does not name every scope label, or puts the
                wildcard `*` on one (it would read several scopes).
            InvalidInput: a scope label is not a valid scope id.
        """
        named = prefix[: self.depth]
        if len(named) < self.depth or any(
            named[position] == WILDCARD for position in self.labels.values()
        ):
            raise ScopeViolation(
                f"prefix {tuple(prefix)} would read more than one scope: {self._describe()}",
                field="namespace_prefix",
            )
        return self._scope(prefix)

    def _scope(self, namespace: Sequence[str]) -> Scope:
        ids = dict(self.fixed)
        for name, position in self.labels.items():
            ids[name] = namespace[position]
        scope = Scope.of(**ids)
        if scope.ids() != {name: value for name, value in ids.items() if value}:
            raise InvalidInput(
                "namespace labels that name a scope may not have outer spaces", field="namespace"
            )
        return scope

    def _describe(self) -> str:
        named = ", ".join(f"label {p} is the {name}" for name, p in sorted(self.labels.items()))
        return f"this store's {named}"
