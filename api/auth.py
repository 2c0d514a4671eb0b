"""API keys and tenancy: which scopes a request may read and write.

Keys come from `create_app(api_keys=...)`, or, when that is None, from the env var
`GRAPHMEM_API_KEYS` read once by the app factory. The value is a JSON object mapping each
key to what it may touch: `"*"` (every scope: an admin key), or an object mapping scope
fields to the ids allowed, e.g. `{"k1": {"user_id": ["alice"]}, "admin": "*"}`.

Rules, for a restricted key:
- every field the key restricts must be named by the request, with an allowed id (a request
  that names none of them gets 403 `ScopeViolation`, whose `field` is the missing one);
- a stored memory is visible only when its own ids are allowed; another tenant's memory id
  answers 404, exactly as an unknown id, so nothing about it leaks;
- history of a memory is shown only while the memory exists in the key's scopes;
- free Cypher (`POST /v1/graph/cypher`) is for admin keys only: it reads every tenant's
  graph and cannot be confined to a scope, so a restricted key gets 403 and reads its
  scopes through the saved queries (`/v1/graph/queries`).

With no keys configured the service is open, for local use: requests are then accepted
only from loopback clients, and `graphmem serve` refuses to bind anything but loopback.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from api.errors import Unauthenticated
from graphmem.errors import ConfigError, NotFound, ScopeViolation
from graphmem.models.scope import SCOPE_FIELDS

API_KEYS_ENV = "GRAPHMEM_API_KEYS"
_BEARER = "bearer "


@dataclass(frozen=True)
class Grant:
    """What one API key may touch: every scope (`scopes is None`) or listed ids per field."""

    name: str
    scopes: Mapping[str, frozenset[str]] | None

    @property
    def is_admin(self) -> bool:
        """Whether the key may touch every scope (`"*"`, or the keyless loopback service)."""
        return self.scopes is None

    def authorize(self, ids: Mapping[str, str | None]) -> None:
        """Check the scope ids a request names.

        Raises:
            ScopeViolation: a restricted field is missing, or names an id not allowed.
        """
        for field, allowed in (self.scopes or {}).items():
            value = ids.get(field)
            if value is None or not value.strip():
                raise ScopeViolation(f"this API key must name its {field}", field=field)
            if value.strip() not in allowed:
                raise ScopeViolation(f"this API key may not use {field}={value!r}", field=field)

    def can_see(self, item: Mapping[str, Any]) -> bool:
        """Whether a stored item (a memory or export dict with scope ids) is in this grant."""
        return all(item.get(field) in allowed for field, allowed in (self.scopes or {}).items())

    def ensure_visible(self, item: Mapping[str, Any], what: str) -> None:
        """Raise NotFound, as for an unknown id, when `item` is outside this grant."""
        if not self.can_see(item):
            raise NotFound(f"no {what} with id {item.get('id')!r}", field=f"{what}_id")


OPEN_GRANT = Grant(name="open", scopes=None)


@dataclass(frozen=True)
class ApiKeys:
    """The configured keys; empty means the service is open to loopback clients."""

    grants: Mapping[str, Grant]

    @property
    def open(self) -> bool:
        return not self.grants

    def grant_for(self, key: str) -> Grant | None:
        """The key's grant, comparing in constant time against every configured key."""
        found: Grant | None = None
        for candidate, grant in self.grants.items():
            if hmac.compare_digest(candidate.encode(), key.encode()):
                found = grant
        return found


def load_api_keys(explicit: Mapping[str, Any] | str | None) -> ApiKeys:
    """Keys from `explicit` (a mapping or its JSON), else from `GRAPHMEM_API_KEYS`.

    Raises:
        ConfigError: the value is not a JSON object of the shape in this module's docstring.
    """
    raw: Any = explicit if explicit is not None else os.environ.get(API_KEYS_ENV)
    if raw is None or raw == "":
        return ApiKeys({})
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{API_KEYS_ENV} is not valid JSON: {exc.msg}") from exc
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{API_KEYS_ENV} must be a JSON object of key -> scopes")
    grants = {
        str(key): _parse_grant(str(key), index, value)
        for index, (key, value) in enumerate(raw.items())
    }
    return ApiKeys(grants)


def _parse_grant(key: str, index: int, value: Any) -> Grant:
    name = f"key#{index}"
    if not key:
        raise ConfigError(f"{API_KEYS_ENV}: {name} is empty")
    if value == "*":
        return Grant(name=name, scopes=None)
    if not isinstance(value, Mapping) or not value:
        raise ConfigError(f'{API_KEYS_ENV}: {name} must map to "*" or {{field: [ids]}}')
    scopes: dict[str, frozenset[str]] = {}
    for field, ids in value.items():
        if field not in SCOPE_FIELDS:
            raise ConfigError(f"{API_KEYS_ENV}: {name} names unknown scope field {field!r}")
        listed = [ids] if isinstance(ids, str) else ids
        if not isinstance(listed, list) or not listed:
            raise ConfigError(f"{API_KEYS_ENV}: {name}.{field} must be a non-empty list of ids")
        if not all(isinstance(one, str) and one.strip() for one in listed):
            raise ConfigError(f"{API_KEYS_ENV}: {name}.{field} must list non-empty strings")
        scopes[field] = frozenset(one.strip() for one in listed)
    return Grant(name=name, scopes=scopes)


def presented_key(request: Request) -> str | None:
    """The key of `X-API-Key`, else of `Authorization: Bearer <key>`."""
    key = request.headers.get("x-api-key")
    if key:
        return key
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith(_BEARER):
        return authorization[len(_BEARER) :].strip() or None
    return None


def current_grant(request: Request) -> Grant:
    """FastAPI dependency: the caller's grant, or 401 without a known key."""
    keys: ApiKeys = request.app.state.api_keys
    if keys.open:
        if not is_loopback(request.client.host if request.client else None):
            raise Unauthenticated(
                "this server has no API keys and serves loopback clients only", field="X-API-Key"
            )
        return OPEN_GRANT
    key = presented_key(request)
    if key is None:
        raise Unauthenticated(
            "send an API key as X-API-Key or Authorization: Bearer", field="X-API-Key"
        )
    grant = keys.grant_for(key)
    if grant is None:
        raise Unauthenticated("unknown API key", field="X-API-Key")
    return grant


def is_loopback(host: str | None) -> bool:
    """Whether `host` (an IP address or name) is this machine's loopback."""
    if host is None:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in {"localhost", "testclient"}


CurrentGrant = Annotated[Grant, Depends(current_grant)]
