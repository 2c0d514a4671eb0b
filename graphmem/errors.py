"""One hierarchy of typed errors: every failure graphmem raises on purpose is a GraphMemError.

The REST layer maps these to problem+json in one place; callers can catch the base class.
"""

from __future__ import annotations


class GraphMemError(Exception):
    """Base class of every error graphmem raises on purpose."""

    status_code = 500

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(GraphMemError):
    """The caller's input is malformed; nothing was written. `field` names the culprit."""

    status_code = 422


class NotFound(GraphMemError):
    """The requested memory, entity or relation does not exist in the caller's scope."""

    status_code = 404


class ScopeViolation(GraphMemError):
    """The caller tried to touch data outside the scopes it may use."""

    status_code = 403


class ExtractionFailed(GraphMemError):
    """LLM extraction failed (invalid after retries, timeout, unreachable); nothing was written."""

    status_code = 502


class StoreUnavailable(GraphMemError):
    """A backing store is down, locked by another process, or misconfigured."""

    status_code = 503


class ConfigError(GraphMemError):
    """The configuration is inconsistent or names something that cannot be used."""

    status_code = 500
