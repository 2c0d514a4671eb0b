"""Turn pydantic validation errors into one readable sentence that names the field."""

from __future__ import annotations

from pydantic import ValidationError


def describe_validation_error(exc: ValueError) -> str:
    """First error of `exc` as `field.path: message` (plain text for non-pydantic errors)."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first.get("loc", ()))
        return f"{location}: {first['msg']}" if location else str(first["msg"])
    return str(exc)


def first_error_field(exc: ValueError) -> str | None:
    """The top-level field of the first error, for `InvalidInput.field`."""
    if isinstance(exc, ValidationError) and exc.errors():
        location = exc.errors()[0].get("loc", ())
        return str(location[0]) if location else None
    return None
